// What a panel is told about a case. The forum (by name) gets needs and blockers from the plan. The pseudonymised
// panels (Governance Group, SEND board) get structured facts only, computed here, plus the summary the worker wrote
// for them (audience.ts): free text from the plan never reaches them (issue 9 finding 2, quality.md S15).
import type { Executor, Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { londonToday } from '../../domain/calendar.ts';
import { DEVON_TRANSITIONS_ID, devonTransitions } from '../../protocols/devon-transitions-16-17.ts';
import { type Ctx, isOpenAction } from './context.ts';
import { turns18Phrase } from './redact.ts';
import * as repo from './repository.ts';
import { NEEDS_CATEGORIES, OUTCOME_KEYS, OUTCOMES } from './schemas.ts';

/** Needs and blockers for the forum, from the plan: the young person's needs and the actions without an owner. */
export async function caseFacts(ctx: Ctx, tx: Tx, personId: string) {
  const plan = await repo.planOf(tx, personId);
  if (!plan) return { needs: null, blockedBy: null, issueType: null as 'gap' | 'capacity' | null };
  const actions = await repo.actionsOf(tx, plan.id);
  const today = ctx.today();
  const blocked = actions
    .filter((a) => isOpenAction(a.status))
    .filter((a) => (!a.owner_user_id && !a.owner_service_id) || (a.due_date !== null && a.due_date < today))
    .map((a) => `${a.description}${!a.owner_user_id && !a.owner_service_id ? ' (no owner)' : ' (overdue)'}`);
  const issue = actions.find((a) => a.issue_type)?.issue_type ?? null;
  return { needs: plan.needs, blockedBy: blocked.join('; ') || null, issueType: issue };
}

export interface PanelFacts {
  age: number;
  turns_18: string;
  needs: string[];
  missing_outcomes: string[];
  steps: { step: string; entered_on: string; decided_on: string | null }[];
}

/**
 * The structured facts of pseudonymised agenda items: age in years, months to 18 (never a date of birth), needs
 * categories, which plan outcomes are not yet met, and the protocol steps with their dates. No free text.
 */
export async function panelFacts(
  db: Executor,
  today: string,
  items: { id: string; person_id: string; protocol_step_id: string | null; needs_categories: string[] }[],
): Promise<Map<string, PanelFacts>> {
  const out = new Map<string, PanelFacts>();
  if (!items.length) return out;
  const personIds = [...new Set(items.map((i) => i.person_id))];
  const stepIds = items.map((i) => i.protocol_step_id).filter((x): x is string => Boolean(x));
  const [people, plans, steps] = await Promise.all([
    db.selectFrom('people').where('id', 'in', personIds).select(['id', 'date_of_birth']).execute(),
    db
      .selectFrom('plans')
      .where('person_id', 'in', personIds)
      .select(['person_id', ...OUTCOME_KEYS])
      .execute(),
    stepIds.length
      ? db
          .selectFrom('protocol_steps as s')
          .innerJoin('protocol_steps as here', 'here.instance_id', 's.instance_id')
          .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
          .where('here.id', 'in', stepIds)
          .where('i.protocol_id', '=', DEVON_TRANSITIONS_ID)
          .orderBy('s.entered_at')
          .select(['here.id as item_step', 's.step_key', 's.entered_on', 's.decided_at'])
          .execute()
      : [],
  ]);
  const titles = new Map<string, string>(devonTransitions.steps.map((s) => [s.id, s.title]));
  for (const item of items) {
    const person = people.find((p) => p.id === item.person_id);
    if (!person) continue;
    const plan = plans.find((p) => p.person_id === item.person_id);
    out.set(item.id, {
      age: ageOn(person.date_of_birth, today),
      turns_18: turns18Phrase(person.date_of_birth, today),
      needs: item.needs_categories.map((c) => (NEEDS_CATEGORIES as Record<string, string>)[c] ?? c),
      missing_outcomes: OUTCOME_KEYS.filter((k) => !plan?.[k]).map((k) => OUTCOMES[k]),
      steps: steps
        .filter((s) => s.item_step === item.protocol_step_id)
        .map((s) => ({
          step: titles.get(s.step_key) ?? s.step_key,
          entered_on: s.entered_on,
          decided_on: s.decided_at ? londonToday(s.decided_at) : null,
        })),
    });
  }
  return out;
}
