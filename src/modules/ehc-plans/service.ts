// EHC plans after the assessment (issue 20 parts 1, 7a, 8): the plan document (sections A-K), drafted from the
// advice, its versions (versions.ts), the draft served and the final issued on the assessment's protocol
// (issuing.ts), representations and the consultation of the requested setting (representations.ts), reading,
// printing and the caseload (read.ts, pdf.ts). This class is the module's face to routes, the API, the demo and
// tests: each entry is that file's function, given the module's context.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { ehcSettingConsultation } from '../../protocols/ehc-setting-consultation.ts';
import type { EhcpService } from '../ehcp/service.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import type { PlanDeps } from './context.ts';
import * as drafting from './drafting.ts';
import type { PlanEvents } from './events.ts';
import * as issuing from './issuing.ts';
import { planPdf } from './pdf.ts';
import * as read from './read.ts';
import * as reps from './representations.ts';
import * as withdrawal from './withdrawal.ts';

export class EhcPlansService {
  private readonly d: PlanDeps;
  /** The other modules' panels on the plan page, in the order registered. */
  readonly panels: PlanPanel[] = [];

  constructor(
    db: Db,
    config: Config,
    now: () => Date,
    protocols: ProtocolService,
    ehcp: EhcpService,
    events: PlanEvents,
  ) {
    this.d = {
      ...moduleContext({ db, config, now, protocols }),
      consultation: protocols.drive(ehcSettingConsultation, {
        where: 'record the setting’s answer on the EHC plan page',
        quiet: true,
      }),
      ehcp,
      events,
    };
    // The plan becomes final when its assessment's protocol ends final_issued (in the engine's transaction).
    ehcp.onAssessmentEnded(issuing.assessmentEnded(this.d));
    // A draft is withdrawn when its assessment ends with a decision not to issue (withdrawal.ts).
    ehcp.onAssessmentEnded(withdrawal.notIssued(this.d));
  }

  private on<A extends unknown[], R>(fn: (d: PlanDeps, ...args: A) => R): (...args: A) => R {
    return (...args) => fn(this.d, ...args);
  }

  /** Adds a panel to the plan page (the reviews and plan-changes modules, from src/services.ts). */
  registerPanel(panel: PlanPanel): void {
    this.panels.push(panel);
  }

  /** The registered panels with their data for one plan (the page has already checked access and logged the read). */
  async panelsFor(planId: string, user: AuthUser) {
    const out: { template: string; data: object }[] = [];
    for (const p of this.panels) {
      const data = await p.load(this.d.db, planId, user);
      if (data) out.push({ template: p.template, data });
    }
    return out;
  }

  today(): string {
    return this.d.today();
  }

  readonly draftFromAdvice = this.on(drafting.draftFromAdvice);
  readonly editSection = this.on(drafting.editSection);
  readonly editPlacement = this.on(drafting.editPlacement);
  readonly editNeeds = this.on(drafting.editNeeds);
  readonly serveDraft = this.on(issuing.serveDraft);
  readonly prepareFinal = this.on(issuing.prepareFinal);
  readonly issueFinal = this.on(issuing.issueFinal);
  readonly addRepresentation = this.on(reps.addRepresentation);
  readonly consult = this.on(reps.consult);
  readonly recordResponse = this.on(reps.recordResponse);
  readonly withdrawDraft = this.on(withdrawal.withdrawDraft);
  /** The transfer's listener: a draft left behind when the young person moves council is withdrawn. */
  readonly draftMoved: ReturnType<typeof withdrawal.draftMoved> = (tx, e) => withdrawal.draftMoved(this.d)(tx, e);
  readonly planPage = this.on(read.planPage);
  readonly versionView = this.on(read.versionView);
  readonly forPerson = this.on(read.forPerson);
  readonly caseload = this.on(read.caseload);
  /** The PDF of one version (its read logged as an export). */
  async pdf(...args: Parameters<typeof read.versionView> extends [unknown, ...infer R] ? R : never) {
    const view = await read.versionView(this.d, ...args);
    return planPdf(view);
  }
}

/**
 * A panel another module shows on the plan page (issue 20: the reviews module's, the plan-changes module's): its
 * partial, included with `panel.data`, and what feeds it (null: nothing to show). Registered from src/services.ts.
 */
export interface PlanPanel {
  template: string;
  load: (db: Db, planId: string, user: AuthUser) => Promise<object | null>;
}
