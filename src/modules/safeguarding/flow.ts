// The screening's workflows on the protocol engine. The definitions (src/protocols/exploitation-*.ts) hold the
// steps, owners, deadlines and ladders; the module starts and moves instances inside its own transactions. The
// screenings table has no status column: where a screening is comes from its instance.
import { exploitationImmediateReferral } from '../../protocols/exploitation-immediate-referral.ts';
import { exploitationRescreen } from '../../protocols/exploitation-rescreen.ts';
import { exploitationScreening } from '../../protocols/exploitation-screening.ts';
import type { ModuleContext } from '../kit/context.ts';
import type { SafeguardingCtx } from './context.ts';
import { instrumentLoader } from './instruments.ts';

/** Takes both workflows as the safeguarding module's (called once, when the service is built). */
export function driveSafeguarding(base: ModuleContext): SafeguardingCtx {
  const screening = base.protocols.drive(exploitationScreening, {
    where: 'it follows the screening, so confirm the level or review it on the screening page of this record.',
  });
  const referral = base.protocols.drive(exploitationImmediateReferral, {
    where: 'record the referral on the screening page of this record.',
  });
  const rescreen = base.protocols.drive(exploitationRescreen, {
    where: 'it ends when the young person is screened again from this record.',
  });
  return { ...base, screening, referral, rescreen, instruments: instrumentLoader(base.config.screeningDir) };
}
