// The transitions radar (issue 14 part 1): who is approaching 18 (or 25) without what the rules require, list by
// list. The lists are read through the reports handle (the read replica when there is one, src/db/reports.ts); which
// rows the viewer may see by name is decided on the primary by the relationship rules of modules/access, in the
// transaction that writes the access-log rows (one per person named) and the audit row naming who read or exported.
// Everyone else on a list is a count, never a name.
import type { Db } from '../../db/database.ts';
import type { ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import {
  cohortBirthDates,
  PHASE_TRANSFERS,
  phaseTransferDeadline,
  TRANSFER_PHASE_IDS,
} from '../../domain/phase-transfer.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy, logReadsOf } from '../audit/repository.ts';
import { currentCohortYear } from '../ehc-reviews/cohort.ts';
import { addMonths } from '../post18/dates.ts';
import * as repo from './repository.ts';
import { LIST_KEYS, LISTS, type ListKey, type ListRule, NOT_HELD } from './rules.ts';
import type { RadarFilter, Window } from './schemas.ts';

type Channel = 'page' | 'api' | 'export';

export interface RadarRow {
  personId: string;
  name: string;
  caseNumber: string;
  on: string | null;
  detail: string;
}

export interface RadarList extends ListRule {
  /** Everyone on the list, named or not. */
  total: number;
  /** The rows the viewer's relationships open. */
  rows: RadarRow[];
  /** How many more the list holds that the viewer may not see by name. */
  others: number;
}

/** The first calendar year of the school year `date` falls in (school years start 1 September). */
const schoolYearStart = (date: string) => Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) >= 9 ? 0 : 1);

export class RadarService {
  constructor(
    private readonly db: Db,
    private readonly reports: ReportsDb,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** Every list (or one), each row named only where the viewer's relationships allow; the read is logged. */
  async radar(user: AuthUser, filter: Partial<RadarFilter>, channel: Channel, only?: ListKey) {
    const { today, months, area, keys, found, within } = await this.find(user.authorityId, filter, only);
    return this.db.transaction().execute(async (tx) => {
      const ids = [...new Set(Object.values(found).flatMap((rows) => rows.map((r) => r.person_id)))];
      const named = new Map((await repo.named(tx, user, ids)).map((p) => [p.id, p]));
      const lists: RadarList[] = keys.map((k) => {
        const rows = found[k] ?? [];
        const shown = rows.flatMap((r) => {
          const p = named.get(r.person_id);
          return p
            ? [
                {
                  personId: p.id,
                  name: `${p.given_name} ${p.family_name}`,
                  caseNumber: p.case_number,
                  on: r.on,
                  detail: r.detail,
                },
              ]
            : [];
        });
        return { ...LISTS[k], total: rows.length, rows: shown, others: rows.length - shown.length };
      });
      const shownIds = [...named.keys()];
      await logReadsOf(tx, user, shownIds, channel, channel === 'export' ? `radar export: ${only}` : 'radar');
      await auditBy(tx, user, {
        action: channel === 'export' ? 'export' : 'read',
        entity: 'radar',
        entityId: null,
        detail: { channel, list: only ?? 'all', filter: { months, ...area }, named: shownIds.length },
      });
      return {
        today,
        months,
        lists,
        windows: only && only !== 'turning18' ? null : { '3': within(3), '6': within(6), '12': within(12) },
        notHeld: NOT_HELD,
      };
    });
  }

  /**
   * Each list's total and the headline's counts for the filters (already checked), as the page shows them: counts
   * only, nobody named, so no access-log row (the email of a subscription, src/modules/radar/subscribable.ts).
   */
  async totals(authorityId: string, filter: Partial<RadarFilter>) {
    const { months, keys, found, within } = await this.find(authorityId, filter);
    return {
      months,
      lists: keys.map((k) => ({ ...LISTS[k], total: (found[k] ?? []).length })),
      windows: { '3': within(3), '6': within(6), '12': within(12) },
    };
  }

  /** The lists' rows for the filters, read through `reports`; turning18 cut to the window chosen. */
  private async find(authorityId: string, filter: Partial<RadarFilter>, only?: ListKey) {
    const { today } = this.today();
    const months = (filter.months ?? '12') as Window;
    const area = {
      service: filter.service ?? null,
      team: filter.team ?? null,
      locality: filter.locality ?? null,
      hub: filter.hub ?? null,
    };
    await this.checkArea(authorityId, area);
    const keys = only ? [only] : LIST_KEYS;
    const found = await this.reports.read(async (db) => {
      const out = {} as Record<ListKey, repo.ListRow[]>;
      for (const k of keys) out[k] = await this.list(db, authorityId, k, today, area);
      return out;
    });
    // The counts of the headline for each window, from the same rows (the query reads the widest).
    const within = (m: number) =>
      (found.turning18 ?? []).filter((r) => r.on !== null && r.on <= addMonths(today, m)).length;
    if (found.turning18)
      found.turning18 = found.turning18.filter((r) => r.on !== null && r.on <= addMonths(today, Number(months)));
    return { today, months, area, keys, found, within };
  }

  /** The council's services, teams, localities and hubs, for the filters. */
  areas(user: AuthUser) {
    return repo.areas(this.db, user.authorityId);
  }

  /** Refuses a service, team, locality or hub that is not one of the council's (one message per field). */
  async checkArea(authorityId: string, area: repo.Area) {
    const known = await repo.areaKnown(this.db, authorityId, area);
    const errors: Record<string, string> = {};
    if (!known.service) errors.service = 'Choose a service from the list: that service is not one of this council’s';
    if (!known.team) errors.team = 'Choose a team from the list: that team is not one of this council’s';
    if (!known.locality)
      errors.locality = 'Choose a locality from the list: that locality is not one of this council’s';
    if (!known.hub) errors.hub = 'Choose a SEND hub from the list: that hub is not one of this council’s';
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  }

  private list(db: Db, authorityId: string, key: ListKey, today: string, area: repo.Area): Promise<repo.ListRow[]> {
    switch (key) {
      case 'turning18':
        // Not 18 yet (born after today 18 years ago); 18 by the widest window, 12 months (filtered afterwards).
        return repo.turning18(db, authorityId, addMonths(today, -216), addMonths(today, 12 - 216), area);
      case 'pfa': {
        // Year 9 or above: born on or before 31 August, 13 years before the end of this school year's first year.
        const bornBy = `${schoolYearStart(today) - 13}-08-31`;
        return repo.pfaMissing(db, authorityId, bornBy, addMonths(today, -12), area);
      }
      case 'review_overdue':
        return repo.reviewOverdue(db, authorityId, today, area);
      case 'phase_transfer':
        return this.phaseTransfers(db, authorityId, today, area);
      case 'age25':
        return repo.age25(db, authorityId, addMonths(today, 12), area);
      case 'post18_owner':
        return repo.post18Owner(db, authorityId, today, area);
    }
  }

  private async phaseTransfers(db: Db, authorityId: string, today: string, area: repo.Area) {
    const rows: repo.ListRow[] = [];
    for (const phase of TRANSFER_PHASE_IDS) {
      const year = currentCohortYear(phase, today);
      const { from, to } = cohortBirthDates(phase, year);
      const cohort = {
        label: PHASE_TRANSFERS[phase].label,
        from,
        to,
        windowStart: `${year - 1}-09-01`,
        deadline: phaseTransferDeadline(phase, year),
      };
      rows.push(...(await repo.phaseTransfer(db, authorityId, cohort, today, area)));
    }
    return rows;
  }
}
