// Who may see which dashboard (issue 14 part 2; docs/decisions.md "Managers' dashboards: who sees which scope"):
// - a team's: a member of the team with radar:read (team managers, service managers, service leads, SEND managers);
//   a service manager for every team of their service; a service lead for every team of the council;
// - a service's: a service manager for their own service (their account's service; only when the account has no
//   service, the service of a team they belong to); a service lead for every service;
// - a hub's: a hub or locality manager (send-hub:manage) for the hubs they work in (send-hubs/access.ts hubIdsOf);
// - the whole council's: a service lead.
// A scope the viewer may not see is not found, the same answer as a scope that does not exist.
import type { Executor } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { hubIdsOf } from '../send-hubs/access.ts';
import * as repo from './repository.ts';

export const SCOPES = ['team', 'service', 'hub', 'council'] as const;
export type ScopeKind = (typeof SCOPES)[number];

export interface Scope {
  kind: ScopeKind;
  /** null for the council. */
  id: string | null;
  name: string;
  /** The teams whose figures it counts; null for the whole council. */
  teams: string[] | null;
  /** The page's address. */
  path: string;
}

const NOT_FOUND = 'No dashboard with that reference.';

const isLead = (u: AuthUser) => u.caps.has('radar:read') && u.roles.includes('service_lead');
const isServiceManager = (u: AuthUser) => u.caps.has('radar:read') && u.roles.includes('service_manager');

/** Every dashboard the viewer may open, in the order the chooser lists them. */
export async function scopesOf(db: Executor, user: AuthUser): Promise<Scope[]> {
  const [teams, hubs, ownService, hubIds] = await Promise.all([
    repo.teamsOf(db, user.authorityId),
    user.caps.has('send-hub:manage') ? repo.hubsOf(db, user.authorityId) : Promise.resolve([]),
    repo.userServiceId(db, user.id),
    user.caps.has('send-hub:manage') ? hubIdsOf(db, user) : Promise.resolve([] as string[]),
  ]);
  const managed = new Set<string>();
  // A service manager manages their account's service. Only an account with no service takes it from its teams: a
  // membership of a team in another service opens that team's dashboard (as a member), never that service's.
  if (isServiceManager(user)) {
    if (ownService) managed.add(ownService);
    else for (const t of teams) if (user.teamIds.includes(t.id)) managed.add(t.service_id);
  }
  const out: Scope[] = [];
  if (isLead(user))
    out.push({ kind: 'council', id: null, name: 'The whole council', teams: null, path: '/dashboards/council' });
  const services = new Map<string, string>();
  for (const t of teams) services.set(t.service_id, t.service_name);
  for (const [id, name] of services)
    if (isLead(user) || managed.has(id))
      out.push({
        kind: 'service',
        id,
        name,
        teams: teams.filter((t) => t.service_id === id).map((t) => t.id),
        path: `/dashboards/service/${id}`,
      });
  for (const h of hubs)
    if (hubIds.includes(h.id))
      out.push({
        kind: 'hub',
        id: h.id,
        name: h.name,
        teams: teams.filter((t) => t.hub_id === h.id || t.id === h.team_id).map((t) => t.id),
        path: `/dashboards/hub/${h.id}`,
      });
  if (user.caps.has('radar:read'))
    for (const t of teams)
      if (isLead(user) || managed.has(t.service_id) || user.teamIds.includes(t.id))
        out.push({ kind: 'team', id: t.id, name: t.name, teams: [t.id], path: `/dashboards/team/${t.id}` });
  return out;
}

/** The dashboard asked for, if the viewer may see it; otherwise not found. */
export async function requireScope(db: Executor, user: AuthUser, kind: ScopeKind, id: string | null): Promise<Scope> {
  const found = (await scopesOf(db, user)).find((s) => s.kind === kind && s.id === id);
  if (!found) throw new NotFound(NOT_FOUND);
  return found;
}
