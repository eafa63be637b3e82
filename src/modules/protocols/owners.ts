import type { Executor } from '../../db/database.ts';
import { ROLES } from '../../domain/roles.ts';
import { staffIn } from './step-repository.ts';

export interface Owner {
  userId: string | null;
  teamId: string | null;
  role: string | null;
  serviceId: string | null;
  label: string;
}

export interface CaseContext {
  authorityId: string;
  involvementId: string | null;
  startedBy: string;
  data: Record<string, unknown>;
}

const roleLabel = (r: string) => ROLES[r as keyof typeof ROLES]?.label ?? r.replace(/_/g, ' ');

async function userOwner(db: Executor, userId: string, note = ''): Promise<Owner | null> {
  const u = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('active', '=', true)
    .select(['id', 'display_name'])
    .executeTakeFirst();
  return u ? { userId: u.id, teamId: null, role: null, serviceId: null, label: `${u.display_name}${note}` } : null;
}

async function lineManagerOf(db: Executor, userId: string | null | undefined): Promise<Owner | null> {
  if (!userId) return null;
  const u = await db
    .selectFrom('users')
    .where('id', '=', userId)
    .select(['line_manager_id', 'display_name'])
    .executeTakeFirst();
  if (!u?.line_manager_id) return null;
  return userOwner(db, u.line_manager_id, ` (line manager of ${u.display_name})`);
}

/** The one active user with a role in a scope, or a queue for that role when there are none or several. */
async function roleOwner(
  db: Executor,
  authorityId: string,
  role: string,
  scope: { teamId?: string | null; serviceId?: string | null },
  where: string,
): Promise<Owner> {
  const found = await staffIn(db, authorityId, { role, ...scope })
    .select(['u.id', 'u.display_name'])
    .limit(2)
    .execute();
  if (found.length === 1) {
    const u = found[0] as { id: string; display_name: string };
    return { userId: u.id, teamId: null, role: null, serviceId: null, label: `${u.display_name} (${roleLabel(role)})` };
  }
  return {
    userId: null,
    teamId: scope.teamId ?? null,
    role,
    serviceId: scope.serviceId ?? null,
    label: `${roleLabel(role)}${where}`,
  };
}

/** A service or team recorded as a module's input (e.g. a referral to a service): its queue. */
async function queueOwner(db: Executor, authorityId: string, id: string): Promise<Owner | null> {
  const service = await db
    .selectFrom('services')
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .select('name')
    .executeTakeFirst();
  if (service)
    return { userId: null, teamId: null, role: null, serviceId: id, label: `${service.name} (nobody named yet)` };
  const team = await db.selectFrom('teams').where('id', '=', id).select('name').executeTakeFirst();
  return team
    ? { userId: null, teamId: id, role: null, serviceId: null, label: `${team.name} (nobody allocated)` }
    : null;
}

export async function resolveOwner(db: Executor, ref: string, ctx: CaseContext): Promise<Owner> {
  const inv = ctx.involvementId
    ? await db
        .selectFrom('involvements as i')
        .innerJoin('teams as t', 't.id', 'i.team_id')
        .innerJoin('services as s', 's.id', 't.service_id')
        .where('i.id', '=', ctx.involvementId)
        .select(['i.worker_id', 'i.team_id', 't.name as team_name', 't.service_id', 's.name as service_name'])
        .executeTakeFirst()
    : undefined;
  const teamQueue = (): Owner =>
    inv
      ? { userId: null, teamId: inv.team_id, role: null, serviceId: null, label: `${inv.team_name} (nobody allocated)` }
      : { userId: null, teamId: null, role: null, serviceId: null, label: 'Nobody yet' };

  switch (ref) {
    case 'allocated_worker':
      return (inv?.worker_id && (await userOwner(db, inv.worker_id))) || teamQueue();
    case 'line_manager':
      return (
        (await lineManagerOf(db, inv?.worker_id)) ??
        (await roleOwner(
          db,
          ctx.authorityId,
          'team_manager',
          { teamId: inv?.team_id },
          inv ? ` of ${inv.team_name}` : '',
        ))
      );
    case 'team_manager':
      return roleOwner(
        db,
        ctx.authorityId,
        'team_manager',
        { teamId: inv?.team_id },
        inv ? ` of ${inv.team_name}` : '',
      );
    case 'service_manager':
      return roleOwner(
        db,
        ctx.authorityId,
        'service_manager',
        { serviceId: inv?.service_id },
        inv ? ` of ${inv.service_name}` : '',
      );
    case 'service_lead':
      return roleOwner(
        db,
        ctx.authorityId,
        'service_lead',
        { serviceId: inv?.service_id },
        inv ? ` of ${inv.service_name}` : '',
      );
    case 'forum_chair':
      return roleOwner(db, ctx.authorityId, 'forum_chair', {}, '');
    case 'starter':
      return (await userOwner(db, ctx.startedBy)) ?? teamQueue();
    case 'starter_line_manager':
      return (
        (await lineManagerOf(db, ctx.startedBy)) ??
        (await userOwner(db, ctx.startedBy, ' (has no line manager recorded)')) ??
        teamQueue()
      );
    case 'receiving_team_manager': {
      const teamId = ctx.data.receiving_team_id;
      const team =
        typeof teamId === 'string'
          ? await db
              .selectFrom('teams')
              .where('id', '=', teamId)
              .select(['id', 'name', 'authority_id'])
              .executeTakeFirst()
          : undefined;
      if (!team) return teamQueue();
      // The receiving team may belong to another authority on this installation: its own managers.
      return roleOwner(db, team.authority_id, 'team_manager', { teamId: team.id }, ` of ${team.name}`);
    }
  }
  if (ref.startsWith('role:')) return roleOwner(db, ctx.authorityId, ref.slice(5), {}, '');
  if (ref.startsWith('service:')) {
    const name = ref.slice(8);
    const s = await db
      .selectFrom('services')
      .where('authority_id', '=', ctx.authorityId)
      .where('name', '=', name)
      .select('id')
      .executeTakeFirst();
    if (s) return { userId: null, teamId: null, role: null, serviceId: s.id, label: `${name} (nobody named yet)` };
    return {
      ...((await userOwner(db, ctx.startedBy, ` (holding it: ${name} is not set up in this council)`)) ?? teamQueue()),
    };
  }
  if (ref.startsWith('field:')) {
    const id = ctx.data[ref.slice(6)];
    return (
      (typeof id === 'string' && ((await userOwner(db, id)) ?? (await queueOwner(db, ctx.authorityId, id)))) ||
      (await userOwner(db, ctx.startedBy, ' (nobody chosen yet)')) ||
      teamQueue()
    );
  }
  if (ref.startsWith('line_manager_of:')) {
    const id = ctx.data[ref.slice(16)];
    return (
      (typeof id === 'string' && (await lineManagerOf(db, id))) ||
      (await roleOwner(db, ctx.authorityId, 'send_manager', {}, ''))
    );
  }
  return teamQueue();
}
