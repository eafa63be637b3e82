// The weekly EHCP report (src/modules/ehcp/report.ts) was rewritten for 500,000 young people (quality.md P3): one
// statement per section, run at once, counts in SQL, each assessment's exceptions and advice aggregated with it.
// This pins that it gives the same lines as the plain reading it replaced — every open assessment's clocks from its
// own exceptions and advice (repository.ts's per-assessment reads), the outstanding advice counted row by row, the
// plan lines filtered in Node — on the demo council, with exceptions, delay notices and cancelled advice added so
// every input of the at-risk rule is exercised, on two days.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { addDays } from '../src/domain/calendar.ts';
import { type AssessmentDates, assessmentClocks } from '../src/modules/ehcp/clocks.ts';
import { buildWeeklyReport, type WeeklyReport, weeklyReportCsv } from '../src/modules/ehcp/report.ts';
import * as repo from '../src/modules/ehcp/repository.ts';
import { DEMO_DAY, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const demoDay = DEMO_DAY.slice(0, 10);

const authority = (
  await sql<{ authority_id: string; n: number }>`
    SELECT authority_id, count(*)::int AS n FROM ehcp_assessments GROUP BY 1 ORDER BY 2 DESC LIMIT 1`.execute(db)
).rows[0]!;

/** The open assessments not finished, as the report reads them: the instance still open, no final, no refusal. */
async function openAssessments() {
  return (
    await sql<{ id: string; person_id: string; case_number: string; coordinator_name: string | null }>`
      SELECT a.*, p.case_number, c.display_name AS coordinator_name
      FROM ehcp_assessments a JOIN people p ON p.id = a.person_id LEFT JOIN users c ON c.id = a.coordinator_id
      WHERE a.authority_id = ${authority.authority_id} AND a.final_issued_date IS NULL AND a.not_issue_date IS NULL
        AND (a.decision_to_assess IS NULL OR a.decision_to_assess = 'assess')
        AND EXISTS (SELECT 1 FROM protocol_instances i WHERE i.id = a.protocol_instance_id AND i.status = 'open')
      ORDER BY a.id`.execute(db)
  ).rows as (AssessmentDates & {
    id: string;
    person_id: string;
    case_number: string;
    coordinator_name: string | null;
  })[];
}

/** The at-risk lines read the plain way: each assessment's own exceptions, advice and delay notices. */
async function expectedAtRisk(today: string) {
  const lines: Omit<WeeklyReport['atRisk'][number], 'why'>[] = [];
  for (const a of await openAssessments()) {
    const c = assessmentClocks(a, await repo.exceptionsOf(db, a.id), await repo.adviceRequestsOf(db, a.id), today);
    if (c.delayed || c.statutoryFinal < today)
      lines.push({
        assessmentId: a.id,
        personId: a.person_id,
        caseNumber: a.case_number,
        coordinator: a.coordinator_name ?? 'Not recorded',
        requestDate: a.request_date,
        statutoryFinal: c.statutoryFinal,
        projectedFinal: c.projectedFinal,
        delayNoticeSent: (await repo.delayNoticesOf(db, a.id)).length > 0,
      });
  }
  return lines.sort((x, y) => x.assessmentId.localeCompare(y.assessmentId));
}

/** Outstanding advice counted row by row, by provider and by team name. */
async function expectedAdvice(today: string) {
  const rows = (
    await sql<{ due_date: string; service_name: string | null; team_name: string | null }>`
      SELECT r.due_date, s.name AS service_name, t.name AS team_name
      FROM ehcp_advice_requests r JOIN ehcp_assessments a ON a.id = r.assessment_id
      LEFT JOIN services s ON s.id = r.service_id LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.authority_id = ${authority.authority_id} AND r.status = 'requested'
        AND EXISTS (SELECT 1 FROM protocol_instances i WHERE i.id = a.protocol_instance_id AND i.status = 'open')`.execute(
      db,
    )
  ).rows;
  const count = (key: (r: (typeof rows)[number]) => string) => {
    const m = new Map<string, { name: string; outstanding: number; overdue: number }>();
    for (const r of rows) {
      const g = m.get(key(r)) ?? { name: key(r), outstanding: 0, overdue: 0 };
      g.outstanding++;
      if (today > r.due_date) g.overdue++;
      m.set(g.name, g);
    }
    return [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  };
  return {
    byProvider: count((r) => r.service_name ?? 'No provider recorded'),
    byTeam: count((r) => r.team_name ?? 'No team recorded'),
    outstanding: rows.length,
    overdue: rows.filter((r) => today > r.due_date).length,
  };
}

/** The plan lines' rows before filtering: every open review or amendment with its current step. */
async function expectedPlans(today: string) {
  const rows = (
    await sql<{ protocol_id: string; case_number: string; due_date: string | null }>`
      SELECT i.protocol_id, p.case_number, s.due_date
      FROM protocol_instances i JOIN protocol_steps s ON s.id = i.current_step_id JOIN people p ON p.id = i.person_id
      WHERE i.authority_id = ${authority.authority_id} AND i.status = 'open'
        AND i.protocol_id IN ('ehc-annual-review', 'ehc-plan-amendment')`.execute(db)
  ).rows;
  const key = (r: { caseNumber: string; due: string | null }) => `${r.caseNumber} ${r.due}`;
  return {
    reviews: rows
      .filter((r) => r.protocol_id === 'ehc-annual-review' && r.due_date !== null && r.due_date < today)
      .map((r) => key({ caseNumber: r.case_number, due: r.due_date }))
      .sort(),
    amendments: rows
      .filter((r) => r.protocol_id === 'ehc-plan-amendment')
      .map((r) => key({ caseNumber: r.case_number, due: r.due_date }))
      .sort(),
  };
}

const sortedBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

test('the demo council gives the report something to get wrong: exceptions, delay notices, cancelled advice', async () => {
  const open = await openAssessments();
  assert.ok(open.length >= 4, `the demo has ${open.length} open assessments`);
  // An exception on the first (moves its projection), overlapping ones on the second (counted once), a delay
  // notice on the third, and a cancelled advice request on the fourth (ignored by the clocks).
  const [a, b, c, d] = open as [(typeof open)[0], (typeof open)[0], (typeof open)[0], (typeof open)[0]];
  await sql`
    INSERT INTO ehcp_exceptions (authority_id, assessment_id, person_id, type, start_date, end_date, reason)
    VALUES (${authority.authority_id}, ${a.id}, ${a.person_id}, 'school_closure', ${addDays(a.request_date, 10)},
              ${addDays(a.request_date, 80)}, 'Pinned by the test'),
           (${authority.authority_id}, ${b.id}, ${b.person_id}, 'personal_circumstances', ${b.request_date},
              ${addDays(b.request_date, 20)}, 'Pinned by the test'),
           (${authority.authority_id}, ${b.id}, ${b.person_id}, 'absent_from_area', ${addDays(b.request_date, 15)},
              ${addDays(b.request_date, 200)}, 'Pinned by the test')`.execute(db);
  await sql`
    INSERT INTO ehcp_delay_notices (authority_id, assessment_id, person_id, contact_name, channel, statutory_date,
      new_date, reason, body)
    VALUES (${authority.authority_id}, ${c.id}, ${c.person_id}, 'A parent', 'letter', ${c.request_date},
      ${c.request_date}, 'Pinned by the test', 'Pinned by the test')`.execute(db);
  await sql`
    INSERT INTO ehcp_advice_requests (authority_id, assessment_id, person_id, kind, giver_user_id,
      responsible_user_id, question, requested_date, due_date, due_rule, status)
    SELECT a.authority_id, a.id, a.person_id, 'other', u.id, u.id, 'Pinned by the test', a.request_date,
      '2027-06-30', 'test', 'cancelled'
    FROM ehcp_assessments a, LATERAL (SELECT id FROM users WHERE authority_id = a.authority_id LIMIT 1) u
    WHERE a.id = ${d.id}`.execute(db);
});

for (const day of [demoDay, addDays(demoDay, 70)])
  test(`the weekly report on ${day} has the lines the plain reading gives`, async () => {
    const report = await buildWeeklyReport(db, authority.authority_id, day);

    const atRisk = await expectedAtRisk(day);
    assert.ok(atRisk.length > 0, 'some assessments at risk');
    assert.ok(
      atRisk.some((a) => a.delayNoticeSent),
      'a delay notice among them',
    );
    assert.deepEqual(
      sortedBy(report.atRisk, (a) => a.assessmentId).map(({ why: _, ...a }) => a),
      atRisk,
    );
    // Ordered by the 20-week date, then case reference: the same order every time.
    const order = (x: WeeklyReport['atRisk'][number]) => `${x.statutoryFinal} ${x.caseNumber} ${x.assessmentId}`;
    assert.deepEqual(report.atRisk.map(order), report.atRisk.map(order).sort());

    const advice = await expectedAdvice(day);
    assert.ok(advice.outstanding > 0, 'some advice outstanding');
    assert.deepEqual(
      sortedBy(report.byProvider, (g) => g.name),
      advice.byProvider,
    );
    assert.deepEqual(
      sortedBy(report.byTeam, (g) => g.name),
      advice.byTeam,
    );
    assert.equal(report.counts.adviceOutstanding, advice.outstanding);
    assert.equal(report.counts.adviceOverdue, advice.overdue);

    const plans = await expectedPlans(day);
    const key = (r: { caseNumber: string; due: string | null }) => `${r.caseNumber} ${r.due}`;
    assert.deepEqual(report.plans.reviewsOverdue.map(key).sort(), plans.reviews);
    assert.deepEqual(report.plans.amendmentsWaiting.map(key).sort(), plans.amendments);
    const due = report.plans.reviewsOverdue.map((r) => r.due);
    assert.deepEqual(due, [...due].sort(), 'reviews in due-date order');

    const followUps = (
      await sql<{ id: string }>`
        SELECT r.id FROM ehcp_advice_requests r JOIN protocol_instances i ON i.id = r.follow_up_instance_id
        WHERE r.authority_id = ${authority.authority_id} AND r.follow_up_sent_on IS NOT NULL AND i.status = 'open'
        ORDER BY r.id`.execute(db)
    ).rows.map((r) => r.id);
    assert.deepEqual(report.followUps.map((f) => f.requestId).sort(), followUps);
    assert.equal(report.counts.openFollowUps, followUps.length);

    // The same data gives the same report, to the byte.
    assert.equal(weeklyReportCsv(await buildWeeklyReport(db, authority.authority_id, day)), weeklyReportCsv(report));
  });
