// Bulk writing: one INSERT … SELECT FROM unnest(…) per table and chunk.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

type Row<T extends keyof Database> = { [K in keyof Database[T]]?: unknown };
/** Rows of one table held as one array per column, ready for unnest. */
export class Columns<T extends keyof Database> {
  readonly data: Record<string, unknown[]>;
  length = 0;
  constructor(
    readonly table: T,
    /** PostgreSQL type of each column, e.g. { person_id: 'uuid' }. */
    readonly types: { [K in keyof Database[T]]?: string },
  ) {
    this.data = Object.fromEntries(Object.keys(types).map((k) => [k, []]));
  }
  push(row: Row<T>) {
    for (const k in this.data) (this.data[k] as unknown[]).push((row as Record<string, unknown>)[k] ?? null);
    this.length++;
  }
  async insert(tx: Tx): Promise<void> {
    if (this.length === 0) return;
    const names = Object.keys(this.data);
    const types = this.types as Record<string, string>;
    await sql`INSERT INTO ${sql.table(this.table)} (${sql.join(names.map((n) => sql.ref(n)))})
      SELECT * FROM unnest(${sql.join(names.map((n) => sql`${this.data[n]}::${sql.raw(types[n] as string)}[]`))})`.execute(
      tx,
    );
  }
}
