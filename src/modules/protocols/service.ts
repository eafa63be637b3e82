// The protocol engine at run time: start an instance, enter steps (owner, deadline, timers, notice), record
// decisions (one transaction each, with audit), reassign, and act on overdue steps.
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { addWorkingDays, londonToday } from '../../domain/calendar.ts';
import { stepDeadline } from '../../domain/protocol/deadline.ts';
import type { OverdueRung, ProtocolDefinition, StepDef } from '../../domain/protocol/definition.ts';
import { isRole } from '../../domain/roles.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, dateInput, isRealDate, text, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { readField } from './fields.ts';
import { type CaseContext, type Owner, resolveOwner } from './owners.ts';
import { type ProtocolRegistry, recordedDefinition } from './registry.ts';
import * as lists from './repository.ts';

export const STEP_SUBJECT = 'protocol_step';

/** What a module hears when an instance enters a step, inside the same transaction (e.g. a panel's agenda). */
export interface StepEntered {
  tx: Tx;
  authorityId: string;
  personId: string;
  instanceId: string;
  stepId: string;
  stepKey: string;
  protocolId: string;
  startedBy: string;
  data: Record<string, unknown>;
}
export type StepListener = (e: StepEntered) => Promise<void>;
type StepRow = Awaited<ReturnType<ProtocolService['stepRow']>>;

/** A short reference for messages: the case number and step, never the child's name (quality.md S14). */
const reference = (caseNumber: string, stepKey: string) => `${caseNumber}/${stepKey}`;

