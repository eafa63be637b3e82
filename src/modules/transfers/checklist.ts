// The transfer standards the originating team completes (Kent protocol 5.1): each change records itself and lets
// the engine move the transfer's checklist steps on (their facts: flow.ts).
import type { Tx } from '../../db/database.ts';
import { Forbidden } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { type BaseCtx, type Ctx, forChange, isManagerOf, type Loaded, PREPARING, touch } from './context.ts';
import { activeSuspensions } from './overview.ts';
import * as repo from './repository.ts';
import { checklist, checklistComplete } from './rules.ts';
import type { Assessment, Meeting, Quality, Summary } from './schemas.ts';

export async function checklistFacts(ctx: BaseCtx, tx: Tx, x: Loaded) {
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

/** A change to a transfer, as its timeline line and audit row say it. */
export interface TransferChange {
  title: string;
  action: string;
  detail?: Record<string, unknown>;
  /** The timeline line's detail (free text the user wrote). */
  note?: string | null;
}

/**
 * Records a change to a transfer on the record it belongs to (timeline and audit), a second audit row for a
 * receiving authority acting on another authority's record, and lets the engine take the steps now done.
 */
export async function record(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  x: { id: string; person_id: string; authority_id: string },
  c: TransferChange,
) {
  const detail = c.detail ?? {};
  await recordChange(tx, {
    actor: { id: user.id, authorityId: x.authority_id },
    personId: x.person_id,
    kind: 'transfer',
    title: c.title,
    detail: c.note ?? null,
    audit: { action: c.action, entity: 'transfer', entityId: x.id, detail },
  });
  if (x.authority_id !== user.authorityId)
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: c.action,
      entity: 'incoming_transfer',
      entityId: x.id,
      detail: { ...detail, from_authority_id: x.authority_id },
    });
  await syncFlow(ctx, tx, x.id, user.id);
}

/** Which transfer a step acts on, and the version the user read (optional: pages and the API send it). */
export interface At {
  personId: string;
  transferId: string;
  version?: number | null;
}

/** What one step of preparing a transfer writes on it and how it is recorded (and what it returns). */
interface Prepared<R> {
  set: Record<string, unknown>;
  change: TransferChange;
  result?: R;
}

/**
 * One step while the originating team prepares the transfer: locked at the version the user read, refused with
 * `refusal(x)` when that says so, then the fields set and the change recorded, in one transaction.
 */
export async function prepare<R = void>(
  ctx: Ctx,
  user: AuthUser,
  at: At,
  refusal: (x: Loaded) => string | null,
  step: (tx: Tx, x: Loaded) => Prepared<R> | Promise<Prepared<R>>,
): Promise<R | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const x = await forChange(tx, user, at.personId, at.transferId, at.version, PREPARING);
    const refused = refusal(x);
    if (refused) throw new Forbidden(refused);
    const done = await step(tx, x);
    await touch(tx, x.id, done.set);
    await record(ctx, tx, user, x, done.change);
    return done.result;
  });
}

/** Refused unless the user is in the originating team. */
export const inTeam = (user: AuthUser, message: string) => (x: Loaded) =>
  user.teamIds.includes(x.from_team_id) ? null : message;

export async function recordAssessment(ctx: Ctx, user: AuthUser, personId: string, input: Assessment) {
  return ctx.db.transaction().execute(async (tx) => {
    const inv = await tx
      .selectFrom('involvements')
      .where('id', '=', input.involvement_id)
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
        kind: input.kind,
        completed_on: input.completed_date,
        recorded_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const l of await repo.liveTransfersFrom(tx, inv.id)) await syncFlow(ctx, tx, l.id, user.id);
    await recordChange(tx, {
      actor: user,
      personId,
      kind: 'assessment',
      title: `${input.kind} completed`,
      detail: `Completed ${input.completed_date}`,
      audit: { action: 'create', entity: 'assessment', entityId: row.id },
    });
    return row.id;
  });
}

export async function writeSummary(ctx: Ctx, user: AuthUser, at: At, input: Summary) {
  await prepare(ctx, user, at, inTeam(user, 'The originating team writes the transfer summary.'), () => ({
    // A changed summary needs signing off again; its writer is kept so they cannot also quality-assure the file.
    set: { ...input, summary_written_by: user.id, summary_signed_off_by: null, summary_signed_off_at: null },
    change: { title: 'Transfer summary written', action: 'summary' },
  }));
}

export async function signOff(ctx: Ctx, user: AuthUser, at: At) {
  const manages = (x: Loaded) =>
    isManagerOf(user, x.from_team_id) && user.roles.some((r) => r === 'team_manager' || r === 'service_manager')
      ? null
      : 'Transfer summaries are signed off by the team manager.';
  await prepare(ctx, user, at, manages, (_tx, x) => {
    if (!x.summary_updated_information)
      throw new ValidationError({ sign_off: 'Write the transfer summary before signing it off' });
    return {
      set: { summary_signed_off_by: user.id, summary_signed_off_at: ctx.now() },
      change: { title: 'Transfer summary signed off by the team manager', action: 'sign-off' },
    };
  });
}

/** The refusal when the summary's writer tries to quality-assure the file too. */
export const SAME_PERSON =
  'You wrote the transfer summary, so another manager must quality-assure the file: ask the supervising manager of the allocated worker';

export async function qualityAssure(ctx: Ctx, user: AuthUser, at: At, input: Quality) {
  const supervises = (x: Loaded) => {
    if (x.from_worker_line_manager_id !== user.id && !isManagerOf(user, x.from_team_id))
      return 'The file is quality-assured by the supervising manager.';
    return x.from_worker_id === user.id ? 'The allocated worker cannot quality-assure their own file.' : null;
  };
  await prepare(ctx, user, at, supervises, (_tx, x) => {
    // Kent 5.1: the summary's writer and the manager assuring the file are two people (separation of duties).
    if (x.summary_written_by === user.id) throw new ValidationError({ qa_notes: SAME_PERSON });
    return {
      set: { qa_by: user.id, qa_at: ctx.now(), qa_notes: input.qa_notes },
      change: { title: 'File quality-assured by the supervising manager', action: 'quality-assure' },
    };
  });
}

export async function recordMeeting(ctx: Ctx, user: AuthUser, at: At, input: Meeting) {
  const date = input.meeting_held === 'yes' ? input.meeting_date : null;
  const why = input.meeting_held === 'no' ? input.meeting_not_possible_reason : null;
  await prepare(ctx, user, at, inTeam(user, 'The originating team arranges the handover meeting.'), () => ({
    set: { meeting_date: date, meeting_not_possible_reason: why },
    change: {
      title: date ? `Handover meeting on ${date}` : 'Handover meeting not possible',
      action: 'meeting',
      note: why,
    },
  }));
}
