// The managers' dashboards as subscriptions (issue 14 parts 2 and 3): a dashboard's headline figures by email with a
// link to its page. Two lists, as the pages have two policies: `dashboard` (a team's, a service's or the whole
// council's, radar:read) and `dashboard-hub` (a SEND hub's, send-hub:manage). The filters are `{ scope, id }`,
// checked against the council when saved; whether the subscriber may see that dashboard is checked again each time
// the counts are made (access.ts): a dashboard no longer theirs gives no counts. Counts only, never a name.
import type { Db, Executor } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { authUserById } from '../auth/service.ts';
import type { Subscribable } from '../subscriptions/registry.ts';
import { requireScope, type ScopeKind } from './access.ts';
import { DashboardsService } from './service.ts';

const TABLES = { team: 'teams', service: 'services', hub: 'hubs' } as const;
const WORDS = { team: 'Team', service: 'Service', hub: 'SEND hub', council: 'The whole council' } as const;
type Checked = Awaited<ReturnType<Subscribable['checkFilters']>>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function named(db: Executor, authorityId: string, kind: Exclude<ScopeKind, 'council'>, id: string) {
  if (!UUID.test(id)) return null;
  const row = await db
    .selectFrom(TABLES[kind])
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select('name')
    .executeTakeFirst();
  return row?.name ?? null;
}

function dashboardList(key: string, title: string, capability: string, kinds: ScopeKind[]): Subscribable {
  const pathOf = (f: Record<string, string>) =>
    f.scope === 'council' ? '/dashboards/council' : `/dashboards/${f.scope}/${f.id}`;
  return {
    key,
    title,
    capability,
    path: pathOf,
    async checkFilters(db, authorityId, raw, user): Promise<Checked> {
      const scope = String(raw.scope ?? '');
      const id = String(raw.id ?? '').toLowerCase();
      if (!(kinds as string[]).includes(scope))
        return { ok: false, errors: { scope: `Choose the dashboard’s scope: ${kinds.join(', ')}` } };
      const fromPage = `Choose a ${WORDS[scope as keyof typeof WORDS].toLowerCase()} from the dashboards page`;
      if (scope !== 'council' && !(await named(db, authorityId, scope as Exclude<ScopeKind, 'council'>, id)))
        return { ok: false, errors: { id: fromPage } };
      // Only a dashboard the subscriber may open (the same rule as its page): another is answered as not there.
      const theirs = await requireScope(db, user, scope as ScopeKind, scope === 'council' ? null : id).then(
        () => true,
        (e) => {
          if (e instanceof NotFound) return false;
          throw e;
        },
      );
      if (!theirs)
        return scope === 'council'
          ? { ok: false, errors: { scope: 'Choose a dashboard you can open: the whole council’s is not one of yours' } }
          : { ok: false, errors: { id: fromPage } };
      return { ok: true, filters: scope === 'council' ? { scope } : { scope, id } };
    },
    async describeFilters(db, authorityId, f) {
      if (f.scope === 'council') return WORDS.council;
      const kind = f.scope as Exclude<ScopeKind, 'council'>;
      return `${WORDS[kind] ?? 'Dashboard'}: ${(await named(db, authorityId, kind, f.id ?? '')) ?? 'no longer in use'}`;
    },
    async counts({ db, reports, userId, filters, today }) {
      const user = await authUserById(db as Db, userId);
      if (!user) return [];
      const service = new DashboardsService(db as Db, reports, () => new Date(`${today}T12:00:00Z`));
      try {
        const d = await service.dashboard(user, filters.scope as ScopeKind, filters.id ?? null);
        return d.headline.map(({ label, count }) => ({ label, count }));
      } catch (e) {
        // No longer theirs (moved team, role changed): no counts rather than someone else's figures.
        if (e instanceof NotFound) return [];
        throw e;
      }
    },
  };
}

export const dashboardSubscribable = dashboardList('dashboard', 'Dashboard', 'radar:read', [
  'team',
  'service',
  'council',
]);
export const hubDashboardSubscribable = dashboardList('dashboard-hub', 'SEND hub dashboard', 'send-hub:manage', [
  'hub',
]);
