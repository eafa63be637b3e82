// Annual reviews of EHC plans (issue 20 part 2), the review clock on every plan, review advice requests and the
// phase-transfer cohort. The rules live in the files named below, one idea each, taking typed input (schemas.ts);
// SQL in repository.ts. The review protocol (src/protocols/ehc-annual-review.ts) is driven by flow.ts, which also
// listens to the plan's events (finalIssued, reviewDecided, transferredIn, ceased, transferredOut).
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { TransferPhase } from '../../domain/phase-transfer.ts';
import type { AuthUser } from '../../http/types.ts';
import type { PlanEvents } from '../ehc-plans/events.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as advice from './advice.ts';
import * as cohortPart from './cohort.ts';
import type { ReviewDeps } from './context.ts';
import { driveReviews, listen, startCycle } from './flow.ts';
import * as read from './read.ts';
import * as reviews from './reviews.ts';

export class EhcReviewsService {
  private readonly d: ReviewDeps;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService, events: PlanEvents) {
    this.d = { ...moduleContext({ db, config, now, protocols }), flow: driveReviews(protocols, () => this.d), events };
    listen(events, () => this.d);
  }

  private on<A extends unknown[], R>(fn: (d: ReviewDeps, ...args: A) => R): (...args: A) => R {
    return (...args) => fn(this.d, ...args);
  }

  today(): string {
    return this.d.today();
  }

  /** The plan's events this service hears and tells (the one instance made in src/services.ts). */
  get events(): PlanEvents {
    return this.d.events;
  }

  // ---- the clock (flow.ts): also started by the plan's events
  readonly startCycle = this.on(startCycle);

  // ---- reads (read.ts)
  readonly planReviews = this.on(read.planReviews);
  readonly reviewPage = this.on(read.reviewPage);
  readonly giverOptions = this.on(read.giverOptions);
  readonly dueReviews = this.on(read.dueReviews);
  /** The panel for the plan page (H1's route calls it; the page logs its own read). */
  reviewPanel(db: Executor, planId: string) {
    return read.reviewPanel(this.d, db, planId);
  }

  // ---- stages (reviews.ts)
  readonly arrange = this.on(reviews.arrange);
  readonly circulate = this.on(reviews.circulate);
  readonly meeting = this.on(reviews.meeting);
  readonly report = this.on(reviews.report);
  readonly decide = this.on(reviews.decide);

  // ---- advice (advice.ts)
  readonly requestAdvice = this.on(advice.requestAdvice);
  readonly myReviewRequests = this.on(advice.myReviewRequests);
  readonly requestForGiver = this.on(advice.requestForGiver);
  readonly answer = this.on(advice.answer);

  // ---- phase transfers (cohort.ts)
  cohort(user: AuthUser, phase: TransferPhase, year: number) {
    return cohortPart.cohort(this.d, user, phase, year);
  }
  currentCohortYear(phase: TransferPhase): number {
    return cohortPart.currentCohortYear(phase, this.d.today());
  }
}
