// The transfer's two workflows on the protocol engine: the Kent transfer itself (kent-team-transfer) and a capacity
// block escalated to the service manager (kent-capacity-escalation). The definitions hold the steps, owners,
// deadlines and ladders; this file supplies the facts they wait for and keeps the transfer's `status` column a
// projection of where its instance is (written only here, by the engine's hooks, inside its transaction), so the
// lists and the one-live-transfer index read it without a second status machine.
import type { Tx } from '../../db/database.ts';
import { kentCapacityEscalation } from '../../protocols/kent-capacity-escalation.ts';
import { kentTeamTransfer } from '../../protocols/kent-team-transfer.ts';
import type { FlowState } from '../protocols/service.ts';
import { checklistFacts } from './checklist.ts';
import type { BaseCtx, Ctx } from './context.ts';
import * as repo from './repository.ts';
import type { TransferStatus } from './rules.ts';

type TransferStep = NonNullable<FlowState<typeof kentTeamTransfer>['step']>;

/** The steps while the originating team prepares the transfer (the checklist, then sending it). */
const PREPARING: readonly string[] = [
  'request',
  'summary',
  'sign_off',
  'quality_assurance',
  'notices',
  'handover_meeting',
  'send',
] satisfies TransferStep[];

/**
 * The transfer's status at a step of its instance: preparing ('returned' once it has come back with missing
 * work), sent, returned, accepted. Null for a step a council's own version added: the status stays as it was.
 */
export function statusAt(step: string, everReturned: boolean): TransferStatus | null {
  if (step === ('receiving_decision' satisfies TransferStep)) return 'sent';
  if (step === ('remedial_work' satisfies TransferStep)) return 'returned';
  if (step === ('allocation' satisfies TransferStep)) return 'accepted';
  if (PREPARING.includes(step)) return everReturned ? 'returned' : 'requested';
  return null;
}

async function setStatus(tx: Tx, transferId: unknown, status: (returnedAt: Date | null) => TransferStatus | null) {
  if (typeof transferId !== 'string') return;
  const row = await tx.selectFrom('transfers').where('id', '=', transferId).select('returned_at').executeTakeFirst();
  const to = row ? status(row.returned_at) : null;
  if (to) await tx.updateTable('transfers').set({ status: to }).where('id', '=', transferId).execute();
}

/** The facts the transfer's `when` outcomes wait for, from its checklist (rules.ts) as it stands in `tx`. */
async function transferFacts(ctx: BaseCtx, tx: Tx, authorityId: string, personId: string, transferId: unknown) {
  const x = typeof transferId === 'string' ? await repo.findTransfer(tx, authorityId, personId, transferId) : null;
  if (!x) return {};
  const st = Object.fromEntries((await checklistFacts(ctx, tx, x)).checklist.map((t) => [t.key, t.status])) as Record<
    string,
    string | undefined
  >;
  return {
    summary_written: st.summary === 'completed',
    summary_not_needed: st.summary === 'not_needed',
    summary_signed_off: st.sign_off === 'completed',
    summary_unsigned: st.sign_off === 'incomplete' || st.sign_off === 'cannot_start',
    file_assured: st.quality_assurance === 'completed',
    assurance_suspended: st.quality_assurance === 'not_needed',
    notices_sent: st.notices === 'completed',
    meeting_recorded: st.handover_meeting === 'completed',
    meeting_suspended: st.handover_meeting === 'not_needed',
    missing_work_done: st.remedial_work === undefined,
  };
}

/** Takes both workflows as the transfer module's (called once, when the service is built). */
export function driveTransfers(base: BaseCtx): Ctx {
  const transfer = base.protocols.drive(kentTeamTransfer, {
    where: 'it follows the transfer, so act on the transfer page of this record.',
    hooks: {
      facts: (tx, e) => transferFacts(base, tx, e.authorityId, e.personId, e.data.transfer_id),
      entered: (e) => setStatus(e.tx, e.data.transfer_id, (returnedAt) => statusAt(e.step, returnedAt !== null)),
      ended: (e) => setStatus(e.tx, e.data.transfer_id, () => (e.result === 'transferred' ? 'completed' : 'cancelled')),
    },
  });
  const capacity = base.protocols.drive(kentCapacityEscalation, {
    where: 'it ends when the receiving team allocates a worker on the transfer page of this record.',
    hooks: {
      facts: async (tx, e) => {
        const x =
          typeof e.data.transfer_id === 'string'
            ? await tx.selectFrom('transfers').where('id', '=', e.data.transfer_id).select('status').executeTakeFirst()
            : undefined;
        return { worker_allocated: x?.status === 'completed' };
      },
    },
  });
  return { ...base, transfer, capacity, acrossCompleted: [] };
}
