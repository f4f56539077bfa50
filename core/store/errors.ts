// Store errors: one typed error with a stable code for every way the journal refuses or fails.
export type StoreErrorCode =
  | 'open_failed' // the file could not be opened or is not a SQLite database
  | 'schema_too_new' // the database was written by a newer Mirrordesk
  | 'bad_migration' // a migration file is misnamed, duplicated, missing or failed to apply
  | 'unknown_intent' // an update or fill names an intent the journal does not hold
  | 'bad_request' // a malformed query argument (cursor, limit, id)
  | 'corrupt'; // a stored row cannot be read back

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StoreError';
    this.code = code;
  }
}
