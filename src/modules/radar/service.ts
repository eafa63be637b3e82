// The transitions radar (issue 14 part 1): who is approaching 18 (or 25) without what the rules require, list by
// list. The lists are read through the reports handle (the read replica when there is one, src/db/reports.ts); which
// rows the viewer may see by name is decided on the primary by the relationship rules of modules/access, in the
// transaction that writes the access-log rows (one per person named) and the audit row naming who read or exported.
// Everyone else on a list is a count, never a name.
import { sql } from 'kysely';
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
  /** The rows the viewer's relationships open: one page of them (all of them in an export). */
  rows: RadarRow[];
  /** How many rows the viewer's relationships open, on every page. */
  named: number;
  /** How many more the list holds that the viewer may not see by name. */
  others: number;
  /** The page of named rows shown (from 1), of `pages`. */
  page: number;
  pages: number;
}

/** Named rows shown a page at a time (the page and the API; the CSV export is whole). */
export const PAGE_SIZE = 50;

/** Which list's rows to page through, and to which page (the others show their first page). */
export interface Paging {
  list?: ListKey | null;
  page?: number | null;
}

/** The first calendar year of the school year `date` falls in (school years start 1 September). */
const schoolYearStart = (date: string) => Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) >= 9 ? 0 : 1);

const toRow = (r: repo.NamedRow): RadarRow => ({
  personId: r.person_id,
  name: `${r.given_name} ${r.family_name}`,
  caseNumber: r.case_number,
  on: r.on,
  detail: r.detail,
});

export class RadarService {
  constructor(
    private readonly db: Db,
    private readonly reports: ReportsDb,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /**
   * Every list (or one), each counted whole and its rows named only where the viewer's relationships allow, a page of
   * them (all of them in an export); the rows named are logged as read.
   */
  async radar(user: AuthUser, filter: Partial<RadarFilter>, channel: Channel, only?: ListKey, paging: Paging = {}) {
    const { today, months, area, keys, rules, totals, windows } = await this.find(user.authorityId, filter, only);
    return this.db.transaction().execute(async (tx) => {
      const lists: RadarList[] = [];
      for (const k of keys) {
        const page = paging.list === k ? Math.max(1, paging.page ?? 1) : 1;
        const { rows, named } = await repo.namedPage(
          tx,
          rules[k],
          user,
          channel === 'export' ? { limit: null, offset: 0 } : { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        );
        // The counts are read through `reports` (a replica may lag the primary by seconds): never fewer than named.
        const total = Math.max(totals[k], named);
        const pages = channel === 'export' ? 1 : Math.max(1, Math.ceil(named / PAGE_SIZE));
        lists.push({ ...LISTS[k], total, rows: rows.map(toRow), named, others: total - named, page, pages });
      }
      const shownIds = [...new Set(lists.flatMap((l) => l.rows.map((r) => r.personId)))];
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
        windows: only && only !== 'turning18' ? null : windows,
        notHeld: NOT_HELD,
      };
    });
  }

  /**
   * Each list's total and the headline's counts for the filters (already checked), as the page shows them: counts
   * only, nobody named, so no access-log row (the email of a subscription, src/modules/radar/subscribable.ts).
   */
  async totals(authorityId: string, filter: Partial<RadarFilter>) {
    const { months, keys, totals, windows } = await this.find(authorityId, filter);
    return { months, lists: keys.map((k) => ({ ...LISTS[k], total: totals[k] })), windows };
  }

  /**
   * The lists' rules for the filters, and each one's count read through `reports` (one statement a list, no rows
   * leave the database); the headline's 3, 6 and 12-month counts come from the one statement over the widest window,
   * and turning18's rule is cut to the window chosen.
   */
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
    const rules = {} as Record<ListKey, repo.ListSql>;
    for (const k of keys) rules[k] = this.rule(authorityId, k, today, area);
    const upTo = (m: number) => sql`${repo.EIGHTEENTH} <= ${addMonths(today, m)}::date`;
    // The counts are independent statements: run together, each on a connection of the reports pool.
    const counted = await this.reports.read(async (db) => {
      const each = await Promise.all(
        keys.map((k) =>
          repo.countOf(
            db,
            k === 'review_overdue' ? repo.reviewOverdue(authorityId, today, area, false) : rules[k],
            k === 'turning18' ? { w3: upTo(3), w6: upTo(6), w12: upTo(12) } : {},
          ),
        ),
      );
      return Object.fromEntries(keys.map((k, i) => [k, each[i]])) as Partial<Record<ListKey, Record<string, number>>>;
    });
    const totals = {} as Record<ListKey, number>;
    for (const k of keys) totals[k] = counted[k]?.total ?? 0;
    const t18 = counted.turning18;
    const windows = { '3': t18?.w3 ?? 0, '6': t18?.w6 ?? 0, '12': t18?.w12 ?? 0 };
    if (t18) {
      totals.turning18 = windows[months];
      rules.turning18 = { ...rules.turning18, where: sql`${rules.turning18.where} AND ${upTo(Number(months))}` };
    }
    return { today, months, area, keys, rules, totals, windows };
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

  private rule(authorityId: string, key: ListKey, today: string, area: repo.Area): repo.ListSql {
    switch (key) {
      case 'turning18':
        // Not 18 yet (born after today 18 years ago); 18 by the widest window, 12 months (cut by `find`).
        return repo.turning18(authorityId, addMonths(today, -216), addMonths(today, 12 - 216), area);
      case 'pfa': {
        // Year 9 or above: born on or before 31 August, 13 years before the end of this school year's first year.
        const bornBy = `${schoolYearStart(today) - 13}-08-31`;
        return repo.pfaMissing(authorityId, bornBy, addMonths(today, -12), area);
      }
      case 'review_overdue':
        return repo.reviewOverdue(authorityId, today, area);
      case 'phase_transfer':
        return repo.phaseTransfer(authorityId, this.cohorts(today), today, area);
      case 'age25':
        return repo.age25(authorityId, addMonths(today, 12), area);
      case 'post18_owner':
        return repo.post18Owner(authorityId, today, area);
    }
  }

  /** This year's phase-transfer cohorts, in the order of TRANSFER_PHASE_IDS. */
  private cohorts(today: string): repo.Cohort[] {
    return TRANSFER_PHASE_IDS.map((phase) => {
      const year = currentCohortYear(phase, today);
      const { from, to } = cohortBirthDates(phase, year);
      return {
        label: PHASE_TRANSFERS[phase].label,
        from,
        to,
        windowStart: `${year - 1}-09-01`,
        deadline: phaseTransferDeadline(phase, year),
      };
    });
  }
}
