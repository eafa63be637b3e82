// Who may change whose access (issue 9, finding 4). Nobody changes their own roles or teams; every change of
// roles or teams is audited as `user.roles_changed` with before and after; and giving someone access to case
// records (a case role, or teams for someone who holds one) alerts the security role, in-app and by email,
// in the same transaction as the change.
import type { Tx } from '../../db/database.ts';
import { isCaseRole } from '../../domain/roles.ts';
import { Forbidden } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';

export interface Access {
  roles: string[];
  team_ids: string[];
}

export interface AlertSettings {
  /** The role alerted when case access is granted (SECURITY_ALERT_ROLE). */
  securityAlertRole: string;
  baseUrl: string;
}

export const SELF_CHANGE =
  'You cannot change your own roles or teams. Ask another administrator to make the change, so that two people are involved in every change of access.';

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** Refuses (403) a change to one's own roles or teams; other fields of one's own account may change. */
export function refuseSelfChange(
  actor: AuthUser,
  userId: string,
  before: Access,
  input: { roles?: string[]; team_ids?: string[] },
) {
  if (actor.id !== userId) return;
  const rolesChange = input.roles !== undefined && !sameSet(input.roles, before.roles);
  const teamsChange = input.team_ids !== undefined && !sameSet(input.team_ids, before.team_ids);
  if (rolesChange || teamsChange) throw new Forbidden(SELF_CHANGE);
}

/** True if `after` opens case records that `before` did not: a new case role, or new teams with a case role. */
export function grantsCaseAccess(before: Access, after: Access): boolean {
  const caseRoleAdded = after.roles.some((r) => isCaseRole(r) && !before.roles.includes(r));
  const teamAdded = after.team_ids.some((t) => !before.team_ids.includes(t));
  return caseRoleAdded || (teamAdded && after.roles.some(isCaseRole));
}

/**
 * Writes the `user.roles_changed` audit row (before and after) when roles or teams changed, and, if the change
 * opens case records, an alert to the security role and a notification (with email) to each active holder of it
 * other than the administrator who made the change. Staff names only: no young person's details.
 */
export async function recordAccessChange(
  tx: Tx,
  settings: AlertSettings,
  actor: AuthUser,
  user: { id: string; display_name: string },
  before: Access,
  after: Access,
  at: Date,
  extra: Record<string, unknown> = {},
  /** Alert on any role added, not only case roles (a directory's sign-in, issue 17). */
  alertAnyRoleAdded = false,
): Promise<void> {
  if (sameSet(before.roles, after.roles) && sameSet(before.team_ids, after.team_ids)) return;
  const granted =
    grantsCaseAccess(before, after) || (alertAnyRoleAdded && after.roles.some((r) => !before.roles.includes(r)));
  await auditBy(tx, actor, {
    action: 'user.roles_changed',
    entity: 'user',
    entityId: user.id,
    detail: {
      before: { roles: before.roles, team_ids: before.team_ids },
      after: { roles: after.roles, team_ids: after.team_ids },
      case_access_granted: granted,
      ...(granted ? { alerted_role: settings.securityAlertRole } : {}),
      ...extra,
    },
  });
  if (granted) await alertCaseAccess(tx, settings, actor, user, at);
}

/** An alert to the security role, and a notification (with email) to each active holder but the actor. */
export async function alertCaseAccess(
  tx: Tx,
  settings: AlertSettings,
  actor: AuthUser,
  user: { id: string; display_name: string },
  at: Date,
): Promise<void> {
  const message = `${actor.displayName} gave ${user.display_name} access to case records (roles or teams changed)`;
  const link = '/';
  await tx
    .insertInto('alerts')
    .values({
      authority_id: actor.authorityId,
      role: settings.securityAlertRole,
      kind: 'case-access-granted',
      message,
      link,
      created_at: at,
    })
    .execute();
  const holders = await tx
    .selectFrom('users')
    .where('authority_id', '=', actor.authorityId)
    .where('active', '=', true)
    // No actor to leave out when the change came from the directory's provisioning (actor id null, issue 17).
    .$if(Boolean(actor.id), (q) => q.where('id', '!=', actor.id))
    .where((eb) => eb(eb.val(settings.securityAlertRole), '=', eb.fn.any('roles')))
    .select('id')
    .execute();
  for (const h of holders) {
    await notifyUser(tx, {
      authorityId: actor.authorityId,
      userId: h.id,
      message,
      link,
      reference: `user-${user.id.slice(0, 8)}`,
      baseUrl: settings.baseUrl,
    });
  }
}
