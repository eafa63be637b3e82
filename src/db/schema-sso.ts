// Row types for issue 17's single sign-on tables (migration 2026_12_11_0200_sso), in the Kysely style of schema.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** A directory tenant (Entra `tid`) whose accounts may sign in, tied to a council and optionally a service. */
export interface SsoTenantTable {
  id: Generated<string>;
  authority_id: string;
  tid: string;
  label: string;
  /** A partner organisation's service (its own tenant): new accounts from it join this service. */
  service_id: string | null;
  created_at: Timestamp;
}
/** An Entra app role's value and the Handover role it gives. */
export interface SsoRoleMappingTable {
  id: Generated<string>;
  authority_id: string;
  /** Null: the council's own tenants; else only this (partner) tenant. */
  tenant_id: string | null;
  app_role: string;
  role: string;
  created_at: Timestamp;
}
/** A directory account (tid + oid, immutable) linked to a user. */
export interface UserIdentityTable {
  id: Generated<string>;
  authority_id: string;
  user_id: string;
  tid: string;
  oid: string;
  last_sign_in_at: Date | null;
  created_at: Timestamp;
}
export type SsoRequestStatus = 'pending' | 'approved' | 'refused';
/** Someone unknown who signed in: waits for an administrator to approve (make or link an account) or refuse. */
export interface SsoAccessRequestTable {
  id: Generated<string>;
  authority_id: string;
  /** Null once its tenant was removed (decided requests are kept). */
  tenant_id: string | null;
  tid: string;
  oid: string;
  display_name: string;
  email: string | null;
  app_roles: Generated<string[]>;
  status: Generated<SsoRequestStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  user_id: string | null;
  created_at: Timestamp;
}
/** One sign-in attempt: used once, within ten minutes, from the browser that started it. */
export interface OidcLoginTable {
  state_hash: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}
/** The id token of a session made by single sign-on, for signing out at the provider too. */
export interface OidcSessionTable {
  session_id_hash: string;
  authority_id: string;
  tid: string;
  id_token: string;
  created_at: Timestamp;
}

export interface SsoTables {
  sso_tenants: SsoTenantTable;
  sso_role_mappings: SsoRoleMappingTable;
  user_identities: UserIdentityTable;
  sso_access_requests: SsoAccessRequestTable;
  oidc_logins: OidcLoginTable;
  oidc_sessions: OidcSessionTable;
}
