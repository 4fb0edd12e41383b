/** SQLSTATE of a database error, when it has one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Serialization failure or deadlock: nothing was committed, running the same transaction again is correct. */
export function isRetryableTransactionError(err: unknown): boolean {
  const state = sqlState(err);
  return state === '40001' || state === '40P01';
}

/**
 * The data itself was refused (data exception, integrity constraint, program limit such as an oversized row).
 * Running it again gives the same answer, so the mutation that caused it is a permanent error.
 */
export function isDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23') || state.startsWith('54'));
}

/** The database is unreachable or shutting down: tell the station to come back later (503). */
export function isUnavailableError(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('08') || state.startsWith('53') || state === '57P01' || state === '57P03';
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : '';
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    /Connection terminated|connection timeout|Client has encountered a connection error|PGlite is closed/i.test(message)
  );
}
