/** Why the store refused to open. Each reason has its own remedy, so callers switch on it. */
export class StoreOpenError extends Error {
  constructor(
    readonly reason: 'WRONG_KEY' | 'CORRUPT' | 'TOO_NEW' | 'MIGRATION_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

