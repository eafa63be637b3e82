// Setting up a council: its services (including outside organisations), localities and SEND hubs, teams
// with their remits, and staff with roles, teams and line managers. Every read and write is scoped to the
// signed-in administrator's own authority; every change is one transaction with its audit row. Inputs are declared
// in schemas.ts: the simple ones arrive parsed; a team or a user arrives as what `read` found (input and messages),
// so the problems only the database can see are added to the ones already found and the user sees them all at once.
import type { Db, Tx } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { SERVICE_KINDS } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { Reading } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion, StaleVersion, versionMissing } from '../../http/versions.ts';
import { auditBy } from '../audit/repository.ts';
import { hashPassword } from '../auth/passwords.ts';
import { applyUserChange, checkLineManager, checkTeamIds } from './accounts.ts';
import { type AlertSettings, alertCaseAccess, grantsCaseAccess, refuseSelfChange } from './grants.ts';
import { remitLabel, roleItems, rolesLabel } from './labels.ts';
import * as repo from './repository.ts';
import type {
  AuthorityInput,
  HubInput,
  LocalityInput,
  NewUserInput,
  ServiceInput,
  ServiceUpdateInput,
  TeamInput,
  TeamUpdateInput,
  UserChangeInput,
} from './schemas.ts';
import { checkTeam, TEAM_NAME_TAKEN, throwIfAny } from './teams.ts';

/** The unique constraints of the core migration, and what to tell the user when one is hit by a race. */
const UNIQUE: Record<string, FieldErrors> = {
  services_authority_id_name_key: { name: 'A service with this name already exists: choose a different name' },
  localities_authority_id_name_key: { name: 'A locality with this name already exists: choose a different name' },
  hubs_authority_id_name_key: { name: 'A hub with this name already exists: choose a different name' },
  teams_authority_id_name_key: TEAM_NAME_TAKEN,
  users_email_key: { email: 'An account with this email address already exists' },
};

export type TeamView = Awaited<ReturnType<OrganisationService['teams']>>[number];
export type AccountView = Awaited<ReturnType<OrganisationService['users']>>[number];

