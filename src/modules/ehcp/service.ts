// EHC needs assessments on statutory clocks (SEND Regulations 2014 regs 5-13), with Cumbria's advice-query
// protocol (shared/seeds/003): advice requests to advice givers in and outside the council, follow-ups, the draft
// accuracy check, delay notices to parents and the weekly report. Rules and transactions live here; SQL in
// repository.ts.
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db, Executor, Tx } from '../../db/database.ts';
import { schoolYear } from '../../domain/age.ts';
import { addDays, addWorkingDays, londonToday, toDayNumber, workingDaysBetween } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { type Body, dateInput, EMAIL, isRealDate, text, UUID, ValidationError } from '../../http/forms.ts';
import type { AdviceAccess, AuthUser, PersonAccess } from '../../http/types.ts';
import { insertAccess, insertAudit } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import { enqueueEmail, notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import type { ProtocolService, StepEntered } from '../protocols/service.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { adviceDue, assessmentClocks, followUpDue } from './clocks.ts';
import * as repo from './repository.ts';

export const ADVICE_PROTOCOL = 'cumbria-advice-query';
/** The version the EHCP module starts: the advice giver never owns a step, so never opens the whole record. */
export const ADVICE_PROTOCOL_VERSION = 2;
export const FOLLOW_UP_SUBJECT = 'URGENT STATUTORY ADVICE CLARIFICATION REQUIRED';
export const ASSESSMENT_SUBJECT = 'ehcp_assessment';
export const ADVICE_SUBJECT = 'ehcp_advice_request';
const INVITE_DAYS = 7;

export const ADVICE_KINDS: Record<string, string> = {
  educational_psychology: 'Educational psychology',
  health: 'Health',
  social_care: 'Social care',
  education_setting: 'The education setting',
  parent_young_person: 'The parent or young person',
  preparing_for_adulthood: 'Preparing for adulthood (Year 9 and above)',
  other: 'Other',
};
export const REQUESTERS: Record<string, string> = {
  parent: 'A parent',
  young_person: 'The young person',
  school: 'The school or setting',
  other: 'Someone else',
};
export const EXCEPTION_TYPES: Record<string, string> = {
  school_closure: 'The school or setting was closed for 4 weeks or more (reg 10(4)(a))',
  personal_circumstances: 'Exceptional personal circumstances of the child, parent or young person (reg 10(4)(b))',
  absent_from_area: 'The child, parent or young person was away from the area for 4 weeks or more (reg 10(4)(c))',
};

/** A reference for messages: the case number and the request, never the child's name (quality.md S14). */
const adviceRef = (caseNumber: string, requestId: string) => `${caseNumber}/advice-${requestId.slice(0, 8)}`;
const assessmentRef = (caseNumber: string, assessmentId: string) => `${caseNumber}/EHC-${assessmentId.slice(0, 8)}`;

/** Removes a child's names from free text written by staff before it goes into an email (quality.md S14). */
export function redactNames(textIn: string, names: (string | null | undefined)[]): string {
  let out = textIn;
  for (const n of names) {
    if (!n || n.trim().length < 2) continue;
    const escaped = n.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`\\b${escaped}\\b`, 'gi'), '[name removed]');
  }
  return out;
}

function requireDate(
  body: Body,
  field: string,
  label: string,
  errors: Record<string, string>,
  opts: { notAfter?: string; notBefore?: string } = {},
) {
  const v = dateInput(body, field).value;
  if (!v) errors[field] = `Enter the ${label}`;
  else if (!isRealDate(v)) errors[field] = `The ${label} must be a real date, for example 21 12 2026`;
  else if (opts.notAfter && v > opts.notAfter) errors[field] = `The ${label} must be today or in the past`;
  else if (opts.notBefore && v < opts.notBefore) errors[field] = `The ${label} must be on or after ${opts.notBefore}`;
  else return v;
  return '';
}

function longText(
  body: Body,
  field: string,
  label: string,
  errors: Record<string, string>,
  required: boolean,
  max = 20000,
) {
  const v = text(body, field);
  if (!v && required) errors[field] = `Enter ${label}`;
  else if (v.length > max)
    errors[field] = `${label[0]?.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`;
  return v;
}

function checkVersion(body: Body, current: number) {
  const v = body.version;
  if (v === undefined || v === null || v === '') return;
  if (Number(v) !== current)
    throw new Conflict(
      'Someone else changed this assessment while you were looking at it. Reload the page and try again.',
    );
}

export interface WeeklyReport {
  authorityId: string;
  generatedOn: string;
  followUps: {
    requestId: string;
    assessmentId: string;
    personId: string;
    caseNumber: string;
    kind: string;
    giver: string;
    responsible: string;
    provider: string;
    sentOn: string | null;
    due: string | null;
    overdue: boolean;
    workingDaysOverdue: number;
  }[];
  byProvider: { name: string; outstanding: number; overdue: number }[];
  byTeam: { name: string; outstanding: number; overdue: number }[];
  atRisk: {
    assessmentId: string;
    personId: string;
    caseNumber: string;
    coordinator: string;
    requestDate: string;
    statutoryFinal: string;
    projectedFinal: string;
    why: string;
    delayNoticeSent: boolean;
  }[];
  counts: {
    openFollowUps: number;
    overdueFollowUps: number;
    adviceOutstanding: number;
    adviceOverdue: number;
    atRisk: number;
  };
}

