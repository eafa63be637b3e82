// The transfer standards the originating team completes (Kent protocol 5.1): each change records itself and lets
// the engine move the transfer's checklist steps on (their facts: flow.ts).
import type { Tx } from '../../db/database.ts';
import { Forbidden } from '../../http/errors.ts';
import { type Body, dateInput, isRealDate, text, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { type BaseCtx, type Ctx, forChange, isManagerOf, longText, touch } from './context.ts';
import { activeSuspensions } from './overview.ts';
import * as repo from './repository.ts';
import { checklist, checklistComplete, LIVE } from './rules.ts';

export async function checklistFacts(
  ctx: BaseCtx,
  tx: Tx,
  x: NonNullable<Awaited<ReturnType<typeof repo.findTransfer>>>,
) {
  const [latest, tasks, suspensions] = await Promise.all([
    repo.latestAssessment(tx, x.from_involvement_id),
    repo.tasksOfTransfer(tx, x.id),
    activeSuspensions(ctx, x.authority_id, [x.from_team_id], tx),
  ]);
  const tasksOpen = tasks.filter((t) => t.kind === 'remedial' && !t.done_at).length;
  const list = checklist({
    today: ctx.today(),
    latestAssessment: latest?.completed_on ?? null,
    summaryWritten: Boolean(x.summary_updated_information),
    summarySignedOff: Boolean(x.summary_signed_off_at),
    qualityAssured: Boolean(x.qa_at),
    noticesSent: Boolean(x.notices_sent_at),
    meetingRecorded: Boolean(x.meeting_date || x.meeting_not_possible_reason),
    openRemedialTasks: tasksOpen,
    suspended: suspensions.map((s) => s.part),
  });
  return { latest, tasks, suspensions, checklist: list, complete: checklistComplete(list) };
}

/**
 * Lets the engine take the checklist steps whose facts now hold (flow.ts supplies them; the definition says which
 * outcome each fact takes). Called in every transaction that changes a fact the checklist reads.
 */
export async function syncFlow(ctx: Ctx, tx: Tx, transferId: string, actorId: string | null) {
  const row = await tx
    .selectFrom('transfers')
    .where('id', '=', transferId)
    .select('protocol_instance_id')
    .executeTakeFirst();
  if (row?.protocol_instance_id) await ctx.transfer.sync(tx, row.protocol_instance_id, actorId);
}

export async function record(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  personId: string,
  transferId: string,
  title: string,
  action: string,
  detail: Record<string, unknown> = {},
  eventDetail: string | null = null,
) {
  const owner = (
    await tx.selectFrom('people').where('id', '=', personId).select('authority_id').executeTakeFirstOrThrow()
  ).authority_id;
  await recordChange(tx, {
    actor: { id: user.id, authorityId: owner },
    personId,
    kind: 'transfer',
    title,
    detail: eventDetail,
    audit: { action, entity: 'transfer', entityId: transferId, detail },
  });
  // A receiving authority acting on another authority's record keeps its own audit row too.
  if (owner !== user.authorityId)
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action,
      entity: 'incoming_transfer',
      entityId: transferId,
      detail: { ...detail, from_authority_id: owner },
    });
  await syncFlow(ctx, tx, transferId, user.id);
}

export async function recordAssessment(ctx: Ctx, user: AuthUser, personId: string, body: Body) {
  const errors: Record<string, string> = {};
  const involvementId = text(body, 'involvement_id');
  if (!UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement the assessment belongs to';
  const kind = text(body, 'kind');
  if (!kind) errors.kind = 'Enter the kind of assessment, for example Child and family assessment';
  else if (kind.length > 200) errors.kind = 'Kind of assessment must be 200 characters or fewer';
  const completed = dateInput(body, 'completed_date').value;
  if (!completed) errors.completed_date = 'Enter the date the assessment was completed';
  else if (!isRealDate(completed)) errors.completed_date = 'The date the assessment was completed must be a real date';
  else if (completed > ctx.today())
    errors.completed_date = 'The date the assessment was completed must be today or in the past';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return ctx.db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('involvements')
      .where('id', '=', involvementId)
      .where('person_id', '=', personId)
      .where('authority_id', '=', user.authorityId)
      .select('id')
      .executeTakeFirst();
    if (!inv) throw new ValidationError({ involvement_id: 'Choose one of the involvements on this record' });
    const row = await tx
      .insertInto('assessments')
      .values({
        authority_id: user.authorityId,
        person_id: personId,
        involvement_id: inv.id,
        kind,
        completed_on: completed,
        recorded_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const live = await tx
      .selectFrom('transfers')
      .where('from_involvement_id', '=', inv.id)
      .where('status', 'in', LIVE)
      .select('id')
      .execute();
    for (const l of live) await syncFlow(ctx, tx, l.id, user.id);
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'assessment',
      title: `${kind} completed`,
      detail: `Completed ${completed}`,
      audit: { action: 'create', entity: 'assessment', entityId: row.id },
    });
    return row.id;
  });
}

