// The transitions radar as a subscription (issue 14 part 3): its counts for the saved filters by email, weekly or
// monthly — each list's total and the headline's 3/6/12-month counts, as the page shows them — and a link to the page
// with the same filters. Counts only: nobody is named, so nothing is read by name and no access-log row is written.
import type { Db } from '../../db/database.ts';
import { primaryReports } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import { ValidationError } from '../../http/forms.ts';
import type { Subscribable } from '../subscriptions/registry.ts';
import { RadarFilter } from './schemas.ts';
import { RadarService } from './service.ts';

const AREAS = ['service', 'team', 'locality', 'hub'] as const;
const AREA_WORDS = { service: 'Service', team: 'Team', locality: 'Locality', hub: 'SEND hub' } as const;
const TABLES = { service: 'services', team: 'teams', locality: 'localities', hub: 'hubs' } as const;

/** A radar service whose clock says `today` (noon UTC is that London date all year). */
const radarOn = (db: Db, today: string, reports = primaryReports(db)) =>
  new RadarService(db, reports, () => new Date(`${today}T12:00:00Z`));

/** The saved filters as the radar's query fields: the window, and the areas chosen (ids only). */
function toFilters(f: RadarFilter): Record<string, string> {
  const out: Record<string, string> = { months: f.months ?? '12' };
  for (const a of AREAS) if (f[a]) out[a] = f[a] as string;
  return out;
}

export const radarSubscribable: Subscribable = {
  key: 'radar',
  title: 'Transitions radar',
  capability: 'radar:read',
  // The page's own order of fields (saved filters come back from jsonb in its order, not the form's).
  path: (filters) => `/radar?${new URLSearchParams(toFilters(filters as RadarFilter)).toString()}`,
  async checkFilters(db, authorityId, raw) {
    const today = londonToday();
    const { input, errors } = RadarFilter.read(raw as Record<string, string>, { today });
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    const filters = toFilters(input as RadarFilter);
    try {
      const area = { service: null, team: null, locality: null, hub: null, ...filters };
      await radarOn(db as Db, today).checkArea(authorityId, area);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return { ok: false, errors: e.fields };
    }
    return { ok: true, filters };
  },
  async describeFilters(db, authorityId, filters) {
    const words = [`Turning 18 within ${filters.months ?? '12'} months`];
    for (const a of AREAS) {
      const id = filters[a];
      if (!id) continue;
      const row = await db
        .selectFrom(TABLES[a])
        .where('authority_id', '=', authorityId)
        .where('id', '=', id)
        .select('name')
        .executeTakeFirst();
      words.push(`${AREA_WORDS[a]}: ${row?.name ?? 'no longer in use'}`);
    }
    return words.join('; ');
  },
  async counts({ db, reports, authorityId, filters, today }) {
    const t = await radarOn(db as Db, today, reports).totals(authorityId, filters as Partial<RadarFilter>);
    return [
      { label: 'Turning 18 within 3 months without an agreed adult pathway', count: t.windows['3'] },
      { label: 'Turning 18 within 6 months without an agreed adult pathway', count: t.windows['6'] },
      { label: 'Turning 18 within 12 months without an agreed adult pathway', count: t.windows['12'] },
      ...t.lists.filter((l) => l.key !== 'turning18').map((l) => ({ label: l.title, count: l.total })),
    ];
  },
};
