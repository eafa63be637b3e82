// The dashboards' inputs, declared once (issue 14 part 2): a scope and its id in the address, and which table a CSV
// holds. Ids that are not one of the scopes the viewer may see are answered "not found" by the service (access.ts).
import { TABLE_KEYS } from './figures.ts';

export const TREND_KEYS = ['trend-overdue', 'trend-referrals', 'trend-plans'] as const;
export const CSV_KEYS = [...TABLE_KEYS, ...TREND_KEYS] as const;
export type CsvKey = (typeof CSV_KEYS)[number];

export const isCsvKey = (v: string): v is CsvKey => (CSV_KEYS as readonly string[]).includes(v);
