import type { Db } from '../../db/database.ts';
import { addDays } from '../../domain/calendar.ts';
import type { Body } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import { DEVON_TRANSITIONS_ID, devonTransitions } from '../../protocols/devon-transitions-16-17.ts';
import type { Services } from '../../services.ts';
import { authUserById } from '../auth/service.ts';
import {
  AdviceInput,
  AdviceQueryInput,
  AdviceRequestInput,
  AssessmentRequestInput,
  DecisionInput,
  DelayNoticeInput,
  DraftInput,
  ExceptionInput,
  FinalPlanInput,
} from '../ehcp/schemas.ts';
import { staffIn } from '../protocols/step-repository.ts';
import type { DemoOrganisation } from './seed.ts';

/** A clock the demo moves to the day of each action; the services read it. */
export class DemoClock {
  private at: number | null = null;
  private moves = 0;
  constructor(private readonly real: () => Date) {}
  readonly now = (): Date => (this.at === null ? this.real() : new Date(this.at));
  /** Moves to a time in the working day of `day` (a past date): 09:00 UTC plus a minute for each move so far, so
   *  things done on one day keep their order and their own times (up to 16:00, then round again). On the real
   *  clock's own day the round starts 7 hours before its time instead, if that is earlier: never in the future. */
  on(day: string): void {
    const start = Math.min(Date.parse(`${day}T09:00:00Z`), this.real().getTime() - 420 * 60_000);
    this.at = start + (this.moves++ % 420) * 60_000;
  }
  reset(): void {
    this.at = null;
  }
}

export async function authUser(db: Db, userId: string): Promise<AuthUser> {
  const u = await authUserById(db, userId);
  if (!u) throw new Error(`demo user ${userId} not found`);
  return u;
}

type Decision = [outcome: string, fields?: Record<string, string>];

/**
 * The way to each step of the Devon protocol (src/protocols/devon-transitions-16-17.ts): the decisions that
 * lead there from the start. `W` stands for the escalation worker (the allocated social worker).
 */
function devonPaths(worker: string): Record<string, Decision[]> {
  const owned: Decision[] = [['plan_written'], ['unowned']];
  const toLineManager: Decision[] = [...owned, ['involved']];
  const toContact: Decision[] = [...owned, ['not_involved']];
  const toAwait: Decision[] = [...toContact, ['clear'], ['referred']];
  const toDecide: Decision[] = [...toAwait, ['failed']];
  const toEscalate: Decision[] = [...toDecide, ['decided', { escalation_worker: worker }]];
  const toIssue: Decision[] = [
    ...toEscalate,
    ['escalated', { escalation_summary: 'Adult services have not agreed to own the supported living action.' }],
  ];
  const toUpdate: Decision[] = [
    ...toLineManager,
    ['owner_agreed', { discussion: 'The team will take on the travel training action from next month.' }],
  ];
  const toForumReferral: Decision[] = [...toIssue, ['gap']];
  const toForum: Decision[] = [...toForumReferral, ['referred']];
  const toClarify: Decision[] = [...toForum, ['no_options']];
  const toGovernance: Decision[] = [...toClarify, ['unclear']];
  return {
    person_led_plan: [],
    assign_owners: [['plan_written']],
    check_involved_service: owned,
    speak_to_line_manager: toLineManager,
    identify_contact: toContact,
    make_referral: [...toContact, ['clear']],
    await_referral: toAwait,
    decide_who_escalates: toDecide,
    escalate_service_lead: toEscalate,
    identify_issue_type: toIssue,
    capacity_contingency: [...toIssue, ['capacity']],
    update_plan: toUpdate,
    review_plan: [...toUpdate, ['updated']],
    forum_referral: [...toContact, ['unclear']],
    forum_review: toForum,
    clarify_responsibility: toClarify,
    forum_action_plan: [...toClarify, ['clear']],
    governance_group: toGovernance,
    send_board: [...toGovernance, ['to_send_board']],
    forum_options: [...toGovernance, ['responsible_found']],
    discuss_options: [...toForum, ['options_found']],
  };
}

/**
 * The summaries a case needs before it can go to the Governance Group or the SEND board, written as a worker would
 * (any detector finding confirmed, as the worker confirms it on the page).
 */
async function writePanelSummaries(services: Services, user: AuthUser, personId: string) {
  const summary =
    'Needs supported living from 18. The services involved disagree about who should commission it, and the forum could not settle it.';
  const findings = await services.transitions.audienceFindings(user, summary);
  for (const audience of ['governance', 'send_board'] as const)
    await services.transitions.saveAudienceSummary(user, personId, audience, {
      summary,
      needs_categories: ['accommodation', 'social_care'],
      confirm: findings.map((f) => f.key),
    });
}

