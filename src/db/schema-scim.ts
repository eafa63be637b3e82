// Row types for issue 17's provisioning tables (migration 2026_12_11_0300_scim), in the Kysely style of schema.ts.

// biome-ignore lint/suspicious/noEmptyInterface: filled in by its part
export interface ScimTables {}
