// Where an assessment is, read from the engine (its ehc-needs-assessment instance): the stage shown on lists and
// pages, and the open/closed status the API reports. Advice requests still waiting for a draft end with it.
import type { Executor, Tx } from '../../db/database.ts';
import type { EhcpDeps } from './context.ts';
import { stageOf } from './labels.ts';

const STEP_STAGES: Record<string, string> = {
  decide_whether_to_assess: 'Deciding whether to assess',
  gather_advice: 'Gathering advice',
  representations: 'Draft plan served',
  issue_final_plan: 'Draft plan served',
};
const RESULT_STAGES: Record<string, string> = {
  not_assessed: 'Decided not to assess',
  not_issued: 'Decided not to issue a plan',
  final_issued: 'Final plan issued',
};

type Row = Parameters<typeof stageOf>[0] & { protocol_instance_id: string | null; status: 'open' | 'closed' };

/** The rows with `stage` and `status` from their protocol instances (the recorded dates only for a row without). */
export async function withStage<R extends Row>(d: EhcpDeps, db: Executor, rows: R[]) {
  const ids = rows.map((r) => r.protocol_instance_id).filter((x): x is string => Boolean(x));
  const states = ids.length ? await d.flows.assessment.states(db, ids) : new Map();
  return rows.map((r) => {
    const s = r.protocol_instance_id ? states.get(r.protocol_instance_id) : undefined;
    if (!s) return { ...r, stage: stageOf(r), step: null, stepDue: null };
    const stage = s.step
      ? (STEP_STAGES[s.step] ?? s.stepTitle ?? '')
      : (RESULT_STAGES[s.result ?? ''] ?? (s.result ?? '').replace(/_/g, ' '));
    return {
      ...r,
      stage,
      status: s.status === 'ended' ? ('closed' as const) : ('open' as const),
      step: s.stepTitle,
      stepDue: s.due,
    };
  });
}

/** The assessment has ended: its advice requests that were waiting for the draft end too. */
export async function closeAdvice(d: EhcpDeps, tx: Tx, assessmentId: string, actorId: string) {
  const rows = await tx
    .selectFrom('ehcp_advice_requests')
    .where('assessment_id', '=', assessmentId)
    .where('protocol_instance_id', 'is not', null)
    .select('protocol_instance_id')
    .execute();
  for (const r of rows)
    await d.flows.advice.advance(tx, r.protocol_instance_id as string, 'closed', actorId, {
      at: ['advice_received'],
      ifOpen: true,
    });
}
