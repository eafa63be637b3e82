// The rules for staff accounts that need the database (teams of this council; a line manager who is active, not the
// user, and not managed by them), and writing a change to an account: the fields that changed, its teams, ending
// sessions and tokens on deactivation, the access-change audit and alert, and the account's own audit row.
import type { Tx } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';
import type { FieldErrors } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { deleteSessionsOfUser } from '../auth/repository.ts';
import { releaseHeldBy } from '../partners/inbox.ts';
import { type Access, type AlertSettings, recordAccessChange } from './grants.ts';
import * as repo from './repository.ts';
import type { UserChangeInput } from './schemas.ts';

export async function checkTeamIds(tx: Tx, actor: AuthUser, teamIds: string[], errors: FieldErrors) {
  if (teamIds.length && (await repo.countTeams(tx, actor.authorityId, teamIds)) !== teamIds.length)
    errors.team_ids = 'Choose teams from the list';
}

/**
 * Roles held by people from outside agencies (health, education, police, providers, settings): someone holding only
 * these is not council staff. A line manager opens the caseload of everyone they manage, so they must be.
 */
const OUTSIDE_AGENCY_ROLES: readonly string[] = ['advice_giver', 'panel_member', 'setting_user', 'commissioner'];

/**
 * Whether the manager may line manage the user: council staff (not in an outside organisation's service, and holding
 * some role that is not an outside agency's); or, for someone in an outside organisation, a manager from that same
 * organisation (a trust's clinical lead managing its own clinicians, whose caseload is not the council's).
 */
async function mayLineManage(tx: Tx, manager: { id: string; roles: string[] }, userId: string | null) {
  const services = await tx
    .selectFrom('users as u')
    .leftJoin('services as s', 's.id', 'u.service_id')
    .where('u.id', 'in', userId ? [manager.id, userId] : [manager.id])
    .select(['u.id', 'u.service_id', 's.external'])
    .execute();
  const ofManager = services.find((r) => r.id === manager.id);
  if (!ofManager?.external)
    return !(manager.roles.length && manager.roles.every((r) => OUTSIDE_AGENCY_ROLES.includes(r)));
  return Boolean(userId && services.find((r) => r.id === userId)?.service_id === ofManager.service_id);
}

/**
 * The line manager must be an active member of the council's own staff (issue 17's review, F4: being line manager
 * opens the caseload of everyone managed), not the user, and not someone the user already manages (directly or through others): line management must never loop, because
 * escalations walk up it.
 */
export async function checkLineManager(
  tx: Tx,
  actor: AuthUser,
  user: { id: string; display_name: string; line_manager_id: string | null } | null,
  managerId: string | null,
  errors: FieldErrors,
) {
  if (!managerId) return;
  if (user && managerId === user.id) {
    errors.line_manager_id = 'A person cannot be their own line manager: choose someone else';
    return;
  }
  const manager = await repo.findUser(tx, actor.authorityId, managerId);
  if (!manager || (!manager.active && managerId !== user?.line_manager_id)) {
    errors.line_manager_id = 'Choose a line manager from the list of active staff';
    return;
  }
  if (!(await mayLineManage(tx, manager, user?.id ?? null))) {
    errors.line_manager_id = `Choose a line manager from the council’s own staff: ${manager.display_name} is from an outside organisation`;
    return;
  }
  if (!user) return;
  await repo.lockLineManagement(tx, actor.authorityId);
  const chain = await repo.managerChain(tx, actor.authorityId, managerId);
  if (chain.includes(user.id)) {
    errors.line_manager_id = `${manager.display_name} cannot be ${user.display_name}’s line manager, because ${user.display_name} already line manages ${manager.display_name} (directly or through others). Choose someone else`;
  }
}

/** Writes a checked change to an account, with its audit rows, in the caller's transaction. */
export async function applyUserChange(
  tx: Tx,
  settings: { alerts: AlertSettings; at: Date },
  actor: AuthUser,
  before: NonNullable<Awaited<ReturnType<typeof repo.findUser>>>,
  current: string[],
  input: UserChangeInput,
  /** More for the audit rows: provisioning (issue 17) marks its changes `{ via: 'scim' }`. */
  extra: Record<string, unknown> = {},
) {
  const { team_ids: teamIds, ...fields } = input;
  const changedFields = (Object.keys(fields) as (keyof typeof fields)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(fields[k]),
  );
  const set = Object.fromEntries(changedFields.map((k) => [k, fields[k]])) as Omit<UserChangeInput, 'team_ids'>;
  const changed: string[] = [...changedFields];
  await repo.updateUser(tx, actor.authorityId, before.id, set);
  const detail: Record<string, unknown> = { changed, ...extra };
  if (set.roles) detail.roles = set.roles as Role[];
  if (set.line_manager_id !== undefined)
    detail.line_manager = { from: before.line_manager_id, to: set.line_manager_id };
  if (teamIds) {
    const added = teamIds.filter((t) => !current.includes(t));
    const removed = current.filter((t) => !teamIds.includes(t));
    if (added.length || removed.length) {
      await repo.setTeamsOfUser(tx, before.id, teamIds);
      changed.push('team_ids');
      detail.teams = { added, removed };
    }
  }
  if (set.active === false) {
    detail.sessions_ended = await repo.countSessionsOfUser(tx, before.id);
    await deleteSessionsOfUser(tx, before.id);
    detail.tokens_revoked = await repo.revokeTokensOfUser(tx, before.id, settings.at);
    // A team inbox's request never depends on one account (issue 17): what they held goes back to the inbox.
    const returned = await releaseHeldBy(tx, actor, before.id);
    if (returned) detail.inbox_requests_returned = returned;
  }
  const access: Access = { roles: before.roles, team_ids: current };
  const after: Access = { roles: set.roles ?? before.roles, team_ids: teamIds ?? current };
  await recordAccessChange(tx, settings.alerts, actor, before, access, after, settings.at, extra);
  const action = set.active === false ? 'deactivate' : set.active === true ? 'reactivate' : 'update';
  await auditBy(tx, actor, {
    action,
    entity: 'user',
    entityId: before.id,
    detail,
  });
}
