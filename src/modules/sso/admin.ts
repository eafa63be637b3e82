// Single sign-on set-up for the council's user administrator (user:admin): the directory tenants allowed to sign in,
// the app roles that map to Handover roles, and the requests of people not yet known (approved by making or linking
// an account, or refused). Every change is audited; bad input is a ValidationError naming the field, nothing written.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { isRole, ROLES } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { EMAIL, type FieldErrors, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { recordAccessChange } from '../organisations/grants.ts';
import * as repo from './repository.ts';
import { handOnly, mappingRefusal } from './role-rules.ts';

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const APP_ROLE = /^[\w.:-]{1,100}$/;

export interface TenantInput {
  tid: string;
  label: string;
  service_id: string | null;
}
export interface MappingInput {
  /** Null: the council's own tenants; else this tenant only. */
  tenant_id: string | null;
  app_role: string;
  role: string;
}
export interface ApproveInput {
  /** Link to this existing user, or (when null) make a new account with `roles`. */
  user_id: string | null;
  roles: string[];
  email: string;
}

function throwIfAny(errors: FieldErrors) {
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const strs = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string');

export function readTenant(body: Record<string, unknown>): TenantInput {
  const tid = str(body.tid).toLowerCase();
  const label = str(body.label);
  const service = str(body.service_id);
  const errors: FieldErrors = {};
  if (!TENANT_ID.test(tid))
    errors.tid = 'Enter the directory (tenant) id: 36 characters such as 72f988bf-86f1-41af-91ab-2d7cd011db47';
  if (!label) errors.label = 'Enter a name for the organisation, such as Demoshire County Council';
  else if (label.length > 200) errors.label = 'The name must be 200 characters or fewer';
  if (service && !UUID.test(service)) errors.service_id = 'Choose a service from the list, or none';
  throwIfAny(errors);
  return { tid, label, service_id: service || null };
}

export function readMapping(body: Record<string, unknown>): MappingInput {
  const app_role = str(body.app_role);
  const role = str(body.role);
  const tenant = str(body.tenant_id);
  const errors: FieldErrors = {};
  if (tenant && !UUID.test(tenant)) errors.tenant_id = 'Choose the tenant from the list, or the council’s own tenants';
  if (!APP_ROLE.test(app_role))
    errors.app_role =
      'Enter the app role’s value as in Entra ID, such as Handover.SocialWorker (letters, numbers, dots, colons, dashes)';
  if (!isRole(role)) errors.role = 'Choose the Handover role this app role gives';
  else if (handOnly(role)) errors.role = mappingRefusal(role, false) as string;
  throwIfAny(errors);
  return { tenant_id: tenant || null, app_role, role };
}

export function readApproval(body: Record<string, unknown>): ApproveInput {
  const userId = str(body.user_id);
  const roles = strs(body.roles);
  const email = str(body.email).toLowerCase();
  const errors: FieldErrors = {};
  if (userId && !UUID.test(userId)) errors.user_id = 'Choose an existing account from the list, or none';
  if (!userId) {
    if (roles.length === 0 || !roles.every(isRole))
      errors.roles = 'Choose at least one role for the new account, or link the request to an existing account';
    if (!EMAIL.test(email) || email.length > 254)
      errors.email = 'Enter the person’s work email address, like name@council.gov.uk';
  }
  throwIfAny(errors);
  return { user_id: userId || null, roles, email };
}

export class SsoAdmin {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {}

  private write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async overview(actor: AuthUser) {
    const [tenants, mappings, pending, decided, services] = await Promise.all([
      repo.tenantList(this.db, actor.authorityId),
      repo.mappingList(this.db, actor.authorityId),
      repo.requestList(this.db, actor.authorityId, 'pending'),
      repo.requestList(this.db, actor.authorityId, 'decided'),
      this.db
        .selectFrom('services')
        .where('authority_id', '=', actor.authorityId)
        .select(['id', 'name'])
        .orderBy('name')
        .execute(),
    ]);
    return { tenants, mappings, pending, decided, services };
  }

  async addTenant(actor: AuthUser, input: TenantInput): Promise<string> {
    return this.write(async (tx) => {
      if (await repo.tenantByTid(tx, input.tid))
        throw new ValidationError({ tid: 'This tenant is already set up (in this or another council)' });
      if (input.service_id) {
        const s = await tx
          .selectFrom('services')
          .where('id', '=', input.service_id)
          .where('authority_id', '=', actor.authorityId)
          .select('id')
          .executeTakeFirst();
        if (!s) throw new ValidationError({ service_id: 'Choose a service from the list, or none' });
      }
      const row = await tx
        .insertInto('sso_tenants')
        .values({ authority_id: actor.authorityId, ...input })
        .returning('id')
        .executeTakeFirstOrThrow();
      await auditBy(tx, actor, {
        action: 'sso.tenant_added',
        entity: 'sso_tenant',
        entityId: row.id,
        detail: { tid: input.tid, service_id: input.service_id },
      });
      return row.id;
    });
  }

  /**
   * Removes a tenant: its accounts' links go and their sessions end at once (S4), its waiting requests go, and
   * decided requests stay (a refusal stays a refusal if the tenant is added again). Audited with the counts.
   */
  async removeTenant(actor: AuthUser, id: string): Promise<void> {
    await this.write(async (tx) => {
      const tenant = await tx
        .selectFrom('sso_tenants')
        .where('id', '=', id)
        .where('authority_id', '=', actor.authorityId)
        .select(['id', 'tid'])
        .forUpdate()
        .executeTakeFirst();
      if (!tenant) throw new NotFound('No tenant with that reference');
      const linked = await tx
        .deleteFrom('user_identities')
        .where('tid', '=', tenant.tid)
        .where('authority_id', '=', actor.authorityId)
        .returning('user_id')
        .execute();
      const userIds = [...new Set(linked.map((l) => l.user_id))];
      const bySso = tx.selectFrom('oidc_sessions').where('tid', '=', tenant.tid).select('session_id_hash');
      const ended = await tx
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('id_hash', 'in', bySso), ...(userIds.length ? [eb('user_id', 'in', userIds)] : [])]))
        .returning('id_hash')
        .execute();
      await tx
        .deleteFrom('sso_access_requests')
        .where('tenant_id', '=', tenant.id)
        .where('status', '=', 'pending')
        .execute();
      await tx.deleteFrom('sso_tenants').where('id', '=', tenant.id).execute();
      await auditBy(tx, actor, {
        action: 'sso.tenant_removed',
        entity: 'sso_tenant',
        entityId: tenant.id,
        detail: { tid: tenant.tid, identities_removed: linked.length, sessions_ended: ended.length },
      });
    });
  }

  async addMapping(actor: AuthUser, input: MappingInput): Promise<string> {
    return this.write(async (tx) => {
      if (input.tenant_id) {
        const tenant = await tx
          .selectFrom('sso_tenants')
          .where('id', '=', input.tenant_id)
          .where('authority_id', '=', actor.authorityId)
          .select('service_id')
          .executeTakeFirst();
        if (!tenant)
          throw new ValidationError({ tenant_id: 'Choose the tenant from the list, or the council’s own tenants' });
        const refusal = mappingRefusal(input.role, Boolean(tenant.service_id));
        if (refusal) throw new ValidationError({ role: refusal });
      }
      const row = await tx
        .insertInto('sso_role_mappings')
        .values({ authority_id: actor.authorityId, ...input })
        .onConflict((oc) => oc.columns(['authority_id', 'tenant_id', 'app_role', 'role']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row)
        throw new ValidationError({
          app_role: `${input.app_role} already gives ${ROLES[input.role as 'social_worker'].label}`,
        });
      await auditBy(tx, actor, {
        action: 'sso.role_mapping_added',
        entity: 'sso_role_mapping',
        entityId: row.id,
        detail: { ...input },
      });
      return row.id;
    });
  }

  async removeMapping(actor: AuthUser, id: string): Promise<void> {
    await this.write(async (tx) => {
      const row = await tx
        .deleteFrom('sso_role_mappings')
        .where('id', '=', id)
        .where('authority_id', '=', actor.authorityId)
        .returning(['id', 'tenant_id', 'app_role', 'role'])
        .executeTakeFirst();
      if (!row) throw new NotFound('No role mapping with that reference');
      // Takes effect at each holder's next sign-in (sessions last at most SESSION_ABSOLUTE_HOURS).
      await auditBy(tx, actor, {
        action: 'sso.role_mapping_removed',
        entity: 'sso_role_mapping',
        entityId: row.id,
        detail: { tenant_id: row.tenant_id, app_role: row.app_role, role: row.role },
      });
    });
  }

  /** A request with the accounts the approval form offers to link to (roles are the administrator's choice). */
  async request(actor: AuthUser, id: string) {
    const request = await repo.requestById(this.db, actor.authorityId, id);
    if (!request) throw new NotFound('No request with that reference');
    const [accounts] = await Promise.all([
      this.db
        .selectFrom('users as u')
        .where('u.authority_id', '=', actor.authorityId)
        .where('u.active', '=', true)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('user_identities as i').whereRef('i.user_id', '=', 'u.id').select('i.id'))),
        )
        .select(['u.id', 'u.display_name', 'u.email'])
        .orderBy('u.display_name')
        .execute(),
    ]);
    return { request, accounts };
  }

  /** Approves a pending request: a new account (roles chosen, service from the tenant) or a link to an existing one. */
  async approve(actor: AuthUser, id: string, input: ApproveInput): Promise<string> {
    return this.write(async (tx) => {
      const request = await repo.requestById(tx, actor.authorityId, id, true);
      if (!request) throw new NotFound('No request with that reference');
      if (request.status !== 'pending')
        throw new ValidationError({ request: 'This request has already been decided: reload the page' });
      const userId = input.user_id
        ? await this.linkExisting(tx, actor, input.user_id)
        : await this.createAccount(tx, actor, request, input);
      await repo.insertIdentity(tx, {
        authority_id: actor.authorityId,
        user_id: userId,
        tid: request.tid,
        oid: request.oid,
      });
      await repo.decideRequest(tx, id, {
        status: 'approved',
        decided_by: actor.id,
        decided_at: this.now(),
        user_id: userId,
      });
      await auditBy(tx, actor, {
        action: 'sso.access_approved',
        entity: 'sso_access_request',
        entityId: id,
        detail: { user_id: userId, linked: Boolean(input.user_id), roles: input.user_id ? [] : input.roles },
      });
      return userId;
    });
  }

  private async linkExisting(tx: Tx, actor: AuthUser, userId: string): Promise<string> {
    const user = await tx
      .selectFrom('users')
      .where('id', '=', userId)
      .where('authority_id', '=', actor.authorityId)
      .where('active', '=', true)
      .select('id')
      .executeTakeFirst();
    const linked = await tx.selectFrom('user_identities').where('user_id', '=', userId).select('id').executeTakeFirst();
    if (!user || linked)
      throw new ValidationError({ user_id: 'Choose an active account that is not yet linked to a council account' });
    return user.id;
  }

  private async createAccount(
    tx: Tx,
    actor: AuthUser,
    request: NonNullable<Awaited<ReturnType<typeof repo.requestById>>>,
    input: ApproveInput,
  ): Promise<string> {
    const taken = await tx.selectFrom('users').where('email', '=', input.email).select('id').executeTakeFirst();
    if (taken)
      throw new ValidationError({
        email: 'An account with this email address already exists: link the request to it instead',
      });
    const externalTaken = await tx
      .selectFrom('users')
      .where('authority_id', '=', actor.authorityId)
      .where('external_id', '=', request.oid)
      .select('id')
      .executeTakeFirst();
    const row = await tx
      .insertInto('users')
      .values({
        authority_id: actor.authorityId,
        email: input.email,
        display_name: request.display_name,
        job_title: null,
        phone: null,
        // No password: this account signs in with the council account only.
        password_hash: null,
        roles: input.roles,
        service_id: request.service_id,
        line_manager_id: null,
        // The directory's object id, so provisioning (SCIM externalId) finds this account rather than making another.
        external_id: externalTaken ? null : request.oid,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = { id: row.id, display_name: request.display_name };
    await auditBy(tx, actor, {
      action: 'create',
      entity: 'user',
      entityId: row.id,
      detail: { roles: input.roles, team_ids: [], via: 'sso_access_request' },
    });
    await recordAccessChange(
      tx,
      { securityAlertRole: this.config.securityAlertRole, baseUrl: this.config.baseUrl },
      actor,
      user,
      { roles: [], team_ids: [] },
      { roles: input.roles, team_ids: [] },
      this.now(),
    );
    return row.id;
  }

  async refuse(actor: AuthUser, id: string): Promise<void> {
    await this.write(async (tx) => {
      const request = await repo.requestById(tx, actor.authorityId, id, true);
      if (!request) throw new NotFound('No request with that reference');
      if (request.status !== 'pending')
        throw new ValidationError({ request: 'This request has already been decided: reload the page' });
      await repo.decideRequest(tx, id, {
        status: 'refused',
        decided_by: actor.id,
        decided_at: this.now(),
        user_id: null,
      });
      await auditBy(tx, actor, { action: 'sso.access_refused', entity: 'sso_access_request', entityId: id });
    });
  }
}
