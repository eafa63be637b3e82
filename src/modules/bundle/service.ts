// The record bundle (issue 11 capability 14): one printable page per young person — the summary (details, statuses,
// involvements), the chronology of significant events, the plan (goals and actions) and the list of documents —
// read in one transaction with one access-log row on the 'print' channel (quality.md S6), whether it is printed or
// only looked at. It reads the other modules' repositories and writes nothing else.
import type { Db } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { logRead } from '../audit/repository.ts';
import { listForPerson } from '../documents/repository.ts';
import { significantEvents } from '../notes/repository.ts';
import { contactsOf, findPerson, involvementsOf, statusesOf } from '../people/repository.ts';
import { actionsOf, goalsOf, planOf } from '../transitions/repository.ts';

export class BundleService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async bundle(user: AuthUser, access: PersonAccess) {
    return this.db.transaction().execute(async (tx) => {
      const person = await findPerson(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      const [statuses, contacts, involvements, chronology, plan, documents] = await Promise.all([
        statusesOf(tx, person.id),
        contactsOf(tx, person.id),
        involvementsOf(tx, person.id),
        significantEvents(tx, user.authorityId, person.id, { from: null, to: null, type: null }),
        planOf(tx, person.id),
        listForPerson(tx, user.authorityId, person.id),
      ]);
      const [goals, actions] = plan ? await Promise.all([goalsOf(tx, plan.id), actionsOf(tx, plan.id)]) : [[], []];
      await logRead(tx, user, access, 'print', 'record bundle');
      return {
        person,
        statuses,
        contacts,
        involvements,
        chronology,
        plan: plan ? { ...plan, goals, actions } : null,
        documents,
        printedAt: this.now(),
        printedBy: user.displayName,
      };
    });
  }
}