/** Cases that have ended, each with its result. */
function devonEndings(worker: string): { result: string; path: Decision[] }[] {
  const paths = devonPaths(worker);
  return [
    { result: 'plan_proceeds', path: [['plan_written'], ['all_owned']] },
    { result: 'resolved', path: [...(paths.review_plan as Decision[]), ['resolved']] },
    {
      result: 'resolved',
      path: [
        ...(paths.discuss_options as Decision[]),
        ['plan_updated', { options_discussed: 'Shared lives placement from 18, agreed with the young person.' }],
        ['resolved'],
      ],
    },
  ];
}

/** Who decides an open step: its named owner, else the first member of its queue. */
async function actorFor(
  db: Db,
  authorityId: string,
  s: {
    owner_user_id: string | null;
    owner_team_id: string | null;
    owner_role: string | null;
    owner_service_id: string | null;
  },
): Promise<string> {
  if (s.owner_user_id) return s.owner_user_id;
  const scope = { role: s.owner_role, serviceId: s.owner_service_id, teamId: s.owner_team_id };
  const row = await staffIn(db, authorityId, scope).select('u.id').executeTakeFirst();
  if (!row) throw new Error(`no demo user can act on a step owned by ${JSON.stringify(s)}`);
  return row.id;
}

async function decideOpen(
  db: Db,
  services: Services,
  authorityId: string,
  personId: string,
  instanceId: string,
  [outcome, fields]: Decision,
) {
  const s = await db
    .selectFrom('protocol_steps')
    .where('instance_id', '=', instanceId)
    .where('status', '=', 'open')
    .select(['id', 'version', 'owner_user_id', 'owner_team_id', 'owner_role', 'owner_service_id'])
    .executeTakeFirstOrThrow();
  const actor = await authUser(db, await actorFor(db, authorityId, s));
  await services.protocols.decide(actor, personId, instanceId, s.id, {
    outcome,
    version: String(s.version),
    ...fields,
  });
}

/** What the demo's case journeys run with: the database and services, the demo clock, the organisation, today. */
export interface DemoRun {
  db: Db;
  services: Services;
  clock: DemoClock;
  org: DemoOrganisation;
  today: string;
}

const idOf = (org: DemoOrganisation, role: string) => org.users.find((u) => u.role === role)?.id as string;

/**
 * Starts Devon 16-17 transitions cases, one per young person, by the service manager: one waiting at every step
 * (every third one overdue, so its reminders and escalations have fired or will fire) and some that have ended.
 * Needs one young person per step plus the endings; returns how many it used.
 */
export async function seedDevonCases({ db, services, clock, org, today }: DemoRun, people: string[]): Promise<number> {
  const byRole = (role: string) => idOf(org, role);
  const manager = await authUser(db, byRole('service_manager'));
  const worker = byRole('social_worker');
  const paths = devonPaths(worker);
  const cases = [
    ...devonTransitions.steps.map((s, k) => ({ path: paths[s.id] as Decision[], overdue: k % 3 === 1 })),
    ...devonEndings(worker).map((e) => ({ path: e.path, overdue: false })),
  ];
  if (people.length < cases.length) throw new Error(`the Devon demo needs ${cases.length} young people`);
  const gap = 3;
  for (const [k, c] of cases.entries()) {
    const personId = people[k] as string;
    // The last step was entered long enough ago to be overdue (60 days is past every deadline), or recently.
    const last = addDays(today, c.overdue ? -60 - k : -1 - (k % 4));
    let day = addDays(last, -gap * c.path.length);
    clock.on(day);
    const instanceId = await services.protocols.start(manager, personId, {
      protocol_id: DEVON_TRANSITIONS_ID,
      routes_tried: 'Team meetings and the service manager; adult services duty asked twice.',
    });
    if (c.path.some(([o]) => o === 'no_options')) await writePanelSummaries(services, manager, personId);
    for (const d of c.path) {
      day = addDays(day, gap);
      clock.on(day);
      await decideOpen(db, services, org.authorityId, personId, instanceId, d);
    }
  }
  clock.reset();
  return cases.length;
}

/**
 * EHC needs assessments at every stage, through the EHCP service: newly requested; advice requested with one piece
 * overdue; an open Cumbria Option 2 follow-up (its email in the outbox); the draft served with accuracy checks
 * out; finalised; and one at risk of missing 20 weeks with an exception and a delay notice. Advice is asked of the
 * demo advice giver, so they find requests when they sign in. `people`: six children with parents on record.
 */
