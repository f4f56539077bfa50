// Multi-row INSERTs shaped by their rows: a column NULL in every row is a literal, a column with one value in every row
// is bound once, the others once per row. better-sqlite3 spends ~0.3-0.5 us binding each parameter, more than SQLite
// spends writing the row, so this is most of the cost of journaling an execution's intents or a flush's events.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';

type SqlValue = string | number | null;
/** A column value as read off a record: decimals become canonical text only when bound, undefined is NULL. */
export type Field = string | number | Decimal | undefined;
/** A column name and how its value is read off a record. */
export type Column<T> = readonly [string, (record: T) => Field];

/** Most rows per INSERT (one native call). */
export const ROWS_PER_INSERT = 16;
/** Most INSERT shapes (row count x column modes) kept prepared per table; past it the cache starts over. */
const MAX_SHAPES = 256;

const sameField = (a: Field, b: Field): boolean => a === b || (a instanceof Decimal && b instanceof Decimal && a.units === b.units);

const sqlValue = (f: Field): SqlValue => (f === undefined ? null : f instanceof Decimal ? f.toString() : f);

export class ShapedInsert<T> {
  private readonly shapes = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly table: string,
    private readonly columns: readonly Column<T>[],
  ) {}

  /**
   * Inserts the records in order, up to ROWS_PER_INSERT rows per statement, and returns the rowid of the first: SQLite
   * gives each new row the largest rowid plus one, so the records' rowids are consecutive (0 when there are none).
   */
  run(records: readonly T[]): number {
    let last = 0;
    for (let at = 0; at < records.length; at += ROWS_PER_INSERT) last = this.chunk(records.slice(at, at + ROWS_PER_INSERT));
    return records.length === 0 ? 0 : last - records.length + 1;
  }

  /** Inserts the rows with one statement; returns the last rowid. */
  private chunk(rows: readonly T[]): number {
    const modes = this.modes(rows);
    const params: SqlValue[] = [];
    this.columns.forEach(([, read], c) => {
      if (modes[c] === 's') params.push(sqlValue(read(rows[0]!)));
    });
    for (const row of rows) {
      this.columns.forEach(([, read], c) => {
        if (modes[c] === 'r') params.push(sqlValue(read(row)));
      });
    }
    return Number(this.statement(rows.length, modes).run(...params).lastInsertRowid);
  }

  /** One letter per column: 'n' NULL in every row (a literal), 's' one value in every row (bound once), 'r' per row. */
  private modes(rows: readonly T[]): string {
    let modes = '';
    for (const [, read] of this.columns) {
      const first = read(rows[0]!);
      let same = true;
      for (let r = 1; same && r < rows.length; r++) same = sameField(read(rows[r]!), first);
      modes += !same ? 'r' : first === undefined ? 'n' : 's';
    }
    return modes;
  }

  private statement(rows: number, modes: string): BetterSqlite3.Statement {
    const key = `${rows}${modes}`;
    let stmt = this.shapes.get(key);
    if (!stmt) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      stmt = this.db.prepare(this.sql(rows, modes));
      this.shapes.set(key, stmt);
    }
    return stmt;
  }

  /** INSERT ... SELECT over a VALUES list: SQLite scans it in order, so the rowid follows the array. */
  private sql(rows: number, modes: string): string {
    const select: string[] = [];
    let perRow = 0;
    for (let c = 0; c < this.columns.length; c++) {
      const mode = modes[c];
      select.push(mode === 'n' ? 'NULL' : mode === 's' ? '?' : `column${++perRow}`);
    }
    const row = perRow === 0 ? '(NULL)' : `(${Array<string>(perRow).fill('?').join(', ')})`;
    const names = this.columns.map(([name]) => name).join(', ');
    return `INSERT INTO ${this.table} (${names}) SELECT ${select.join(', ')} FROM (VALUES ${Array<string>(rows).fill(row).join(', ')})`;
  }
}
