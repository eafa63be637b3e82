// What happens to an EHC plan, told to the modules that keep its other clocks (issue 20): the plan module says a
// final plan was issued; the reviews module says a review was decided; the plan-changes module says a plan was
// amended, ceased, or transferred between councils. A listener runs inside the emitter's transaction (the engine's,
// when the emitter is a protocol hook), so the plan's next clock starts in the same commit as the step that caused
// it, or neither does. Made once in src/services.ts and given to the three services; they import nothing from each
// other.
import type { Tx } from '../../db/database.ts';

export interface PlanEvent {
  planId: string;
  personId: string;
  authorityId: string;
  /** Who did it; null for the system (a timer, a job). */
  actorId: string | null;
  at: Date;
  /** The date the event counts from (issued, meeting held, ceased, transferred), YYYY-MM-DD. */
  date: string;
}

export interface PlanEventMap {
  /** A final plan was issued after the assessment (the first final version). */
  finalIssued: PlanEvent;
  /** An amended final plan was issued (reg 22). */
  amended: PlanEvent & { amendmentId: string };
  /** The council decided after an annual review meeting (the decision's date in `date`; the meeting's here). */
  reviewDecided: PlanEvent & { reviewId: string; meetingDate: string; decision: 'maintain' | 'amend' | 'cease' };
  /** The plan ceased (its `date` is the cessation date). */
  ceased: PlanEvent & { reason: number };
  /** The plan left this council for another on this installation (reg 15); the new plan's id. */
  transferredOut: PlanEvent & { toPlanId: string };
  /** A plan arrived from another council (reg 15); `date` is the transfer date. */
  transferredIn: PlanEvent & { fromPlanId: string; lastReviewDate: string | null };
}

export type PlanEventName = keyof PlanEventMap;
type Listener<K extends PlanEventName> = (tx: Tx, e: PlanEventMap[K]) => Promise<void>;

export class PlanEvents {
  readonly #listeners: { [K in PlanEventName]?: Listener<K>[] } = {};

  on<K extends PlanEventName>(name: K, listener: Listener<K>): void {
    const list = (this.#listeners[name] ?? []) as Listener<K>[];
    list.push(listener);
    (this.#listeners as Record<K, Listener<K>[]>)[name] = list;
  }

  /** Runs every listener of `name`, in the order registered, inside `tx`; a listener's error rolls the whole tx back. */
  async emit<K extends PlanEventName>(tx: Tx, name: K, e: PlanEventMap[K]): Promise<void> {
    for (const listener of (this.#listeners[name] ?? []) as Listener<K>[]) await listener(tx, e);
  }
}
