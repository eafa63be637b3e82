// Panel meetings and their agendas: the forum referral form that puts a case on one, a meeting's agenda (by name on
// the forum, pseudonymised on the Governance Group and SEND board), decisions and minutes.
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { formatDate } from '../../http/views.ts';
import { insertAudit } from '../audit/repository.ts';
import { insertAction } from './actions.ts';
import { type Ctx, record } from './context.ts';
import { decideDevonStepIn } from './escalation.ts';
import { ensurePanels, mayView, nextMeeting, PANEL_KINDS, panelRow } from './panels.ts';
import { pseudonym } from './redact.ts';
import * as repo from './repository.ts';
import {
  ActionInput,
  type DecisionInput,
  type ForumReferralInput,
  type MeetingInput,
  type MinutesInput,
} from './schemas.ts';
import { panelFacts } from './summaries.ts';

/** The forum referral form (Devon protocol steps 4, 7, 9): puts the case on the forum's agenda. */
export async function referToForum(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  input: ForumReferralInput,
): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const panels = await ensurePanels(tx, user.authorityId);
    const meeting = await nextMeeting(ctx, tx, panels.forum);
    const row = await tx
      .insertInto('panel_items')
      .values({
        authority_id: user.authorityId,
        panel_id: panels.forum,
        meeting_id: meeting?.id ?? null,
        person_id: personId,
        source: 'referral_form',
        ...input,
        referred_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await record(tx, user, personId, 'Referred to the 16-17 Transitions Forum', {
      action: 'create',
      entity: 'panel_item',
      entityId: row.id,
      detail: { issue_type: input.issue_type },
    });
    await decideDevonStepIn(ctx, tx, user, personId, 'forum_referral', 'referred');
    return row.id;
  });
}

/** A new meeting; the cases referred and waiting for a meeting go on its agenda. */
export async function createMeeting(ctx: Ctx, user: AuthUser, panelId: string, input: MeetingInput): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const p = await panelRow(ctx, user, panelId);
    const row = await tx
      .insertInto('panel_meetings')
      .values({ authority_id: user.authorityId, panel_id: p.id, meeting_date: input.meeting_date })
      .returning('id')
      .executeTakeFirstOrThrow();
    const added = await tx
      .updateTable('panel_items')
      .set({ meeting_id: row.id })
      .where('panel_id', '=', p.id)
      .where('meeting_id', 'is', null)
      .where('status', '=', 'open')
      .executeTakeFirst();
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'create',
      entity: 'panel_meeting',
      entityId: row.id,
      detail: { panel_id: p.id, meeting_date: input.meeting_date, agenda_items: Number(added.numUpdatedRows) },
    });
    return row.id;
  });
}

async function meetingRow(ctx: Ctx, user: AuthUser, meetingId: string) {
  const m = await ctx.db
    .selectFrom('panel_meetings as m')
    .innerJoin('panels as p', 'p.id', 'm.panel_id')
    .where('m.id', '=', meetingId)
    .where('m.authority_id', '=', user.authorityId)
    .where('p.kind', 'in', PANEL_KINDS)
    .select([
      'm.id',
      'm.panel_id',
      'm.meeting_date',
      'm.status',
      'm.minutes',
      'm.version',
      'p.name as panel_name',
      'p.kind',
      'p.pseudonymised',
    ])
    .executeTakeFirst();
  if (!m) throw new NotFound('No meeting with that reference.');
  if (!(await mayView(ctx, user, m.panel_id))) throw new Forbidden('Only the panel’s members can see its meetings.');
  return m;
}

/**
 * A meeting and its agenda. On a pseudonymised panel each item is only "Young person A", structured facts and the
 * summary written and checked for that panel: no free text from the plan reaches the page (quality.md S15).
 * On the forum, members see names and link to the record (their agenda item opens it: modules/access).
 */