export async function seedEhcpCases({ db, services, clock, org, today }: DemoRun, people: string[]): Promise<void> {
  const byRole = (role: string) => idOf(org, role);
  const jo = await authUser(db, byRole('ehcp_coordinator'));
  const fiona = await authUser(db, byRole('advice_giver'));
  const sam = byRole('social_worker');
  const ehcp = services.ehcp;
  const d = (n: number) => addDays(today, -n);
  const at = (n: number) => clock.on(d(n));
  /** A form as the coordinator would send it, read through the EHCP module's input (schemas.ts). */
  const read = <V>(input: { parse(body: Body, ctx: ReadContext): V }, body: Body) =>
    input.parse(body, { today: ehcp.today() });
  const version = async (id: string) =>
    String(
      (await db.selectFrom('ehcp_assessments').where('id', '=', id).select('version').executeTakeFirstOrThrow())
        .version,
    );
  const request = async (personId: string, daysAgo: number, by = 'parent') => {
    at(daysAgo);
    return ehcp.create(jo, personId, read(AssessmentRequestInput, { request_date: d(daysAgo), requested_by: by }));
  };
  const assess = async (personId: string, id: string, daysAgo: number) => {
    at(daysAgo);
    await ehcp.decideToAssess(jo, personId, id, read(DecisionInput, { decision: 'assess', decision_date: d(daysAgo) }));
  };
  const askAdvice = async (personId: string, id: string, daysAgo: number, kind: string, giver: string, q: string) => {
    at(daysAgo);
    return ehcp.requestAdvice(
      jo,
      personId,
      id,
      read(AdviceRequestInput, { kind, giver_user_id: giver, question: q, requested_date: d(daysAgo) }),
    );
  };
  const giveAdvice = async (personId: string, requestId: string, daysAgo: number, advice: string) => {
    at(daysAgo);
    await ehcp.submitAdvice(
      fiona,
      { requestId, personId },
      read(AdviceInput, { advice, summary_needs: 'Mobility and fatigue' }),
    );
  };
  const serveDraft = async (personId: string, id: string, daysAgo: number, draft_text: string) => {
    at(daysAgo);
    const x = read(DraftInput, { served_date: d(daysAgo), draft_text, version: await version(id) });
    await ehcp.serveDraft(jo, personId, id, x);
  };
  const health = 'Please describe the health needs relevant to education, and the provision to meet them.';
  const [newly, advising, option2, drafted, finalised, atRisk] = people as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  // 1. Newly requested: the decision whether to assess is due within 6 weeks.
  await request(newly, 9);

  // 2. Assessing: health advice overdue (asked 7 weeks ago), social care advice due next week.
  const a2 = await request(advising, 70, 'school');
  await assess(advising, a2, 60);
  await askAdvice(advising, a2, 50, 'health', fiona.id, health);
  await askAdvice(advising, a2, 37, 'social_care', sam, 'Please describe the social care needs and support at home.');

  // 3. Advice arrived unclear: Option 2, a logged follow-up emailed to the advice giver and their manager.
  const a3 = await request(option2, 80);
  await assess(option2, a3, 72);
  const r3 = await askAdvice(option2, a3, 70, 'health', fiona.id, health);
  await giveAdvice(option2, r3, 30, 'Needs physiotherapy.');
  at(5);
  const instanceId = await ehcp.markUnclear(
    jo,
    option2,
    a3,
    r3,
    read(AdviceQueryInput, { query_note: 'No frequency, and no provider named for the physiotherapy' }),
  );
  await decideOpen(db, services, org.authorityId, option2, instanceId, [
    'option_2',
    { notes: 'The advice needs extended input: a logged follow-up' },
  ]);
  at(4);
  await decideOpen(db, services, org.authorityId, option2, instanceId, [
    'sent',
    {
      advice_giver: fiona.id,
      what_is_needed: 'How often physiotherapy is needed in school, and who will provide it',
      email_date: d(4),
    },
  ]);

  // 4. Draft served: advice givers are asked to check its accuracy.
  const a4 = await request(drafted, 110);
  await assess(drafted, a4, 75);
  const r4 = await askAdvice(drafted, a4, 74, 'health', fiona.id, health);
  await giveAdvice(drafted, r4, 45, 'Needs a quiet space and rest breaks; physiotherapy weekly.');
  await serveDraft(
    drafted,
    a4,
    6,
    'Needs: fatigue and mobility. Provision: rest breaks and weekly physiotherapy in school.',
  );

  // 5. Finalised within 20 weeks.
  const a5 = await request(finalised, 150, 'young_person');
  await assess(finalised, a5, 110);
  const r5 = await askAdvice(finalised, a5, 108, 'health', fiona.id, health);
  await giveAdvice(finalised, r5, 80, 'Needs support with personal care and a hoist.');
  await serveDraft(finalised, a5, 40, 'Needs: personal care. Provision: a trained assistant and a hoist.');
  at(12);
  await ehcp.issueFinal(jo, finalised, a5, read(FinalPlanInput, { final_date: d(12), version: await version(a5) }));

  // 6. At risk of missing 20 weeks: an exception recorded and the parents told of the delay.
  const a6 = await request(atRisk, 125);
  await assess(atRisk, a6, 85);
  await askAdvice(atRisk, a6, 80, 'health', fiona.id, health);
  at(3);
  await ehcp.recordException(
    jo,
    atRisk,
    a6,
    read(ExceptionInput, {
      type: 'personal_circumstances',
      start_date: d(35),
      end_date: addDays(today, 7),
      reason: 'The young person was in hospital; letter from the ward on file.',
    }),
  );
  await ehcp.sendDelayNotice(
    jo,
    atRisk,
    a6,
    read(DelayNoticeInput, { reason: 'Exceptional personal circumstances (a stay in hospital)' }),
  );
  clock.reset();
}