export class ProtocolService {
  private readonly cache = new Map<string, ProtocolDefinition>();
  private readonly stepListeners: StepListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
    readonly registry: ProtocolRegistry,
  ) {}

  private today() {
    return londonToday(this.now());
  }

  /**
   * Protocols a module drives (e.g. Kent team transfers): instances start and move only with the module's own
   * changes, in its transactions, so they are not started or decided from the protocol pages.
   */
  private readonly driven = new Map<string, string>();

  /** Marks a protocol as driven by a module; `where` tells people where to act instead. */
  drivenBy(protocolId: string, where: string): void {
    this.driven.set(protocolId, where);
  }

  /** Registers a listener called (in the transaction) each time any instance enters a step. */
  onStepEntered(listener: StepListener): void {
    this.stepListeners.push(listener);
  }

  /** The definition an instance runs on: the version it started with, as recorded then. */
  async definition(id: string, version: number): Promise<ProtocolDefinition> {
    const key = `${id}@${version}`;
    let def = this.cache.get(key) ?? this.registry.get(id, version);
    def ??= await recordedDefinition(this.db, id, version);
    if (!def) throw new NotFound(`Protocol ${id} version ${version} is not loaded.`);
    this.cache.set(key, def);
    return def;
  }

  private stepDef(def: ProtocolDefinition, key: string): StepDef {
    const s = def.steps.find((x) => x.id === key);
    if (!s) throw new NotFound(`Step ${key} is not in ${def.id} version ${def.version}.`);
    return s;
  }

  // ---- starting --------------------------------------------------------------------------------------

  /**
   * Starts an instance. `protocol_version` picks an older loaded version (default: the newest). `outer`: run inside
   * the caller's transaction, so a module can start an instance together with its own writes (e.g. EHCP advice).
   */
  async start(user: AuthUser, personId: string, body: Body, outer?: Tx): Promise<string> {
    const protocolId = text(body, 'protocol_id');
    const drivenWhere = this.driven.get(protocolId);
    if (drivenWhere) throw new ValidationError({ protocol_id: `This protocol starts by itself: ${drivenWhere}` });
    return this.startChecked(user, personId, body, outer);
  }

  /**
   * Starts an instance inside the caller's transaction, for a module that drives the protocol (no form, no
   * startedBy check: the module has made its own). `data` is the instance's starting data (e.g. the receiving team).
   */
  async startIn(
    tx: Tx,
    user: AuthUser,
    personId: string,
    protocolId: string,
    opts: { involvementId?: string | null; data?: Record<string, unknown> } = {},
  ): Promise<string> {
    const def = this.registry.get(protocolId);
    if (!def) throw new NotFound(`Protocol ${protocolId} is not loaded.`);
    const person = await tx
      .selectFrom('people')
      .where('id', '=', personId)
      .where('authority_id', '=', user.authorityId)
      .select(['id', 'case_number'])
      .executeTakeFirst();
    if (!person) throw new NotFound('No record with that reference.');
    return this.createInstance(tx, user, person, def, {
      involvementId: opts.involvementId ?? null,
      anchors: { started: this.today() },
      data: opts.data ?? {},
    });
  }

  /** Creates an instance and enters its start step: the part of starting that every way in shares. */
  private async createInstance(
    tx: Tx,
    user: AuthUser,
    person: { id: string; case_number: string },
    def: ProtocolDefinition,
    o: {
      involvementId: string | null;
      anchors: Record<string, string>;
      data: Record<string, unknown>;
      event?: { title: string; detail: string | null };
    },
  ): Promise<string> {
    const instance = await tx
      .insertInto('protocol_instances')
      .values({
        authority_id: user.authorityId,
        person_id: person.id,
        involvement_id: o.involvementId,
        protocol_id: def.id,
        protocol_version: def.version,
        anchors: JSON.stringify(o.anchors),
        data: JSON.stringify(o.data),
        started_by: user.id,
        started_at: this.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (o.event) {
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: person.id,
        kind: 'protocol',
        ...o.event,
        actor_id: user.id,
      });
    }
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'start',
      entity: 'protocol_instance',
      entityId: instance.id,
      personId: person.id,
      detail: { protocol: def.id, version: def.version },
    });
    await this.enterStep(
      tx,
      {
        id: instance.id,
        authorityId: user.authorityId,
        personId: person.id,
        caseNumber: person.case_number,
        involvementId: o.involvementId,
        startedBy: user.id,
        anchors: o.anchors,
        data: o.data,
      },
      def,
      def.start,
    );
    return instance.id;
  }

  /**
   * Records `outcomeId` on the instance's open step inside the caller's transaction, for a module that drives the
   * protocol. Refuses (Conflict) when no step is open or the open step has no such outcome, so the module's change
   * and the protocol never disagree; returns the step it left.
   */
  async advanceIn(tx: Tx, instanceId: string, outcomeId: string, actorId: string | null): Promise<string> {
    const open = await tx
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .forUpdate()
      .select('id')
      .executeTakeFirst();
    if (!open) throw new Conflict('This protocol has no open step. Reload the page to see where it is.');
    const s = (await this.stepRow(tx, open.id)) as NonNullable<StepRow>;
    const def = await this.definition(s.protocol_id, s.protocol_version);
    const step = this.stepDef(def, s.step_key);
    if (!step.outcomes.some((o) => o.id === outcomeId))
      throw new Conflict(`The step "${step.title}" cannot be moved on with "${outcomeId.replace(/_/g, ' ')}".`);
    await this.applyOutcome(tx, s, def, step, outcomeId, {}, actorId);
    return s.step_key;
  }

  /** The key of the instance's open step, or null when it has ended. */
  async openStepKey(db: Db | Tx, instanceId: string): Promise<string | null> {
    const row = await db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .select('step_key')
      .executeTakeFirst();
    return row?.step_key ?? null;
  }

  private async startChecked(user: AuthUser, personId: string, body: Body, outer?: Tx): Promise<string> {
    const protocolId = text(body, 'protocol_id');
    const wantedVersion = text(body, 'protocol_version');
    const def = this.registry.get(protocolId, wantedVersion ? Number(wantedVersion) : undefined);
    if (!def) throw new ValidationError({ protocol_id: 'Choose a protocol from the list' });
    if (def.startedBy?.length && !def.startedBy.some((r) => user.roles.includes(r))) {
      throw new Forbidden(
        `Only ${def.startedBy.map((r) => r.replace(/_/g, ' ')).join(' or ')} can start ${def.title}.`,
      );
    }
    const errors: Record<string, string> = {};
    const anchors: Record<string, string> = { started: this.today() };
    for (const a of def.anchors ?? []) {
      const v = dateInput(body, `anchor_${a}`).value;
      if (!v) errors[`anchor_${a}`] = `Enter the date of the ${a.replace(/_/g, ' ')}`;
      else if (!isRealDate(v)) errors[`anchor_${a}`] = `The date of the ${a.replace(/_/g, ' ')} must be a real date`;
      else if (v > this.today())
        errors[`anchor_${a}`] = `The date of the ${a.replace(/_/g, ' ')} must be today or in the past`;
      else anchors[a] = v;
    }
    const routesTried = text(body, 'routes_tried');
    if (routesTried.length > 2000) errors.routes_tried = 'Routes already tried must be 2000 characters or fewer';
    const involvementId = text(body, 'involvement_id') || null;
    if (involvementId && !UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement this is about';
    if (Object.keys(errors).length) throw new ValidationError(errors);

    const run = async (tx: Tx) => {
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .where('authority_id', '=', user.authorityId)
        .select(['id', 'case_number'])
        .executeTakeFirst();
      if (!person) throw new NotFound('No record with that reference.');
      let inv = involvementId;
      if (inv) {
        const found = await tx
          .selectFrom('involvements')
          .where('id', '=', inv)
          .where('person_id', '=', personId)
          .where('end_date', 'is', null)
          .select('id')
          .executeTakeFirst();
        if (!found) throw new ValidationError({ involvement_id: 'Choose one of the open involvements on this record' });
      } else {
        // The case is the involvement of one of the starter's teams, else the first open one.
        const open = await tx
          .selectFrom('involvements')
          .where('person_id', '=', personId)
          .where('end_date', 'is', null)
          .orderBy('start_date')
          .select(['id', 'team_id', 'worker_id'])
          .execute();
        inv =
          (open.find((i) => i.worker_id === user.id) ?? open.find((i) => user.teamIds.includes(i.team_id)) ?? open[0])
            ?.id ?? null;
      }
      const data: Record<string, unknown> = routesTried ? { routes_tried: routesTried } : {};
      return this.createInstance(tx, user, person, def, {
        involvementId: inv,
        anchors,
        data,
        event: { title: `${def.title} started`, detail: routesTried ? `Routes already tried: ${routesTried}` : null },
      });
    };
    return outer ? run(outer) : this.db.transaction().execute(run);
  }

  /**
   * Records an outcome on an instance's open step for the system, inside the caller's transaction: e.g. the EHCP
   * module closes an advice follow-up when the updated advice is submitted. Does nothing if no step is open or the
   * open step has no such outcome. Returns whether it moved the instance.
   */
  async completeOpenStep(tx: Tx, instanceId: string, outcomeId: string, actorId: string | null): Promise<boolean> {
    const open = await tx
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .forUpdate()
      .select('id')
      .executeTakeFirst();
    if (!open) return false;
    const s = (await this.stepRow(tx, open.id)) as NonNullable<StepRow>;
    const def = await this.definition(s.protocol_id, s.protocol_version);
    const step = this.stepDef(def, s.step_key);
    if (!step.outcomes.some((o) => o.id === outcomeId)) return false;
    await this.applyOutcome(tx, s, def, step, outcomeId, {}, actorId);
    return true;
  }

  /** Opens a step: resolves its owner, computes its deadline, schedules its overdue ladder, tells the owner. */
  private async enterStep(
    tx: Tx,
    inst: {
      id: string;
      authorityId: string;
      personId: string;
      caseNumber: string;
      involvementId: string | null;
      startedBy: string;
      anchors: Record<string, string>;
      data: Record<string, unknown>;
    },
    def: ProtocolDefinition,
    key: string,
  ) {
    const step = this.stepDef(def, key);
    const today = this.today();
    const ctx: CaseContext = {
      authorityId: inst.authorityId,
      involvementId: inst.involvementId,
      startedBy: inst.startedBy,
      data: inst.data,
    };
    const owner = await resolveOwner(tx, step.responsible ?? 'starter', ctx);
    const deadline = step.deadline
      ? stepDeadline(step.deadline, {
          protocolId: def.id,
          version: def.version,
          stepId: key,
          stepEntered: today,
          anchors: inst.anchors,
        })
      : null;
    const row = await tx
      .insertInto('protocol_steps')
      .values({
        authority_id: inst.authorityId,
        instance_id: inst.id,
        person_id: inst.personId,
        step_key: key,
        entered_at: this.now(),
        entered_on: today,
        due_date: deadline?.due ?? null,
        due_rule: deadline?.explanation ?? null,
        owner_user_id: owner.userId,
        owner_team_id: owner.teamId,
        owner_role: owner.role,
        owner_service_id: owner.serviceId,
        owner_label: owner.label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('protocol_instances')
      .set((eb) => ({ current_step_id: row.id, version: eb('version', '+', 1) }))
      .where('id', '=', inst.id)
      .execute();
    if (deadline && step.overdue?.length) {
      await scheduleDeadlines(
        tx,
        step.overdue.map((rung, i) => ({
          authorityId: inst.authorityId,
          subjectType: STEP_SUBJECT,
          subjectId: row.id,
          rung: i,
          dueAt: endOfLondonDay(rungDate(deadline.due, rung)),
          action: { rung: i },
        })),
      );
    }
    await insertEvent(tx, {
      authority_id: inst.authorityId,
      person_id: inst.personId,
      kind: 'protocol',
      title: `${def.title}: ${step.title}`,
      detail: `With ${owner.label}${deadline ? `; due ${deadline.due} (${deadline.explanation})` : ''}`,
      actor_id: null,
    });
    await this.tell(
      tx,
      inst.authorityId,
      owner,
      `A step is waiting for you: ${step.title}`,
      `/people/${inst.personId}/protocols/${inst.id}`,
      reference(inst.caseNumber, key),
    );
    for (const listener of this.stepListeners)
      await listener({
        tx,
        authorityId: inst.authorityId,
        personId: inst.personId,
        instanceId: inst.id,
        stepId: row.id,
        stepKey: key,
        protocolId: def.id,
        startedBy: inst.startedBy,
        data: inst.data,
      });
  }

  /** In-app notice and email to an owner: a person, or everyone in the queue. */
  private async tell(tx: Tx, authorityId: string, owner: Owner, message: string, link: string, ref: string) {
    const userIds = owner.userId ? [owner.userId] : await this.queueMembers(tx, authorityId, owner);
    for (const userId of userIds)
      await notifyUser(tx, { authorityId, userId, message, link, reference: ref, baseUrl: this.config.baseUrl });
  }

  private async queueMembers(tx: Tx, authorityId: string, owner: Owner): Promise<string[]> {
    let q = tx.selectFrom('users as u').where('u.authority_id', '=', authorityId).where('u.active', '=', true);
    if (owner.role) q = q.where(sql<boolean>`u.roles @> ARRAY[${owner.role}]::text[]`);
    if (owner.serviceId) q = q.where('u.service_id', '=', owner.serviceId);
    if (owner.teamId)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('team_members as m')
            .whereRef('m.user_id', '=', 'u.id')
            .where('m.team_id', '=', owner.teamId as string)
            .select('m.user_id'),
        ),
      );
    if (!owner.role && !owner.serviceId && !owner.teamId) return [];
    return (await q.select('u.id').limit(50).execute()).map((r) => r.id);
  }

  // ---- reading ---------------------------------------------------------------------------------------

  async stepRow(db: Db | Tx, stepId: string) {
    return db
      .selectFrom('protocol_steps as s')
      .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
      .innerJoin('people as p', 'p.id', 's.person_id')
      .where('s.id', '=', stepId)
      .select([
        's.id',
        's.authority_id',
        's.instance_id',
        's.person_id',
        's.step_key',
        's.status',
        's.owner_user_id',
        's.owner_team_id',
        's.owner_role',
        's.owner_service_id',
        's.owner_label',
        's.due_date',
        's.escalations',
        's.version',
        's.decided_by',
        's.decided_at',
        's.outcome',
        'i.protocol_id',
        'i.protocol_version',
        'i.involvement_id',
        'i.started_by',
        'i.anchors',
        'i.data',
        'i.status as instance_status',
        'p.case_number',
      ])
      .executeTakeFirst();
  }

  /** An instance with its definition, current step and history, for the page and the API. */
  async instance(user: AuthUser, personId: string, instanceId: string) {
    const inst = await this.db
      .selectFrom('protocol_instances')
      .where('id', '=', instanceId)
      .where('person_id', '=', personId)
      .where('authority_id', '=', user.authorityId)
      .selectAll()
      .executeTakeFirst();
    if (!inst) throw new NotFound('No protocol with that reference on this record.');
    const def = await this.definition(inst.protocol_id, inst.protocol_version);
    const steps = await this.db
      .selectFrom('protocol_steps as s')
      .leftJoin('users as d', 'd.id', 's.decided_by')
      .where('s.instance_id', '=', instanceId)
      .orderBy('s.entered_at')
      .orderBy('s.id')
      .select([
        's.id',
        's.step_key',
        's.status',
        's.entered_at',
        's.due_date',
        's.due_rule',
        's.owner_user_id',
        's.owner_team_id',
        's.owner_role',
        's.owner_service_id',
        's.owner_label',
        's.escalations',
        's.outcome',
        's.decision',
        's.decided_at',
        's.version',
        'd.display_name as decided_by_name',
      ])
      .execute();
    const today = this.today();
    const history = steps.map((s) => {
      const sd = def.steps.find((x) => x.id === s.step_key);
      return {
        ...s,
        title: sd?.title ?? s.step_key,
        outcomeLabel: sd?.outcomes.find((o) => o.id === s.outcome)?.label ?? s.outcome,
        overdue: s.status === 'open' && s.due_date !== null && s.due_date < today,
      };
    });
    const current = history.find((s) => s.status === 'open') ?? null;
    const currentDef = current ? this.stepDef(def, current.step_key) : null;
    return {
      instance: inst,
      definition: def,
      history,
      current,
      currentDef,
      drivenBy: this.driven.get(inst.protocol_id) ?? null,
      canDecide: current && !this.driven.has(inst.protocol_id) ? await this.mayAct(user, current, 'decide') : false,
      canReassign: current ? await this.mayAct(user, current, 'reassign') : false,
    };
  }

  /**
   * Who may act on a step: its owner, anyone in its queue, and the owner's managers (line manager, team managers
   * of the queue's team). Managers may also reassign.
   */
  async mayAct(
    user: AuthUser,
    s: {
      owner_user_id: string | null;
      owner_team_id: string | null;
      owner_role: string | null;
      owner_service_id: string | null;
    },
    what: 'decide' | 'reassign',
  ): Promise<boolean> {
    const managesOwner = s.owner_user_id
      ? Boolean(
          await this.db
            .selectFrom('users')
            .where('id', '=', s.owner_user_id)
            .where('line_manager_id', '=', user.id)
            .select('id')
            .executeTakeFirst(),
        )
      : false;
    const managesTeam =
      user.roles.includes('team_manager') &&
      ((s.owner_team_id && user.teamIds.includes(s.owner_team_id)) ||
        (s.owner_user_id && (await this.sharesTeam(user, s.owner_user_id))));
    if (what === 'reassign') return managesOwner || Boolean(managesTeam) || user.roles.includes('service_manager');
    if (s.owner_user_id === user.id || managesOwner || managesTeam) return true;
    if (s.owner_user_id) return false;
    const inTeam = !s.owner_team_id || user.teamIds.includes(s.owner_team_id);
    const hasRole = !s.owner_role || user.roles.includes(s.owner_role);
    const inService = !s.owner_service_id || (await this.userService(user.id)) === s.owner_service_id;
    return inTeam && hasRole && inService && Boolean(s.owner_team_id || s.owner_role || s.owner_service_id);
  }

  private async sharesTeam(user: AuthUser, otherId: string) {
    if (!user.teamIds.length) return false;
    return Boolean(
      await this.db
        .selectFrom('team_members')
        .where('user_id', '=', otherId)
        .where('team_id', 'in', user.teamIds)
        .select('user_id')
        .executeTakeFirst(),
    );
  }

  private async userService(userId: string) {
    return (
      (await this.db.selectFrom('users').where('id', '=', userId).select('service_id').executeTakeFirst())
        ?.service_id ?? null
    );
  }

  // ---- deciding --------------------------------------------------------------------------------------

  /** Reads a decision form against the step's fields. */
  private readDecision(step: StepDef, body: Body, outcomeId: string) {
    const errors: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const outcome = step.outcomes.find((o) => o.id === outcomeId);
    if (!outcome) errors.outcome = 'Choose what happens next';
    const required = new Set([
      ...(step.fields ?? []).filter((f) => f.required).map((f) => f.name),
      ...(outcome?.requires ?? []),
    ]);
    for (const f of step.fields ?? []) {
      const v = readField(f, body);
      if (v.error) errors[f.name] = v.error;
      else if (v.value === null && required.has(f.name)) errors[f.name] = `Enter ${f.label.toLowerCase()}`;
      else if (v.value !== null) values[f.name] = v.value;
    }
    return { outcome, values, errors };
  }

  async decide(
    user: AuthUser,
    personId: string,
    instanceId: string,
    stepId: string,
    body: Body,
  ): Promise<{ ended: boolean }> {
    const version = Number(body.version);
    return this.db.transaction().execute(async (tx) => {
      // Lock the step: two people deciding at once are served one after the other, and the second is refused.
      const locked = await tx
        .selectFrom('protocol_steps')
        .where('id', '=', stepId)
        .where('instance_id', '=', instanceId)
        .where('person_id', '=', personId)
        .forUpdate()
        .select(['id'])
        .executeTakeFirst();
      if (!locked) throw new NotFound('No step with that reference on this record.');
      const s = (await this.stepRow(tx, stepId)) as NonNullable<StepRow>;
      if (s.status !== 'open' || (Number.isInteger(version) && version !== s.version)) {
        const who = s.decided_by
          ? (await tx.selectFrom('users').where('id', '=', s.decided_by).select('display_name').executeTakeFirst())
              ?.display_name
          : null;
        throw new Conflict(
          s.status === 'open'
            ? 'This step changed while you were looking at it (it was reassigned or escalated). Reload the page and decide again.'
            : `${who ?? 'Someone else'} already decided this step${s.outcome ? ` ("${s.outcome.replace(/_/g, ' ')}")` : ''}${s.decided_at ? ` at ${s.decided_at.toISOString().slice(11, 16)} UTC` : ''}. Reload the page to see where the case is now.`,
        );
      }
      if (!(await this.mayAct(user, s, 'decide')))
        throw new Forbidden('This step is not yours to decide. Its owner, their team or their manager can.');
      const drivenWhere = this.driven.get(s.protocol_id);
      if (drivenWhere) throw new Conflict(`This protocol moves on by itself: ${drivenWhere}`);
      const def = await this.definition(s.protocol_id, s.protocol_version);
      const step = this.stepDef(def, s.step_key);
      const { outcome, values, errors } = this.readDecision(step, body, text(body, 'outcome'));
      for (const f of step.fields ?? []) {
        if (f.type !== 'user' || typeof values[f.name] !== 'string') continue;
        const u = await tx
          .selectFrom('users')
          .where('id', '=', values[f.name] as string)
          .where('authority_id', '=', user.authorityId)
          .where('active', '=', true)
          .select('id')
          .executeTakeFirst();
        if (!u) errors[f.name] = `Choose an active member of staff for ${f.label.toLowerCase()}`;
      }
      if (Object.keys(errors).length || !outcome) throw new ValidationError(errors);
      await this.applyOutcome(tx, s, def, step, outcome.id, values, user.id);
      return { ended: outcome.end !== undefined };
    });
  }

  private async applyOutcome(
    tx: Tx,
    s: NonNullable<StepRow>,
    def: ProtocolDefinition,
    step: StepDef,
    outcomeId: string,
    values: Record<string, unknown>,
    actorId: string | null,
  ) {
    const outcome = step.outcomes.find((o) => o.id === outcomeId);
    if (!outcome) throw new ValidationError({ outcome: 'Choose what happens next' });
    const now = this.now();
    await tx
      .updateTable('protocol_steps')
      .set((eb) => ({
        status: 'done',
        outcome: outcome.id,
        decision: JSON.stringify(values),
        decided_by: actorId,
        decided_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', s.id)
      .execute();
    await cancelDeadlines(tx, STEP_SUBJECT, s.id, now);
    const anchors = { ...(s.anchors as Record<string, string>) };
    for (const f of step.fields ?? [])
      if (f.setsAnchor && typeof values[f.name] === 'string') anchors[f.setsAnchor] = values[f.name] as string;
    const data = { ...(s.data as Record<string, unknown>), ...values };
    await tx
      .updateTable('protocol_instances')
      .set((eb) => ({ anchors: JSON.stringify(anchors), data: JSON.stringify(data), version: eb('version', '+', 1) }))
      .where('id', '=', s.instance_id)
      .execute();
    await insertEvent(tx, {
      authority_id: s.authority_id,
      person_id: s.person_id,
      kind: 'protocol',
      title: `${step.title}: ${outcome.label}`,
      detail: null,
      actor_id: actorId,
    });
    await insertAudit(tx, {
      authorityId: s.authority_id,
      actorId,
      action: 'decide',
      entity: 'protocol_step',
      entityId: s.id,
      personId: s.person_id,
      detail: { protocol: def.id, step: step.id, outcome: outcome.id, fields: Object.keys(values) },
    });
    if (outcome.to) {
      await this.enterStep(tx, this.instanceOf(s, anchors, data), def, outcome.to);
    } else {
      await tx
        .updateTable('protocol_instances')
        .set({ status: 'ended', result: outcome.end ?? null, ended_at: now, current_step_id: null })
        .where('id', '=', s.instance_id)
        .execute();
      await insertEvent(tx, {
        authority_id: s.authority_id,
        person_id: s.person_id,
        kind: 'protocol',
        title: `${def.title} ended: ${(outcome.end ?? '').replace(/_/g, ' ')}`,
        detail: null,
        actor_id: actorId,
      });
    }
  }

  async reassign(user: AuthUser, personId: string, instanceId: string, stepId: string, body: Body) {
    const to = text(body, 'owner_user_id');
    if (!UUID.test(to)) throw new ValidationError({ owner_user_id: 'Choose who takes this step on' });
    const version = Number(body.version);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .selectFrom('protocol_steps')
        .where('id', '=', stepId)
        .where('instance_id', '=', instanceId)
        .where('person_id', '=', personId)
        .forUpdate()
        .select('id')
        .executeTakeFirst();
      const s = await this.stepRow(tx, stepId);
      if (!s || s.instance_id !== instanceId || s.person_id !== personId)
        throw new NotFound('No step with that reference on this record.');
      if (s.status !== 'open' || version !== s.version)
        throw new Conflict('This step changed while you were looking at it. Reload the page and try again.');
      if (!(await this.mayAct(user, s, 'reassign')))
        throw new Forbidden('Only the owner’s manager can reassign this step.');
      const target = await tx
        .selectFrom('users')
        .where('id', '=', to)
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .select(['id', 'display_name'])
        .executeTakeFirst();
      if (!target) throw new ValidationError({ owner_user_id: 'Choose an active member of staff in your council' });
      await tx
        .updateTable('protocol_steps')
        .set((eb) => ({
          owner_user_id: target.id,
          owner_team_id: null,
          owner_role: null,
          owner_service_id: null,
          owner_label: target.display_name,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', s.id)
        .execute();
      const def = await this.definition(s.protocol_id, s.protocol_version);
      const step = this.stepDef(def, s.step_key);
      await insertEvent(tx, {
        authority_id: s.authority_id,
        person_id: s.person_id,
        kind: 'protocol',
        title: `${step.title}: reassigned to ${target.display_name}`,
        detail: `Was with ${s.owner_label}`,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: s.authority_id,
        actorId: user.id,
        action: 'reassign',
        entity: 'protocol_step',
        entityId: s.id,
        personId: s.person_id,
        detail: { from: s.owner_user_id, to: target.id },
      });
      await this.tell(
        tx,
        s.authority_id,
        { userId: target.id, teamId: null, role: null, serviceId: null, label: target.display_name },
        `A step has been passed to you: ${step.title}`,
        `/people/${s.person_id}/protocols/${s.instance_id}`,
        reference(s.case_number, s.step_key),
      );
    });
  }

  // ---- overdue ---------------------------------------------------------------------------------------

  /** Runs one rung of a step's overdue ladder (called by the deadline sweep, inside its transaction). */
  async fireRung(tx: Tx, stepId: string, rungIndex: number): Promise<void> {
    const s = await this.stepRow(tx, stepId);
    if (s?.status !== 'open') return;
    const def = await this.definition(s.protocol_id, s.protocol_version);
    const step = this.stepDef(def, s.step_key);
    const rung = step.overdue?.[rungIndex];
    if (!rung) return;
    const link = `/people/${s.person_id}/protocols/${s.instance_id}`;
    const ref = reference(s.case_number, s.step_key);
    const ctx: CaseContext = {
      authorityId: s.authority_id,
      involvementId: s.involvement_id,
      startedBy: s.started_by,
      data: s.data as Record<string, unknown>,
    };
    const current: Owner = {
      userId: s.owner_user_id,
      teamId: s.owner_team_id,
      role: s.owner_role,
      serviceId: s.owner_service_id,
      label: s.owner_label,
    };
    // Each rung leaves one line on the timeline and one audit row.
    const record = async (title: string) => {
      await insertEvent(tx, {
        authority_id: s.authority_id,
        person_id: s.person_id,
        kind: 'protocol',
        title,
        detail: null,
        actor_id: null,
      });
      await insertAudit(tx, {
        authorityId: s.authority_id,
        actorId: null,
        action: 'overdue',
        entity: 'protocol_step',
        entityId: s.id,
        personId: s.person_id,
        detail: { rung: rungIndex, action: rung.action },
      });
    };
    if (rung.action === 'remind') {
      await this.tell(tx, s.authority_id, current, `Overdue: ${step.title}`, link, ref);
      await record(`${step.title}: overdue, reminder sent to ${s.owner_label}`);
    } else if (rung.action === 'notify') {
      const who = await resolveOwner(tx, rung.to as string, ctx);
      await this.tell(tx, s.authority_id, who, `Overdue step on a case you oversee: ${step.title}`, link, ref);
      await record(`${step.title}: overdue, ${who.label} told`);
    } else if (rung.action === 'escalate') {
      const who = await resolveOwner(tx, rung.to as string, ctx);
      await tx
        .updateTable('protocol_steps')
        .set((eb) => ({
          owner_user_id: who.userId,
          owner_team_id: who.teamId,
          owner_role: who.role,
          owner_service_id: who.serviceId,
          owner_label: who.label,
          escalations: eb('escalations', '+', 1),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', s.id)
        .execute();
      await this.tell(tx, s.authority_id, who, `Escalated to you, overdue: ${step.title}`, link, ref);
      await record(`${step.title}: overdue, escalated from ${s.owner_label} to ${who.label}`);
    } else {
      const target = this.stepDef(def, rung.to as string);
      const outcomeId = rung.outcome ?? step.outcomes.find((o) => o.to === target.id)?.id;
      await record(`${step.title}: overdue, moved on to ${target.title}`);
      if (outcomeId) await this.applyOutcome(tx, s, def, step, outcomeId, {}, null);
      else {
        await tx
          .updateTable('protocol_steps')
          .set({ status: 'done', outcome: 'overdue', decided_at: this.now() })
          .where('id', '=', s.id)
          .execute();
        await cancelDeadlines(tx, STEP_SUBJECT, s.id, this.now());
        await this.enterStep(tx, this.instanceOf(s), def, target.id);
      }
    }
  }

  /** The instance, as enterStep needs it, from a step row (with anchors and data as they now stand). */
  private instanceOf(
    s: NonNullable<StepRow>,
    anchors = s.anchors as Record<string, string>,
    data = s.data as Record<string, unknown>,
  ) {
    return {
      id: s.instance_id,
      authorityId: s.authority_id,
      personId: s.person_id,
      caseNumber: s.case_number,
      involvementId: s.involvement_id,
      startedBy: s.started_by,
      anchors,
      data,
    };
  }

  // ---- lists -----------------------------------------------------------------------------------------

  /** Steps waiting on me and my teams' queues, overdue first. */
  async waitingOn(user: AuthUser, limit = 200) {
    return this.withTitles(await lists.stepsWaitingOn(this.db, user, await this.userService(user.id), limit));
  }

  /** For managers: open steps owned by people they line-manage or by members of teams they manage. */
  async teamSteps(user: AuthUser, limit = 300) {
    return this.withTitles(await lists.stepsInManagedTeams(this.db, user, limit));
  }

  private async withTitles<
    T extends { step_key: string; protocol_id: string; protocol_version: number; due_date: string | null },
  >(rows: T[]) {
    const today = this.today();
    const out = [];
    for (const r of rows) {
      const def = await this.definition(r.protocol_id, r.protocol_version);
      out.push({
        ...r,
        protocolTitle: def.title,
        stepTitle: def.steps.find((s) => s.id === r.step_key)?.title ?? r.step_key,
        overdue: r.due_date !== null && r.due_date < today,
      });
    }
    // Overdue first, then by due date.
    return out.sort((a, b) => Number(b.overdue) - Number(a.overdue));
  }

  async instancesOf(personId: string) {
    const out = [];
    for (const r of await lists.instancesOfPerson(this.db, personId)) {
      out.push({ ...r, title: (await this.definition(r.protocol_id, r.protocol_version)).title });
    }
    return out;
  }

  /** Staff a manager can pass a step to: the active users of their council. */
  async staff(user: AuthUser) {
    return lists.activeStaff(this.db, user.authorityId);
  }

  async startable(user: AuthUser) {
    return this.registry
      .list()
      .filter(
        ({ definition: d }) => !d.startedBy?.length || d.startedBy.some((r) => isRole(r) && user.roles.includes(r)),
      )
      .filter(({ definition: d }) => !this.driven.has(d.id));
  }
}

/** The London date a rung fires on: the due date, plus its `after` offset. */
export function rungDate(due: string, rung: OverdueRung): string {
  if (!rung.after) return due;
  if ('workingDays' in rung.after) return addWorkingDays(due, rung.after.workingDays);
  const d = new Date(`${due}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rung.after.days);
  return d.toISOString().slice(0, 10);
}
