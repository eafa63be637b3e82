// Frozen once landed: add a new migration rather than editing this one.
// Issue 17 parts 1, 2 and 5 (single sign-on with OpenID Connect): the directory tenants whose accounts may sign in
// (a council's own Entra tenant, or a partner organisation's, each tied to one council and optionally a service),
// the app roles that map to Handover roles, the links from a directory account (tid + oid, never an email) to a user,
// the requests of people not yet known waiting for an administrator, the one-time sign-in attempts (the state kept
// hashed, bound to the browser) and the id token of an OIDC session, kept for signing out at the provider and
// deleted with the session.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sso_tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      tid text NOT NULL UNIQUE,
      label text NOT NULL,
      service_id uuid REFERENCES services(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sso_tenants_authority_idx ON sso_tenants(authority_id);

    -- tenant_id null: the council's own tenants (no service); a partner tenant has only the mappings naming it.
    CREATE TABLE sso_role_mappings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      tenant_id uuid REFERENCES sso_tenants(id) ON DELETE CASCADE,
      app_role text NOT NULL,
      role text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE NULLS NOT DISTINCT (authority_id, tenant_id, app_role, role)
    );

    CREATE TABLE user_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      tid text NOT NULL,
      oid text NOT NULL,
      last_sign_in_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tid, oid)
    );
    CREATE INDEX user_identities_user_idx ON user_identities(user_id);

    CREATE TABLE sso_access_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      -- Null once the tenant is removed: decided requests stay (a refusal stays a refusal if it is added again).
      tenant_id uuid REFERENCES sso_tenants(id) ON DELETE SET NULL,
      tid text NOT NULL,
      oid text NOT NULL,
      display_name text NOT NULL,
      email text,
      app_roles text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX sso_access_requests_pending_idx ON sso_access_requests(tid, oid) WHERE status = 'pending';
    CREATE INDEX sso_access_requests_authority_idx ON sso_access_requests(authority_id, status, created_at);

    CREATE TABLE oidc_logins (
      state_hash text PRIMARY KEY,
      browser_hash text NOT NULL,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX oidc_logins_expires_idx ON oidc_logins(expires_at);

    CREATE TABLE oidc_sessions (
      session_id_hash text PRIMARY KEY REFERENCES sessions(id_hash) ON DELETE CASCADE,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      tid text NOT NULL,
      id_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE oidc_sessions;
    DROP TABLE oidc_logins;
    DROP TABLE sso_access_requests;
    DROP TABLE user_identities;
    DROP TABLE sso_role_mappings;
    DROP TABLE sso_tenants;
  `.execute(db);
}
