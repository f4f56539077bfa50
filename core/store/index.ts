// Public surface of the SQLite journal: opening, the Journal implementation, the query side and their types.
export { type Database, openDatabase, type OpenOptions } from './database.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { loadMigrations, migrate, type Migration, type MigrationResult, MIGRATIONS_DIR } from './migrate.js';
export { openJournal, SqliteJournal, type JournalOptions } from './journal.js';
export { JournalQueries, type CountsOptions, type JournalCounts } from './queries.js';
export {
  type CopyCounts,
  type CopyDetail,
  type CopyFilter,
  type CopyRow,
  type LatencyStats,
  slippageOf,
} from './copies.js';
export type { AlertFilter, AlertPage } from './alerts.js';
export type { AuditFilter, AuditRecord } from './audit.js';
export type { StoredExecution } from './executions.js';
export type { IntentEvent } from './intents.js';
export type { Page, PageRequest } from './paging.js';
export { csvField, csvRow, type CsvValue } from './csv.js';
export { readPragma, statement } from './statements.js';
