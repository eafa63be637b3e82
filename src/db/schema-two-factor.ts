// Row types for issue 17's two-factor sign-in tables (migration 2026_12_11_0400_two_factor), in the Kysely style of schema.ts.

// biome-ignore lint/suspicious/noEmptyInterface: filled in by its part
export interface TwoFactorTables {}
