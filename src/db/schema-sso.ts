// Row types for issue 17's single sign-on tables (migration 2026_12_11_0200_sso), in the Kysely style of schema.ts.

// biome-ignore lint/suspicious/noEmptyInterface: filled in by its part
export interface SsoTables {}
