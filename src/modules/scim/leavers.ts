// A leaver's work, for whoever will move it: when provisioning closes an account, each team's open cases, protocol
// steps and plan actions of theirs are counted and their line manager told, in-app and by email (counts and a link
// only: no young person's details, quality.md S14). The team's managers are told too when the line manager does not
// manage that team (or there is none), so someone who can open the reallocation page always hears. Nothing is
// unallocated: the work stays with the closed account, shown "(account closed)" on /caseload, until a manager moves it.
import type { Tx } from '../../db/database.ts';
import { actionsOf, casesOf, stepsOf } from '../caseload/repository.ts';
import { MANAGING_ROLES, movedWords } from '../caseload/service.ts';
import { notifyUser } from '../notifications/outbox.ts';
import * as repo from './repository.ts';

export interface LeaverWork {
  team_id: string;
  cases: number;
  steps: number;
  actions: number;
  /** Who was told (user ids), for the audit row. */
  told: string[];
}

export async function tellAboutLeaver(
  tx: Tx,
  o: {
    authorityId: string;
    baseUrl: string;
    at: Date;
    leaver: { id: string; display_name: string; line_manager_id: string | null };
  },
): Promise<LeaverWork[]> {
  const { authorityId, leaver } = o;
  const lineManager = leaver.line_manager_id
    ? await tx
        .selectFrom('users')
        .where('id', '=', leaver.line_manager_id)
        .where('active', '=', true)
        .select('id')
        .executeTakeFirst()
    : undefined;
  const reference = `user-${leaver.id.slice(0, 8)}`;
  const work: LeaverWork[] = [];
  for (const teamId of await repo.teamsOfUser(tx, leaver.id)) {
    const cases = (await casesOf(tx, teamId, leaver.id)).length;
    const steps = (await stepsOf(tx, authorityId, teamId, leaver.id)).length;
    const actions = (await actionsOf(tx, authorityId, teamId, leaver.id)).length;
    if (!cases && !steps && !actions) continue;
    const managers = (await repo.teamManagers(tx, teamId, MANAGING_ROLES)).filter((id) => id !== leaver.id);
    const told = new Set<string>(lineManager ? [lineManager.id] : []);
    if (!lineManager || !managers.includes(lineManager.id)) for (const m of managers) told.add(m);
    const team = (await repo.teamName(tx, authorityId, teamId)) ?? 'their team';
    const message = `${leaver.display_name} has left and their account is closed: ${movedWords({ cases, steps, actions })} in ${team} need reallocating`;
    for (const userId of told)
      await notifyUser(tx, {
        authorityId,
        userId,
        message,
        link: `/teams/${teamId}/workers/${leaver.id}/reallocate`,
        reference,
        baseUrl: o.baseUrl,
        at: o.at,
      });
    work.push({ team_id: teamId, cases, steps, actions, told: [...told] });
  }
  return work;
}
