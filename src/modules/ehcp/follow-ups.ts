// Cumbria's advice query (shared/seeds/003): the coordinator marks advice unclear, which starts the protocol (the
// module's Flow, flows.ts); its entered hooks send the Option 2 follow-up email and hand the advice to the giver's
// line manager when away. People may also start and decide it on the protocol pages; the hooks run for those too.
import type { Tx } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { detectIdentifiers, FINDING_LABELS } from '../../domain/identifier-detector.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { EMAIL, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { cumbriaAdviceQueryV2 } from '../../protocols/cumbria-advice-query-v2.ts';
import { enqueueEmail, notifyUser } from '../notifications/outbox.ts';
import type { FlowEvent } from '../protocols/service.ts';
import { knownNames } from '../transitions/audience.ts';
import { followUpDue } from './clocks.ts';
import { activeLineManager, type EhcpDeps, ehcpChange, findPerson, loadAssessment } from './context.ts';
import { ADVICE_KINDS, adviceRef, FOLLOW_UP_SUBJECT } from './labels.ts';
import * as repo from './repository.ts';
import type { AdviceQueryInput } from './schemas.ts';

/** What the hooks read: the configuration and the clock (the engine calls them inside its own transaction). */
type HookDeps = Pick<EhcpDeps, 'config' | 'now'>;

/**
 * Cumbria step 2: the coordinator finds the advice unclear or incomplete. Starts the advice-query protocol for
 * this request (review done: 'unclear'), so it goes to the coordinator's line manager to discuss.
 */
