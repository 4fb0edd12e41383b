import pino from 'pino';

/**
 * Station log. Never log payloads: they carry names and ID numbers of vulnerable people. Log call names, ids,
 * counts and error classes only; the redact list is a second line of defence for fields that slip through.
 */
export const PERSONAL_FIELDS = ['idNumber', 'name', 'phone', 'address', 'password', 'args', 'input', 'payload', 'data'];

export function createLogger(level = process.env.STATION_LOG_LEVEL ?? 'info'): pino.Logger {
  return pino({
    level,
    base: { app: 'station' },
    redact: { paths: PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
  });
}
