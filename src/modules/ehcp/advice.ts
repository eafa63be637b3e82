// Advice requests and the people who give advice: the coordinator asks (a member of staff, or someone outside
// invited by email); the advice giver sends advice and checks the draft plan (what they see: giver.ts).
import type { Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser, PersonAccess } from '../../http/types.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { fileInInbox, inboxHolder, inboxServices } from '../partners/inbox.ts';
import { assessment, notBeforeRequest } from './assessments.ts';
import { adviceDue } from './clocks.ts';
import { bumpAssessment, type EhcpDeps, ehcpChange, findPerson, lockedAssessment } from './context.ts';
import { invite } from './invites.ts';
import { ADVICE_KINDS, adviceRef } from './labels.ts';
import * as repo from './repository.ts';
import { type AdviceInput, type AdviceRequestInput, type DraftFeedbackInput, INBOX, INVITE } from './schemas.ts';

/** Staff who may be asked for advice: advice givers first (outside organisations), then everyone else. */
export async function adviceGiverOptions(d: EhcpDeps, user: AuthUser) {
  const rows = await d.db
    .selectFrom('users as u')
    .leftJoin('services as s', 's.id', 'u.service_id')
    .where('u.authority_id', '=', user.authorityId)
    .where('u.active', '=', true)
    .orderBy('u.display_name')
    .select(['u.id', 'u.display_name', 'u.job_title', 'u.roles', 's.name as service_name'])
    .execute();
  return rows.sort((a, b) => Number(b.roles.includes('advice_giver')) - Number(a.roles.includes('advice_giver')));
}

export async function externalServices(d: EhcpDeps, user: AuthUser) {
  return d.db
    .selectFrom('services')
    .where('authority_id', '=', user.authorityId)
    .orderBy('name')
    .select(['id', 'name', 'external'])
    .execute();
}

/** Outside organisations with a team inbox (at least one lead), which a request may be addressed to instead. */
export async function inboxOptions(d: EhcpDeps, user: AuthUser) {
  return inboxServices(d.db, user.authorityId);
}