export async function markUnclear(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  requestId: string,
  x: AdviceQueryInput,
): Promise<string> {
  return d.db.transaction().execute(async (tx) => {
    await loadAssessment(tx, user, personId, assessmentId);
    const r = await repo.lockAdviceRequest(tx, requestId);
    if (!r || r.assessment_id !== assessmentId)
      throw new NotFound('No advice request with that reference on this assessment.');
    if (r.status !== 'received') throw new ValidationError({ query_note: 'Advice can be queried once it has arrived' });
    if (r.follow_up_instance_id) {
      const open = await tx
        .selectFrom('protocol_instances')
        .where('id', '=', r.follow_up_instance_id)
        .where('status', '=', 'open')
        .select('id')
        .executeTakeFirst();
      if (open) throw new Conflict('This advice is already being queried. Open the advice query to see where it is.');
    }
    const instanceId = await d.flows.query.start(tx, user, personId, {
      event: { title: `${d.flows.query.current().title} started`, detail: null },
    });
    await tx
      .updateTable('ehcp_advice_requests')
      .set((eb) => ({
        follow_up_instance_id: instanceId,
        follow_up_sent_on: null,
        follow_up_due: null,
        follow_up_closed_on: null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', r.id)
      .execute();
    await d.flows.query.advance(tx, instanceId, 'unclear', user.id, { at: ['review_advice'] });
    await ehcpChange(
      tx,
      user,
      personId,
      [`Advice marked unclear or incomplete (${ADVICE_KINDS[r.kind] ?? r.kind})`, x.query_note],
      { action: 'query', entity: 'ehcp_advice_request', entityId: r.id, detail: { instance: instanceId } },
    );
    return instanceId;
  });
}

type QueryStep = FlowEvent<typeof cumbriaAdviceQueryV2>;

/** Entering "await updated advice" (Option 2): the follow-up email to the giver and their manager. */
export async function sendFollowUp(d: HookDeps, e: QueryStep) {
  const { tx } = e;
  const giverId = typeof e.data.advice_giver === 'string' ? e.data.advice_giver : null;
  const what = typeof e.data.what_is_needed === 'string' ? e.data.what_is_needed : '';
  const emailed = typeof e.data.email_date === 'string' ? e.data.email_date : londonToday(d.now());
  if (!giverId) return;
  const request = await lockFollowedUpRequest(tx, e.instanceId);
  const giver = await followedUpGiver(tx, giverId, request);
  if (!giver) return;
  const manager = await activeLineManager(tx, giver.line_manager_id);
  await checkRequestText(tx, e.authorityId, what);
  const extras = await checkRecipients(d, tx, e.authorityId, e.data.extra_recipients);
  const person = await findPerson(tx, e.authorityId, e.personId);
  const due = followUpDue(emailed);
  const ref = request ? adviceRef(person.case_number, request.id) : `${person.case_number}/advice-query`;
  const link = request ? `${d.config.baseUrl}/advice/${request.id}` : `${d.config.baseUrl}/`;
  const cc = [...new Set([manager?.email, ...extras].filter((x): x is string => Boolean(x) && x !== giver.email))];
  await enqueueEmail(tx, {
    at: d.now(),
    authorityId: e.authorityId,
    reference: ref,
    to: [giver.email],
    cc,
    subject: FOLLOW_UP_SUBJECT,
    body: followUpEmail({ giver: giver.display_name, manager: manager?.display_name, ref, what, due, link }),
  });
  if (request) {
    await tx
      .updateTable('ehcp_advice_requests')
      .set((eb) => ({
        follow_up_sent_on: emailed,
        follow_up_due: due.due,
        follow_up_closed_on: null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', request.id)
      .execute();
    for (const u of [giver.id, manager?.id].filter((x): x is string => Boolean(x)))
      await notifyUser(tx, {
        authorityId: e.authorityId,
        userId: u,
        message: `Urgent: updated advice needed by ${due.due}`,
        link: `/advice/${request.id}`,
        reference: ref,
        baseUrl: d.config.baseUrl,
        email: false,
      });
  }
  await ehcpChange(
    tx,
    system(e),
    e.personId,
    [
      `Advice follow-up emailed: ${FOLLOW_UP_SUBJECT}`,
      `To ${giver.display_name}${cc.length ? `, copied to ${[manager?.display_name, ...extras].filter(Boolean).join(', ')}` : ''}; response due ${due.due} (${due.explanation})`,
    ],
    request
      ? { action: 'follow-up', entity: 'ehcp_advice_request', entityId: request.id }
      : { action: 'follow-up', entity: 'protocol_instance', entityId: e.instanceId },
  );
}

/** The Option 2 email: the case reference (never the child's name), what is needed, by when, and the link. */
function followUpEmail(m: {
  giver: string;
  manager: string | undefined;
  ref: string;
  what: string;
  due: { due: string; explanation: string };
  link: string;
}) {
  return [
    `Dear ${m.giver}${m.manager ? ` (copied to your manager, ${m.manager})` : ''},`,
    '',
    `The advice you gave for an education, health and care needs assessment, case reference ${m.ref}, needs further input before the plan can be written.`,
    '',
    'What is needed:',
    m.what,
    '',
    `Response required by: ${m.due.due} (${m.due.explanation}).`,
    m.manager
      ? `${m.manager}: please make sure this is returned by then; if ${m.giver} is not at work, you are responsible for it.`
      : '',
    '',
    `Sign in to see the request and send updated advice: ${m.link}`,
    '',
    'This email does not contain personal details. Do not reply to it.',
  ].join('\n');
}

/** Entering "line manager completes": the advice request passes to the giver's line manager. */
export async function giverAway(d: HookDeps, e: QueryStep) {
  const { tx } = e;
  const request = await lockFollowedUpRequest(tx, e.instanceId);
  if (!request) return;
  const giver = await tx
    .selectFrom('users')
    .where('id', '=', request.giver_user_id)
    .select(['display_name', 'line_manager_id'])
    .executeTakeFirstOrThrow();
  if (!giver.line_manager_id)
    throw new ValidationError({
      outcome: `${giver.display_name} has no line manager recorded: ask an administrator to add one, then try again`,
    });
  const manager = await tx
    .selectFrom('users')
    .where('id', '=', giver.line_manager_id)
    .select(['id', 'display_name'])
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('ehcp_advice_requests')
    .set((eb) => ({ responsible_user_id: manager.id, version: eb('version', '+', 1) }))
    .where('id', '=', request.id)
    .execute();
  const person = await findPerson(tx, e.authorityId, e.personId);
  await notifyUser(tx, {
    authorityId: e.authorityId,
    userId: manager.id,
    message: `${giver.display_name} is away: you are now responsible for updated advice due ${request.follow_up_due ?? 'soon'}`,
    link: `/advice/${request.id}`,
    reference: adviceRef(person.case_number, request.id),
    baseUrl: d.config.baseUrl,
  });
  await ehcpChange(
    tx,
    system(e),
    e.personId,
    [`Advice giver away: ${manager.display_name} (their line manager) is now responsible for the updated advice`, null],
    { action: 'reassign', entity: 'ehcp_advice_request', entityId: request.id, detail: { to: manager.id } },
  );
}

/** A change the engine made by itself, in the instance's council. */
const system = (e: QueryStep) => ({ id: null, authorityId: e.authorityId });

/** The advice giver the follow-up is emailed to: the one asked for this advice, or who is now responsible for it. */
async function followedUpGiver(
  tx: Tx,
  giverId: string,
  request: { giver_user_id: string; responsible_user_id: string } | undefined,
) {
  if (request && giverId !== request.giver_user_id && giverId !== request.responsible_user_id) {
    const named = await tx
      .selectFrom('users')
      .where('id', '=', request.giver_user_id)
      .select('display_name')
      .executeTakeFirstOrThrow();
    throw new ValidationError({ advice_giver: `Choose ${named.display_name}, who was asked for this advice` });
  }
  return tx
    .selectFrom('users')
    .where('id', '=', giverId)
    .select(['id', 'email', 'display_name', 'line_manager_id'])
    .executeTakeFirst();
}

/** The advice request a running advice query is about, locked for the step's changes. */
function lockFollowedUpRequest(tx: Tx, instanceId: string) {
  return tx
    .selectFrom('ehcp_advice_requests')
    .where('follow_up_instance_id', '=', instanceId)
    .forUpdate()
    .selectAll()
    .executeTakeFirst();
}

/**
 * Issue 9 finding 3: the request text goes into the email as written, so the identifier detector checks it first;
 * any finding blocks the send with a message naming the field (nothing is removed silently).
 */
async function checkRequestText(tx: Tx, authorityId: string, what: string) {
  const findings = detectIdentifiers(what, { names: await knownNames(tx, authorityId) });
  if (!findings.length) return;
  const list = findings.map((f) => `“${f.excerpt}” (${FINDING_LABELS[f.kind]})`).join(', ');
  throw new ValidationError({
    what_is_needed: `What is needed goes into an email, so it must not identify anyone: remove ${list}. Describe the advice needed; the case reference is added for you`,
  });
}

/**
 * Extra recipients: only Handover's active users in this council, or addresses in a domain the administrator has
 * allowed (EMAIL_ALLOWED_DOMAINS). Anything else (x@gmail.com) is refused with a message naming the field.
 */
async function checkRecipients(d: HookDeps, tx: Tx, authorityId: string, raw: unknown): Promise<string[]> {
  const extras = (typeof raw === 'string' ? raw : '')
    .split(/[,;\s]+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
  if (extras.some((x) => !EMAIL.test(x) || /[\r\n]/.test(x)))
    throw new ValidationError({
      extra_recipients: 'Each extra recipient must be one email address, like name@nhs.net, separated by commas',
    });
  if (!extras.length) return [];
  const users = await tx
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', extras))
    .select('email')
    .execute();
  const known = new Set(users.map((u) => u.email.toLowerCase()));
  const allowed = new Set(d.config.emailAllowedDomains);
  const unknown = extras.filter((x) => !known.has(x) && !allowed.has(x.slice(x.lastIndexOf('@') + 1)));
  if (unknown.length)
    throw new ValidationError({
      extra_recipients: `More recipients must be Handover users of this council${allowed.size ? ` or addresses at ${[...allowed].join(', ')}` : ''}: ${unknown.join(', ')} is not. Remove it, or ask an administrator to allow its domain`,
    });
  return extras;
}
