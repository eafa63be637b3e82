// EHC needs assessments on statutory clocks (SEND Regulations 2014 regs 5-13), with Cumbria's advice-query
// protocol (shared/seeds/003): advice requests to advice givers in and outside the council, follow-ups, the draft
// accuracy check, delay notices to parents and the weekly report. The rules and transactions live in the files
// named below, one idea each, taking typed input (schemas.ts); SQL in repository.ts. This class is the module's
// face to routes, jobs and tests: each entry is that file's function, given the module's context.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { ReportsDb } from '../../db/reports.ts';
import type { AuthUser } from '../../http/types.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as advice from './advice.ts';
import * as assessments from './assessments.ts';
import type { EhcpDeps } from './context.ts';
import * as draft from './draft.ts';
import { type AssessmentEnded, driveEhcp } from './flows.ts';
import * as followUps from './follow-ups.ts';
import * as giver from './giver.ts';
import * as invites from './invites.ts';
import { buildWeeklyReport, type WeeklyReport } from './report.ts';

export class EhcpService {
  private readonly d: EhcpDeps;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService, reports?: ReportsDb) {
    // The module's workflows are built-in protocols it drives; their hooks read `this.d` when they run.
    this.d = { ...moduleContext({ db, config, now, protocols, reports }), flows: driveEhcp(protocols, () => this.d) };
  }

  /** One of the module's functions with the context filled in (read when it is called). */
  private on<A extends unknown[], R>(fn: (d: EhcpDeps, ...args: A) => R): (...args: A) => R {
    return (...args) => fn(this.d, ...args);
  }

  today(): string {
    return this.d.today();
  }

  // ---- assessments (assessments.ts); forPerson is for the record page, which logs its own read
  readonly forPerson = this.on(assessments.forPerson);
  readonly personAssessments = this.on(assessments.personAssessments);
  readonly listForPerson = this.on(assessments.listForPerson);
  readonly mine = this.on(assessments.mine);
  readonly create = this.on(assessments.create);
  /** The same inside another module's transaction (a SEND hub's triage outcome, issue 13). */
  readonly createIn = this.on(assessments.createIn);
  readonly assessment = this.on(assessments.assessment);
  readonly decideToAssess = this.on(assessments.decideToAssess);
  readonly recordException = this.on(assessments.recordException);
  readonly issueFinal = this.on(assessments.issueFinal);
  readonly decideNotToIssue = this.on(assessments.decideNotToIssue);

  // ---- advice requests and givers (advice.ts, giver.ts, invites.ts)
  readonly adviceGiverOptions = this.on(advice.adviceGiverOptions);
  readonly externalServices = this.on(advice.externalServices);
  readonly inboxOptions = this.on(advice.inboxOptions);
  readonly requestAdvice = this.on(advice.requestAdvice);
  readonly adviceForCoordinator = this.on(advice.adviceForCoordinator);
  readonly myRequests = this.on(giver.myRequests);
  readonly requestForGiver = this.on(giver.requestForGiver);
  readonly submitAdvice = this.on(advice.submitAdvice);
  readonly submitDraftFeedback = this.on(advice.submitDraftFeedback);
  readonly inviteUsable = this.on(invites.inviteUsable);
  readonly acceptInvite = this.on(invites.acceptInvite);

  // ---- Cumbria follow-ups (follow-ups.ts)
  readonly markUnclear = this.on(followUps.markUnclear);

  // ---- the draft, its accuracy check, delay notices (draft.ts)
  readonly serveDraft = this.on(draft.serveDraft);
  /** The same inside the ehc-plans module's transaction, and the final plan likewise (one path, issue 20). */
  readonly serveDraftIn = this.on(draft.serveDraftIn);
  readonly issueFinalIn = this.on(assessments.issueFinalIn);
  readonly decideNotToIssueIn = this.on(assessments.decideNotToIssueIn);
  /** Listens to an assessment's protocol ending (the ehc-plans module projects its plan's status from it). */
  onAssessmentEnded(listener: AssessmentEnded): void {
    this.d.flows.assessmentEnded.push(listener);
  }
  readonly sendDelayNotice = this.on(draft.sendDelayNotice);

  // ---- report (report.ts)
  weeklyReport(user: AuthUser): Promise<WeeklyReport> {
    // From the read replica when there is one (src/db/reports.ts): counts and case references, nobody's own last save.
    return this.d.reports.read((db) => buildWeeklyReport(db, user.authorityId, this.today()));
  }
}
