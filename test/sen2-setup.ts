// A council for the SEN2 tests, written straight to the tables: requests, assessments, plans, reviews and a
// cessation at the edges of the 2026 collection year (census 21 January 2027), with and without exceptions.
import type { Db } from '../src/db/database.ts';
import type { DemoOrganisation } from '../src/modules/kit/demo.ts';
import { personInTeam } from './helpers.ts';

export interface Sen2Case {
  personId: string;
  assessmentId: string;
  planId: string | null;
}

export async function seedSen2Council(db: Db, org: DemoOrganisation, prefix: string) {
  const team = org.teams['dct-north'] as string;
  const authority_id = org.authorityId;
  const person = (c: string, o: { upn?: string; gender?: string; postcode?: string } = {}) =>
    personInTeam(db, {
      authorityId: authority_id,
      team,
      worker: null,
      caseNumber: `${prefix}-${c}`,
      givenName: `Given${c}`,
      familyName: `Family${c}`,
      dateOfBirth: '2010-05-01',
    }).then(async (id) => {
      await db
        .updateTable('people')
        .set({ upn: o.upn ?? null, gender: o.gender ?? null, postcode: o.postcode ?? null })
        .where('id', '=', id)
        .execute();
      // The SEND statutory team works with everyone with an EHC request, so its SEND manager may fix their record.
      await db
        .insertInto('involvements')
        .values({
          authority_id,
          person_id: id,
          team_id: org.teams['send-statutory'] as string,
          worker_id: null,
          reason: 'EHC needs assessment',
          start_date: '2025-01-06',
        })
        .execute();
      return id;
    });
  const request = async (
    personId: string,
    a: {
      request_date: string;
      requested_by: 'parent' | 'young_person' | 'school' | 'other';
      decision_to_assess?: 'assess' | 'not_assess';
      decision_date?: string;
      final_issued_date?: string;
    },
  ) =>
    (
      await db
        .insertInto('ehcp_assessments')
        .values({ authority_id, person_id: personId, ...a })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const plan = async (
    personId: string,
    assessmentId: string,
    p: {
      issued: string;
      ceased?: { date: string; reason: number };
      urn?: string;
      setting?: string;
      needs: string[];
    },
  ) => {
    const { id } = await db
      .insertInto('ehc_plans')
      .values({
        authority_id,
        person_id: personId,
        assessment_id: assessmentId,
        status: p.ceased ? 'ceased' : 'final',
        first_issued_date: p.issued,
        last_issued_date: p.issued,
        ceased_date: p.ceased?.date ?? null,
        cease_reason: p.ceased?.reason ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ehc_plan_versions')
      .values({
        authority_id,
        plan_id: id,
        person_id: personId,
        number: 1,
        kind: 'final',
        state: 'issued',
        issued_date: p.issued,
        setting_name: p.urn ? 'Northgate Primary' : null,
        setting_urn: p.urn ?? null,
        sen_setting: p.setting ?? null,
        sen_needs: p.needs,
      })
      .execute();
    return id;
  };

  // A: asked by a parent in February, plan inside 20 weeks, named school by URN, two needs ranked.
  const a = await person('A', { upn: 'A123456789012', gender: 'Female', postcode: 'DM1 1AA' });
  const aReq = await request(a, {
    request_date: '2026-02-02',
    requested_by: 'parent',
    decision_to_assess: 'assess',
    decision_date: '2026-03-10',
    final_issued_date: '2026-06-15',
  });
  const aPlan = await plan(a, aReq, { issued: '2026-06-15', urn: '123456', needs: ['ASD', 'SLCN'] });
  // B: no UPN; asked by the school; an exception of 14 days; plan after the 20-week date; an SEN2 setting code.
  const b = await person('B', { gender: 'male' });
  const bReq = await request(b, {
    request_date: '2026-03-02',
    requested_by: 'school',
    decision_to_assess: 'assess',
    decision_date: '2026-04-10',
    final_issued_date: '2026-08-10',
  });
  await db
    .insertInto('ehcp_exceptions')
    .values({
      authority_id,
      assessment_id: bReq,
      person_id: b,
      type: 'personal_circumstances',
      start_date: '2026-05-01',
      end_date: '2026-05-14',
      reason: 'Family away',
    })
    .execute();
  const bPlan = await plan(b, bReq, { issued: '2026-08-10', setting: 'OLA', needs: ['SEMH'] });
  // C: asked in the year before, plan one day after its 20-week date (19 January 2026), no setting named; a review
  // held in December, plan maintained.
  const c = await person('C', { upn: 'C123456789012' });
  const cReq = await request(c, {
    request_date: '2025-09-01',
    requested_by: 'young_person',
    decision_to_assess: 'assess',
    decision_date: '2025-10-10',
    final_issued_date: '2026-01-20',
  });
  const cPlan = await plan(c, cReq, { issued: '2026-01-20', needs: ['MLD'] });
  await db
    .insertInto('ehc_reviews')
    .values({
      authority_id,
      plan_id: cPlan,
      person_id: c,
      due_date: '2027-01-19',
      due_basis: 'first',
      status: 'decided',
      meeting_held_date: '2026-12-10',
      decision: 'maintain',
      decision_date: '2026-12-17',
    })
    .execute();
  // D: asked in November, decided not to assess in December.
  const d = await person('D', { upn: 'D123456789012' });
  const dReq = await request(d, {
    request_date: '2026-11-20',
    requested_by: 'other',
    decision_to_assess: 'not_assess',
    decision_date: '2026-12-15',
  });
  // E: everything before the year (plan ceased in 2025): not in the return.
  const e = await person('E', { upn: 'E123456789012' });
  const eReq = await request(e, {
    request_date: '2024-01-10',
    requested_by: 'parent',
    decision_to_assess: 'assess',
    decision_date: '2024-02-10',
    final_issued_date: '2024-05-01',
  });
  await plan(e, eReq, {
    issued: '2024-05-01',
    urn: '654321',
    needs: ['HI'],
    ceased: { date: '2025-12-01', reason: 2 },
  });
  // F: asked after the year ended: not in the return.
  const f = await person('F', { upn: 'F123456789012' });
  await request(f, { request_date: '2027-01-05', requested_by: 'parent' });
  // G: a plan from 2024 ceased in the year (moved on to paid employment): in the return, not active.
  const g = await person('G', { upn: 'G123456789012' });
  const gReq = await request(g, {
    request_date: '2024-02-01',
    requested_by: 'young_person',
    decision_to_assess: 'assess',
    decision_date: '2024-03-01',
    final_issued_date: '2024-06-01',
  });
  const gPlan = await plan(g, gReq, {
    issued: '2024-06-01',
    urn: '223344',
    needs: ['PD'],
    ceased: { date: '2026-09-30', reason: 4 },
  });
  return {
    a: { personId: a, assessmentId: aReq, planId: aPlan },
    b: { personId: b, assessmentId: bReq, planId: bPlan },
    c: { personId: c, assessmentId: cReq, planId: cPlan },
    d: { personId: d, assessmentId: dReq, planId: null },
    e: { personId: e },
    f: { personId: f },
    g: { personId: g, assessmentId: gReq, planId: gPlan },
  };
}
