// Bulk reallocation (issue 11 capability 12): when a worker leaves or is off, a manager of their team sees the
// worker's caseload — the cases they hold in the team, the protocol steps and the plan actions they own — and moves
// the chosen ones to another active caseworker of the team in ONE transaction. Every chosen item is locked and
// checked first; if any is no longer the worker's (someone moved or closed it meanwhile) nothing moves and the message
// says which kind and how many. A case always moves to a worker, so a child on a plan or in care is never left
// unallocated (and the database's never_unallocated trigger would refuse the commit if it were). Each record gets a
// timeline line and an audit row; the receiving worker is told once, by reference and link (no child's details).
import type { Db, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { CASEWORKER_ROLES, MATCHES, picker, type StaffScope, searchStaff, staffInScope } from '../kit/staff.ts';
import { notifyUser } from '../notifications/outbox.ts';
import type { ProtocolService } from '../protocols/service.ts';
import type { TransitionsService } from '../transitions/service.ts';
import * as repo from './repository.ts';
import type { ReallocationInput } from './schemas.ts';

/** Roles that manage a team's caseload, when they are a member of the team. */
export const MANAGING_ROLES = ['team_manager', 'service_manager', 'send_manager'];

export function managesTeam(user: AuthUser, teamId: string): boolean {
  return (
    user.caps.has('involvement:manage') &&
    user.teamIds.includes(teamId) &&
    MANAGING_ROLES.some((r) => user.roles.includes(r))
  );
}

export interface Moved {
  cases: number;
  steps: number;
  actions: number;
  to: { id: string; name: string };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function movedWords(m: Pick<Moved, 'cases' | 'steps' | 'actions'>): string {
  const parts = [];
  if (m.cases) parts.push(plural(m.cases, 'case', 'cases'));
  if (m.steps) parts.push(plural(m.steps, 'protocol step', 'protocol steps'));
  if (m.actions) parts.push(plural(m.actions, 'plan action', 'plan actions'));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'nothing');
}

export class CaseloadService {
  constructor(
    private readonly db: Db,
    private readonly baseUrl: string,
    private readonly protocols: ProtocolService,
    private readonly transitions: TransitionsService,
  ) {}

  /** The teams the user manages (their choice of whose work to move starts here). */
  async managedTeams(user: AuthUser) {
    const teams = [];
    for (const id of user.teamIds) {
      if (!managesTeam(user, id)) continue;
      const team = await repo.findTeam(this.db, user.authorityId, id);
      // Caseworkers, and anyone else who somehow holds a case here; never the IT administrator with none.
      const members = (await repo.membersWithCaseloads(this.db, id)).filter(
        (m) => Number(m.cases) > 0 || m.roles.some((r) => CASEWORKER_ROLES.includes(r)),
      );
      if (team) teams.push({ ...team, members });
    }
    return teams.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async teamFor(user: AuthUser, teamId: string) {
    const team = await repo.findTeam(this.db, user.authorityId, teamId);
    if (!team) throw new NotFound('No team with that reference.');
    if (!managesTeam(user, teamId)) throw new Forbidden('Only a manager of this team can move its workers’ cases.');
    return team;
  }

  /** A worker's caseload in a team, for the manager, and who it can move to (the owner picker's data). */
  async caseload(user: AuthUser, teamId: string, workerId: string, query = '', chosen: string | null = null) {
    const team = await this.teamFor(user, teamId);
    const worker = await repo.findMember(this.db, teamId, workerId);
    if (!worker) throw new NotFound('That person is not a member of this team.');
    const [cases, steps, actions] = await Promise.all([
      repo.casesOf(this.db, teamId, workerId),
      repo.stepsOf(this.db, user.authorityId, teamId, workerId),
      repo.actionsOf(this.db, user.authorityId, teamId, workerId),
    ]);
    const titled = [];
    for (const s of steps) {
      const def = await this.protocols.definition(s.protocol_id, s.protocol_version);
      titled.push({ ...s, title: `${def.title}: ${def.steps.find((d) => d.id === s.step_key)?.title ?? s.step_key}` });
    }
    const targets = await picker(this.db, user.authorityId, { teamId }, query, chosen);
    return { team, worker, cases, steps: titled, actions, targets };
  }

  /** A caseworker of the team the work could have moved to, by id (for the success banner), or undefined. */
  async receiver(user: AuthUser, teamId: string, userId: string) {
    if (!UUID.test(userId)) return undefined;
    return staffInScope(this.db, user.authorityId, { teamId }, userId);
  }

  /** The owner picker for a team's allocation (people's allocate page): its caseworkers, searched when long. */
  async teamPicker(user: AuthUser, teamId: string, query: string, current: string | null) {
    return picker(this.db, user.authorityId, { teamId }, query, current);
  }

  /** The owner pickers' search: caseworkers of one team or service of the user's council (never the whole council). */
  async searchStaff(user: AuthUser, scope: { teamId: string } | { serviceId: string }, query: string) {
    const known =
      'teamId' in scope
        ? await repo.findTeam(this.db, user.authorityId, scope.teamId)
        : await repo.findService(this.db, user.authorityId, scope.serviceId);
    if (!known) throw new ValidationError({ team_id: 'Choose a team or service of your council' });
    return searchStaff(this.db, user.authorityId, scope, query, MATCHES);
  }

  /** Moves the chosen items of `workerId` to `input.to_user_id`, all or nothing. */
  async reallocate(user: AuthUser, teamId: string, workerId: string, input: ReallocationInput): Promise<Moved> {
    const team = await this.teamFor(user, teamId);
    return this.db.transaction().execute(async (tx) => {
      const from = await repo.findMember(tx, teamId, workerId);
      if (!from) throw new NotFound('That person is not a member of this team.');
      const scope: StaffScope = { teamId };
      const to =
        input.to_user_id === workerId ? undefined : await staffInScope(tx, user.authorityId, scope, input.to_user_id);
      if (!to)
        throw new ValidationError({
          to_user_id: `Choose an active caseworker in ${team.name}, other than ${from.display_name}`,
        });
      const chosen = { involvements: input.involvement_ids, steps: input.step_ids, actions: input.action_ids };
      await repo.lockChosen(tx, chosen);
      const [cases, steps, actions] = await Promise.all([
        repo.casesOf(tx, teamId, workerId, chosen.involvements),
        repo.stepsOf(tx, user.authorityId, teamId, workerId, chosen.steps),
        repo.actionsOf(tx, user.authorityId, teamId, workerId, chosen.actions),
      ]);
      stillTheirs(from.display_name, { cases, steps, actions }, chosen);
      const target = { id: to.id, name: to.display_name };
      const why = input.reason ? `Reason: ${input.reason}` : `Reallocated from ${from.display_name}`;
      for (const c of cases) await this.moveCase(tx, user, team.name, c, from, target, why);
      for (const s of steps)
        await this.protocols.reassign(
          user,
          s.person_id,
          s.instance_id,
          s.id,
          { owner_user_id: to.id, version: s.version },
          tx,
        );
      for (const a of actions) await this.transitions.reownAction(tx, user, a.id, target, why);
      const moved = { cases: cases.length, steps: steps.length, actions: actions.length, to: target };
      await this.tell(tx, user, from.display_name, moved);
      return moved;
    });
  }

  private async moveCase(
    tx: Tx,
    user: AuthUser,
    teamName: string,
    c: { id: string; person_id: string },
    from: { id: string; display_name: string },
    to: { id: string; name: string },
    why: string,
  ) {
    await repo.moveInvolvement(tx, c.id, to.id);
    await recordChange(tx, {
      actor: user,
      personId: c.person_id,
      kind: 'allocation',
      title: `Allocated to ${to.name}`,
      detail: `${teamName}: reallocated from ${from.display_name}. ${why}`,
      audit: {
        action: 'reallocate',
        entity: 'involvement',
        entityId: c.id,
        detail: { from: from.id, to: to.id },
      },
    });
  }

  /** One message to the receiving worker: how much came to them, with a link to My work (no child's details). */
  private async tell(tx: Tx, user: AuthUser, fromName: string, m: Moved) {
    await notifyUser(tx, {
      authorityId: user.authorityId,
      userId: m.to.id,
      message: `${movedWords(m)} passed to you by ${user.displayName}`,
      link: '/',
      reference: `caseload of ${fromName}`,
      baseUrl: this.baseUrl,
    });
  }
}

/** Every chosen item must still be the worker's and open; else nothing moves and the message says what changed. */
function stillTheirs(
  name: string,
  found: { cases: unknown[]; steps: unknown[]; actions: unknown[] },
  chosen: { involvements: string[]; steps: string[]; actions: string[] },
) {
  const errors: Record<string, string> = {};
  const gone = (n: number, what: string) =>
    `${n} of the chosen ${what} ${n === 1 ? 'is' : 'are'} no longer ${name}’s (someone changed ${n === 1 ? 'it' : 'them'} meanwhile). Nothing was moved: look at the list again and choose again`;
  if (found.cases.length < chosen.involvements.length)
    errors.involvement_ids = gone(chosen.involvements.length - found.cases.length, 'cases');
  if (found.steps.length < chosen.steps.length)
    errors.step_ids = gone(chosen.steps.length - found.steps.length, 'steps');
  if (found.actions.length < chosen.actions.length)
    errors.action_ids = gone(chosen.actions.length - found.actions.length, 'actions');
  if (Object.keys(errors).length) throw new ValidationError(errors);
}
