// Row types for issue 17's provisioning tables (migration 2026_12_11_0300_scim), in the Kysely style of schema.ts.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ScimSecretTable {
  id: Generated<string>;
  authority_id: string;
  /** The administrator's name for it, like "Entra ID provisioning". */
  label: string;
  /** SHA-256 of the secret: the secret itself is shown once and never stored. */
  secret_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ScimDepartmentTeamTable {
  id: Generated<string>;
  authority_id: string;
  /** The directory's department, matched without regard to case. */
  department: string;
  team_id: string;
  created_at: Timestamp;
}

/** An account the directory may manage: one it created, or existing staff an administrator let it take over. */
export interface ScimManagedUserTable {
  user_id: string;
  authority_id: string;
  reason: 'created' | 'marked';
  marked_by: string | null;
  created_at: Timestamp;
}

export interface ScimTables {
  scim_secrets: ScimSecretTable;
  scim_department_teams: ScimDepartmentTeamTable;
  scim_managed_users: ScimManagedUserTable;
}