export class OrganisationService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly alerts: AlertSettings,
  ) {}

  /** Today's date in London (YYYY-MM-DD), for reading inputs. */
  today(): string {
    return londonToday(this.now());
  }

  /** One transaction; a unique-constraint race becomes the same field error the pre-check gives. */
  private async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn);
    } catch (e) {
      const err = e as { code?: string; constraint?: string };
      if (err.code === '23505' && err.constraint && UNIQUE[err.constraint])
        throw new ValidationError(UNIQUE[err.constraint] as FieldErrors);
      throw e;
    }
  }

  // ---- authority

  async authorityOf(authorityId: string) {
    return repo.findAuthority(this.db, authorityId);
  }

  async authority(actor: AuthUser) {
    const a = await repo.findAuthority(this.db, actor.authorityId);
    if (!a) throw new NotFound('Your council is not set up.');
    return a;
  }

  async overview(actor: AuthUser) {
    const [authority, counts] = await Promise.all([this.authority(actor), repo.countsOf(this.db, actor.authorityId)]);
    return { authority, counts };
  }

  /** Version-checked, as every change of a council, service, team or user is (issue 15 item 8): 409 when stale. */
  async renameAuthority(actor: AuthUser, input: AuthorityInput) {
    const readAgain = 'GET /api/v1/authority';
    const version = requireVersion(input.version, readAgain);
    await this.write(async (tx) => {
      const before = await repo.findAuthority(tx, actor.authorityId);
      if (!before) throw new NotFound('Your council is not set up.');
      if (!(await repo.renameAuthority(tx, actor.authorityId, input.name, version)))
        throw new StaleVersion('council', version, readAgain);
      await auditBy(tx, actor, {
        action: 'update',
        entity: 'authority',
        entityId: actor.authorityId,
        detail: { changed: before.name === input.name ? [] : ['name'] },
      });
    });
  }

  // ---- services

  async services(actor: AuthUser) {
    const rows = await repo.listServices(this.db, actor.authorityId);
    return rows.map((s) => ({ ...s, kind_label: SERVICE_KINDS[s.kind as keyof typeof SERVICE_KINDS] ?? s.kind }));
  }

  async service(actor: AuthUser, id: string) {
    const s = await repo.findService(this.db, actor.authorityId, id);
    if (!s) throw new NotFound('No service with that reference.');
    return s;
  }

  async createService(actor: AuthUser, input: ServiceInput): Promise<string> {
    return this.write(async (tx) => {
      if (await repo.nameTaken(tx, 'services', actor.authorityId, input.name))
        throw new ValidationError(UNIQUE.services_authority_id_name_key as FieldErrors);
      const id = await repo.insertService(tx, actor.authorityId, input);
      await auditBy(tx, actor, {
        action: 'create',
        entity: 'service',
        entityId: id,
        detail: { kind: input.kind, external: input.external },
      });
      return id;
    });
  }

  async updateService(actor: AuthUser, id: string, { version: sent, ...input }: ServiceUpdateInput): Promise<void> {
    const readAgain = `GET /api/v1/services/${id}`;
    await this.write(async (tx) => {
      const before = await repo.findService(tx, actor.authorityId, id);
      if (!before) throw new NotFound('No service with that reference.');
      const version = requireVersion(sent, readAgain);
      if (await repo.nameTaken(tx, 'services', actor.authorityId, input.name, id))
        throw new ValidationError(UNIQUE.services_authority_id_name_key as FieldErrors);
      if (!(await repo.updateService(tx, actor.authorityId, id, input, version)))
        throw new StaleVersion('service', version, readAgain);
      await auditBy(tx, actor, {
        action: 'update',
        entity: 'service',
        entityId: id,
        detail: { changed: (Object.keys(input) as (keyof typeof input)[]).filter((k) => before[k] !== input[k]) },
      });
    });
  }

  // ---- localities and SEND hubs

  async localities(actor: AuthUser) {
    const [localities, hubs, teams] = await Promise.all([
      repo.listLocalities(this.db, actor.authorityId),
      repo.listHubs(this.db, actor.authorityId),
      repo.listTeams(this.db, actor.authorityId),
    ]);
    return localities.map((l) => ({
      ...l,
      hubs: hubs.filter((h) => h.locality_id === l.id).map((h) => ({ id: h.id, name: h.name })),
      teams: teams.filter((t) => t.locality_id === l.id).map((t) => ({ id: t.id, name: t.name })),
    }));
  }

  async locality(actor: AuthUser, id: string) {
    const l = await repo.findLocality(this.db, actor.authorityId, id);
    if (!l) throw new NotFound('No locality with that reference.');
    return l;
  }

  async hubs(actor: AuthUser) {
    return repo.listHubs(this.db, actor.authorityId);
  }

  async createLocality(actor: AuthUser, input: LocalityInput): Promise<string> {
    return this.write(async (tx) => {
      if (await repo.nameTaken(tx, 'localities', actor.authorityId, input.name))
        throw new ValidationError(UNIQUE.localities_authority_id_name_key as FieldErrors);
      const id = await repo.insertLocality(tx, actor.authorityId, input.name);
      await auditBy(tx, actor, {
        action: 'create',
        entity: 'locality',
        entityId: id,
      });
      return id;
    });
  }

  async createHub(actor: AuthUser, input: HubInput): Promise<string> {
    return this.write(async (tx) => {
      if (!(await repo.findLocality(tx, actor.authorityId, input.locality_id)))
        throw new ValidationError({ locality_id: 'Choose the locality the hub belongs to' });
      if (await repo.nameTaken(tx, 'hubs', actor.authorityId, input.name))
        throw new ValidationError(UNIQUE.hubs_authority_id_name_key as FieldErrors);
      const id = await repo.insertHub(tx, actor.authorityId, input);
      await auditBy(tx, actor, {
        action: 'create',
        entity: 'hub',
        entityId: id,
        detail: { locality_id: input.locality_id },
      });
      return id;
    });
  }

  // ---- teams

  async teams(actor: AuthUser) {
    const rows = await repo.listTeams(this.db, actor.authorityId);
    return rows.map((t) => ({ ...t, member_count: Number(t.member_count ?? 0), remit: remitLabel(t) }));
  }

  /** A team and its members (active first). */
  async team(actor: AuthUser, id: string) {
    const t = await repo.findTeam(this.db, actor.authorityId, id);
    if (!t) throw new NotFound('No team with that reference.');
    const members = await repo.teamMembers(this.db, t.id);
    return {
      team: { ...t, member_count: Number(t.member_count ?? 0), remit: remitLabel(t) },
      members: members.map((m) => ({ ...m, roles_label: rolesLabel(m.roles) })),
    };
  }

  async teamFormOptions(actor: AuthUser) {
    const [services, localities, hubs] = await Promise.all([
      repo.listServices(this.db, actor.authorityId),
      repo.listLocalities(this.db, actor.authorityId),
      repo.listHubs(this.db, actor.authorityId),
    ]);
    return { services, localities, hubs };
  }

  async createTeam(actor: AuthUser, team: Reading<TeamInput>): Promise<string> {
    return this.write(async (tx) => {
      const checked = await checkTeam(tx, actor, team);
      const id = await repo.insertTeam(tx, actor.authorityId, checked);
      await auditBy(tx, actor, {
        action: 'create',
        entity: 'team',
        entityId: id,
        detail: {
          service_id: checked.service_id,
          locality_id: checked.locality_id,
          hub_id: checked.hub_id,
          remit_min_age: checked.remit_min_age,
          remit_max_age: checked.remit_max_age,
          remit_case_types: checked.remit_case_types,
        },
      });
      return id;
    });
  }

  async updateTeam(actor: AuthUser, id: string, team: Reading<TeamUpdateInput>): Promise<void> {
    const readAgain = `GET /api/v1/teams/${id}`;
    const { version, ...input } = team.input;
    const errors = { ...team.errors };
    if (version == null) errors.version ??= versionMissing(readAgain);
    await this.write(async (tx) => {
      const before = await repo.findTeam(tx, actor.authorityId, id);
      if (!before) throw new NotFound('No team with that reference.');
      const checked = await checkTeam(tx, actor, { input, errors }, id);
      if (!(await repo.updateTeam(tx, actor.authorityId, id, checked, version as number)))
        throw new StaleVersion('team', version as number, readAgain);
      const changed = (Object.keys(checked) as (keyof TeamInput)[]).filter(
        (k) => JSON.stringify(before[k]) !== JSON.stringify(checked[k]),
      );
      await auditBy(tx, actor, {
        action: 'update',
        entity: 'team',
        entityId: id,
        detail: { changed },
      });
    });
  }

  // ---- users

  async users(actor: AuthUser) {
    const [rows, memberships] = await Promise.all([
      repo.listUsers(this.db, actor.authorityId),
      repo.membershipsOf(this.db, actor.authorityId),
    ]);
    return rows.map((u) => ({
      ...u,
      roles_label: rolesLabel(u.roles),
      teams: memberships.filter((m) => m.user_id === u.id).map((m) => ({ id: m.id, name: m.name })),
    }));
  }

  async account(actor: AuthUser, id: string) {
    const u = await repo.findUser(this.db, actor.authorityId, id);
    if (!u) throw new NotFound('No user with that reference.');
    const memberships = await repo.membershipsOf(this.db, actor.authorityId, [u.id]);
    return { ...u, roles_label: rolesLabel(u.roles), teams: memberships.map((m) => ({ id: m.id, name: m.name })) };
  }

  /** Roles, teams and the people who can be a line manager (active, and never the user themselves). */
  async userFormOptions(actor: AuthUser, exceptUserId?: string) {
    const [teams, managers] = await Promise.all([
      repo.listTeams(this.db, actor.authorityId),
      repo.activeUserOptions(this.db, actor.authorityId),
    ]);
    return {
      roles: roleItems,
      teams: teams.map((t) => ({ id: t.id, name: t.name, service_name: t.service_name })),
      managers: managers.filter((m) => m.id !== exceptUserId),
    };
  }

  async createUser(actor: AuthUser, { input, errors }: Reading<NewUserInput>): Promise<string> {
    // Hashed before the transaction opens: argon2 is slow on purpose, and must not hold a connection.
    const passwordHash = errors.password ? '' : await hashPassword(input.password);
    return this.write(async (tx) => {
      const problems: FieldErrors = { ...errors };
      if (!problems.email && (await repo.emailTaken(tx, input.email))) Object.assign(problems, UNIQUE.users_email_key);
      if (!problems.team_ids) await checkTeamIds(tx, actor, input.team_ids, problems);
      if (!problems.line_manager_id) await checkLineManager(tx, actor, null, input.line_manager_id, problems);
      throwIfAny(problems);
      const id = await repo.insertUser(tx, {
        authority_id: actor.authorityId,
        email: input.email,
        display_name: input.display_name,
        job_title: input.job_title,
        phone: input.phone,
        roles: input.roles,
        line_manager_id: input.line_manager_id,
        password_hash: passwordHash,
      });
      await repo.setTeamsOfUser(tx, id, input.team_ids);
      // The create row below records the roles and teams; giving a new user case access is alerted too.
      const after = { roles: input.roles, team_ids: input.team_ids };
      if (grantsCaseAccess({ roles: [], team_ids: [] }, after))
        await alertCaseAccess(tx, this.alerts, actor, { id, display_name: input.display_name }, this.now());
      await auditBy(tx, actor, {
        action: 'create',
        entity: 'user',
        entityId: id,
        // Ids and codes only: never the password or its hash.
        detail: { roles: input.roles, team_ids: input.team_ids, line_manager_id: input.line_manager_id },
      });
      return id;
    });
  }

  /**
   * Changes a user's details, roles, teams, line manager and whether they are active. Deactivating ends
   * every session and revokes every API token in the same transaction, so it takes effect on their next
   * request (quality.md S4). Version-checked (409 when stale), except deactivating or reactivating from the user's
   * page: a switch that overwrites nothing another administrator saved.
   */
  async updateUser(
    actor: AuthUser,
    id: string,
    { input: { version, ...input }, errors }: Reading<UserChangeInput>,
    anyVersion = false,
  ): Promise<void> {
    const readAgain = `GET /api/v1/users/${id}`;
    await this.write(async (tx) => {
      const before = await repo.findUser(tx, actor.authorityId, id, { lock: true });
      if (!before) throw new NotFound('No user with that reference.');
      const teamIds = (await repo.membershipsOf(tx, actor.authorityId, [id])).map((m) => m.id);
      // Nobody changes their own access (issue 9, finding 4): 403, nothing written.
      refuseSelfChange(actor, id, { roles: before.roles, team_ids: teamIds }, input);
      const problems: FieldErrors = { ...errors };
      if (!anyVersion && version == null) problems.version ??= versionMissing(readAgain);
      if (input.team_ids && !problems.team_ids) await checkTeamIds(tx, actor, input.team_ids, problems);
      if (
        !problems.line_manager_id &&
        input.line_manager_id !== undefined &&
        input.line_manager_id !== before.line_manager_id
      )
        await checkLineManager(tx, actor, before, input.line_manager_id, problems);
      if (id === actor.id && input.active === false)
        problems.active = 'You cannot deactivate your own account: ask another administrator to do it';
      throwIfAny(problems);
      if (!anyVersion) checkVersion('user', before.version, version as number, readAgain);
      await applyUserChange(tx, { alerts: this.alerts, at: this.now() }, actor, before, teamIds, input);
    });
  }

  async setActive(actor: AuthUser, id: string, active: boolean): Promise<void> {
    await this.updateUser(actor, id, { input: { active }, errors: {} }, true);
  }
}
