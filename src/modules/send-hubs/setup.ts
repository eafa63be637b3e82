// SEND hubs (issue 13 part 1): hubs and localities in use, set up by the council's IT administrator (org:admin).
// A hub gets a manager (a hub or locality manager), a team, response-time targets in working days (they apply to
// requests received or triaged after the change: each request's clock is set from the hub when it starts), a triage
// day and the services it offers; a locality gets a manager and the locality team that takes Further SEND Support
// from its hubs. Every change is one transaction with its audit row; a hub or locality saved by someone else since
// it was read is refused (409). Settings and their accounts are in setup-settings.ts.
import type { Db, Tx } from '../../db/database.ts';
import type { HubServiceKind } from '../../db/schema-send-hubs.ts';
import { NotFound } from '../../http/errors.ts';
import { type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { Reading } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { StaleVersion, versionMissing } from '../../http/versions.ts';
import { auditBy } from '../audit/repository.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-setup.ts';
import {
  HUB_SERVICE_KINDS,
  SetupHubServiceInput as ServiceInput,
  type SetupHubInput,
  type SetupHubServiceInput,
  type SetupLocalityInput,
  WEEKDAYS,
} from './schemas-setup.ts';

/** The unique indexes a race can hit, and what to tell the user. */
const UNIQUE: Record<string, FieldErrors> = {
  hub_services_name_idx: { service_name: 'The hub already has a service with this name: choose a different name' },
  settings_name_idx: { name: 'A setting with this name already exists: choose a different name' },
  users_email_key: { email: 'An account with this email address already exists: add it from the existing accounts' },
  setting_members_pkey: { user_id: 'That account is already one of this setting’s accounts' },
};

/** One transaction; a unique-index race becomes the same field error the pre-check gives. */
export async function write<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (e) {
    const err = e as { code?: string; constraint?: string };
    if (err.code === '23505' && err.constraint && UNIQUE[err.constraint])
      throw new ValidationError(UNIQUE[err.constraint] as FieldErrors);
    throw e;
  }
}

