// EHC needs assessments and their statutory clocks: the request, the decision whether to assess (reg 5), reg 10(4)
// exceptions, and the two ends (final plan issued, or a decision not to issue). Reads log access (quality.md S6).
import type { Tx } from '../../db/database.ts';
import { schoolYear } from '../../domain/age.ts';
import { addDays } from '../../domain/calendar.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { assessmentClocks } from './clocks.ts';
import {
  bumpAssessment,
  type EhcpDeps,
  ehcpChange,
  findPerson,
  loadAssessment,
  lockedAssessment,
  logPersonRead,
  refuseWhenPlanned,
} from './context.ts';
import { ADVICE_KINDS, assessmentRef, EXCEPTION_TYPES, REQUESTERS } from './labels.ts';
import * as repo from './repository.ts';
import type {
  AssessmentRequestInput,
  DecisionInput,
  ExceptionInput,
  FinalPlanInput,
  NotIssuingInput,
} from './schemas.ts';
import { closeAdvice, withStage } from './stage.ts';

/** For the record page, which logs its own read. */
export async function forPerson(d: EhcpDeps, personId: string) {
  return repo.assessmentsOf(d.db, personId);
}

/** The person's assessments page: a read of their record, logged (S6). */
export async function personAssessments(d: EhcpDeps, user: AuthUser, access: PersonAccess) {
  return d.db.transaction().execute(async (tx) => {
    const person = await findPerson(tx, user.authorityId, access.personId);
    await logPersonRead(tx, user, access, 'page', 'ehcp-assessments');
    const assessments = await withStage(d, tx, await repo.assessmentsOf(tx, person.id));
    return { person, assessments };
  });
}

/** The API list: a read of the person, logged in the same transaction (S6). */
export async function listForPerson(d: EhcpDeps, user: AuthUser, access: PersonAccess) {
  return d.db.transaction().execute(async (tx) => {
    await logPersonRead(tx, user, access, 'api', 'ehcp-assessments');
    return withStage(d, tx, await repo.assessmentsOf(tx, access.personId));
  });
}

export async function mine(d: EhcpDeps, user: AuthUser) {
  const today = d.today();
  return (await withStage(d, d.db, await repo.assessmentsCoordinatedBy(d.db, user))).map((a) => ({
    ...a,
    statutoryFinal: addDays(a.request_date, 140),
    overdue: !a.final_issued_date && today > addDays(a.request_date, 140),
  }));
}

export async function create(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  x: AssessmentRequestInput,
): Promise<string> {
  return d.db.transaction().execute((tx) => createIn(d, tx, user, personId, x));
}

/**
 * Starts an EHC needs assessment inside the caller's transaction (a SEND hub's triage starts the statutory route
 * with its own change, issue 13): the assessment, its ehc-needs-assessment instance and the timeline line.
 * `coordinatorId`: who coordinates it (default: the actor).
 */
