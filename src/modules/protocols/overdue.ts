// A step's overdue ladder at run time: each rung (remind, notify, escalate, move on) run by the deadline sweep
// inside its transaction, leaving one timeline line and one audit row.
import type { Tx } from '../../db/database.ts';
import type { OverdueRung } from '../../domain/protocol/definition.ts';
import { insertAudit } from '../audit/repository.ts';
import { type CaseContext, type Owner, resolveOwner } from './owners.ts';
import { type ProtocolRuntime, reference } from './runtime.ts';
import { type StepRow, setStepOwner, stepRow } from './step-repository.ts';

/** Runs one rung of a step's overdue ladder. Does nothing if the step has closed or the rung is gone. */
export async function fireRung(rt: ProtocolRuntime, tx: Tx, stepId: string, rungIndex: number): Promise<void> {
  const s = await stepRow(tx, stepId);
  if (s?.status !== 'open') return;
  const def = await rt.definition(s.protocol_id, s.protocol_version);
  const step = rt.stepDef(def, s.step_key);
  const rung = step.overdue?.[rungIndex];
  if (!rung) return;
  const say = { link: `/people/${s.person_id}/protocols/${s.instance_id}`, ref: reference(s.case_number, s.step_key) };
  const record = async (title: string) => {
    await rt.record(tx, s, null, title);
    await insertAudit(tx, {
      authorityId: s.authority_id,
      actorId: null,
      action: 'overdue',
      entity: 'protocol_step',
      entityId: s.id,
      personId: s.person_id,
      detail: { rung: rungIndex, action: rung.action },
    });
  };
  if (rung.action === 'remind') {
    await rt.tell(tx, s.authority_id, currentOwner(s), `Overdue: ${step.title}`, say.link, say.ref, s.id);
    await record(`${step.title}: overdue, reminder sent to ${s.owner_label}`);
  } else if (rung.action === 'notify') {
    const who = await resolveOwner(tx, rung.to as string, caseContext(s));
    const message = `Overdue step on a case you oversee: ${step.title}`;
    await rt.tell(tx, s.authority_id, who, message, say.link, say.ref, s.id);
    await record(`${step.title}: overdue, ${who.label} told`);
  } else if (rung.action === 'escalate') {
    const who = await resolveOwner(tx, rung.to as string, caseContext(s));
    await setStepOwner(tx, s.id, who, { escalated: true });
    await rt.stepMoved(tx, s.authority_id, s.id, 'reowned');
    await rt.tell(tx, s.authority_id, who, `Escalated to you, overdue: ${step.title}`, say.link, say.ref, s.id);
    await record(`${step.title}: overdue, escalated from ${s.owner_label} to ${who.label}`);
  } else {
    await moveOn(rt, tx, s, rung, record);
  }
}

async function moveOn(
  rt: ProtocolRuntime,
  tx: Tx,
  s: StepRow,
  rung: OverdueRung,
  record: (t: string) => Promise<void>,
) {
  const def = await rt.definition(s.protocol_id, s.protocol_version);
  const step = rt.stepDef(def, s.step_key);
  const target = rt.stepDef(def, rung.to as string);
  const outcomeId = rung.outcome ?? step.outcomes.find((o) => o.to === target.id)?.id;
  await record(`${step.title}: overdue, moved on to ${target.title}`);
  if (outcomeId) await rt.applyOutcome(tx, s, def, step, outcomeId, {}, null);
  else await rt.moveOnOverdue(tx, s, def, target.id);
  await rt.settle(tx, s.instance_id, null);
}

function caseContext(s: StepRow): CaseContext {
  return {
    authorityId: s.authority_id,
    involvementId: s.involvement_id,
    startedBy: s.started_by,
    data: s.data as Record<string, unknown>,
  };
}

function currentOwner(s: StepRow): Owner {
  return {
    userId: s.owner_user_id,
    teamId: s.owner_team_id,
    role: s.owner_role,
    serviceId: s.owner_service_id,
    label: s.owner_label,
  };
}
