// No cliff edge at 18 (issue 12 part 8): the joint transition plan of a young person at risk of exploitation. The
// plan's facts are in transition_plans; where it is (started, owner named, assessed, handed over) and its deadlines
// and escalations are its exploitation-transition protocol instance, moved on here in the same transaction as each
// change. Every change writes a timeline line and an audit row; every read of a record writes an access-log row.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { exploitationTransition } from '../../protocols/exploitation-transition.ts';
import { BUILT_IN_INSTRUMENTS } from '../../screening/index.ts';
import { logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { picker } from '../kit/staff.ts';
import type { Flow, FlowState, ProtocolService } from '../protocols/service.ts';
import { bornBy, planDates } from './dates.ts';
import * as repo from './repository.ts';
import {
  type CareActInput,
  type DecisionInput,
  meetsAllThree,
  type OwnerInput,
  type PlanInput,
  SETTINGS,
} from './schemas.ts';

type Channel = 'page' | 'api';
type Actor = { id: string; authorityId: string };
export type PlanState = FlowState<typeof exploitationTransition>;

/** The rank of `medium` in an instrument (levels lowest first); 1 for an instrument without a `medium` level. */
export function mediumRank(instrumentId: string, version: number): number {
  const def = BUILT_IN_INSTRUMENTS.find((d) => d.id === instrumentId && d.version === version);
  const i = def?.levels.findIndex((l) => l.code === 'medium') ?? -1;
  return i >= 0 ? i : 1;
}

/** Whether a candidate needs a plan: open latest screening at medium or above. */
export const needsPlan = (c: repo.Candidate) =>
  c.instrument_id !== null && !c.closed && (c.rank ?? -1) >= mediumRank(c.instrument_id, c.instrument_version ?? 1);

export class Post18Service {
  readonly flow: Flow<typeof exploitationTransition>;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
    protocols: ProtocolService,
  ) {
    this.flow = protocols.drive(exploitationTransition, {
      where: 'it follows the joint transition plan, so act on the transition plan page of this record.',
    });
  }

  today() {
    return { today: londonToday(this.now()) };
  }

  /** The owner picker for the plan's forms: the council's caseworkers, searched by name when the list is long. */
  staff(user: AuthUser, query: string, current: string | null) {
    return picker(this.db, user.authorityId, { council: true }, query, current);
  }

  /** The daily job: starts a plan for each young person who now needs one; returns how many started. */
  async startDue(): Promise<number> {
    const today = londonToday(this.now());
    const due = await repo.candidates(this.db, bornBy(today, this.config.transitionPlanStartAge), bornBy(today, 18));
    let started = 0;
    for (const c of due.filter(needsPlan)) {
      if (!c.worker_id) continue; // nobody to start it: the allocation lists show the unallocated case already
      const ok = await this.db
        .transaction()
        .execute((tx) => this.begin(tx, { id: c.worker_id as string, authorityId: c.authority_id }, c, 'scheduled'));
      if (ok) started++;
    }
    return started;
  }

  /** A worker starts the plan early from the record (any young person under 18 without one). */
  async startEarly(user: AuthUser, personId: string): Promise<void> {
    const today = londonToday(this.now());
    await this.db.transaction().execute(async (tx) => {
      const [c] = await repo.candidates(tx, today, bornBy(today, 18), personId);
      if (!c || c.authority_id !== user.authorityId) {
        if (await repo.findPlan(tx, user.authorityId, personId))
          throw new Conflict('This record already has a joint transition plan. Reload the page to see it.');
        throw new ValidationError({ start: 'A joint transition plan is for a young person under 18' });
      }
      await this.begin(tx, user, c, 'early');
    });
  }

  private async begin(tx: Tx, actor: Actor, c: repo.Candidate, how: 'scheduled' | 'early'): Promise<boolean> {
    const today = londonToday(this.now());
    const d = planDates(c.date_of_birth, this.config.transitionPlanStartAge);
    const anchors: Record<string, string> = { owner_due: d.ownerDue, eighteenth_birthday: d.eighteenth };
    if (d.startBy > today) anchors.plan_due = d.startBy;
    const instanceId = await this.flow.start(tx, actor, c.person_id, { involvementId: c.involvement_id, anchors });
    const id = await repo.insertPlan(tx, {
      authority_id: c.authority_id,
      person_id: c.person_id,
      protocol_instance_id: instanceId,
      started_by: actor.id,
      started_how: how,
      pre18_owner_id: c.worker_id,
    });
    if (!id) throw new Conflict('This record already has a joint transition plan. Reload the page to see it.');
    await recordChange(tx, {
      actor,
      personId: c.person_id,
      kind: 'plan',
      title: how === 'early' ? 'Joint transition plan started early' : 'Joint transition plan started (aged 17)',
      detail: `Post-18 owner to be named by ${d.ownerDue}`,
      audit: { action: 'create', entity: 'transition_plan', entityId: id, detail: { how } },
    });
    return true;
  }

  /** The plan on a record and where it is (null when none); the read is logged. */
  get(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'transition-plan');
      const plan = await repo.findPlan(tx, user.authorityId, access.personId);
      const state = plan ? await this.flow.state(tx, plan.protocol_instance_id) : null;
      return { person, plan: plan ?? null, state, meetsAllThree: plan ? meetsAllThree(plan) : false };
    });
  }

  /** Locks the plan at `version` for a change; refuses when there is none or it has moved on. */
  private async locked(tx: Tx, user: AuthUser, personId: string, version: number) {
    const plan = await repo.lockPlan(tx, user.authorityId, personId);
    if (!plan) throw new NotFound('This record has no joint transition plan yet: start one first.');
    if (plan.version !== version)
      throw new Conflict('Someone else changed the plan while you were editing. Reload the page to see it.');
    return plan;
  }

  private async write(tx: Tx, plan: { id: string; version: number }, change: Parameters<typeof repo.updatePlan>[3]) {
    if (!(await repo.updatePlan(tx, plan.id, plan.version, change)))
      throw new Conflict('Someone else changed the plan while you were editing. Reload the page to see it.');
  }

  /** The plan itself: the owner before 18, what will happen at 18, the young person's views. */
  savePlan(user: AuthUser, personId: string, input: PlanInput) {
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.locked(tx, user, personId, input.version);
      if (!(await repo.activeUser(tx, user.authorityId, input.pre18_owner_id)))
        throw new ValidationError({ pre18_owner_id: 'Choose who holds the plan before 18 from the list' });
      await this.write(tx, plan, {
        pre18_owner_id: input.pre18_owner_id,
        at_eighteen: input.at_eighteen,
        views: input.views,
      });
      const inst = plan.protocol_instance_id;
      const moved = await this.flow.advance(tx, inst, 'plan_started', user.id, { at: ['start_plan'], ifOpen: true });
      if (moved && plan.post18_owner_id)
        await this.flow.advance(tx, inst, 'owner_named', user.id, { at: ['name_post18_owner'], ifOpen: true });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'plan',
        title: 'Joint transition plan updated: the owner before 18, what will happen at 18, their views',
        audit: { action: 'update', entity: 'transition_plan', entityId: plan.id, detail: { part: 'plan' } },
      });
    });
  }

  /** Names the post-18 owner and where they sit: moves the plan on and stops the escalation. */
  nameOwner(user: AuthUser, personId: string, input: OwnerInput) {
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.locked(tx, user, personId, input.version);
      const owner = await repo.activeUser(tx, user.authorityId, input.post18_owner_id);
      if (!owner)
        throw new ValidationError({ post18_owner_id: 'Choose who will hold the case after 18 from the list' });
      await this.write(tx, plan, { post18_owner_id: owner.id, post18_setting: input.post18_setting });
      await this.flow.update(tx, plan.protocol_instance_id, { data: { post18_owner: owner.id } });
      await this.flow.advance(tx, plan.protocol_instance_id, 'owner_named', user.id, {
        at: ['name_post18_owner'],
        ifOpen: true,
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'plan',
        title: `Post-18 owner named: ${owner.display_name}, ${SETTINGS[input.post18_setting]}`,
        audit: {
          action: 'update',
          entity: 'transition_plan',
          entityId: plan.id,
          detail: { part: 'post18_owner', owner_id: owner.id, setting: input.post18_setting },
        },
      });
    });
  }

  /** The Care Act three-part test with its evidence and the conclusion. */
  recordCareAct(user: AuthUser, personId: string, input: CareActInput) {
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.locked(tx, user, personId, input.version);
      const { version: _v, ...answers } = input;
      await this.write(tx, plan, { ...answers, care_act_recorded_by: user.id, care_act_recorded_at: this.now() });
      await this.flow.advance(tx, plan.protocol_instance_id, 'assessed', user.id, {
        at: ['care_act_assessment'],
        ifOpen: true,
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'plan',
        title: `Care Act three-part test recorded: ${meetsAllThree(input) ? 'all three parts met' : 'not all three parts met'}`,
        audit: { action: 'update', entity: 'transition_plan', entityId: plan.id, detail: { part: 'care_act' } },
      });
    });
  }

  /** At 18: the post-18 owner (only they) confirms they hold the case; the plan ends. */
  confirmHandover(user: AuthUser, personId: string, version: number) {
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.locked(tx, user, personId, version);
      if (plan.post18_owner_id !== user.id)
        throw new Forbidden('Only the post-18 owner named on the plan can confirm they hold the case.');
      await this.write(tx, plan, {});
      await this.flow.advance(tx, plan.protocol_instance_id, 'case_held', user.id, { at: ['handover'] });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'plan',
        title: 'Handover at 18: the post-18 owner confirms they hold the case',
        audit: { action: 'update', entity: 'transition_plan', entityId: plan.id, detail: { part: 'handover' } },
      });
    });
  }

  /** A recorded decision (who, why) to let the children's involvement end with no post-18 owner named. */
  recordDecision(user: AuthUser, personId: string, input: DecisionInput) {
    return this.db.transaction().execute(async (tx) => {
      const plan = await this.locked(tx, user, personId, input.version);
      if (plan.post18_owner_id)
        throw new ValidationError({ no_owner_decision: 'The plan has a post-18 owner: no decision is needed' });
      await this.write(tx, plan, {
        no_owner_decision: input.no_owner_decision,
        no_owner_decided_by: user.id,
        no_owner_decided_at: this.now(),
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'plan',
        title: 'Decision recorded: the children’s involvement may end with no post-18 owner named',
        detail: input.no_owner_decision,
        audit: {
          action: 'update',
          entity: 'transition_plan',
          entityId: plan.id,
          detail: { part: 'no_owner_decision' },
        },
      });
    });
  }
}
