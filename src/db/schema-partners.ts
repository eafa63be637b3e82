// Row types for issue 17's partner organisations tables (migration 2026_12_11_0500_partner_inboxes), in the Kysely style of schema.ts.

// biome-ignore lint/suspicious/noEmptyInterface: filled in by its part
export interface PartnerTables {}
