// Single sign-on (issue 17 parts 1, 2 and 5): starting a sign-in, and the callback that turns a checked id token into
// a session. An account is found by the token's tid + oid (never its email): a linked identity, else a user
// provisioned with that object id (SCIM externalId), else a pending request for an administrator. App roles map to
// Handover roles on every sign-in that carries them; an account left with no role is refused.
import { createHash, randomBytes } from 'node:crypto';
import type { Config, OidcConfig } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { capabilitiesOf } from '../../domain/roles.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { startSession } from '../auth/service.ts';
import { recordAccessChange } from '../organisations/grants.ts';
import { SsoAdmin } from './admin.ts';
import { OidcClient, SsoFailure } from './client.ts';
import * as repo from './repository.ts';
import { handOnly, tokenMayGive } from './role-rules.ts';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
/** How long a sign-in may take at the provider before its attempt is refused. */
export const LOGIN_TTL_MS = 10 * 60_000;

export type CallbackResult =
  | { kind: 'session'; sessionToken: string; ignoredRoles: string[] }
  | { kind: 'requested' }
  | { kind: 'pending' };

type Tenant = { id: string; authority_id: string; service_id: string | null };

interface Claims {
  tid: string;
  oid: string;
  name: string;
  email: string | null;
  /** null: the token carried no roles claim. */
  roles: string[] | null;
}

function readClaims(raw: Record<string, unknown>): Claims {
  const tid = typeof raw.tid === 'string' ? raw.tid.trim().toLowerCase() : '';
  const oid = typeof raw.oid === 'string' ? raw.oid.trim().toLowerCase() : '';
  if (!tid || !oid) throw new SsoFailure(401, 'the id token has no tid or oid claim');
  const name = typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim().slice(0, 200) : 'Name not given';
  const email = typeof raw.email === 'string' && raw.email.includes('@') ? raw.email.trim().toLowerCase() : null;
  const roles = Array.isArray(raw.roles) ? raw.roles.filter((r): r is string => typeof r === 'string') : null;
  return { tid, oid, name, email, roles };
}

export class SsoService {
  readonly client: OidcClient | null;
  readonly settings: OidcConfig | null;
  /** The administrator's side: tenants, role mappings, access requests. */
  readonly admin: SsoAdmin;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {
    this.settings = config.oidc;
    this.client = config.oidc ? new OidcClient(config.oidc, now) : null;
    this.admin = new SsoAdmin(db, config, now);
  }

  /** A new attempt: where to send the browser, and the secret its cookie carries (only hashes are kept). */
  async start(): Promise<{ url: string; browserSecret: string }> {
    const client = this.client as OidcClient;
    const request = await client.authorisationRequest();
    const browserSecret = randomBytes(32).toString('base64url');
    const at = this.now();
    await repo.insertLogin(
      this.db,
      {
        state_hash: sha256(request.state),
        browser_hash: sha256(browserSecret),
        nonce: request.nonce,
        code_verifier: request.codeVerifier,
        expires_at: new Date(at.getTime() + LOGIN_TTL_MS),
      },
      at,
    );
    return { url: request.url, browserSecret };
  }

  /**
   * The provider's answer: the state must be one this service issued, unused, unexpired and started in this browser;
   * then openid-client checks the code, PKCE, nonce and the id token. Throws SsoFailure naming what failed.
   */
  async callback(query: Record<string, unknown>, rawQuery: string, browserSecret: string): Promise<CallbackResult> {
    if (typeof query.error === 'string') throw new SsoFailure(401, 'the provider answered with an error');
    const state = typeof query.state === 'string' ? query.state : '';
    if (!state || typeof query.code !== 'string') throw new SsoFailure(400, 'the answer has no state or no code');
    const at = this.now();
    const login = await repo.takeLogin(this.db, sha256(state), at);
    if (!login) throw new SsoFailure(400, 'the state is unknown or was already used');
    if (login.expires_at.getTime() <= at.getTime()) throw new SsoFailure(400, 'the sign-in attempt expired');
    if (!browserSecret || sha256(browserSecret) !== login.browser_hash)
      throw new SsoFailure(400, 'the answer came to a browser that did not start the sign-in');
    const { claims: raw, idToken } = await (this.client as OidcClient).exchange(rawQuery, {
      state,
      nonce: login.nonce,
      codeVerifier: login.code_verifier,
    });
    return this.signIn(readClaims(raw), idToken);
  }

