// The safeguarding module's shared context: the module kit's (db, config, clock, the engine) with the two
// workflows it drives (flow.ts): the screening's route and the immediate referral after a significant incident.
import type { exploitationImmediateReferral } from '../../protocols/exploitation-immediate-referral.ts';
import type { exploitationRescreen } from '../../protocols/exploitation-rescreen.ts';
import type { exploitationScreening } from '../../protocols/exploitation-screening.ts';
import type { ModuleContext } from '../kit/context.ts';
import type { Flow } from '../protocols/service.ts';
import type { InstrumentRegistry } from '../screening/registry.ts';

export interface SafeguardingCtx extends ModuleContext {
  /** One instance per screening: confirm_level, then review; ends rescreened or closed. */
  readonly screening: Flow<typeof exploitationScreening>;
  /** One instance per screening with a significant incident: refer by the next working day. */
  readonly referral: Flow<typeof exploitationImmediateReferral>;
  /** An early re-screen when no screening is running (a missing episode, a placement move, new intelligence). */
  readonly rescreen: Flow<typeof exploitationRescreen>;
  /** The loaded instruments: the built-ins and SCREENING_DIR (read once, on first use). */
  instruments(): Promise<InstrumentRegistry>;
}
