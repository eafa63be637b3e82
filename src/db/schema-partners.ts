// Row types for issue 17's partner organisations tables (migration 2026_12_11_0500_partner_inboxes), in the Kysely style of schema.ts.
import type { Generated } from 'kysely';

/** A lead of an outside organisation (a service with external = true): manages its members. */
export interface OrganisationLeadTable {
  authority_id: string;
  service_id: string;
  user_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** An advice request addressed to an organisation's team inbox, and who took it (null: still in the inbox). */
export interface AdviceInboxRequestTable {
  request_id: string;
  authority_id: string;
  service_id: string;
  taken_by: string | null;
  taken_at: Date | null;
  created_at: Generated<Date>;
}

export interface PartnerTables {
  organisation_leads: OrganisationLeadTable;
  advice_inbox_requests: AdviceInboxRequestTable;
}