export async function createIn(
  d: EhcpDeps,
  tx: Tx,
  user: { id: string; authorityId: string },
  personId: string,
  x: AssessmentRequestInput,
  coordinatorId: string = user.id,
): Promise<string> {
  const person = await findPerson(tx, user.authorityId, personId);
  const row = await tx
    .insertInto('ehcp_assessments')
    .values({
      authority_id: user.authorityId,
      person_id: personId,
      request_date: x.request_date,
      requested_by: x.requested_by,
      requester_detail: x.requester_detail,
      coordinator_id: coordinatorId,
      created_at: d.now(),
      updated_at: d.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const c = assessmentClocks(
    {
      request_date: x.request_date,
      decision_to_assess: null,
      decision_date: null,
      not_issue_date: null,
      draft_served_date: null,
      final_issued_date: null,
    },
    [],
    [],
    d.today(),
  );
  const [decide, final] = [c.clocks[0]!, c.clocks[c.clocks.length - 1]!];
  // The statutory route runs on the engine (ehc-needs-assessment): every date counts from the request.
  const instanceId = await d.flows.assessment.start(tx, user, personId, {
    anchors: { request: x.request_date },
    data: { coordinator: coordinatorId, assessment_id: row.id },
  });
  await tx.updateTable('ehcp_assessments').set({ protocol_instance_id: instanceId }).where('id', '=', row.id).execute();
  await ehcpChange(
    tx,
    user,
    personId,
    [
      `EHC needs assessment requested on ${x.request_date} by ${(REQUESTERS[x.requested_by] ?? x.requested_by).toLowerCase()}`,
      `Decision whether to assess due ${decide.statutory} (${decide.explanation}); final plan due ${final.statutory} (${final.explanation})`,
    ],
    {
      action: 'create',
      entity: 'ehcp_assessment',
      entityId: row.id,
      detail: { requested_by: x.requested_by, case: person.case_number },
    },
  );
  return row.id;
}

/** Everything on the assessment page, read in one transaction with its access-log row (quality.md S6). */
export async function assessment(
  d: EhcpDeps,
  user: AuthUser,
  access: PersonAccess,
  assessmentId: string,
  channel: 'page' | 'api' = 'page',
) {
  return d.db.transaction().execute(async (tx) => {
    const a = await loadAssessment(tx, user, access.personId, assessmentId);
    const person = await findPerson(tx, user.authorityId, access.personId);
    await logPersonRead(tx, user, access, channel, 'ehcp-assessment');
    const [exceptions, advice, notices, contacts] = await Promise.all([
      repo.exceptionsOf(tx, a.id),
      repo.adviceRequestsOf(tx, a.id),
      repo.delayNoticesOf(tx, a.id),
      tx
        .selectFrom('contacts')
        .where('person_id', '=', person.id)
        .where('parental_responsibility', '=', true)
        .select(['id', 'name', 'email'])
        .execute(),
    ]);
    const today = d.today();
    const clocks = assessmentClocks(a, exceptions, advice, today);
    const year = schoolYear(person.date_of_birth, today);
    const pfaRequired = year !== null && year >= 9;
    const hasPfa = hasPfaAdvice(advice);
    const requests = await withSubmissions(tx, advice, today);
    return {
      person: { ...person, schoolYear: year },
      assessment: a,
      reference: assessmentRef(person.case_number, a.id),
      requesterLabel: REQUESTERS[a.requested_by] ?? a.requested_by,
      clocks,
      exceptions: exceptions.map((e) => ({ ...e, typeLabel: EXCEPTION_TYPES[e.type] ?? e.type })),
      requests,
      notices,
      parentContacts: contacts,
      pfaRequired,
      hasPfa,
      stage: (await withStage(d, tx, [a]))[0]!.stage,
      today,
    };
  });
}

/** Whether preparing-for-adulthood advice has been asked for (needed from Year 9, reg 6(3)). */
export function hasPfaAdvice(advice: { kind: string; status: string }[]) {
  return advice.some((r) => r.kind === 'preparing_for_adulthood' && r.status !== 'cancelled');
}

/** The advice requests as the coordinator sees them: what was sent, and any advice query (follow-up) on them. */
async function withSubmissions(tx: Tx, advice: Awaited<ReturnType<typeof repo.adviceRequestsOf>>, today: string) {
  const submissions = await repo.submissionsOf(
    tx,
    advice.map((r) => r.id),
  );
  const instances = advice.map((r) => r.follow_up_instance_id).filter((x): x is string => Boolean(x));
  const followUps = instances.length
    ? await tx
        .selectFrom('protocol_instances as i')
        .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
        .where('i.id', 'in', instances)
        .select(['i.id', 'i.status', 'i.result', 's.step_key', 's.due_date', 's.owner_label'])
        .execute()
    : [];
  return advice.map((r) => {
    const fu = followUps.find((f) => f.id === r.follow_up_instance_id) ?? null;
    return {
      ...r,
      kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
      overdue: r.status === 'requested' && today > r.due_date,
      submissions: submissions.filter((s) => s.request_id === r.id),
      followUp: fu
        ? {
            ...fu,
            open: fu.status === 'open',
            overdue: fu.status === 'open' && fu.due_date !== null && today > fu.due_date,
          }
        : null,
    };
  });
}

export async function decideToAssess(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: DecisionInput,
) {
  await d.db.transaction().execute(async (tx) => {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    if (a.decision_to_assess)
      throw new ValidationError({ decision: 'The decision whether to assess is already recorded' });
    notBeforeRequest(a, 'decision_date', 'date of the decision', x.decision_date);
    await tx
      .updateTable('ehcp_assessments')
      .set((eb) => ({
        decision_to_assess: x.decision,
        decision_date: x.decision_date,
        version: eb('version', '+', 1),
        updated_at: d.now(),
      }))
      .where('id', '=', a.id)
      .execute();
    if (a.protocol_instance_id)
      await d.flows.assessment.advance(tx, a.protocol_instance_id, x.decision, user.id, {
        at: ['decide_whether_to_assess'],
      });
    if (x.decision === 'not_assess') await closeAdvice(d, tx, a.id, user.id);
    const decided = x.decision === 'assess' ? 'Decided to carry out' : 'Decided not to carry out';
    await ehcpChange(tx, user, personId, [`${decided} the EHC needs assessment (${x.decision_date})`, null], {
      action: 'decide',
      entity: 'ehcp_assessment',
      entityId: a.id,
      detail: { decision: x.decision },
    });
  });
}

/** A date the coordinator gives must be on or after the assessment's request (the field is named). */
export function notBeforeRequest(a: { request_date: string }, field: string, what: string, date: string) {
  if (date < a.request_date)
    throw new ValidationError({
      [field]: `The ${what} must be on or after the request for the assessment on ${a.request_date}`,
    });
}

export async function recordException(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: ExceptionInput,
) {
  await d.db.transaction().execute(async (tx) => {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    const row = await tx
      .insertInto('ehcp_exceptions')
      .values({
        authority_id: user.authorityId,
        assessment_id: a.id,
        person_id: personId,
        type: x.type,
        start_date: x.start_date,
        end_date: x.end_date,
        reason: x.reason,
        recorded_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpAssessment(d, tx, a.id);
    const [exceptions, advice] = await Promise.all([repo.exceptionsOf(tx, a.id), repo.adviceRequestsOf(tx, a.id)]);
    // An evidenced pause, on the instance as well: it explains lateness; no statutory date moves (its anchor is
    // the request), so the engine's steps keep their due dates.
    if (a.protocol_instance_id)
      await d.flows.assessment.update(tx, a.protocol_instance_id, {
        data: { exceptions: exceptions.map((e) => ({ id: e.id, type: e.type, from: e.start_date, to: e.end_date })) },
      });
    const c = assessmentClocks(a, exceptions, advice, d.today());
    await ehcpChange(
      tx,
      user,
      personId,
      [
        `Exception recorded for statutory reporting: ${EXCEPTION_TYPES[x.type]}`,
        `${x.start_date} to ${x.end_date}. ${x.reason} Statutory final date stays ${c.statutoryFinal}; projected final date ${c.projectedFinal}.`,
      ],
      { action: 'create', entity: 'ehcp_exception', entityId: row.id, detail: { type: x.type } },
    );
  });
}

export async function issueFinal(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: FinalPlanInput,
) {
  await d.db.transaction().execute(async (tx) => {
    await refuseWhenPlanned(tx, assessmentId, 'final_date', 'issue the final plan');
    await issueFinalIn(d, tx, user, personId, assessmentId, x);
  });
}

/**
 * issueFinal inside the caller's transaction (the ehc-plans module issues its final version with it).
 * `representationsMade`: the family has made its representations on the draft, so the final may be issued before
 * the 15 days have run (reg 13(1) gives them at least that long to make them, no longer once they have).
 */
export async function issueFinalIn(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: FinalPlanInput,
  o: { representationsMade?: boolean } = {},
) {
  const date = x.final_date;
  {
    const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
    if (!a.draft_served_date) throw new ValidationError({ final_date: 'Serve the draft plan first' });
    if (a.status !== 'open') throw new ValidationError({ final_date: 'This assessment is closed' });
    const reps = assessmentClocks(a, [], [], date).clocks.find((c) => c.key === 'draft_representations')!;
    if (date < a.draft_served_date)
      throw new ValidationError({
        final_date: `The final plan cannot be issued before the draft was served on ${a.draft_served_date}`,
      });
    if (date <= reps.statutory && !o.representationsMade)
      throw new ValidationError({
        final_date: `The final plan cannot be issued before ${addDays(reps.statutory, 1)}: the family has until ${reps.statutory} to make representations (SEND Regulations 2014 reg 13(1))`,
      });
    const final = addDays(a.request_date, 140);
    if (a.protocol_instance_id)
      await d.flows.assessment.advance(tx, a.protocol_instance_id, 'final_issued', user.id, {
        at: ['representations', 'issue_final_plan'],
      });
    await closeAssessment(d, tx, user, personId, a.id, { final_issued_date: date }, 'issue-final', [
      `Final EHC plan issued on ${date}`,
      date > final
        ? `After the 20-week date of ${final} (SEND Regulations 2014 reg 13(2))`
        : `Within 20 weeks (due ${final}, SEND Regulations 2014 reg 13(2))`,
    ]);
  }
}

export async function decideNotToIssue(
  d: EhcpDeps,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: NotIssuingInput,
) {
  await d.db.transaction().execute(async (tx) => {
    await lockedAssessment(tx, user, personId, assessmentId, x.version);
    // A live plan drafted in Handover is withdrawn from its own page, which records this decision (ehc-plans).
    await refuseWhenPlanned(
      tx,
      assessmentId,
      'not_issue_date',
      'a decision not to issue is recorded by withdrawing the draft plan',
    );
    await decideNotToIssueIn(d, tx, user, personId, assessmentId, x);
  });
}

/**
 * decideNotToIssue inside the caller's transaction (the ehc-plans module withdraws its draft with it). `values` go
 * on the protocol's `not_to_issue` outcome, so the assessment's `ended` listeners read them (the withdrawal reason).
 */
export async function decideNotToIssueIn(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  x: NotIssuingInput,
  values: Record<string, string> = {},
) {
  const a = await lockedAssessment(tx, user, personId, assessmentId, x.version);
  if (a.decision_to_assess !== 'assess' || a.status !== 'open' || a.draft_served_date)
    throw new ValidationError({
      not_issue_date: 'A decision not to issue can only follow an assessment that has no draft plan',
    });
  const due = addDays(a.request_date, 112);
  if (a.protocol_instance_id)
    await d.flows.assessment.advance(tx, a.protocol_instance_id, 'not_to_issue', user.id, {
      at: ['gather_advice'],
      values: { ...values, not_issue_date: x.not_issue_date },
    });
  await closeAssessment(d, tx, user, personId, a.id, { not_issue_date: x.not_issue_date }, 'not-issue', [
    `Decided not to issue an EHC plan (${x.not_issue_date})`,
    `The 16-week date was ${due} (SEND Regulations 2014 reg 10(1))`,
  ]);
}

/** Closes the assessment at either end (its protocol has ended), and the timeline and audit say which. */
async function closeAssessment(
  d: EhcpDeps,
  tx: Tx,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  end: { final_issued_date: string } | { not_issue_date: string },
  action: 'issue-final' | 'not-issue',
  words: [string, string],
) {
  await tx
    .updateTable('ehcp_assessments')
    .set((eb) => ({ ...end, version: eb('version', '+', 1), updated_at: d.now() }))
    .where('id', '=', assessmentId)
    .execute();
  await closeAdvice(d, tx, assessmentId, user.id);
  await ehcpChange(tx, user, personId, words, { action, entity: 'ehcp_assessment', entityId: assessmentId });
}