export async function requestAdvice(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: AdviceRequestInput,
): Promise<string> {
  return d.db.transaction().execute(async (tx) => {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    if (a.status !== 'open' || a.decision_to_assess === 'not_assess')
      throw new ValidationError({ kind: 'This assessment is closed: advice can no longer be requested' });
    notBeforeRequest(a, 'requested_date', 'date of the request for advice', x.requested_date);
    const person = await findPerson(tx, user.authorityId, personId);
    const giver = await adviceGiver(d, tx, user, x);
    const due = adviceDue(x.requested_date);
    const row = await tx
      .insertInto('ehcp_advice_requests')
      .values({
        authority_id: user.authorityId,
        assessment_id: a.id,
        person_id: personId,
        kind: x.kind,
        giver_user_id: giver.id,
        responsible_user_id: giver.id,
        service_id: giver.inbox?.id ?? giver.service_id,
        team_id: giver.team_id,
        question: x.question,
        requested_date: x.requested_date,
        due_date: due.due,
        due_rule: due.explanation,
        created_at: d.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpAssessment(d, tx, a.id);
    // Its 6-week clock (reg 8) and, later, the draft accuracy check: a protocol instance of its own.
    const instanceId = await d.flows.advice.start(tx, user, personId, {
      anchors: { request_for_advice: x.requested_date },
      data: { coordinator: a.coordinator_id ?? user.id, request_id: row.id },
    });
    await tx
      .updateTable('ehcp_advice_requests')
      .set({ protocol_instance_id: instanceId })
      .where('id', '=', row.id)
      .execute();
    const reference = adviceRef(person.case_number, row.id);
    if (giver.inbox)
      await fileInInbox(tx, d.config, {
        id: row.id,
        authorityId: user.authorityId,
        serviceId: giver.inbox.id,
        leadId: giver.id,
        reference,
        due: due.due,
      });
    await notifyUser(tx, {
      authorityId: user.authorityId,
      userId: giver.id,
      message: giver.inbox
        ? `Your organisation’s inbox has a new request for advice, due ${due.due}: yours as lead until a member takes it`
        : `You have been asked for advice for an EHC needs assessment, due ${due.due}`,
      link: `/advice/${row.id}`,
      reference,
      baseUrl: d.config.baseUrl,
    });
    const asked = giver.inbox ? `the team inbox of ${giver.inbox.name}` : giver.display_name;
    await ehcpChange(
      tx,
      user,
      personId,
      [`Advice requested from ${asked} (${ADVICE_KINDS[x.kind]})`, `Due ${due.due} (${due.explanation})`],
      {
        action: 'create',
        entity: 'ehcp_advice_request',
        entityId: row.id,
        detail: {
          kind: x.kind,
          invited: x.giver_user_id === INVITE,
          ...(giver.inbox ? { inbox_service_id: giver.inbox.id } : {}),
        },
      },
    );
    return row.id;
  });
}

/**
 * Who is asked: an active member of staff chosen from the list, someone invited by email (invites.ts), or an
 * organisation's team inbox (partners/inbox.ts: its lead holds the request until a member takes it).
 */
async function adviceGiver(d: EhcpDeps, tx: Tx, user: AuthUser, x: AdviceRequestInput) {
  let giverId: string;
  let inbox: { id: string; name: string } | null = null;
  if (x.giver_user_id === INBOX) {
    // The input's rule: an inbox needs its organisation (schemas.ts).
    const held = await inboxHolder(tx, user.authorityId, x.inbox_service_id as string);
    giverId = held.id;
    inbox = held.service;
  } else if (x.giver_user_id === INVITE)
    // The input's rule: inviting needs all three (schemas.ts).
    giverId = await invite(
      d,
      tx,
      user,
      x.invite_email as string,
      x.invite_name as string,
      x.invite_service_id as string,
    );
  else {
    const g = await tx
      .selectFrom('users')
      .where('id', '=', x.giver_user_id)
      .where('authority_id', '=', user.authorityId)
      .where('active', '=', true)
      .select('id')
      .executeTakeFirst();
    if (!g) throw new ValidationError({ giver_user_id: 'Choose an active member of staff from the list' });
    giverId = g.id;
  }
  const giver = await tx
    .selectFrom('users')
    .where('id', '=', giverId)
    .select(['id', 'display_name', 'service_id'])
    .executeTakeFirstOrThrow();
  const team = await tx
    .selectFrom('team_members')
    .where('user_id', '=', giverId)
    .select('team_id')
    .orderBy('team_id')
    .executeTakeFirst();
  return { ...giver, team_id: team?.team_id ?? null, inbox };
}

export async function adviceForCoordinator(
  d: EhcpDeps,
  user: AuthUser,
  access: PersonAccess,
  assessmentId: string,
  requestId: string,
) {
  const data = await assessment(d, user, access, assessmentId);
  const request = data.requests.find((r) => r.id === requestId);
  if (!request) throw new NotFound('No advice request with that reference on this assessment.');
  return { ...data, request };
}

export async function submitAdvice(
  d: EhcpDeps,
  user: AuthUser,
  access: AdviceAccess,
  x: AdviceInput,
  /** The advice as a document (checked and scanned already): stored in this transaction, returning its id. */
  attachment: ((tx: Tx) => Promise<string>) | null = null,
): Promise<'advice' | 'updated_advice'> {
  if (!x.advice && !attachment) throw new ValidationError({ advice: 'Enter your advice, or attach it as a document' });
  const parts = { needs: x.summary_needs, outcomes: x.summary_outcomes, provision: x.summary_provision };
  const summary = Object.fromEntries(Object.entries(parts).filter(([, v]) => v));
  return d.db.transaction().execute(async (tx) => {
    const r = await lockGiversRequest(tx, access.requestId);
    const kind = r.status === 'requested' ? 'advice' : 'updated_advice';
    const today = d.today();
    const documentId = attachment ? await attachment(tx) : null;
    await insertSubmission(
      d,
      tx,
      user,
      r,
      kind,
      x.advice ?? '',
      Object.keys(summary).length ? JSON.stringify(summary) : null,
      documentId,
    );
    let closedFollowUp = false;
    if (r.follow_up_instance_id)
      closedFollowUp = await d.flows.query.advance(tx, r.follow_up_instance_id, 'received', user.id, {
        at: ['await_updated_advice', 'line_manager_completes'],
        ifOpen: true,
      });
    await tx
      .updateTable('ehcp_advice_requests')
      .set((eb) => ({
        status: 'received',
        received_date: r.received_date ?? today,
        follow_up_closed_on: closedFollowUp ? today : r.follow_up_closed_on,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', r.id)
      .execute();
    if (kind === 'advice' && r.protocol_instance_id)
      await d.flows.advice.advance(tx, r.protocol_instance_id, 'received', user.id, {
        at: ['advice_due', 'advice_overdue'],
        ifOpen: true,
      });
    const title =
      kind === 'advice'
        ? `Advice received from ${user.displayName} (${ADVICE_KINDS[r.kind]})`
        : `Updated advice received from ${user.displayName} (${ADVICE_KINDS[r.kind]})${closedFollowUp ? ': follow-up closed' : ''}`;
    await tellCoordinator(
      d,
      tx,
      user,
      r,
      title,
      kind === 'advice'
        ? 'Advice has arrived for an EHC needs assessment'
        : 'Updated advice has arrived for an EHC needs assessment',
      { kind, closedFollowUp },
    );
    return kind;
  });
}

export async function submitDraftFeedback(d: EhcpDeps, user: AuthUser, access: AdviceAccess, x: DraftFeedbackInput) {
  await d.db.transaction().execute(async (tx) => {
    const r = await lockGiversRequest(tx, access.requestId);
    if (!r.draft_check_due)
      throw new ValidationError({ feedback: 'The draft plan has not been sent to you to check yet' });
    await insertSubmission(d, tx, user, r, 'draft_feedback', x.feedback, null);
    await tx
      .updateTable('ehcp_advice_requests')
      .set((eb) => ({ draft_feedback_on: d.today(), version: eb('version', '+', 1) }))
      .where('id', '=', r.id)
      .execute();
    if (r.protocol_instance_id)
      await d.flows.advice.advance(tx, r.protocol_instance_id, 'feedback', user.id, {
        at: ['draft_check', 'draft_check_overdue'],
        ifOpen: true,
      });
    await tellCoordinator(
      d,
      tx,
      user,
      r,
      `Feedback on the draft plan from ${user.displayName} (${ADVICE_KINDS[r.kind]})`,
      'An advice giver has sent feedback on a draft EHC plan',
      { kind: 'draft_feedback' },
    );
  });
}

/** The request the advice giver is answering, locked; a cancelled one is gone as far as they can tell. */
async function lockGiversRequest(tx: Tx, requestId: string) {
  const r = await repo.lockAdviceRequest(tx, requestId);
  if (!r || r.status === 'cancelled') throw new NotFound('No record with that reference.');
  return r;
}

async function insertSubmission(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  r: { id: string; authority_id: string; person_id: string },
  kind: 'advice' | 'updated_advice' | 'draft_feedback',
  body: string,
  summary: string | null,
  documentId: string | null = null,
) {
  await tx
    .insertInto('ehcp_advice_submissions')
    .values({
      authority_id: r.authority_id,
      request_id: r.id,
      person_id: r.person_id,
      kind,
      body,
      summary,
      document_id: documentId,
      submitted_by: user.id,
      submitted_at: d.now(),
    })
    .execute();
}

/** After the advice giver sends something: the timeline, the coordinator told in-app, and the audit row. */
async function tellCoordinator(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  r: { id: string; authority_id: string; person_id: string; assessment_id: string },
  title: string,
  message: string,
  detail: Record<string, unknown>,
) {
  const a = await tx
    .selectFrom('ehcp_assessments as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .where('a.id', '=', r.assessment_id)
    .select(['a.id', 'a.coordinator_id', 'p.case_number'])
    .executeTakeFirstOrThrow();
  if (a.coordinator_id)
    await notifyUser(tx, {
      authorityId: r.authority_id,
      userId: a.coordinator_id,
      message,
      link: `/people/${r.person_id}/ehcp/${a.id}/advice/${r.id}`,
      reference: adviceRef(a.case_number, r.id),
      baseUrl: d.config.baseUrl,
    });
  await ehcpChange(tx, { id: user.id, authorityId: r.authority_id }, r.person_id, [title, null], {
    action: 'submit',
    entity: 'ehcp_advice_request',
    entityId: r.id,
    detail,
  });
}
