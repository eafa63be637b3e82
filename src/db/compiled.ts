// Statements built once and run many times with new values (issue 16 part 2): a query is compiled with named slots
// where a request's values go, and each run swaps the slots for that request's values. The text never changes, so
// the pool's PreparingClient (database.ts) prepares it once per connection and no query builder runs per request.
import type { CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './database.ts';

const SLOT = Symbol('slot');
interface SlotMark {
  [SLOT]: string;
}

/** A stand-in for a request's value, compiled into the statement as a parameter. Typed as the value it holds. */
export function slot<T = string>(name: string): T {
  return { [SLOT]: name } as unknown as T;
}

const slotName = (p: unknown) => (p !== null && typeof p === 'object' && SLOT in p ? (p as SlotMark)[SLOT] : undefined);

export interface Prepared<K extends string> {
  /** The statement's text, for tests and reports. */
  readonly sql: string;
  run<R>(db: Executor, values: Record<K, unknown>): Promise<QueryResult<R>>;
}

/** A compiled query whose slots are filled on each run; a slot left without a value is a programming error. */
export function prepared<K extends string>(compiled: CompiledQuery): Prepared<K> {
  const names = compiled.parameters.map(slotName);
  return {
    sql: compiled.sql,
    run<R>(db: Executor, values: Record<K, unknown>) {
      const parameters = compiled.parameters.map((p, i) => {
        const name = names[i];
        if (name === undefined) return p;
        if (!(name in values)) throw new Error(`No value for the statement's slot "${name}"`);
        return values[name as K];
      });
      return db.executeQuery<R>({ ...compiled, parameters });
    },
  };
}
