// The draft plan and what follows it: serving the draft (reg 13(1)) with the advice givers' accuracy check (Cumbria
// steps 6-7), and delay notices to parents when the plan will miss 20 weeks (Cumbria step 8).

import type { Tx } from '../../db/database.ts';
import { schoolYear } from '../../domain/age.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { EMAIL, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { enqueueEmail, notifyUser } from '../notifications/outbox.ts';
import { hasPfaAdvice, notBeforeRequest } from './assessments.ts';
import { assessmentClocks } from './clocks.ts';
import {
  activeLineManager,
  bumpAssessment,
  type EhcpDeps,
  ehcpChange,
  findPerson,
  lockedAssessment,
  refuseWhenPlanned,
} from './context.ts';
import { adviceRef, assessmentRef, redactNames } from './labels.ts';
import * as repo from './repository.ts';
import type { DelayNoticeInput, DraftInput } from './schemas.ts';

/**
 * Serves the draft plan (reg 13(1): at least 15 days for representations, beginning with the day it is served),
 * and asks each advice giver to check it reflects the needs they described (Cumbria steps 6-7): in-app, and an
 * email to them copying their line manager, feedback due in 5 working days.
 */
export async function serveDraft(d: EhcpDeps, user: AuthUser, personId: string, assessmentId: string, x: DraftInput) {
  await d.db.transaction().execute(async (tx) => {
    await refuseWhenPlanned(tx, assessmentId, 'served_date', 'serve the draft');
    await serveDraftIn(d, tx, user, personId, assessmentId, x);
  });
}

/** serveDraft inside the caller's transaction (the ehc-plans module serves its draft version with it). */
export async function serveDraftIn(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: DraftInput,
) {
  const served = x.served_date;
  {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    if (a.decision_to_assess !== 'assess')
      throw new ValidationError({ served_date: 'Record the decision to carry out the assessment first' });
    if (a.draft_served_date)
      throw new ValidationError({ served_date: `The draft was already served on ${a.draft_served_date}` });
    if (a.status !== 'open') throw new ValidationError({ served_date: 'This assessment is closed' });
    notBeforeRequest(a, 'served_date', 'date the draft was served', served);
    const person = await findPerson(tx, user.authorityId, personId);
    const advice = await repo.adviceRequestsOf(tx, a.id);
    const year = schoolYear(person.date_of_birth, served);
    if (year !== null && year >= 9 && !hasPfaAdvice(advice))
      throw new ValidationError({
        served_date: `Request advice on preparing for adulthood first: the child is in Year ${year}, and from Year 9 the advice must include it (SEND Regulations 2014 reg 6(3))`,
      });
    await tx
      .updateTable('ehcp_assessments')
      .set((eb) => ({
        draft_served_date: served,
        draft_text: x.draft_text,
        version: eb('version', '+', 1),
        updated_at: d.now(),
      }))
      .where('id', '=', a.id)
      .execute();
    if (a.protocol_instance_id) {
      await d.flows.assessment.update(tx, a.protocol_instance_id, { anchors: { draft_served: served } });
      await d.flows.assessment.advance(tx, a.protocol_instance_id, 'draft_served', user.id, { at: ['gather_advice'] });
    }
    const checkDue = addWorkingDays(d.today(), 5);
    const asked: string[] = [];
    for (const r of advice.filter((x) => x.status === 'received'))
      asked.push(await askAccuracyCheck(d, tx, user, adviceRef(person.case_number, r.id), r, checkDue));
    const reps = assessmentClocks({ ...a, draft_served_date: served }, [], [], d.today()).clocks.find(
      (c) => c.key === 'draft_representations',
    )!;
    await ehcpChange(
      tx,
      user,
      personId,
      [
        `Draft EHC plan served on ${served}`,
        `Representations until at least ${reps.statutory} (${reps.explanation}).${asked.length ? ` Accuracy check asked of ${asked.join(', ')}, feedback due ${checkDue}.` : ''}`,
      ],
      { action: 'serve-draft', entity: 'ehcp_assessment', entityId: a.id, detail: { checks: asked.length } },
    );
  }
}

/**
 * One advice giver asked to check the draft (Cumbria steps 6-7): in-app, and an email copying their line manager;
 * the request's protocol moves to the check. Returns who was asked.
 */