export async function meeting(ctx: Ctx, user: AuthUser, meetingId: string) {
  const m = await meetingRow(ctx, user, meetingId);
  const rows = await repo.agendaOf(ctx.db, m.id);
  const decisions = await repo.decisionsOfItems(
    ctx.db,
    rows.map((r) => r.id),
  );
  // Pseudonymised panels: structured facts and the summary written for the panel; nothing else about the case.
  const facts = m.pseudonymised ? await panelFacts(ctx.db, ctx.today(), rows) : new Map();
  const items = rows.map((r, i) => {
    const label = pseudonym(i);
    const mine = decisions
      .filter((d) => d.item_id === r.id)
      .map((d) => ({
        ...d,
        decision: d.decision,
        action_description: m.pseudonymised ? null : d.action_description,
      }));
    if (m.pseudonymised)
      return {
        id: r.id,
        label,
        question: r.question,
        facts: facts.get(r.id) ?? null,
        summary: r.summary,
        status: r.status,
        issue_type: r.issue_type,
        decisions: mine,
      };
    return { ...r, label: `${r.given_name} ${r.family_name}`, decisions: mine };
  });
  const services = m.pseudonymised
    ? []
    : await ctx.db
        .selectFrom('services')
        .where('authority_id', '=', user.authorityId)
        .orderBy('name')
        .select(['id', 'name'])
        .execute();
  const staff =
    m.pseudonymised || !user.caps.has('panel:manage')
      ? []
      : await ctx.db
          .selectFrom('users')
          .where('authority_id', '=', user.authorityId)
          .where('active', '=', true)
          .orderBy('display_name')
          .select(['id', 'display_name'])
          .execute();
  const members = await repo.membersOf(ctx.db, m.panel_id);
  return { meeting: m, items, services, staff, members, canManage: user.caps.has('panel:manage') };
}

/** Refuses decisions or minutes for a meeting that has not happened yet (issue 11 defect 5), on `field`. */
function notYet(ctx: Ctx, m: { meeting_date: string }, field: string, what: string) {
  if (m.meeting_date > ctx.today())
    throw new ValidationError({
      [field]: `This meeting is on ${formatDate(m.meeting_date)}: record its ${what} on or after that day, once it has been held`,
    });
}

/** A decision on an agenda item; on the forum it can create an owned action on the young person's plan. */
export async function recordDecision(
  ctx: Ctx,
  user: AuthUser,
  meetingId: string,
  itemId: string,
  input: DecisionInput,
): Promise<void> {
  const m = await meetingRow(ctx, user, meetingId);
  notYet(ctx, m, 'decision', 'decisions');
  if (m.pseudonymised && input.action_description)
    throw new ValidationError({
      action_description:
        'The Governance Group and SEND board work without personal details: record the responsible service in the decision, and the forum adds the action to the plan',
    });
  await ctx.db.transaction().execute(async (tx) => {
    const item = await tx
      .selectFrom('panel_items')
      .where('id', '=', itemId)
      .where('meeting_id', '=', m.id)
      .selectAll()
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw new NotFound('No item with that reference on this agenda.');
    // The forum's action for the plan, read as the plan's own action form reads it (not started, no goal).
    const { action_description: description, owner_user_id, owner_service_id, due_date } = input;
    const action = description
      ? ActionInput.parse({ description, owner_user_id, owner_service_id, due_date }, { today: ctx.today() })
      : null;
    const source = `${m.panel_name} decision`;
    const actionId = action ? await insertAction(ctx, tx, user, item.person_id, action, source) : null;
    const row = await tx
      .insertInto('panel_decisions')
      .values({
        authority_id: user.authorityId,
        item_id: item.id,
        meeting_id: m.id,
        decision: input.decision,
        action_id: actionId,
        decided_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.close_item)
      await tx.updateTable('panel_items').set({ status: 'closed' }).where('id', '=', item.id).execute();
    // The decision text of a pseudonymised panel is about "Young person A": it is safe on the record too.
    await record(
      tx,
      user,
      item.person_id,
      `${m.panel_name} decision recorded`,
      {
        action: 'decide',
        entity: 'panel_item',
        entityId: item.id,
        detail: { decision_id: row.id, action_id: actionId, closed: input.close_item },
      },
      { detail: input.decision, kind: 'panel' },
    );
  });
}

export async function saveMinutes(
  ctx: Ctx,
  user: AuthUser,
  meetingId: string,
  { minutes, version }: MinutesInput,
): Promise<void> {
  const m = await meetingRow(ctx, user, meetingId);
  notYet(ctx, m, 'minutes', 'minutes');
  await ctx.db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('panel_meetings')
      .set({ minutes, status: 'held', version: m.version + 1 })
      .where('id', '=', m.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new Conflict('Someone else changed these minutes. Reload the meeting and make your changes again.');
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'minutes',
      entity: 'panel_meeting',
      entityId: m.id,
    });
  });
}