/** The weekly report of one authority: case references only, never names (it is also emailed as counts). */
export async function buildWeeklyReport(db: Executor, authorityId: string, today: string): Promise<WeeklyReport> {
  const followUps = (await repo.openFollowUps(db, authorityId))
    .map((f) => {
      const overdue = f.follow_up_due !== null && today > f.follow_up_due;
      return {
        requestId: f.id,
        assessmentId: f.assessment_id,
        personId: f.person_id,
        caseNumber: f.case_number,
        kind: ADVICE_KINDS[f.kind] ?? f.kind,
        giver: f.giver_name,
        responsible: f.responsible_name,
        provider: f.service_name ?? 'No provider recorded',
        sentOn: f.follow_up_sent_on,
        due: f.follow_up_due,
        overdue,
        workingDaysOverdue: overdue && f.follow_up_due ? workingDaysBetween(f.follow_up_due, today) : 0,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        b.workingDaysOverdue - a.workingDaysOverdue ||
        (a.due ?? '').localeCompare(b.due ?? ''),
    );
  const outstanding = await repo.outstandingAdvice(db, authorityId);
  const group = (key: (r: (typeof outstanding)[number]) => string) => {
    const m = new Map<string, { name: string; outstanding: number; overdue: number }>();
    for (const r of outstanding) {
      const name = key(r);
      const g = m.get(name) ?? { name, outstanding: 0, overdue: 0 };
      g.outstanding++;
      if (today > r.due_date) g.overdue++;
      m.set(name, g);
    }
    return [...m.values()].sort(
      (a, b) => b.overdue - a.overdue || b.outstanding - a.outstanding || a.name.localeCompare(b.name),
    );
  };
  const { assessments, exceptions, advice } = await repo.openAssessmentsWithDates(db, authorityId);
  const atRisk: WeeklyReport['atRisk'] = [];
  for (const a of assessments) {
    const c = assessmentClocks(
      a,
      exceptions.filter((e) => e.assessment_id === a.id),
      advice.filter((x) => x.assessment_id === a.id),
      today,
    );
    if (c.delayed || c.statutoryFinal < today)
      atRisk.push({
        assessmentId: a.id,
        personId: a.person_id,
        caseNumber: a.case_number,
        coordinator: a.coordinator_name ?? 'Not recorded',
        requestDate: a.request_date,
        statutoryFinal: c.statutoryFinal,
        projectedFinal: c.projectedFinal,
        why: c.projectedFinalWhy,
        delayNoticeSent: Number(a.delay_notices) > 0,
      });
  }
  atRisk.sort((x, y) => x.statutoryFinal.localeCompare(y.statutoryFinal));
  return {
    authorityId,
    generatedOn: today,
    followUps,
    byProvider: group((r) => r.service_name ?? 'No provider recorded'),
    byTeam: group((r) => r.team_name ?? 'No team recorded'),
    atRisk,
    counts: {
      openFollowUps: followUps.length,
      overdueFollowUps: followUps.filter((f) => f.overdue).length,
      adviceOutstanding: outstanding.length,
      adviceOverdue: outstanding.filter((r) => today > r.due_date).length,
      atRisk: atRisk.length,
    },
  };
}

/** A CSV cell: quoted, and a leading =, +, - or @ neutralised so a spreadsheet never runs it as a formula. */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function weeklyReportCsv(r: WeeklyReport): string {
  const rows: unknown[][] = [
    [
      'section',
      'case_reference',
      'provider_or_team',
      'advice_kind',
      'advice_giver',
      'responsible',
      'date_sent',
      'due',
      'working_days_overdue',
      'outstanding',
      'overdue',
      'statutory_final_date',
      'projected_final_date',
      'delay_notice_sent',
    ],
  ];
  for (const f of r.followUps)
    rows.push([
      'open_follow_up',
      f.caseNumber,
      f.provider,
      f.kind,
      f.giver,
      f.responsible,
      f.sentOn,
      f.due,
      f.workingDaysOverdue,
      '',
      '',
      '',
      '',
      '',
    ]);
  for (const p of r.byProvider)
    rows.push([
      'advice_outstanding_by_provider',
      '',
      p.name,
      '',
      '',
      '',
      '',
      '',
      '',
      p.outstanding,
      p.overdue,
      '',
      '',
      '',
    ]);
  for (const t of r.byTeam)
    rows.push(['advice_outstanding_by_team', '', t.name, '', '', '', '', '', '', t.outstanding, t.overdue, '', '', '']);
  for (const a of r.atRisk)
    rows.push([
      'at_risk_of_missing_20_weeks',
      a.caseNumber,
      '',
      '',
      '',
      a.coordinator,
      a.requestDate,
      '',
      '',
      '',
      '',
      a.statutoryFinal,
      a.projectedFinal,
      a.delayNoticeSent ? 'yes' : 'no',
    ]);
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** The Monday of the London week containing `today`. */
export function weekStart(today: string): string {
  const dow = (((toDayNumber(today) + 4) % 7) + 7) % 7; // 0 = Sunday
  return addDays(today, -((dow + 6) % 7));
}

/**
 * The weekly email to SEND managers: counts and a link that needs sign-in, never names. Once per authority per
 * week, however many workers run the job (ehcp_weekly_report_runs).
 */
export async function sendWeeklyReportEmails(db: Db, baseUrl: string, now: Date): Promise<number> {
  const today = londonToday(now);
  const week = weekStart(today);
  const authorities = await db.selectFrom('authorities').select('id').execute();
  let sent = 0;
  for (const { id } of authorities) {
    sent += await db.transaction().execute(async (tx) => {
      const managers = await repo.sendManagersOf(tx, id);
      if (!managers.length) return 0;
      const claimed = await tx
        .insertInto('ehcp_weekly_report_runs')
        .values({ authority_id: id, week_start: week, sent_at: now })
        .onConflict((oc) => oc.columns(['authority_id', 'week_start']).doNothing())
        .returning('week_start')
        .executeTakeFirst();
      if (!claimed) return 0;
      const r = await buildWeeklyReport(tx, id, today);
      const c = r.counts;
      for (const m of managers) {
        await enqueueEmail(tx, {
          authorityId: id,
          reference: `ehcp-weekly-${week}`,
          to: [m.email],
          subject: `EHCP weekly report for the week of ${week}`,
          body: [
            `Hello ${m.display_name},`,
            '',
            `The EHCP weekly report for the week beginning ${week}:`,
            `- Open advice follow-ups: ${c.openFollowUps} (${c.overdueFollowUps} overdue)`,
            `- Advice outstanding: ${c.adviceOutstanding} (${c.adviceOverdue} past the 6-week date)`,
            `- Assessments at risk of missing 20 weeks: ${c.atRisk}`,
            '',
            `Sign in to see the report: ${baseUrl}/reports/ehcp-weekly`,
            '',
            'This email does not contain personal details. Do not reply to it.',
          ].join('\n'),
        });
        sent++;
      }
      return managers.length;
    });
  }
  return sent;
}

export class EhcpService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
    private readonly protocols: ProtocolService,
  ) {
    protocols.onStepEntered((e) => this.onStepEntered(e));
  }

  today(): string {
    return londonToday(this.now());
  }

  // ---- assessments ---------------------------------------------------------------------------------

  /** For the record page, which logs its own read. */
  async forPerson(personId: string) {
    return repo.assessmentsOf(this.db, personId);
  }

  /** The person's assessments page: a read of their record, logged (S6). */
  async personAssessments(user: AuthUser, access: PersonAccess) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.person(tx, user.authorityId, access.personId);
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: person.id,
        userId: user.id,
        channel: 'page',
        purpose: access.breakGlassId ? 'break-glass' : 'ehcp-assessments',
        breakGlassId: access.breakGlassId,
      });
      const assessments = (await repo.assessmentsOf(tx, person.id)).map((a) => ({ ...a, stage: stageOf(a) }));
      return { person, assessments };
    });
  }

  /** The API list: a read of the person, logged in the same transaction (S6). */
  async listForPerson(user: AuthUser, access: PersonAccess) {
    return this.db.transaction().execute(async (tx) => {
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: access.personId,
        userId: user.id,
        channel: 'api',
        purpose: access.breakGlassId ? 'break-glass' : 'ehcp-assessments',
        breakGlassId: access.breakGlassId,
      });
      return repo.assessmentsOf(tx, access.personId);
    });
  }

  async mine(user: AuthUser) {
    const today = this.today();
    return (await repo.assessmentsCoordinatedBy(this.db, user)).map((a) => ({
      ...a,
      stage: stageOf(a),
      statutoryFinal: addDays(a.request_date, 140),
      overdue: !a.final_issued_date && today > addDays(a.request_date, 140),
    }));
  }

  async create(user: AuthUser, personId: string, body: Body): Promise<string> {
    const errors: Record<string, string> = {};
    const today = this.today();
    const requestDate = requireDate(body, 'request_date', 'date of the request', errors, { notAfter: today });
    const by = text(body, 'requested_by');
    if (!REQUESTERS[by]) errors.requested_by = 'Choose who asked for the assessment';
    const detail = longText(body, 'requester_detail', 'who asked', errors, by === 'other', 200);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const person = await this.person(tx, user.authorityId, personId);
      const row = await tx
        .insertInto('ehcp_assessments')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          request_date: requestDate,
          requested_by: by as 'parent',
          requester_detail: detail || null,
          coordinator_id: user.id,
          created_at: this.now(),
          updated_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const c = assessmentClocks(
        {
          request_date: requestDate,
          decision_to_assess: null,
          decision_date: null,
          not_issue_date: null,
          draft_served_date: null,
          final_issued_date: null,
        },
        [],
        [],
        today,
      );
      const [decide, , final] = [c.clocks[0]!, c.clocks[1]!, c.clocks[c.clocks.length - 1]!];
      await scheduleDeadlines(tx, [
        {
          authorityId: user.authorityId,
          subjectType: ASSESSMENT_SUBJECT,
          subjectId: row.id,
          rung: 0,
          dueAt: endOfLondonDay(decide.statutory),
          action: { kind: 'decision_due' },
        },
        {
          authorityId: user.authorityId,
          subjectType: ASSESSMENT_SUBJECT,
          subjectId: row.id,
          rung: 2,
          dueAt: endOfLondonDay(final.statutory),
          action: { kind: 'final_due' },
        },
      ]);
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        kind: 'ehcp',
        title: `EHC needs assessment requested on ${requestDate} by ${(REQUESTERS[by] ?? by).toLowerCase()}`,
        detail: `Decision whether to assess due ${decide.statutory} (${decide.explanation}); final plan due ${final.statutory} (${final.explanation})`,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'ehcp_assessment',
        entityId: row.id,
        personId,
        detail: { requested_by: by, case: person.case_number },
      });
      return row.id;
    });
  }

  private async person(db: Executor, authorityId: string, personId: string) {
    const p = await db
      .selectFrom('people')
      .where('id', '=', personId)
      .where('authority_id', '=', authorityId)
      .select(['id', 'case_number', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'school'])
      .executeTakeFirst();
    if (!p) throw new NotFound('No record with that reference.');
    return p;
  }

  private async loadAssessment(db: Executor, user: AuthUser, personId: string, assessmentId: string) {
    const a = await repo.findAssessment(db, user.authorityId, personId, assessmentId);
    if (!a) throw new NotFound('No EHC needs assessment with that reference on this record.');
    return a;
  }

  /** Everything on the assessment page, read in one transaction with its access-log row (quality.md S6). */
  async assessment(user: AuthUser, access: PersonAccess, assessmentId: string, channel: 'page' | 'api' = 'page') {
    return this.db.transaction().execute(async (tx) => {
      const a = await this.loadAssessment(tx, user, access.personId, assessmentId);
      const person = await this.person(tx, user.authorityId, access.personId);
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: person.id,
        userId: user.id,
        channel,
        purpose: access.breakGlassId ? 'break-glass' : 'ehcp-assessment',
        breakGlassId: access.breakGlassId,
      });
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
      const today = this.today();
      const clocks = assessmentClocks(a, exceptions, advice, today);
      const year = schoolYear(person.date_of_birth, today);
      const pfaRequired = year !== null && year >= 9;
      const hasPfa = advice.some((r) => r.kind === 'preparing_for_adulthood' && r.status !== 'cancelled');
      const requests = advice.map((r) => {
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
        stage: stageOf(a),
        today,
      };
    });
  }

  async decideToAssess(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    const errors: Record<string, string> = {};
    const decision = text(body, 'decision');
    if (decision !== 'assess' && decision !== 'not_assess')
      errors.decision = 'Choose whether to carry out the assessment';
    const date = requireDate(body, 'decision_date', 'date of the decision', errors, { notAfter: this.today() });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      if (a.decision_to_assess)
        throw new ValidationError({ decision: 'The decision whether to assess is already recorded' });
      if (date < a.request_date)
        throw new ValidationError({
          decision_date: `The date of the decision must be on or after the request on ${a.request_date}`,
        });
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({
          decision_to_assess: decision as 'assess',
          decision_date: date,
          status: decision === 'not_assess' ? 'closed' : 'open',
          version: eb('version', '+', 1),
          updated_at: this.now(),
        }))
        .where('id', '=', a.id)
        .execute();
      await cancelDeadlines(tx, ASSESSMENT_SUBJECT, a.id, this.now());
      if (decision === 'assess') {
        const final = assessmentClocks(
          { ...a, decision_to_assess: 'assess', decision_date: date },
          [],
          [],
          date,
        ).statutoryFinal;
        await scheduleDeadlines(tx, [
          {
            authorityId: user.authorityId,
            subjectType: ASSESSMENT_SUBJECT,
            subjectId: a.id,
            rung: 3,
            dueAt: endOfLondonDay(final),
            action: { kind: 'final_due' },
          },
        ]);
      }
      await this.event(
        tx,
        user,
        personId,
        decision === 'assess'
          ? `Decided to carry out the EHC needs assessment (${date})`
          : `Decided not to carry out the EHC needs assessment (${date})`,
        null,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'decide',
        entity: 'ehcp_assessment',
        entityId: a.id,
        personId,
        detail: { decision },
      });
    });
  }

  private async locked(tx: Tx, user: AuthUser, personId: string, assessmentId: string, body: Body) {
    await this.loadAssessment(tx, user, personId, assessmentId);
    const a = (await repo.lockAssessment(tx, assessmentId))!;
    checkVersion(body, a.version);
    return a;
  }

  private async event(
    tx: Tx,
    user: AuthUser | null,
    personId: string,
    title: string,
    detail: string | null,
    authorityId?: string,
  ) {
    await insertEvent(tx, {
      authority_id: authorityId ?? (user as AuthUser).authorityId,
      person_id: personId,
      kind: 'ehcp',
      title,
      detail,
      actor_id: user?.id ?? null,
    });
  }

  async recordException(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    const errors: Record<string, string> = {};
    const type = text(body, 'type');
    if (!EXCEPTION_TYPES[type]) errors.type = 'Choose which exception in reg 10(4) applies';
    const start = requireDate(body, 'start_date', 'date the exception began', errors);
    const end = requireDate(body, 'end_date', 'date the exception ended (or is expected to end)', errors);
    if (start && end && end < start)
      errors.end_date = 'The date the exception ended must be on or after the date it began';
    const reason = longText(body, 'reason', 'the evidence and reason', errors, true, 2000);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      const row = await tx
        .insertInto('ehcp_exceptions')
        .values({
          authority_id: user.authorityId,
          assessment_id: a.id,
          person_id: personId,
          type: type as 'school_closure',
          start_date: start,
          end_date: end,
          reason,
          recorded_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: this.now() }))
        .where('id', '=', a.id)
        .execute();
      const [exceptions, advice] = await Promise.all([repo.exceptionsOf(tx, a.id), repo.adviceRequestsOf(tx, a.id)]);
      const c = assessmentClocks(a, exceptions, advice, this.today());
      await this.event(
        tx,
        user,
        personId,
        `Exception recorded for statutory reporting: ${EXCEPTION_TYPES[type]}`,
        `${start} to ${end}. ${reason} Statutory final date stays ${c.statutoryFinal}; projected final date ${c.projectedFinal}.`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'ehcp_exception',
        entityId: row.id,
        personId,
        detail: { type },
      });
    });
  }

  /** Staff who may be asked for advice: advice givers first (outside organisations), then everyone else. */
  async adviceGiverOptions(user: AuthUser) {
    const rows = await this.db
      .selectFrom('users as u')
      .leftJoin('services as s', 's.id', 'u.service_id')
      .where('u.authority_id', '=', user.authorityId)
      .where('u.active', '=', true)
      .orderBy('u.display_name')
      .select(['u.id', 'u.display_name', 'u.job_title', 'u.roles', 's.name as service_name'])
      .execute();
    return rows.sort((a, b) => Number(b.roles.includes('advice_giver')) - Number(a.roles.includes('advice_giver')));
  }

  async externalServices(user: AuthUser) {
    return this.db
      .selectFrom('services')
      .where('authority_id', '=', user.authorityId)
      .orderBy('name')
      .select(['id', 'name', 'external'])
      .execute();
  }

  async requestAdvice(user: AuthUser, personId: string, assessmentId: string, body: Body): Promise<string> {
    const errors: Record<string, string> = {};
    const today = this.today();
    const kind = text(body, 'kind');
    if (!ADVICE_KINDS[kind]) errors.kind = 'Choose the kind of advice';
    const giverChoice = text(body, 'giver_user_id');
    const inviteEmail = text(body, 'invite_email').toLowerCase();
    const inviteName = text(body, 'invite_name');
    const inviteService = text(body, 'invite_service_id');
    const inviting = giverChoice === 'invite';
    if (!giverChoice) errors.giver_user_id = 'Choose who to ask for advice, or invite someone by email';
    else if (!inviting && !UUID.test(giverChoice)) errors.giver_user_id = 'Choose who to ask for advice from the list';
    if (inviting) {
      if (!EMAIL.test(inviteEmail) || inviteEmail.length > 254)
        errors.invite_email = 'Enter the advice giver’s email address, like name@nhs.net';
      if (!inviteName || inviteName.length > 100)
        errors.invite_name = 'Enter the advice giver’s full name (100 characters or fewer)';
      if (!UUID.test(inviteService)) errors.invite_service_id = 'Choose the organisation the advice giver works for';
    }
    const question = longText(body, 'question', 'what advice you need', errors, true, 5000);
    const requested =
      text(body, 'requested_date-day') || text(body, 'requested_date')
        ? requireDate(body, 'requested_date', 'date of the request for advice', errors, { notAfter: today })
        : today;
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      if (a.status !== 'open' || a.decision_to_assess === 'not_assess')
        throw new ValidationError({ kind: 'This assessment is closed: advice can no longer be requested' });
      if (requested < a.request_date)
        throw new ValidationError({
          requested_date: `The date of the request for advice must be on or after the assessment request on ${a.request_date}`,
        });
      const person = await this.person(tx, user.authorityId, personId);
      let giverId: string;
      if (inviting) giverId = await this.invite(tx, user, inviteEmail, inviteName, inviteService);
      else {
        const g = await tx
          .selectFrom('users')
          .where('id', '=', giverChoice)
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
      const due = adviceDue(requested);
      const row = await tx
        .insertInto('ehcp_advice_requests')
        .values({
          authority_id: user.authorityId,
          assessment_id: a.id,
          person_id: personId,
          kind,
          giver_user_id: giverId,
          responsible_user_id: giverId,
          service_id: giver.service_id,
          team_id: team?.team_id ?? null,
          question,
          requested_date: requested,
          due_date: due.due,
          due_rule: due.explanation,
          created_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: this.now() }))
        .where('id', '=', a.id)
        .execute();
      await scheduleDeadlines(tx, [
        {
          authorityId: user.authorityId,
          subjectType: ADVICE_SUBJECT,
          subjectId: row.id,
          rung: 0,
          dueAt: endOfLondonDay(due.due),
          action: { kind: 'advice_overdue' },
        },
      ]);
      await notifyUser(tx, {
        authorityId: user.authorityId,
        userId: giverId,
        message: `You have been asked for advice for an EHC needs assessment, due ${due.due}`,
        link: `/advice/${row.id}`,
        reference: adviceRef(person.case_number, row.id),
        baseUrl: this.config.baseUrl,
      });
      await this.event(
        tx,
        user,
        personId,
        `Advice requested from ${giver.display_name} (${ADVICE_KINDS[kind]})`,
        `Due ${due.due} (${due.explanation})`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'ehcp_advice_request',
        entityId: row.id,
        personId,
        detail: { kind, invited: inviting },
      });
      return row.id;
    });
  }

  /**
   * An advice giver from outside, invited by email: an account with no password, and a one-time link to set one.
   * The token is random (32 bytes); only its SHA-256 is stored; it expires in 7 days.
   */
  private async invite(tx: Tx, user: AuthUser, email: string, name: string, serviceId: string): Promise<string> {
    const service = await tx
      .selectFrom('services')
      .where('id', '=', serviceId)
      .where('authority_id', '=', user.authorityId)
      .select('id')
      .executeTakeFirst();
    if (!service) throw new ValidationError({ invite_service_id: 'Choose an organisation from the list' });
    const existing = await tx
      .selectFrom('users')
      .where('email', '=', email)
      .select(['id', 'authority_id', 'active'])
      .executeTakeFirst();
    if (existing) {
      if (existing.authority_id !== user.authorityId || !existing.active)
        throw new ValidationError({
          invite_email: 'That email address belongs to an account you cannot ask: choose someone else',
        });
      return existing.id;
    }
    const created = await tx
      .insertInto('users')
      .values({
        authority_id: user.authorityId,
        email,
        display_name: name,
        roles: ['advice_giver'],
        service_id: serviceId,
        password_hash: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    await tx
      .insertInto('user_invites')
      .values({
        authority_id: user.authorityId,
        user_id: created.id,
        token_hash: sha256(token),
        expires_at: new Date(this.now().getTime() + INVITE_DAYS * 86_400_000),
        created_by: user.id,
      })
      .execute();
    await enqueueEmail(tx, {
      authorityId: user.authorityId,
      reference: `invite-${created.id.slice(0, 8)}`,
      to: [email],
      subject: 'You have been invited to Handover to give advice',
      body: `Hello ${name},\n\n${user.displayName} has asked you for advice for an education, health and care needs assessment, through Handover.\n\nSet your password to sign in (this link works once and expires in ${INVITE_DAYS} days):\n${this.config.baseUrl}/invite/${token}\n\nThis email does not contain personal details. Do not reply to it.`,
    });
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'invite',
      entity: 'user',
      entityId: created.id,
    });
    return created.id;
  }

  /** The invitation behind a token, if it is still usable. */
  async findInvite(token: string) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.db
      .selectFrom('user_invites as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .where('i.token_hash', '=', sha256(token))
      .where('i.used_at', 'is', null)
      .where('i.expires_at', '>', this.now())
      .where('u.active', '=', true)
      .select(['i.id', 'i.user_id', 'i.authority_id', 'u.email', 'u.display_name'])
      .executeTakeFirst();
  }

  async acceptInvite(token: string, passwordHash: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inv = await tx
        .selectFrom('user_invites')
        .where('token_hash', '=', sha256(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', this.now())
        .forUpdate()
        .select(['id', 'user_id', 'authority_id'])
        .executeTakeFirst();
      if (!inv) return false;
      await tx.updateTable('user_invites').set({ used_at: this.now() }).where('id', '=', inv.id).execute();
      await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', inv.user_id).execute();
      await insertAudit(tx, {
        authorityId: inv.authority_id,
        actorId: inv.user_id,
        action: 'set-password',
        entity: 'user',
        entityId: inv.user_id,
      });
      return true;
    });
  }

  // ---- the coordinator's side of advice ---------------------------------------------------------------

  async adviceForCoordinator(user: AuthUser, access: PersonAccess, assessmentId: string, requestId: string) {
    const data = await this.assessment(user, access, assessmentId);
    const request = data.requests.find((r) => r.id === requestId);
    if (!request) throw new NotFound('No advice request with that reference on this assessment.');
    return { ...data, request };
  }

  /**
   * Cumbria step 2: the coordinator finds the advice unclear or incomplete. Starts the advice-query protocol for
   * this request (review done: 'unclear'), so it goes to the coordinator's line manager to discuss.
   */
  async markUnclear(
    user: AuthUser,
    personId: string,
    assessmentId: string,
    requestId: string,
    body: Body,
  ): Promise<string> {
    const errors: Record<string, string> = {};
    const note = longText(body, 'query_note', 'what is unclear or missing', errors, true, 2000);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      await this.loadAssessment(tx, user, personId, assessmentId);
      const r = await repo.lockAdviceRequest(tx, requestId);
      if (!r || r.assessment_id !== assessmentId)
        throw new NotFound('No advice request with that reference on this assessment.');
      if (r.status !== 'received')
        throw new ValidationError({ query_note: 'Advice can be queried once it has arrived' });
      if (r.follow_up_instance_id) {
        const open = await tx
          .selectFrom('protocol_instances')
          .where('id', '=', r.follow_up_instance_id)
          .where('status', '=', 'open')
          .select('id')
          .executeTakeFirst();
        if (open) throw new Conflict('This advice is already being queried. Open the advice query to see where it is.');
      }
      const instanceId = await this.protocols.start(
        user,
        personId,
        { protocol_id: ADVICE_PROTOCOL, protocol_version: String(ADVICE_PROTOCOL_VERSION) },
        tx,
      );
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
      await this.protocols.completeOpenStep(tx, instanceId, 'unclear', user.id);
      await this.event(
        tx,
        user,
        personId,
        `Advice marked unclear or incomplete (${ADVICE_KINDS[r.kind] ?? r.kind})`,
        note,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'query',
        entity: 'ehcp_advice_request',
        entityId: r.id,
        personId,
        detail: { instance: instanceId },
      });
      return instanceId;
    });
  }

  /** Protocol hooks, inside the engine's transaction: the Option 2 email, and the line manager taking over. */
  private async onStepEntered(e: StepEntered) {
    if (e.protocolId !== ADVICE_PROTOCOL) return;
    if (e.stepKey === 'await_updated_advice') await this.sendFollowUp(e);
    else if (e.stepKey === 'line_manager_completes') await this.giverAway(e);
  }

  private async sendFollowUp(e: StepEntered) {
    const { tx } = e;
    const giverId = typeof e.data.advice_giver === 'string' ? e.data.advice_giver : null;
    const what = typeof e.data.what_is_needed === 'string' ? e.data.what_is_needed : '';
    const emailed = typeof e.data.email_date === 'string' ? e.data.email_date : this.today();
    if (!giverId) return;
    const request = await tx
      .selectFrom('ehcp_advice_requests')
      .where('follow_up_instance_id', '=', e.instanceId)
      .forUpdate()
      .selectAll()
      .executeTakeFirst();
    const giver = await tx
      .selectFrom('users')
      .where('id', '=', giverId)
      .select(['id', 'email', 'display_name', 'line_manager_id'])
      .executeTakeFirst();
    if (!giver) return;
    if (request && giverId !== request.giver_user_id && giverId !== request.responsible_user_id) {
      const named = await tx
        .selectFrom('users')
        .where('id', '=', request.giver_user_id)
        .select('display_name')
        .executeTakeFirstOrThrow();
      throw new ValidationError({ advice_giver: `Choose ${named.display_name}, who was asked for this advice` });
    }
    const manager = giver.line_manager_id
      ? await tx
          .selectFrom('users')
          .where('id', '=', giver.line_manager_id)
          .where('active', '=', true)
          .select(['id', 'email', 'display_name'])
          .executeTakeFirst()
      : undefined;
    const extras = (typeof e.data.extra_recipients === 'string' ? e.data.extra_recipients : '')
      .split(/[,;\s]+/)
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean);
    const bad = extras.find((x) => !EMAIL.test(x));
    if (bad)
      throw new ValidationError({
        extra_recipients: 'Each extra recipient must be one email address, like name@nhs.net, separated by commas',
      });
    const person = await this.person(tx, e.authorityId, e.personId);
    const due = followUpDue(emailed);
    const ref = request ? adviceRef(person.case_number, request.id) : `${person.case_number}/advice-query`;
    const link = request ? `${this.config.baseUrl}/advice/${request.id}` : `${this.config.baseUrl}/`;
    const cc = [...new Set([manager?.email, ...extras].filter((x): x is string => Boolean(x) && x !== giver.email))];
    await enqueueEmail(tx, {
      authorityId: e.authorityId,
      reference: ref,
      to: [giver.email],
      cc,
      subject: FOLLOW_UP_SUBJECT,
      body: [
        `Dear ${giver.display_name}${manager ? ` (copied to your manager, ${manager.display_name})` : ''},`,
        '',
        `The advice you gave for an education, health and care needs assessment, case reference ${ref}, needs further input before the plan can be written.`,
        '',
        'What is needed:',
        redactNames(what, [person.given_name, person.family_name, person.preferred_name]),
        '',
        `Response required by: ${due.due} (${due.explanation}).`,
        manager
          ? `${manager.display_name}: please make sure this is returned by then; if ${giver.display_name} is not at work, you are responsible for it.`
          : '',
        '',
        `Sign in to see the request and send updated advice: ${link}`,
        '',
        'This email does not contain personal details. Do not reply to it.',
      ].join('\n'),
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
          baseUrl: this.config.baseUrl,
          email: false,
        });
    }
    await insertEvent(tx, {
      authority_id: e.authorityId,
      person_id: e.personId,
      kind: 'ehcp',
      title: `Advice follow-up emailed: ${FOLLOW_UP_SUBJECT}`,
      detail: `To ${giver.display_name}${cc.length ? `, copied to ${[manager?.display_name, ...extras].filter(Boolean).join(', ')}` : ''}; response due ${due.due} (${due.explanation})`,
      actor_id: null,
    });
  }

  private async giverAway(e: StepEntered) {
    const { tx } = e;
    const request = await tx
      .selectFrom('ehcp_advice_requests')
      .where('follow_up_instance_id', '=', e.instanceId)
      .forUpdate()
      .selectAll()
      .executeTakeFirst();
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
    const person = await this.person(tx, e.authorityId, e.personId);
    await notifyUser(tx, {
      authorityId: e.authorityId,
      userId: manager.id,
      message: `${giver.display_name} is away: you are now responsible for updated advice due ${request.follow_up_due ?? 'soon'}`,
      link: `/advice/${request.id}`,
      reference: adviceRef(person.case_number, request.id),
      baseUrl: this.config.baseUrl,
    });
    await insertEvent(tx, {
      authority_id: e.authorityId,
      person_id: e.personId,
      kind: 'ehcp',
      title: `Advice giver away: ${manager.display_name} (their line manager) is now responsible for the updated advice`,
      detail: null,
      actor_id: null,
    });
  }

  // ---- the advice giver's side --------------------------------------------------------------------------

  async myRequests(user: AuthUser) {
    const today = this.today();
    return (await repo.requestsAddressedTo(this.db, user)).map((r) => ({
      ...r,
      kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
      reference: adviceRef(r.case_number, r.id),
      followUpOpen: r.follow_up_sent_on !== null && r.follow_up_closed_on === null,
      overdue: r.status === 'requested' && today > r.due_date,
    }));
  }

  /** What the advice giver sees: this request only. The read is logged against the young person (S6). */
  async requestForGiver(user: AuthUser, access: AdviceAccess, channel: 'page' | 'api' = 'page') {
    return this.db.transaction().execute(async (tx) => {
      const r = await repo.adviceRequestForGiver(tx, access.requestId);
      if (!r) throw new NotFound('No record with that reference.');
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: r.person_id,
        userId: user.id,
        channel,
        purpose: 'advice-request',
        breakGlassId: null,
      });
      const submissions = await repo.submissionsOf(tx, [r.id]);
      let followUpNeed: string | null = null;
      if (r.follow_up_instance_id && r.follow_up_sent_on && !r.follow_up_closed_on) {
        const inst = await tx
          .selectFrom('protocol_instances')
          .where('id', '=', r.follow_up_instance_id)
          .select(['data', 'status'])
          .executeTakeFirst();
        if (inst?.status === 'open' && typeof inst.data.what_is_needed === 'string')
          followUpNeed = inst.data.what_is_needed;
      }
      const today = this.today();
      return {
        request: r,
        reference: adviceRef(r.case_number, r.id),
        kindLabel: ADVICE_KINDS[r.kind] ?? r.kind,
        submissions,
        followUpOpen: Boolean(followUpNeed),
        followUpNeed,
        overdue: r.status === 'requested' && today > r.due_date,
        draftCheckOpen: r.draft_check_due !== null && r.draft_feedback_on === null,
        responsibleIsMe: r.responsible_user_id === user.id,
        today,
      };
    });
  }

  async submitAdvice(user: AuthUser, access: AdviceAccess, body: Body): Promise<'advice' | 'updated_advice'> {
    const errors: Record<string, string> = {};
    const advice = longText(body, 'advice', 'your advice', errors, true, 50000);
    const summary: Record<string, string> = {};
    for (const [f, label] of [
      ['summary_needs', 'the needs summary'],
      ['summary_outcomes', 'the outcomes summary'],
      ['summary_provision', 'the provision summary'],
    ] as const) {
      const v = longText(body, f, label, errors, false, 5000);
      if (v) summary[f.replace('summary_', '')] = v;
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const r = await repo.lockAdviceRequest(tx, access.requestId);
      if (!r || r.status === 'cancelled') throw new NotFound('No record with that reference.');
      const kind = r.status === 'requested' ? 'advice' : 'updated_advice';
      const today = this.today();
      await tx
        .insertInto('ehcp_advice_submissions')
        .values({
          authority_id: r.authority_id,
          request_id: r.id,
          person_id: r.person_id,
          kind,
          body: advice,
          summary: Object.keys(summary).length ? JSON.stringify(summary) : null,
          submitted_by: user.id,
          submitted_at: this.now(),
        })
        .execute();
      let closedFollowUp = false;
      if (r.follow_up_instance_id)
        closedFollowUp = await this.protocols.completeOpenStep(tx, r.follow_up_instance_id, 'received', user.id);
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
      if (kind === 'advice') await cancelDeadlines(tx, ADVICE_SUBJECT, r.id, this.now());
      const a = await tx
        .selectFrom('ehcp_assessments as a')
        .innerJoin('people as p', 'p.id', 'a.person_id')
        .where('a.id', '=', r.assessment_id)
        .select(['a.id', 'a.coordinator_id', 'p.case_number'])
        .executeTakeFirstOrThrow();
      const title =
        kind === 'advice'
          ? `Advice received from ${user.displayName} (${ADVICE_KINDS[r.kind]})`
          : `Updated advice received from ${user.displayName} (${ADVICE_KINDS[r.kind]})${closedFollowUp ? ': follow-up closed' : ''}`;
      await insertEvent(tx, {
        authority_id: r.authority_id,
        person_id: r.person_id,
        kind: 'ehcp',
        title,
        detail: null,
        actor_id: user.id,
      });
      if (a.coordinator_id)
        await notifyUser(tx, {
          authorityId: r.authority_id,
          userId: a.coordinator_id,
          message:
            kind === 'advice'
              ? 'Advice has arrived for an EHC needs assessment'
              : 'Updated advice has arrived for an EHC needs assessment',
          link: `/people/${r.person_id}/ehcp/${a.id}/advice/${r.id}`,
          reference: adviceRef(a.case_number, r.id),
          baseUrl: this.config.baseUrl,
        });
      await insertAudit(tx, {
        authorityId: r.authority_id,
        actorId: user.id,
        action: 'submit',
        entity: 'ehcp_advice_request',
        entityId: r.id,
        personId: r.person_id,
        detail: { kind, closedFollowUp },
      });
      return kind;
    });
  }

  async submitDraftFeedback(user: AuthUser, access: AdviceAccess, body: Body) {
    const errors: Record<string, string> = {};
    const feedback = longText(body, 'feedback', 'your feedback on the draft', errors, true, 20000);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const r = await repo.lockAdviceRequest(tx, access.requestId);
      if (!r || r.status === 'cancelled') throw new NotFound('No record with that reference.');
      if (!r.draft_check_due)
        throw new ValidationError({ feedback: 'The draft plan has not been sent to you to check yet' });
      await tx
        .insertInto('ehcp_advice_submissions')
        .values({
          authority_id: r.authority_id,
          request_id: r.id,
          person_id: r.person_id,
          kind: 'draft_feedback',
          body: feedback,
          submitted_by: user.id,
          submitted_at: this.now(),
        })
        .execute();
      await tx
        .updateTable('ehcp_advice_requests')
        .set((eb) => ({ draft_feedback_on: this.today(), version: eb('version', '+', 1) }))
        .where('id', '=', r.id)
        .execute();
      await cancelDeadlines(tx, ADVICE_SUBJECT, r.id, this.now());
      const a = await tx
        .selectFrom('ehcp_assessments as a')
        .innerJoin('people as p', 'p.id', 'a.person_id')
        .where('a.id', '=', r.assessment_id)
        .select(['a.id', 'a.coordinator_id', 'p.case_number'])
        .executeTakeFirstOrThrow();
      await insertEvent(tx, {
        authority_id: r.authority_id,
        person_id: r.person_id,
        kind: 'ehcp',
        title: `Feedback on the draft plan from ${user.displayName} (${ADVICE_KINDS[r.kind]})`,
        detail: null,
        actor_id: user.id,
      });
      if (a.coordinator_id)
        await notifyUser(tx, {
          authorityId: r.authority_id,
          userId: a.coordinator_id,
          message: 'An advice giver has sent feedback on a draft EHC plan',
          link: `/people/${r.person_id}/ehcp/${a.id}/advice/${r.id}`,
          reference: adviceRef(a.case_number, r.id),
          baseUrl: this.config.baseUrl,
        });
      await insertAudit(tx, {
        authorityId: r.authority_id,
        actorId: user.id,
        action: 'submit',
        entity: 'ehcp_advice_request',
        entityId: r.id,
        personId: r.person_id,
        detail: { kind: 'draft_feedback' },
      });
    });
  }

  // ---- draft, final, decisions not to issue ---------------------------------------------------------------

  /**
   * Serves the draft plan (reg 13(1): at least 15 days for representations, beginning with the day it is served),
   * and asks each advice giver to check it reflects the needs they described (Cumbria steps 6-7): in-app, and an
   * email to them copying their line manager, feedback due in 5 working days.
   */
  async serveDraft(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    const errors: Record<string, string> = {};
    const today = this.today();
    const served = requireDate(body, 'served_date', 'date the draft was served', errors, { notAfter: today });
    const draft = longText(body, 'draft_text', 'the needs and provision in the draft plan', errors, true, 50000);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      if (a.decision_to_assess !== 'assess')
        throw new ValidationError({ served_date: 'Record the decision to carry out the assessment first' });
      if (a.draft_served_date)
        throw new ValidationError({ served_date: `The draft was already served on ${a.draft_served_date}` });
      if (a.status !== 'open') throw new ValidationError({ served_date: 'This assessment is closed' });
      if (served < a.request_date)
        throw new ValidationError({
          served_date: `The date the draft was served must be on or after the request on ${a.request_date}`,
        });
      const person = await this.person(tx, user.authorityId, personId);
      const advice = await repo.adviceRequestsOf(tx, a.id);
      const year = schoolYear(person.date_of_birth, served);
      if (
        year !== null &&
        year >= 9 &&
        !advice.some((r) => r.kind === 'preparing_for_adulthood' && r.status !== 'cancelled')
      )
        throw new ValidationError({
          served_date: `Request advice on preparing for adulthood first: the child is in Year ${year}, and from Year 9 the advice must include it (SEND Regulations 2014 reg 6(3))`,
        });
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({
          draft_served_date: served,
          draft_text: draft,
          version: eb('version', '+', 1),
          updated_at: this.now(),
        }))
        .where('id', '=', a.id)
        .execute();
      const checkDue = addWorkingDays(today, 5);
      const asked: string[] = [];
      for (const r of advice.filter((x) => x.status === 'received')) {
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
        const manager = giver.line_manager_id
          ? await tx
              .selectFrom('users')
              .where('id', '=', giver.line_manager_id)
              .where('active', '=', true)
              .select('email')
              .executeTakeFirst()
          : undefined;
        const ref = adviceRef(person.case_number, r.id);
        await notifyUser(tx, {
          authorityId: user.authorityId,
          userId: giver.id,
          message: `Please check the draft EHC plan reflects your advice, by ${checkDue}`,
          link: `/advice/${r.id}`,
          reference: ref,
          baseUrl: this.config.baseUrl,
          email: false,
        });
        await enqueueEmail(tx, {
          authorityId: user.authorityId,
          reference: ref,
          to: [giver.email],
          cc: manager && manager.email !== giver.email ? [manager.email] : [],
          subject: `Draft EHC plan accuracy check (ref ${ref})`,
          body: `Dear ${giver.display_name},\n\nThe draft education, health and care plan for case reference ${ref} has been issued. Please check that it reflects the needs you described in your advice, and send any feedback by ${checkDue} (5 working days).\n\nSign in to see the draft and send feedback: ${this.config.baseUrl}/advice/${r.id}\n\nThis email does not contain personal details. Do not reply to it.`,
        });
        await scheduleDeadlines(tx, [
          {
            authorityId: user.authorityId,
            subjectType: ADVICE_SUBJECT,
            subjectId: r.id,
            rung: 1,
            dueAt: endOfLondonDay(checkDue),
            action: { kind: 'draft_check_overdue' },
          },
        ]);
        asked.push(giver.display_name);
      }
      const reps = assessmentClocks({ ...a, draft_served_date: served }, [], [], today).clocks.find(
        (c) => c.key === 'draft_representations',
      )!;
      await this.event(
        tx,
        user,
        personId,
        `Draft EHC plan served on ${served}`,
        `Representations until at least ${reps.statutory} (${reps.explanation}).${asked.length ? ` Accuracy check asked of ${asked.join(', ')}, feedback due ${checkDue}.` : ''}`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'serve-draft',
        entity: 'ehcp_assessment',
        entityId: a.id,
        personId,
        detail: { checks: asked.length },
      });
    });
  }

  async issueFinal(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    const errors: Record<string, string> = {};
    const date = requireDate(body, 'final_date', 'date the final plan was issued', errors, { notAfter: this.today() });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      if (!a.draft_served_date) throw new ValidationError({ final_date: 'Serve the draft plan first' });
      if (a.status !== 'open') throw new ValidationError({ final_date: 'This assessment is closed' });
      const reps = assessmentClocks(a, [], [], date).clocks.find((c) => c.key === 'draft_representations')!;
      if (date <= reps.statutory)
        throw new ValidationError({
          final_date: `The final plan cannot be issued before ${addDays(reps.statutory, 1)}: the family has until ${reps.statutory} to make representations (SEND Regulations 2014 reg 13(1))`,
        });
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({
          final_issued_date: date,
          status: 'closed',
          version: eb('version', '+', 1),
          updated_at: this.now(),
        }))
        .where('id', '=', a.id)
        .execute();
      await cancelDeadlines(tx, ASSESSMENT_SUBJECT, a.id, this.now());
      const final = addDays(a.request_date, 140);
      await this.event(
        tx,
        user,
        personId,
        `Final EHC plan issued on ${date}`,
        date > final
          ? `After the 20-week date of ${final} (SEND Regulations 2014 reg 13(2))`
          : `Within 20 weeks (due ${final}, SEND Regulations 2014 reg 13(2))`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'issue-final',
        entity: 'ehcp_assessment',
        entityId: a.id,
        personId,
      });
    });
  }

  async decideNotToIssue(user: AuthUser, personId: string, assessmentId: string, body: Body) {
    const errors: Record<string, string> = {};
    const date = requireDate(body, 'not_issue_date', 'date of the decision not to issue a plan', errors, {
      notAfter: this.today(),
    });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      if (a.decision_to_assess !== 'assess' || a.status !== 'open' || a.draft_served_date)
        throw new ValidationError({
          not_issue_date: 'A decision not to issue can only follow an assessment that has no draft plan',
        });
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({
          not_issue_date: date,
          status: 'closed',
          version: eb('version', '+', 1),
          updated_at: this.now(),
        }))
        .where('id', '=', a.id)
        .execute();
      await cancelDeadlines(tx, ASSESSMENT_SUBJECT, a.id, this.now());
      const due = addDays(a.request_date, 112);
      await this.event(
        tx,
        user,
        personId,
        `Decided not to issue an EHC plan (${date})`,
        `The 16-week date was ${due} (SEND Regulations 2014 reg 10(1))`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'not-issue',
        entity: 'ehcp_assessment',
        entityId: a.id,
        personId,
      });
    });
  }

  // ---- delay notices (Cumbria step 8) ---------------------------------------------------------------------

  /** Tells every contact with parental responsibility of the delay and the new timescale; one row each. */
  async sendDelayNotice(user: AuthUser, personId: string, assessmentId: string, body: Body): Promise<number> {
    const errors: Record<string, string> = {};
    const reason = longText(body, 'reason', 'why the plan is delayed', errors, true, 2000);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const a = await this.locked(tx, user, personId, assessmentId, body);
      const person = await this.person(tx, user.authorityId, personId);
      const [exceptions, advice] = await Promise.all([repo.exceptionsOf(tx, a.id), repo.adviceRequestsOf(tx, a.id)]);
      const c = assessmentClocks(a, exceptions, advice, this.today());
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
      for (const contact of contacts) {
        const letter = [
          `Dear ${contact.name},`,
          '',
          `Education, health and care needs assessment, reference ${ref}, requested on ${a.request_date}`,
          '',
          `We are sorry to tell you that the final education, health and care plan will not be issued within 20 weeks of the request. The 20-week date was ${c.statutoryFinal} (SEND Regulations 2014 regulation 13(2)).`,
          '',
          `Why: ${redactNames(reason, [person.given_name, person.family_name, person.preferred_name])}`,
          '',
          `The new timescale: we now expect to issue the final plan by ${c.projectedFinal}.`,
          '',
          `If you have any questions, please contact ${coordinator?.display_name ?? 'the EHCP coordinator'}, quoting reference ${ref}.`,
        ].join('\n');
        const emailOk = contact.email && EMAIL.test(contact.email);
        const outboxId = emailOk
          ? await enqueueEmail(tx, {
              authorityId: user.authorityId,
              reference: ref,
              to: [contact.email as string],
              subject: `Your EHC needs assessment (ref ${ref}): a delay and the new timescale`,
              body: letter,
            })
          : null;
        await tx
          .insertInto('ehcp_delay_notices')
          .values({
            authority_id: user.authorityId,
            assessment_id: a.id,
            person_id: personId,
            contact_id: contact.id,
            contact_name: contact.name,
            channel: emailOk ? 'email' : 'letter',
            statutory_date: c.statutoryFinal,
            new_date: c.projectedFinal,
            reason,
            body: letter,
            outbox_id: outboxId,
            sent_by: user.id,
            created_at: this.now(),
          })
          .execute();
      }
      await tx
        .updateTable('ehcp_assessments')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: this.now() }))
        .where('id', '=', a.id)
        .execute();
      await this.event(
        tx,
        user,
        personId,
        `Delay notice sent to ${contacts.map((x) => x.name).join(', ')}`,
        `The 20-week date was ${c.statutoryFinal}; new timescale ${c.projectedFinal}. ${reason}`,
      );
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'delay-notice',
        entity: 'ehcp_assessment',
        entityId: a.id,
        personId,
        detail: { contacts: contacts.length },
      });
      return contacts.length;
    });
  }

  // ---- report and timers ----------------------------------------------------------------------------------

  async weeklyReport(user: AuthUser): Promise<WeeklyReport> {
    return buildWeeklyReport(this.db, user.authorityId, this.today());
  }

  /** Overdue handling for assessment and advice deadline rows (called by the sweep, in its transaction). */
  async fireDeadline(tx: Tx, subjectType: string, subjectId: string, action: Record<string, unknown>) {
    if (subjectType === ASSESSMENT_SUBJECT) {
      const a = await tx
        .selectFrom('ehcp_assessments as a')
        .innerJoin('people as p', 'p.id', 'a.person_id')
        .where('a.id', '=', subjectId)
        .select([
          'a.id',
          'a.authority_id',
          'a.person_id',
          'a.status',
          'a.coordinator_id',
          'a.decision_date',
          'a.request_date',
          'p.case_number',
        ])
        .executeTakeFirst();
      if (a?.status !== 'open') return;
      const ref = assessmentRef(a.case_number, a.id);
      const link = `/people/${a.person_id}/ehcp/${a.id}`;
      const what =
        action.kind === 'decision_due'
          ? 'decide whether to carry out the assessment (6 weeks, reg 5(1))'
          : 'issue the final plan (20 weeks, reg 13(2))';
      if (action.kind === 'decision_due' && a.decision_date) return;
      const managers = action.kind === 'final_due' ? await repo.sendManagersOf(tx, a.authority_id) : [];
      for (const u of [a.coordinator_id, ...managers.map((m) => m.id)].filter((x): x is string => Boolean(x)))
        await notifyUser(tx, {
          authorityId: a.authority_id,
          userId: u,
          message: `Statutory date passed: ${what}`,
          link,
          reference: ref,
          baseUrl: this.config.baseUrl,
        });
      await insertEvent(tx, {
        authority_id: a.authority_id,
        person_id: a.person_id,
        kind: 'ehcp',
        title: `Statutory date passed: ${what}`,
        detail: null,
        actor_id: null,
      });
      return;
    }
    const r = await tx
      .selectFrom('ehcp_advice_requests as r')
      .innerJoin('people as p', 'p.id', 'r.person_id')
      .innerJoin('ehcp_assessments as a', 'a.id', 'r.assessment_id')
      .innerJoin('users as g', 'g.id', 'r.giver_user_id')
      .where('r.id', '=', subjectId)
      .select([
        'r.id',
        'r.authority_id',
        'r.person_id',
        'r.status',
        'r.kind',
        'r.due_date',
        'r.responsible_user_id',
        'r.draft_feedback_on',
        'r.draft_check_due',
        'g.line_manager_id',
        'g.display_name as giver_name',
        'a.coordinator_id',
        'a.id as assessment_id',
        'p.case_number',
      ])
      .executeTakeFirst();
    if (!r) return;
    const ref = adviceRef(r.case_number, r.id);
    if (action.kind === 'advice_overdue') {
      if (r.status !== 'requested') return;
      for (const u of [r.responsible_user_id, r.line_manager_id].filter((x): x is string => Boolean(x)))
        await notifyUser(tx, {
          authorityId: r.authority_id,
          userId: u,
          message: `Overdue: advice for an EHC needs assessment was due ${r.due_date}`,
          link: `/advice/${r.id}`,
          reference: ref,
          baseUrl: this.config.baseUrl,
        });
      if (r.coordinator_id)
        await notifyUser(tx, {
          authorityId: r.authority_id,
          userId: r.coordinator_id,
          message: `Advice overdue from ${r.giver_name} (due ${r.due_date})`,
          link: `/people/${r.person_id}/ehcp/${r.assessment_id}`,
          reference: ref,
          baseUrl: this.config.baseUrl,
        });
      await insertEvent(tx, {
        authority_id: r.authority_id,
        person_id: r.person_id,
        kind: 'ehcp',
        title: `Advice overdue from ${r.giver_name} (${ADVICE_KINDS[r.kind]}): due ${r.due_date} (SEND Regulations 2014 reg 8(1))`,
        detail: null,
        actor_id: null,
      });
    } else if (action.kind === 'draft_check_overdue') {
      if (r.draft_feedback_on || !r.draft_check_due) return;
      await notifyUser(tx, {
        authorityId: r.authority_id,
        userId: r.responsible_user_id,
        message: `Reminder: feedback on the draft EHC plan was due ${r.draft_check_due}`,
        link: `/advice/${r.id}`,
        reference: ref,
        baseUrl: this.config.baseUrl,
        email: false,
      });
    }
  }
}

/** Where an assessment has got to, for lists and the task list. */
export function stageOf(a: {
  decision_to_assess: string | null;
  draft_served_date: string | null;
  final_issued_date: string | null;
  not_issue_date: string | null;
}) {
  if (a.final_issued_date) return 'Final plan issued';
  if (a.not_issue_date) return 'Decided not to issue a plan';
  if (a.decision_to_assess === 'not_assess') return 'Decided not to assess';
  if (a.draft_served_date) return 'Draft plan served';
  if (a.decision_to_assess === 'assess') return 'Gathering advice';
  return 'Deciding whether to assess';
}
