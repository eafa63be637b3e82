// My work: one list of everything assigned to a member of staff and their teams — protocol steps, cases allocated to
// them, their teams' unallocated cases, and whatever other modules register as work sources (src/modules/kit/work.ts)
// — overdue first, filtered, sorted and paged. And the alerts for their role.
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { type WorkItem, WorkSources } from '../kit/work.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as repo from './repository.ts';
import type { MyWorkQuery } from './schemas.ts';

/** Rows a page of My work shows. */
export const PAGE_SIZE = 25;
/** Each source gives at most this many: My work is a to-do list, not a search. */
const PER_SOURCE = 500;

/** The kinds My work itself lists (before the registered sources). */
const CORE_KINDS = [
  { kind: 'step', label: 'Protocol step' },
  { kind: 'allocated', label: 'Case allocated to me' },
  { kind: 'unallocated', label: 'Case waiting for a worker' },
] as const;

/** A row as the page and the API show it: the item, with a name only where the viewer may open the record. */
export interface WorkRow extends WorkItem {
  kindLabel: string;
  name: string | null;
  overdue: boolean;
}

export class HomeService {
  /** Other modules register what they assign here (src/services.ts). */
  readonly work = new WorkSources();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
    private readonly protocols: ProtocolService,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** Every kind of work, for the filter: My work's own, then the registered sources'. */
  kinds(): { kind: string; label: string }[] {
    return [...CORE_KINDS, ...this.work.all().map((s) => ({ kind: s.kind, label: s.label }))];
  }

  /** Why a kind filter is not one of the kinds, or null. */
  kindError(kind: string | null): string | null {
    const kinds = this.kinds();
    if (!kind || kinds.some((k) => k.kind === kind)) return null;
    return `Kind of work must be one from the list: ${kinds.map((k) => k.kind).join(', ')}`;
  }

  /**
   * One page of My work, with the filters applied. Every item is gathered first, so counts are whole and the order
   * is one order across all sources (offset paging over the merged list: docs/decisions.md); the names, which cost a
   * relationship check each, are read for the page's rows only. A page past the last is a `page` error.
   */
  async myWork(user: AuthUser, q: MyWorkQuery) {
    const kinds = this.kinds();
    const wrongKind = this.kindError(q.kind);
    if (wrongKind) throw new ValidationError({ kind: wrongKind });
    const today = londonToday(this.now());
    const items = await this.gather(user, today);
    const labels = new Map(kinds.map((k) => [k.kind, k.label]));
    const all = items.map((i) => ({
      ...i,
      kindLabel: labels.get(i.kind) ?? i.kind,
      overdue: i.due !== null && i.due < today,
    }));
    const filtered = all
      .filter((r) => !q.kind || r.kind === q.kind)
      .filter((r) => !q.overdue || r.overdue)
      .filter((r) => q.scope === 'all' || r.scope === q.scope)
      .sort(q.sort === 'kind' ? byKindThenDue : byDue);
    const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
    const page = Math.min(q.page, pages);
    const slice = filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const names = await repo.visibleNames(this.db, user, [
      ...new Set(slice.flatMap((i) => (i.personId ? [i.personId] : []))),
    ]);
    const rows: WorkRow[] = slice.map((r) => ({ ...r, name: r.personId ? (names.get(r.personId) ?? null) : null }));
    return {
      rows,
      total: filtered.length,
      /** The 1-based positions of the page's first and last rows in the whole filtered list (0 and 0 when empty). */
      from: rows.length ? (page - 1) * PAGE_SIZE + 1 : 0,
      to: (page - 1) * PAGE_SIZE + rows.length,
      pageSize: PAGE_SIZE,
      overdue: all.filter((r) => r.overdue).length,
      everything: all.length,
      page,
      pages,
      /** Why the page asked for is not one there is, or null (the last page is shown instead). */
      pageError: q.page > pages ? pageError(pages) : null,
      kinds,
      today,
    };
  }

  /** Everything waiting on the user, from every source; a protocol step tracking another item is not listed twice. */
  private async gather(user: AuthUser, today: string): Promise<WorkItem[]> {
    const [steps, cases, ...others] = await Promise.all([
      this.protocols.waitingOn(user, PER_SOURCE),
      repo.casesOf(this.db, user, PER_SOURCE),
      ...this.work.all().map((s) => s.list(this.db, user, { today, limit: PER_SOURCE })),
    ]);
    const allocated = cases.filter((r) => r.kind === 'allocated');
    const unallocated = cases.filter((r) => r.kind === 'unallocated');
    const registered = others.flat();
    const tracked = new Set(registered.flatMap((i) => (i.instanceId ? [i.instanceId] : [])));
    const stepItems: WorkItem[] = steps
      .filter((s) => !tracked.has(s.instance_id))
      .map((s) => ({
        key: `step:${s.id}`,
        kind: 'step',
        what: `${s.stepTitle} (${s.protocolTitle})`,
        personId: s.person_id,
        reference: s.case_number,
        due: s.due_date,
        link: `/people/${s.person_id}/protocols/${s.instance_id}`,
        scope: s.owner_user_id === user.id ? 'mine' : 'team',
        instanceId: s.instance_id,
      }));
    const caseItems: WorkItem[] = [
      ...allocated.map((r) => ({
        key: `allocated:${r.id}`,
        kind: 'allocated',
        what: `Allocated to you in ${r.team_name}`,
        personId: r.person_id,
        reference: r.case_number,
        due: null,
        link: `/people/${r.person_id}`,
        scope: 'mine' as const,
      })),
      ...unallocated.map((r) => {
        const days = daysBetween(r.start_date, today);
        return {
          key: `unallocated:${r.id}`,
          kind: 'unallocated',
          what: `Waiting for a worker in ${r.team_name} for ${days} day${days === 1 ? '' : 's'}`,
          personId: r.person_id,
          reference: r.case_number,
          due: null,
          link: `/people/${r.person_id}`,
          scope: 'team' as const,
        };
      }),
    ];
    return [...stepItems, ...registered, ...caseItems];
  }

  async alerts(user: AuthUser) {
    return user.caps.has('alert:read') ? repo.openAlerts(this.db, user) : [];
  }

  async acknowledgeAlert(user: AuthUser, alertId: string): Promise<boolean> {
    return repo.acknowledgeAlert(this.db, user, alertId, this.now());
  }
}

/** A row before its name is read (names are read for one page only). */
type Sortable = Omit<WorkRow, 'name'>;

/** Overdue first, then the soonest due, then those with no date; ties by kind and what. */
function byDue(a: Sortable, b: Sortable): number {
  return (
    Number(b.overdue) - Number(a.overdue) ||
    (a.due ?? '9999-12-31').localeCompare(b.due ?? '9999-12-31') ||
    a.kindLabel.localeCompare(b.kindLabel) ||
    a.what.localeCompare(b.what) ||
    a.key.localeCompare(b.key)
  );
}

/** The message for a page past the last: names the field and the pages there are. */
export function pageError(pages: number): string {
  return pages === 1
    ? 'Page must be 1: everything matching fits on one page'
    : `Page must be a whole number from 1 to ${pages}: there are ${pages} pages`;
}

function byKindThenDue(a: Sortable, b: Sortable): number {
  return a.kindLabel.localeCompare(b.kindLabel) || byDue(a, b);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
