// Who a record's sub-pages are about (notes, documents): the name and case number their headings show, read in the
// caller's transaction and only within the caller's council.
import type { Executor } from '../../db/database.ts';

export function personHeader(db: Executor, authorityId: string, personId: string) {
  return db
    .selectFrom('people')
    .where('id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'given_name', 'family_name', 'case_number'])
    .executeTakeFirst();
}
