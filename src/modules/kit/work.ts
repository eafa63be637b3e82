// "My work" (src/modules/home/) is one list of everything assigned to a member of staff and their teams. Each module
// that assigns work registers a work source here (src/services.ts), so My work never hard-codes what other modules
// keep: a source returns the items waiting on this viewer, and My work merges, sorts, filters and pages them.
import type { Executor } from '../../db/database.ts';

/** Who is looking: enough to find what is theirs and their teams'. */
export interface WorkViewer {
  id: string;
  authorityId: string;
  teamIds: string[];
  roles: readonly string[];
}

/** One thing waiting on the viewer, as a source gives it. */
export interface WorkItem {
  /** Unique within the list, e.g. `advice_request:<id>`. */
  key: string;
  /** The source's kind (its `kind`). */
  kind: string;
  /** What to do, in a few words, e.g. "Give your health advice". No name of a young person. */
  what: string;
  /** The young person it is for, if any: My work shows their name only if the viewer may open their record. */
  personId: string | null;
  /** A reference people can quote (the case number, or the item's own), shown when the name may not be. */
  reference: string;
  /** The date it is due (YYYY-MM-DD), or null. */
  due: string | null;
  /** Where to act. */
  link: string;
  /** Assigned to the viewer personally ('mine'), or to a team, role or service they are in ('team'). */
  scope: 'mine' | 'team';
  /** The protocol instance that tracks it, if any: its open step is not listed a second time. */
  instanceId?: string | null;
}

/** A source lists at most `limit` items, the soonest due first. */
export type WorkLister = (db: Executor, viewer: WorkViewer, o: { today: string; limit: number }) => Promise<WorkItem[]>;

export interface WorkSource {
  /** A short key for filters and the API (`advice_request`). */
  kind: string;
  /** Its name in the filter and on each row ("Advice request"). */
  label: string;
  list: WorkLister;
}

/** The registered sources, in the order registered (the order the kind filter offers them). */
export class WorkSources {
  private readonly sources = new Map<string, WorkSource>();

  register(source: WorkSource): void {
    if (this.sources.has(source.kind)) throw new Error(`Work source ${source.kind} is registered twice`);
    this.sources.set(source.kind, source);
  }

  all(): WorkSource[] {
    return [...this.sources.values()];
  }

  get(kind: string): WorkSource | undefined {
    return this.sources.get(kind);
  }
}