export function throwIfAny(errors: FieldErrors) {
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

const HUB_MANAGER_ROLES = ['hub_manager', 'locality_manager'];

const hubView = (h: NonNullable<Awaited<ReturnType<typeof repo.findHub>>>) => ({
  ...h,
  settings_count: Number(h.settings_count ?? 0),
  triage_day: WEEKDAYS[String(h.triage_weekday)] ?? String(h.triage_weekday),
});
export type HubSetupView = ReturnType<typeof hubView>;

const serviceView = (s: Awaited<ReturnType<typeof repo.hubServices>>[number]) => ({
  ...s,
  kind_label: HUB_SERVICE_KINDS[s.kind as HubServiceKind] ?? s.kind,
});

/** Every hub of the council by locality, with its manager, team, settings count, targets and triage day. */
export async function hubsByLocality(ctx: HubCtx, actor: AuthUser) {
  const hubs = (await repo.listHubs(ctx.db, actor.authorityId)).map(hubView);
  const localities: { id: string; name: string; hubs: HubSetupView[] }[] = [];
  for (const h of hubs) {
    let l = localities.find((x) => x.id === h.locality_id);
    if (!l) {
      l = { id: h.locality_id, name: h.locality_name, hubs: [] };
      localities.push(l);
    }
    l.hubs.push(h);
  }
  return { localities, hubs };
}

async function requireHubOf(db: Db | Tx, actor: AuthUser, hubId: string) {
  const h = await repo.findHub(db, actor.authorityId, hubId);
  if (!h) throw new NotFound('No SEND hub with that reference.');
  return h;
}

/** A hub with its services, and the managers and teams the form offers. */
export async function hubSetup(ctx: HubCtx, actor: AuthUser, hubId: string) {
  const hub = hubView(await requireHubOf(ctx.db, actor, hubId));
  const [services, managers, teams] = await Promise.all([
    repo.hubServices(ctx.db, hub.id),
    repo.usersWithRoles(ctx.db, actor.authorityId, HUB_MANAGER_ROLES),
    repo.teamsOf(ctx.db, actor.authorityId),
  ]);
  return { hub, services: services.map(serviceView), managers, teams };
}

/** The manager must hold the hub or locality manager role, the team be this council's: else a message on each. */
async function checkPeople(
  tx: Tx,
  actor: AuthUser,
  v: { manager_user_id?: string | null; team_id?: string | null },
  roles: string[],
  errors: FieldErrors,
  words: { manager: string; team: string },
) {
  if (v.manager_user_id && !errors.manager_user_id) {
    const ok = (await repo.usersWithRoles(tx, actor.authorityId, roles)).some((u) => u.id === v.manager_user_id);
    if (!ok) errors.manager_user_id = words.manager;
  }
  if (v.team_id && !errors.team_id) {
    const ok = (await repo.teamsOf(tx, actor.authorityId)).some((t) => t.id === v.team_id);
    if (!ok) errors.team_id = words.team;
  }
}

const changedKeys = <T extends Record<string, unknown>>(before: Record<string, unknown>, after: T) =>
  Object.keys(after).filter((k) => k !== 'version' && before[k] !== after[k]);

export interface ServiceListItem {
  name: string;
  kind: HubServiceKind;
  active: boolean;
}

/**
 * Saves a hub's manager, team, targets and triage day (version-checked: 409 when stale). With `services` (the API's
 * PUT), the hub's services become that list in the same transaction: each named service is added or kept (matched
 * by name, any case) with its kind and active flag; one left out is deactivated, never deleted (requests name it).
 */
export async function saveHub(
  ctx: HubCtx,
  actor: AuthUser,
  hubId: string,
  hub: Reading<SetupHubInput>,
  services?: Reading<ServiceListItem[]>,
): Promise<void> {
  const readAgain = `GET /api/v1/send/hubs/${hubId}`;
  const errors: FieldErrors = { ...hub.errors, ...(services?.errors ?? {}) };
  if (hub.input.version == null && !errors.version) errors.version = versionMissing(readAgain);
  await write(ctx.db, async (tx) => {
    const before = await requireHubOf(tx, actor, hubId);
    await checkPeople(tx, actor, hub.input, HUB_MANAGER_ROLES, errors, {
      manager: 'Choose the hub manager from the list: a user with the hub manager or locality manager role',
      team: 'Choose the hub team from the list of your council’s teams',
    });
    throwIfAny(errors);
    const version = hub.input.version as number;
    if (!(await repo.updateHub(tx, actor.authorityId, hubId, hub.input, version)))
      throw new StaleVersion('hub', version, readAgain);
    const detail: Record<string, unknown> = { changed: changedKeys(before, hub.input) };
    if (services) detail.services = await replaceServices(tx, actor, hubId, services.input);
    await auditBy(tx, actor, { action: 'update', entity: 'hub', entityId: hubId, detail });
  });
}

async function replaceServices(tx: Tx, actor: AuthUser, hubId: string, list: ServiceListItem[]) {
  const current = await repo.hubServices(tx, hubId);
  const added: string[] = [];
  const changed: string[] = [];
  for (const s of list) {
    const found = current.find((c) => c.name.toLowerCase() === s.name.toLowerCase());
    if (!found) {
      const id = await repo.insertHubService(tx, actor.authorityId, hubId, s.name, s.kind);
      if (!s.active) await repo.setHubServiceActive(tx, hubId, id, false);
      added.push(id);
    } else if (found.active !== s.active || found.kind !== s.kind || found.name !== s.name) {
      await repo.updateHubService(tx, hubId, found.id, s);
      changed.push(found.id);
    }
  }
  const named = new Set(list.map((s) => s.name.toLowerCase()));
  const deactivated: string[] = [];
  for (const c of current)
    if (c.active && !named.has(c.name.toLowerCase()) && (await repo.setHubServiceActive(tx, hubId, c.id, false)))
      deactivated.push(c.id);
  return { added, changed, deactivated };
}

/** Reads the API's list of services: each item by the same rules as the page's form, messages named by position. */
export function readServiceList(items: unknown, today: string): Reading<ServiceListItem[]> {
  const errors: FieldErrors = {};
  const out: ServiceListItem[] = [];
  const seen = new Set<string>();
  (Array.isArray(items) ? items : []).forEach((raw, i) => {
    const item = (raw ?? {}) as { name?: unknown; kind?: unknown; active?: unknown };
    const r = ServiceInput.read({ service_name: item.name as string, service_kind: item.kind as string }, { today });
    if (r.errors.service_name) errors[`services[${i}].name`] = r.errors.service_name;
    if (r.errors.service_kind) errors[`services[${i}].kind`] = r.errors.service_kind;
    if (r.errors.service_name || r.errors.service_kind) return;
    const key = r.input.service_name.toLowerCase();
    if (seen.has(key)) {
      errors[`services[${i}].name`] = `services[${i}].name repeats ${r.input.service_name}: name each service once`;
      return;
    }
    seen.add(key);
    out.push({ name: r.input.service_name, kind: r.input.service_kind, active: item.active !== false });
  });
  return { input: out, errors };
}

/** Adds a service the hub offers. */
export async function addHubService(ctx: HubCtx, actor: AuthUser, hubId: string, input: SetupHubServiceInput) {
  return write(ctx.db, async (tx) => {
    await requireHubOf(tx, actor, hubId);
    if (await repo.serviceNameTaken(tx, hubId, input.service_name))
      throw new ValidationError(UNIQUE.hub_services_name_idx as FieldErrors);
    const id = await repo.insertHubService(tx, actor.authorityId, hubId, input.service_name, input.service_kind);
    await auditBy(tx, actor, {
      action: 'create',
      entity: 'hub_service',
      entityId: id,
      detail: { hub_id: hubId, kind: input.service_kind },
    });
    return id;
  });
}

/** Deactivates (or reactivates) one of the hub's services: triage no longer offers it; past outcomes keep it. */
export async function setHubServiceActive(
  ctx: HubCtx,
  actor: AuthUser,
  hubId: string,
  serviceId: string,
  active: boolean,
) {
  await write(ctx.db, async (tx) => {
    await requireHubOf(tx, actor, hubId);
    const service = (await repo.hubServices(tx, hubId)).find((s) => s.id === serviceId);
    if (!service) throw new NotFound('No service of this hub with that reference.');
    if (!(await repo.setHubServiceActive(tx, hubId, serviceId, active))) return;
    await auditBy(tx, actor, {
      action: active ? 'reactivate' : 'deactivate',
      entity: 'hub_service',
      entityId: serviceId,
      detail: { hub_id: hubId },
    });
  });
}

// ---- localities

async function requireLocality(db: Db | Tx, actor: AuthUser, id: string) {
  const l = await repo.findLocality(db, actor.authorityId, id);
  if (!l) throw new NotFound('No locality with that reference.');
  return l;
}

/** A locality with its hubs, and the managers and teams the form offers (its own teams first). */
export async function localitySetup(ctx: HubCtx, actor: AuthUser, localityId: string) {
  const locality = await requireLocality(ctx.db, actor, localityId);
  const [hubs, managers, teams] = await Promise.all([
    repo.listHubs(ctx.db, actor.authorityId),
    repo.usersWithRoles(ctx.db, actor.authorityId, ['locality_manager']),
    repo.teamsOf(ctx.db, actor.authorityId),
  ]);
  const own = teams.filter((t) => t.locality_id === locality.id && !t.hub_id);
  const others = teams.filter((t) => !own.includes(t));
  return {
    locality,
    hubs: hubs.filter((h) => h.locality_id === locality.id).map(hubView),
    managers,
    teams: [...own, ...others],
  };
}

/** Saves a locality's manager and locality team (version-checked: 409 when stale). */
export async function saveLocality(ctx: HubCtx, actor: AuthUser, localityId: string, r: Reading<SetupLocalityInput>) {
  const readAgain = `GET /api/v1/send/localities/${localityId}`;
  const errors: FieldErrors = { ...r.errors };
  if (r.input.version == null && !errors.version) errors.version = versionMissing(readAgain);
  await write(ctx.db, async (tx) => {
    const before = await requireLocality(tx, actor, localityId);
    await checkPeople(tx, actor, r.input, ['locality_manager'], errors, {
      manager: 'Choose the locality manager from the list: a user with the locality manager role',
      team: 'Choose the locality team from the list of your council’s teams',
    });
    throwIfAny(errors);
    const version = r.input.version as number;
    if (!(await repo.updateLocality(tx, actor.authorityId, localityId, r.input, version)))
      throw new StaleVersion('locality', version, readAgain);
    await auditBy(tx, actor, {
      action: 'update',
      entity: 'locality',
      entityId: localityId,
      detail: { changed: changedKeys(before, r.input) },
    });
  });
}