  private async signIn(claims: Claims, idToken: string): Promise<CallbackResult> {
    const allowed = this.settings?.allowedTenants ?? [];
    if (allowed.length > 0 && !allowed.includes(claims.tid))
      throw new SsoFailure(403, 'the tenant is not in OIDC_ALLOWED_TENANTS', 'tenant');
    type Result = CallbackResult | { kind: 'no-role'; ignoredRoles: string[] };
    const result = await this.db.transaction().execute(async (tx): Promise<Result> => {
      const tenant = await repo.tenantByTid(tx, claims.tid);
      if (!tenant) throw new SsoFailure(403, 'the tenant is not set up in Handover', 'tenant');
      let user = await repo.identityUser(tx, claims.tid, claims.oid);
      if (user && user.authority_id !== tenant.authority_id)
        throw new SsoFailure(403, 'the linked account is in another council', 'tenant');
      if (!user) {
        // Only the council's own directory links to a provisioned account (SCIM externalId); a partner's never does.
        const provisioned = tenant.service_id ? null : await repo.provisionedUser(tx, tenant.authority_id, claims.oid);
        if (!provisioned) return this.requestAccess(tx, tenant, claims);
        await repo.insertIdentity(tx, {
          authority_id: tenant.authority_id,
          user_id: provisioned.id,
          tid: claims.tid,
          oid: claims.oid,
        });
        await insertAudit(tx, {
          authorityId: tenant.authority_id,
          actorId: provisioned.id,
          action: 'sso.identity_linked',
          entity: 'user',
          entityId: provisioned.id,
          detail: { tenant_id: tenant.id, matched_by: 'external_id' },
        });
        user = { ...provisioned, identity_id: '' };
      }
      if (!user.active) throw new SsoFailure(403, 'the account is deactivated', 'inactive');
      const { roles, ignoredRoles } = await this.syncRoles(tx, tenant, user, claims);
      // Refused after the transaction: a role the directory took away stays taken away.
      if (roles.length === 0) return { kind: 'no-role', ignoredRoles };
      const at = this.now();
      await repo.touchIdentity(tx, claims.tid, claims.oid, at);
      const sessionToken = await startSession(tx, user, at, { method: 'oidc', tid: claims.tid });
      await repo.insertOidcSession(tx, {
        session_id_hash: sha256(sessionToken),
        authority_id: user.authority_id,
        tid: claims.tid,
        id_token: idToken,
      });
      return { kind: 'session', sessionToken, ignoredRoles };
    });
    if (result.kind === 'no-role') {
      const ignored = result.ignoredRoles.length ? ` (mapped roles ignored: ${result.ignoredRoles.join(', ')})` : '';
      throw new SsoFailure(403, `the account has no role${ignored}`, 'no-role');
    }
    return result;
  }

  /** Someone not yet known: a pending request (or the one already waiting), unless an administrator refused them. */
  private async requestAccess(tx: Tx, tenant: Tenant, claims: Claims): Promise<CallbackResult> {
    const latest = await repo.latestRequest(tx, claims.tid, claims.oid);
    if (latest?.status === 'refused') throw new SsoFailure(403, 'an administrator refused the request', 'refused');
    const request = await repo.upsertPendingRequest(tx, {
      authority_id: tenant.authority_id,
      tenant_id: tenant.id,
      tid: claims.tid,
      oid: claims.oid,
      display_name: claims.name,
      email: claims.email,
      app_roles: claims.roles ?? [],
    });
    if (!request.created) return { kind: 'pending' };
    await insertAudit(tx, {
      authorityId: tenant.authority_id,
      actorId: null,
      action: 'sso.access_requested',
      entity: 'sso_access_request',
      entityId: request.id,
      detail: { tenant_id: tenant.id, app_roles: claims.roles ?? [] },
    });
    return { kind: 'requested' };
  }

  /**
   * With a roles claim, the account's roles become the roles its app roles map to for this tenant, less any a token
   * may not give (returned as ignoredRoles, for the log); roles given by hand only (administrators) stay as they are.
   * Without one, the roles an administrator set stay. Every change is audited, and any role added alerts the security
   * role. Returns the roles now held.
   */
  private async syncRoles(
    tx: Tx,
    tenant: Tenant,
    user: { id: string; authority_id: string; display_name: string; roles: string[] },
    claims: Claims,
  ): Promise<{ roles: string[]; ignoredRoles: string[] }> {
    if (claims.roles === null) return { roles: user.roles, ignoredRoles: [] };
    const mapped = await repo.mappedRoles(tx, tenant, claims.roles);
    const partner = Boolean(tenant.service_id);
    const ignoredRoles = mapped.filter((r) => !tokenMayGive(r, partner));
    const after = [...user.roles.filter(handOnly), ...mapped.filter((r) => tokenMayGive(r, partner))];
    const same = after.length === user.roles.length && after.every((r) => user.roles.includes(r));
    if (same) return { roles: user.roles, ignoredRoles };
    await repo.setRoles(tx, user.id, after);
    const teamIds = await repo.teamIdsOf(tx, user.id);
    // The change is the directory's, made as they sign in: the audit row names them, the alert names single sign-on.
    const actor: AuthUser = {
      id: user.id,
      authorityId: user.authority_id,
      email: '',
      displayName: 'Single sign-on (app roles from the directory)',
      roles: after,
      caps: capabilitiesOf(after),
      teamIds,
    };
    await recordAccessChange(
      tx,
      { securityAlertRole: this.config.securityAlertRole, baseUrl: this.config.baseUrl },
      actor,
      user,
      { roles: user.roles, team_ids: teamIds },
      { roles: after, team_ids: teamIds },
      this.now(),
      { via: 'sso', tenant_id: tenant.id },
      true,
    );
    return { roles: after, ignoredRoles };
  }

  /** The provider's sign-out address for a session made by single sign-on, or null (read before it is ended). */
  async endSessionUrl(sessionIdHash: string): Promise<string | null> {
    if (!this.client) return null;
    const row = await repo.oidcSession(this.db, sessionIdHash);
    return row ? this.client.endSessionUrl(row.id_token) : null;
  }
}
