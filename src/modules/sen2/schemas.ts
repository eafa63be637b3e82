// The SEN2 return's one input: the census date it is built for (a valid SEN2 census date, census.ts).
import { f, input } from '../../http/schema-input.ts';
import { CENSUS_DATES, collectionYear } from './census.ts';
import { MODULES } from './codes.ts';

export const CensusInput = input({
  census: f.date('Census date', {
    required: true,
    missing: `Enter the census date, one of: ${CENSUS_DATES.join(', ')}`,
    invalid: `The census date must be a real date: one of ${CENSUS_DATES.join(', ')}`,
    hint: `The SEN2 census date (${CENSUS_DATES.join(', ')})`,
    check: (v) => {
      const y = collectionYear(v);
      return y.ok ? { ok: true, value: v } : { ok: false, message: y.message };
    },
  }),
});

/** What a download is: the XML, or one module's CSV. */
export const DOWNLOADS = ['xml', ...MODULES] as const;
export type Download = (typeof DOWNLOADS)[number];
