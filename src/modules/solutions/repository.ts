// The SQL of the Creative Solutions Board, and nothing else.
import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { SolutionCaseStatus, SolutionCaseTable, SolutionTestTable } from '../../db/schema.ts';

export { personHeader } from '../kit/person-header.ts';

type NewCase = Insertable<SolutionCaseTable>;
type NewTest = Insertable<SolutionTestTable>;

export async function insertCase(db: Executor, v: NewCase): Promise<string> {
  return (await db.insertInto('solution_cases').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertTest(db: Executor, v: NewTest): Promise<string> {
  return (await db.insertInto('solution_tests').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

const cases = (db: Executor) =>
  db
    .selectFrom('solution_cases as c')
    .innerJoin('users as r', 'r.id', 'c.referred_by')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .selectAll('c')
    .select(['r.display_name as referred_by_name', 'p.case_number']);

/** One case of a young person in the council, locked for a change when `lock`. */
export function findCase(db: Executor, authorityId: string, personId: string, caseId: string, lock = false) {
  let q = cases(db).where('c.id', '=', caseId).where('c.authority_id', '=', authorityId);
  q = q.where('c.person_id', '=', personId);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}

export function casesForPerson(db: Executor, authorityId: string, personId: string) {
  return cases(db)
    .where('c.authority_id', '=', authorityId)
    .where('c.person_id', '=', personId)
    .orderBy('c.referred_at', 'desc')
    .execute();
}

/** The board's list: case numbers, not names. */
export function boardCases(db: Executor, authorityId: string) {
  return cases(db)
    .where('c.authority_id', '=', authorityId)
    .orderBy('c.status')
    .orderBy('c.referred_at', 'desc')
    .limit(1000)
    .execute();
}

export function testsOf(db: Executor, caseIds: string[]) {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('solution_tests as t')
    .innerJoin('users as o', 'o.id', 't.owner_user_id')
    .selectAll('t')
    .select('o.display_name as owner_name')
    .where('t.case_id', 'in', caseIds)
    .orderBy('t.created_at')
    .execute();
}

/** The test under way on a case (no result yet), locked. */
export function openTest(db: Executor, caseId: string) {
  return db
    .selectFrom('solution_tests')
    .where('case_id', '=', caseId)
    .where('result', 'is', null)
    .selectAll()
    .forUpdate()
    .executeTakeFirst();
}

export async function recordResult(
  db: Executor,
  testId: string,
  v: Pick<Updateable<SolutionTestTable>, 'result' | 'learning' | 'reviewed_on'>,
) {
  await db.updateTable('solution_tests').set(v).where('id', '=', testId).execute();
}

export async function updateCase(
  db: Executor,
  caseId: string,
  v: Pick<Updateable<SolutionCaseTable>, 'category' | 'board_problem' | 'meeting_date' | 'closing_note'>,
) {
  await db
    .updateTable('solution_cases')
    .set((eb) => ({ ...v, version: eb('version', '+', 1) }))
    .where('id', '=', caseId)
    .execute();
}

/** The case's protocol instance, set once when it starts (not a change the version counts). */
export async function setInstance(db: Executor, caseId: string, instanceId: string) {
  await db.updateTable('solution_cases').set({ protocol_instance_id: instanceId }).where('id', '=', caseId).execute();
}

/** The status projection, written only by the flow's hooks. */
export async function setStatus(db: Executor, instanceId: string, status: SolutionCaseStatus) {
  await db.updateTable('solution_cases').set({ status }).where('protocol_instance_id', '=', instanceId).execute();
}

/**
 * The pseudonymised register: each solution tried, its category, result, learning and dates. Joined to no people
 * table column but the council; never a name, date of birth, address or identifier.
 */
export function register(
  db: Executor,
  authorityId: string,
  filter: { category?: string | null; result?: string | null },
) {
  let q = db
    .selectFrom('solution_tests as t')
    .innerJoin('solution_cases as c', 'c.id', 't.case_id')
    .where('t.authority_id', '=', authorityId)
    .select([
      'c.category',
      't.register_text as solution',
      't.result',
      't.learning',
      't.started_on',
      't.review_date',
      't.reviewed_on',
    ]);
  if (filter.category) q = q.where('c.category', '=', filter.category);
  if (filter.result) q = q.where('t.result', '=', filter.result as 'worked');
  return q.orderBy('t.started_on', 'desc').orderBy('t.id').limit(10_000).execute();
}