export async function writeSummary(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const errors: Record<string, string> = {};
  const info = longText(body, 'summary_updated_information', 'the updated case information', errors);
  const dates = longText(body, 'summary_important_dates', 'the important dates', errors);
  const urgent = longText(body, 'summary_urgent_actions', 'the urgent actions to follow up, or "None"', errors);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    if (!user.teamIds.includes(x.from_team_id))
      throw new Forbidden('The originating team writes the transfer summary.');
    // A changed summary needs signing off again.
    await touch(tx, x.id, {
      summary_updated_information: info,
      summary_important_dates: dates,
      summary_urgent_actions: urgent,
      summary_signed_off_by: null,
      summary_signed_off_at: null,
    });
    await record(ctx, tx, user, personId, x.id, 'Transfer summary written', 'summary');
  });
}

export async function signOff(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    if (!isManagerOf(user, x.from_team_id) || !user.roles.some((r) => r === 'team_manager' || r === 'service_manager'))
      throw new Forbidden('Transfer summaries are signed off by the team manager.');
    if (!x.summary_updated_information)
      throw new ValidationError({ sign_off: 'Write the transfer summary before signing it off' });
    await touch(tx, x.id, { summary_signed_off_by: user.id, summary_signed_off_at: ctx.now() });
    await record(ctx, tx, user, personId, x.id, 'Transfer summary signed off by the team manager', 'sign-off');
  });
}

export async function qualityAssure(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const errors: Record<string, string> = {};
  const notes = longText(body, 'qa_notes', 'what you checked in the file', errors);
  if (text(body, 'qa_confirm') !== 'yes')
    errors.qa_confirm = 'Confirm that the records are up to date and the case meets the practice standards';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    const supervises = x.from_worker_line_manager_id === user.id || isManagerOf(user, x.from_team_id);
    if (!supervises) throw new Forbidden('The file is quality-assured by the supervising manager.');
    if (x.from_worker_id === user.id) throw new Forbidden('The allocated worker cannot quality-assure their own file.');
    await touch(tx, x.id, { qa_by: user.id, qa_at: ctx.now(), qa_notes: notes });
    await record(ctx, tx, user, personId, x.id, 'File quality-assured by the supervising manager', 'quality-assure');
  });
}

export async function recordMeeting(ctx: Ctx, user: AuthUser, personId: string, transferId: string, body: Body) {
  const errors: Record<string, string> = {};
  const held = text(body, 'meeting_held');
  let date: string | null = null;
  let why: string | null = null;
  if (held === 'yes') {
    const d = dateInput(body, 'meeting_date').value;
    if (!d) errors.meeting_date = 'Enter the date of the handover meeting';
    else if (!isRealDate(d)) errors.meeting_date = 'The date of the handover meeting must be a real date';
    else date = d;
  } else if (held === 'no') {
    why = longText(body, 'meeting_not_possible_reason', 'why a handover meeting is not possible', errors);
  } else errors.meeting_held = 'Say whether a handover meeting with the child and carer is taking place';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
    if (!user.teamIds.includes(x.from_team_id))
      throw new Forbidden('The originating team arranges the handover meeting.');
    await touch(tx, x.id, { meeting_date: date, meeting_not_possible_reason: why });
    await record(
      ctx,
      tx,
      user,
      personId,
      x.id,
      date ? `Handover meeting on ${date}` : 'Handover meeting not possible',
      'meeting',
      {},
      why,
    );
  });
}
