// When a plan ceases or moves to another council, the changes still open on it end with it, in the same transaction:
// the open amendment takes its protocol's `closed` outcome (recorded as withdrawn), an open cessation (on a transfer)
// takes its `closed` outcome (recorded as not having ceased the plan), and the text being edited is withdrawn, so no
// clock keeps escalating and nothing can be edited on a plan this council no longer maintains.
import type { Tx } from '../../db/database.ts';
import type { PlanChangeDeps } from './context.ts';
import * as repo from './repository.ts';

export async function closeOpenChanges(
  d: PlanChangeDeps,
  tx: Tx,
  planId: string,
  actorId: string | null,
  reason: string,
): Promise<void> {
  const a = await repo.openAmendment(tx, planId);
  if (a?.protocol_instance_id) {
    await d.flows.amendment.update(tx, a.protocol_instance_id, { data: { decision_reason: reason } });
    await d.flows.amendment.advance(tx, a.protocol_instance_id, 'closed', actorId, { ifOpen: true });
  } else if (a)
    await repo.updateAmendment(
      tx,
      a.id,
      { outcome: 'withdrawn', decided_date: d.today(), decision_reason: reason },
      d.now(),
    );
  const c = await repo.openCessation(tx, planId);
  if (c?.protocol_instance_id)
    await d.flows.cessation.advance(tx, c.protocol_instance_id, 'closed', actorId, { ifOpen: true });
  else if (c) await repo.updateCessation(tx, c.id, { outcome: 'maintained' }, d.now());
  await repo.withdrawEditingVersions(tx, planId, d.now());
}
