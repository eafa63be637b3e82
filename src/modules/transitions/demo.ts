// Demo data for plans, referrals and panels: the demo council's 16-17 year olds get person-led plans with owned,
// unowned, overdue and blocked actions; referrals in every state; the three panels with members, a planned forum
// meeting with its agenda and a Governance Group item shown without personal details.
import type { Db, Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { addDays, addWorkingDays } from '../../domain/calendar.ts';
import type { DemoOrganisation } from '../kit/demo.ts';
import type { PanelKind } from './panels.ts';
import type { TransitionsService } from './service.ts';

interface Demo {
  tx: Tx;
  org: DemoOrganisation;
  today: string;
  transitions: TransitionsService;
  worker: string;
  manager: string;
  adultServices: string | null;
}

/** Referrals are made through the module (their chase instances start with them); the rest is written directly. With
 *  the demo's clock, each young person's referral is made on a day of its own in the last weeks (its notice too). */
export async function seedTransitionsDemo(
  db: Db,
  org: DemoOrganisation,
  today: string,
  transitions: TransitionsService,
  clock?: { on(day: string): void; reset(): void },
): Promise<void> {
  const byRole = (role: string) => org.users.find((u) => u.role === role)?.id ?? null;
  const worker = byRole('social_worker');
  const manager = byRole('service_manager');
  const chair = byRole('forum_chair');
  if (!worker || !manager || !chair) return;
  await db.transaction().execute(async (tx) => {
    const services = await tx
      .selectFrom('services')
      .where('authority_id', '=', org.authorityId)
      .select(['id', 'kind'])
      .execute();
    const adult = services.find((s) => s.kind === 'adult');
    const demo: Demo = { tx, org, today, transitions, worker, manager, adultServices: adult?.id ?? null };
    const people = (
      await tx
        .selectFrom('people')
        .where('authority_id', '=', org.authorityId)
        .select(['id', 'date_of_birth'])
        .execute()
    ).filter((p) => {
      const age = ageOn(p.date_of_birth, today);
      return age === 16 || age === 17;
    });
    const members: [string | null, string, boolean][] = [
      [chair, 'adult', true],
      [manager, 'childrens', false],
      [byRole('send_manager'), 'education', false],
      [byRole('advice_giver'), 'health', false],
    ];
    const meetings = await seedPanels(demo, members);
    for (const [i, p] of people.entries()) {
      const stage = i % 4;
      clock?.on(addDays(today, -(2 + i)));
      await seedPlan(demo, p.id, i, stage);
      if (stage === 3 && i < 12) await seedAgendaItems(demo, p.id, meetings);
    }
    clock?.reset();
  });
}

/** The three panels with their members, a forum meeting and a Governance Group meeting planned. */
async function seedPanels({ tx, org, today, transitions }: Demo, members: [string | null, string, boolean][]) {
  const panels = await transitions.ensurePanels(tx, org.authorityId);
  for (const panelId of Object.values(panels))
    for (const [userId, area, isChair] of members)
      if (userId)
        await tx
          .insertInto('panel_members')
          .values({ panel_id: panelId, user_id: userId, area, chair: isChair })
          .execute();
  const meetingIn = async (kind: PanelKind, workingDays: number) => {
    const row = await tx
      .insertInto('panel_meetings')
      .values({
        authority_id: org.authorityId,
        panel_id: panels[kind],
        meeting_date: addWorkingDays(today, workingDays),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { panelId: panels[kind], meetingId: row.id };
  };
  return { forum: await meetingIn('forum', 10), governance: await meetingIn('governance', 15) };
}

/** A plan with an owned action and the housing action at `stage`, and its referral answered as the stage says. */
async function seedPlan(d: Demo, personId: string, i: number, stage: number) {
  const { tx, org, today, worker } = d;
  const plan = await tx
    .insertInto('plans')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      what_matters: 'My friends, my music and my dog',
      hopes: 'To live near my friends and go to college',
      needs: 'Supported living from 18 and help managing money',
      provision_in_place: i % 3 === 0,
      created_by: worker,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const action = (description: string, extra: Record<string, unknown> = {}) =>
    tx
      .insertInto('plan_actions')
      .values({ authority_id: org.authorityId, plan_id: plan.id, person_id: personId, description, ...extra })
      .returning('id')
      .executeTakeFirstOrThrow();
  await action('Money skills course', {
    owner_user_id: worker,
    due_date: addWorkingDays(today, 20),
    status: 'in_progress',
  });
  const housing = await action('Find supported accommodation from 18', {
    ...(stage === 0 ? {} : { owner_service_id: d.adultServices }),
    due_date: stage === 2 ? '2026-01-15' : addWorkingDays(today, 40),
    issue_type: stage === 1 ? 'capacity' : stage === 3 ? 'gap' : null,
    commissioning_area: stage === 1 || stage === 3 ? 'Supported living' : null,
    contingency: stage === 1 ? 'Outreach support twice a week until a place is free' : null,
  });
  const status = (['sent', 'declined', 'successful', 'accepted'] as const)[stage];
  await d.transitions.seedReferral(
    tx,
    { id: worker, authorityId: org.authorityId },
    personId,
    {
      action_id: housing.id,
      to_user_id: null,
      to_service_id: d.adultServices,
      reason: 'Care Act transition assessment and supported living',
      basis: 'consent',
      basis_detail: 'Young person agreed at the plan review',
      response_due: addWorkingDays(today, stage === 0 ? 5 : 10),
    },
    status === 'sent' || !status ? null : status,
    status === 'declined' ? 'Not eligible until 18' : null,
  );
}

type Meeting = { panelId: string; meetingId: string };

/** The case on the forum's agenda (by name) and the Governance Group's (its summary written for it). */
async function seedAgendaItems(d: Demo, personId: string, meetings: { forum: Meeting; governance: Meeting }) {
  const { tx, org } = d;
  await tx
    .insertInto('panel_items')
    .values({
      authority_id: org.authorityId,
      panel_id: meetings.forum.panelId,
      meeting_id: meetings.forum.meetingId,
      person_id: personId,
      source: 'referral_form',
      question: 'Which service provides supported living from 18?',
      issue_type: 'gap',
      needs: 'Supported living from 18',
      blocked_by: 'No adult service will own the accommodation action',
      routes_tried: 'Team and service manager discussions; adult services duty',
      referred_by: d.manager,
    })
    .execute();
  // Written for the Governance Group as a worker would: no names, dates or numbers.
  const written = {
    summary:
      'Needs supported living from 18. Adult social care and housing each say the other should commission it; the forum could not settle who is responsible.',
    needs_categories: ['accommodation', 'social_care'],
  };
  await tx
    .insertInto('audience_summaries')
    .values({
      authority_id: org.authorityId,
      person_id: personId,
      audience: 'governance',
      ...written,
      written_by: d.worker,
    })
    .execute();
  await tx
    .insertInto('panel_items')
    .values({
      authority_id: org.authorityId,
      panel_id: meetings.governance.panelId,
      meeting_id: meetings.governance.meetingId,
      person_id: personId,
      source: 'protocol',
      question: 'Which service is responsible for supported living at 18?',
      issue_type: 'unclear',
      ...written,
    })
    .execute();
}
