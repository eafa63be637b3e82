// Row types for issue 20's ehc-reviews module (its migrations), in the Kysely style of schema.ts.
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the module's migrations
export interface EhcReviewTables {}
