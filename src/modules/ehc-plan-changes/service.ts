// EHC plan changes (issue 20): amendments (reg 22), ceasing a plan (s.45, regs 29–31, the 25th birthday of s.46) and
// a plan moving to another council (reg 15). Each runs on a built-in protocol this module drives (flows.ts). The
// class is the module's face to routes, jobs, the transfers module and tests; the work is in the files it names.
// It listens to the reviews module's `reviewDecided` (amend or cease starts the protocol in the same transaction)
// and to the transfers module's completed cross-council transfer.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { Conflict } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import type { PlanEvents } from '../ehc-plans/events.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import type { AcrossCompleted } from '../transfers/context.ts';
import * as age25 from './age25.ts';
import * as amendments from './amendments.ts';
import * as cessations from './cessations.ts';
import type { PlanChangeDeps } from './context.ts';
import { drivePlanChanges } from './flows.ts';
import { ceaseNoticePdf } from './notice-pdf.ts';
import * as read from './read.ts';
import * as repo from './repository.ts';
import * as transfers from './transfers.ts';

export class EhcPlanChangesService {
  readonly d: PlanChangeDeps;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService, events: PlanEvents) {
    this.d = {
      ...moduleContext({ db, config, now, protocols }),
      events,
      flows: drivePlanChanges(protocols, () => this.d),
    };
    events.on('reviewDecided', async (tx, e) => {
      if (e.decision === 'maintain') return;
      const plan = await repo.lockPlan(tx, e.planId);
      if (plan?.status !== 'final') return;
      const actorId = e.actorId ?? plan.coordinator_id ?? (await repo.aSendManager(tx, plan.authority_id));
      if (!actorId) return;
      if (e.decision === 'amend' && !(await repo.openAmendment(tx, plan.id)))
        await amendments.startAmendmentIn(this.d, tx, {
          plan,
          actorId,
          how: 'review',
          reviewId: e.reviewId,
          reason: 'Decided at the annual review',
        });
      if (e.decision === 'cease' && !(await repo.openCessation(tx, plan.id)))
        await cessations.startCessationIn(this.d, tx, {
          plan,
          actorId,
          how: 'review',
          reviewId: e.reviewId,
          reason: 9,
          detail: 'Decided at the annual review: record the SEN2 reason when deciding',
        });
    });
  }

  private on<A extends unknown[], R>(fn: (d: PlanChangeDeps, ...args: A) => R): (...args: A) => R {
    return (...args) => fn(this.d, ...args);
  }

  today(): string {
    return this.d.today();
  }

  // ---- amendments (amendments.ts)
  readonly startAmendment = this.on(amendments.startAmendment);
  readonly sendProposals = this.on(amendments.sendProposals);
  readonly recordRepresentation = this.on(amendments.recordRepresentation);
  readonly prepareFinal = this.on(amendments.prepareFinal);
  readonly issueAmended = this.on(amendments.issueAmended);
  readonly notAmend = this.on(amendments.notAmend);
  readonly withdrawAmendment = this.on(amendments.withdrawAmendment);

  // ---- cessations (cessations.ts, age25.ts)
  readonly startCessation = this.on(cessations.startCessation);
  readonly decideCessation = this.on(cessations.decide);
  readonly appealLodged = this.on(cessations.appealLodged);
  readonly appealDecided = this.on(cessations.appealDecided);
  readonly ceasePlan = this.on(cessations.ceasePlan);
  readonly raiseAge25Cessations = this.on(age25.raiseAge25Cessations);

  // ---- transfers between councils (transfers.ts)
  /** For TransferService.onCompletedAcross (wired in src/services.ts). */
  planTransferred = (tx: Parameters<typeof transfers.planTransferred>[1], e: AcrossCompleted) =>
    transfers.planTransferred(this.d, tx, e).then(() => undefined);
  readonly transferIn = this.on(transfers.transferIn);
  readonly recordTransferTold = this.on(transfers.recordTold);

  // ---- reads (read.ts)
  readonly amendment = this.on(read.amendment);
  readonly cessation = this.on(read.cessation);
  readonly changes = this.on(read.changes);
  /** The notice of a decision to cease as a tagged PDF (its read logged, channel export); 409 before a notice. */
  async ceaseNoticePdf(user: AuthUser, planId: string, cessationId: string): Promise<Buffer> {
    const r = await read.cessation(this.d, user, planId, cessationId, 'export');
    if (!r.cessation.notice_date) throw new Conflict('No notice has been sent: record the decision to cease first.');
    return ceaseNoticePdf(r);
  }
  panel(planId: string) {
    return read.planChangesPanel(this.d.db, planId, this.today());
  }
}
