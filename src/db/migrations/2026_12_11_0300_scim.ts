// Frozen once landed: add a new migration rather than editing this one.
// Issue 17 part 3 (provisioning): the bearer secrets a council's directory (Entra ID's provisioning service) calls
// /scim/v2 with, only their hash kept, and which department goes to which team when a user's department changes.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE scim_secrets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      label text NOT NULL CHECK (label <> ''),
      secret_hash text NOT NULL UNIQUE,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX scim_secrets_authority ON scim_secrets (authority_id)`.execute(db);
  await sql`
    CREATE TABLE scim_department_teams (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      authority_id uuid NOT NULL REFERENCES authorities(id),
      department text NOT NULL CHECK (department <> ''),
      team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  // One team per department in a council; the directory's spelling of a department varies only in case.
  await sql`CREATE UNIQUE INDEX scim_department_teams_department ON scim_department_teams (authority_id, lower(department))`.execute(
    db,
  );
  // The accounts the directory manages besides those carrying a directory id (F2 of the review): the ones it created,
  // and existing staff an administrator let it take over. Nothing else is the directory's to read or change.
  await sql`
    CREATE TABLE scim_managed_users (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      authority_id uuid NOT NULL REFERENCES authorities(id),
      reason text NOT NULL CHECK (reason IN ('created', 'marked')),
      marked_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX scim_managed_users_authority ON scim_managed_users (authority_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE scim_managed_users`.execute(db);
  await sql`DROP TABLE scim_department_teams`.execute(db);
  await sql`DROP TABLE scim_secrets`.execute(db);
}
