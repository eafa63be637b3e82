// What a panel is told about a case: needs and blockers from the plan and, for the pseudonymised panels, the
// summary redact.ts writes without name, date of birth, address or identifier.
import type { Tx } from '../../db/database.ts';
import { type Ctx, OPEN_ACTION } from './context.ts';
import { type Identity, pseudonymisedSummary } from './redact.ts';
import * as repo from './repository.ts';

/** Needs and blockers for a panel, from the plan: the young person's needs and the actions without an owner. */
export async function caseFacts(ctx: Ctx, tx: Tx, personId: string) {
  const plan = await repo.planOf(tx, personId);
  if (!plan) return { needs: null, blockedBy: null, issueType: null as 'gap' | 'capacity' | null };
  const actions = await repo.actionsOf(tx, plan.id);
  const today = ctx.today();
  const blocked = actions
    .filter((a) => (OPEN_ACTION as readonly string[]).includes(a.status))
    .filter((a) => (!a.owner_user_id && !a.owner_service_id) || (a.due_date !== null && a.due_date < today))
    .map((a) => `${a.description}${!a.owner_user_id && !a.owner_service_id ? ' (no owner)' : ' (overdue)'}`);
  const issue = actions.find((a) => a.issue_type)?.issue_type ?? null;
  return { needs: plan.needs, blockedBy: blocked.join('; ') || null, issueType: issue };
}

export async function summaryFor(
  ctx: Ctx,
  tx: Tx,
  personId: string,
  item: { needs: string | null; blocked_by: string | null; question: string | null; issue_type: string | null },
) {
  const identity: Identity = await repo.identityOf(tx, personId);
  // The label is filled in per meeting (A, B, C in agenda order): see meeting() in meetings.ts.
  return pseudonymisedSummary('{label}', identity, ctx.today(), {
    needs: item.needs,
    blockedBy: item.blocked_by,
    question: item.question,
    issueType: item.issue_type,
  });
}