async function askAccuracyCheck(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  ref: string,
  r: { id: string; responsible_user_id: string; protocol_instance_id: string | null },
  checkDue: string,
) {
  await tx
    .updateTable('ehcp_advice_requests')
    .set((eb) => ({ draft_check_due: checkDue, version: eb('version', '+', 1) }))
    .where('id', '=', r.id)
    .execute();
  const giver = await tx
    .selectFrom('users')
    .where('id', '=', r.responsible_user_id)
    .select(['id', 'email', 'display_name', 'line_manager_id'])
    .executeTakeFirstOrThrow();
  const manager = await activeLineManager(tx, giver.line_manager_id);
  await notifyUser(tx, {
    authorityId: user.authorityId,
    userId: giver.id,
    message: `Please check the draft EHC plan reflects your advice, by ${checkDue}`,
    link: `/advice/${r.id}`,
    reference: ref,
    baseUrl: d.config.baseUrl,
    email: false,
  });
  await enqueueEmail(tx, {
    authorityId: user.authorityId,
    reference: ref,
    to: [giver.email],
    cc: manager && manager.email !== giver.email ? [manager.email] : [],
    subject: `Draft EHC plan accuracy check (ref ${ref})`,
    body: `Dear ${giver.display_name},\n\nThe draft education, health and care plan for case reference ${ref} has been issued. Please check that it reflects the needs you described in your advice, and send any feedback by ${checkDue} (5 working days).\n\nSign in to see the draft and send feedback: ${d.config.baseUrl}/advice/${r.id}\n\nThis email does not contain personal details. Do not reply to it.`,
  });
  if (r.protocol_instance_id) {
    await d.flows.advice.update(tx, r.protocol_instance_id, { anchors: { draft_check_due: checkDue } });
    await d.flows.advice.advance(tx, r.protocol_instance_id, 'draft_sent', user.id, {
      at: ['advice_received'],
      ifOpen: true,
    });
  }
  return giver.display_name;
}

/** Tells every contact with parental responsibility of the delay and the new timescale; one row each. */
export async function sendDelayNotice(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: DelayNoticeInput,
): Promise<number> {
  return d.db.transaction().execute(async (tx) => {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    const person = await findPerson(tx, user.authorityId, personId);
    const [exceptions, advice] = await Promise.all([repo.exceptionsOf(tx, a.id), repo.adviceRequestsOf(tx, a.id)]);
    const c = assessmentClocks(a, exceptions, advice, d.today());
    if (!c.delayed)
      throw new ValidationError({
        reason: 'The plan is still expected within 20 weeks: there is no delay to tell the parents about',
      });
    const contacts = await tx
      .selectFrom('contacts')
      .where('person_id', '=', personId)
      .where('parental_responsibility', '=', true)
      .select(['id', 'name', 'email', 'address'])
      .execute();
    if (!contacts.length)
      throw new ValidationError({
        reason: 'Add the parents’ contact details (with parental responsibility) to the record first',
      });
    const ref = assessmentRef(person.case_number, a.id);
    const coordinator = a.coordinator_id
      ? await tx.selectFrom('users').where('id', '=', a.coordinator_id).select('display_name').executeTakeFirst()
      : undefined;
    const notice = {
      ref,
      requested: a.request_date,
      statutory: c.statutoryFinal,
      projected: c.projectedFinal,
      why: redactNames(x.reason, [person.given_name, person.family_name, person.preferred_name]),
      contact: coordinator?.display_name ?? 'the EHCP coordinator',
    };
    for (const contact of contacts)
      await sendNotice(d, tx, user, { ...a, person_id: personId }, contact, notice, x.reason);
    await bumpAssessment(d, tx, a.id);
    await ehcpChange(
      tx,
      user,
      personId,
      [
        `Delay notice sent to ${contacts.map((p) => p.name).join(', ')}`,
        `The 20-week date was ${c.statutoryFinal}; new timescale ${c.projectedFinal}. ${x.reason}`,
      ],
      { action: 'delay-notice', entity: 'ehcp_assessment', entityId: a.id, detail: { contacts: contacts.length } },
    );
    return contacts.length;
  });
}

/** One parent's notice: emailed where they have an address, otherwise a letter to print; recorded either way. */
async function sendNotice(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  a: { id: string; person_id: string },
  contact: { id: string; name: string; email: string | null },
  notice: Parameters<typeof delayLetter>[1],
  reason: string,
) {
  const letter = delayLetter(contact.name, notice);
  const emailOk = contact.email && EMAIL.test(contact.email);
  const outboxId = emailOk
    ? await enqueueEmail(tx, {
        authorityId: user.authorityId,
        reference: notice.ref,
        to: [contact.email as string],
        subject: `Your EHC needs assessment (ref ${notice.ref}): a delay and the new timescale`,
        body: letter,
      })
    : null;
  await tx
    .insertInto('ehcp_delay_notices')
    .values({
      authority_id: user.authorityId,
      assessment_id: a.id,
      person_id: a.person_id,
      contact_id: contact.id,
      contact_name: contact.name,
      channel: emailOk ? 'email' : 'letter',
      statutory_date: notice.statutory,
      new_date: notice.projected,
      reason,
      body: letter,
      outbox_id: outboxId,
      sent_by: user.id,
      created_at: d.now(),
    })
    .execute();
}

/** The notice to one parent: the reference, the missed 20-week date, why (names removed), the new timescale. */
function delayLetter(
  name: string,
  n: { ref: string; requested: string; statutory: string; projected: string; why: string; contact: string },
) {
  return [
    `Dear ${name},`,
    '',
    `Education, health and care needs assessment, reference ${n.ref}, requested on ${n.requested}`,
    '',
    `We are sorry to tell you that the final education, health and care plan will not be issued within 20 weeks of the request. The 20-week date was ${n.statutory} (SEND Regulations 2014 regulation 13(2)).`,
    '',
    `Why: ${n.why}`,
    '',
    `The new timescale: we now expect to issue the final plan by ${n.projected}.`,
    '',
    `If you have any questions, please contact ${n.contact}, quoting reference ${n.ref}.`,
  ].join('\n');
}
