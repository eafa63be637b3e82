// The core of the protocol engine, inside a caller's transaction: create an instance, enter a step (owner,
// deadline, overdue ladder, notice, listeners), apply an outcome (record it, move on or end). Every way in
// (the pages, the API, a module's hooks, the deadline sweep) goes through these, so they behave the same.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { addWorkingDays, londonToday } from '../../domain/calendar.ts';
import { stepDeadline } from '../../domain/protocol/deadline.ts';
import type { OverdueRung, ProtocolDefinition, StepDef } from '../../domain/protocol/definition.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import { auditBy, insertAudit } from '../audit/repository.ts';
import { notifyUser } from '../notifications/outbox.ts';
import { insertEvent } from '../people/repository.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { type CaseContext, type Owner, resolveOwner } from './owners.ts';
import { type ProtocolRegistry, recordedDefinition } from './registry.ts';
import { closeStep, lockOpenStep, queueMembers, type StepRow, stepRow } from './step-repository.ts';

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

/**
 * An open step stopped waiting on whom it waited on: it closed (an outcome, or moved on when overdue) or passed to
 * a new owner. Heard inside the engine's transaction, so what a listener does commits with the move (notifications
 * about the step resolve themselves). Registered with ProtocolService.onStepMoved; the engine imports no listener.
 */
export type StepMovedListener = (
  tx: Tx,
  e: { authorityId: string; stepId: string; change: 'closed' | 'reowned'; at: Date },
) => Promise<void>;

/** Who starts an instance: a signed-in user, or a module acting for one (only the id and council are read). */
export interface Actor {
  id: string;
  authorityId: string;
}

/**
 * What a module that drives a protocol plugs into the engine (registered with ProtocolService.drive, typed there):
 * run inside the engine's transaction, so the module's side effects commit with the step they follow.
 */
export interface RuntimeHooks {
  entered?: (e: StepEntered & { actorId: string | null; anchors: Record<string, string> }) => Promise<void>;
  ended?: (
    e: StepEntered & { actorId: string | null; result: string; anchors: Record<string, string> },
  ) => Promise<void>;
  facts?: (
    tx: Tx,
    e: { instanceId: string; personId: string; authorityId: string; data: Record<string, unknown> },
  ) => Promise<Record<string, boolean | undefined>>;
}

/** An instance as entering a step needs it. */
export interface RunningInstance {
  id: string;
  authorityId: string;
  personId: string;
  caseNumber: string;
  involvementId: string | null;
  startedBy: string;
  anchors: Record<string, string>;
  data: Record<string, unknown>;
}

/** A short reference for messages: the case number and step, never the child's name (quality.md S14). */
export const reference = (caseNumber: string, stepKey: string) => `${caseNumber}/${stepKey}`;

/**
 * The London date a rung fires on: the due date plus its `after` offset, or, for a rung with `from`, that offset
 * counted from the anchor's recorded date instead (never before the due date; from the due date while the anchor is
 * not recorded).
 */
export function rungDate(due: string, rung: OverdueRung, anchors: Record<string, string> = {}): string {
  const anchored = rung.from ? anchors[rung.from] : undefined;
  const base = anchored && anchored > due ? anchored : due;
  if (!rung.after) return base;
  if ('workingDays' in rung.after) return addWorkingDays(base, rung.after.workingDays);
  const d = new Date(`${base}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rung.after.days);
  return d.toISOString().slice(0, 10);
}

/** The instance, as enterStep needs it, from a step row (with anchors and data as they now stand). */
export function instanceOf(
  s: StepRow,
  anchors = s.anchors as Record<string, string>,
  data = s.data as Record<string, unknown>,
): RunningInstance {
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

export class ProtocolRuntime {
  private readonly cache = new Map<string, ProtocolDefinition>();
  readonly hooks = new Map<string, RuntimeHooks>();
  /** Protocols whose module tells people itself: no "a step is waiting for you" as their steps open. */
  readonly quiet = new Set<string>();
  readonly stepMovedListeners: StepMovedListener[] = [];

  constructor(
    readonly db: Db,
    readonly config: Config,
    readonly now: () => Date,
    readonly registry: ProtocolRegistry,
  ) {}

  today() {
    return londonToday(this.now());
  }

  /** Tells the listeners that an open step closed or passed to a new owner (in the caller's transaction). */
  async stepMoved(tx: Tx, authorityId: string, stepId: string, change: 'closed' | 'reowned') {
    for (const listen of this.stepMovedListeners) await listen(tx, { authorityId, stepId, change, at: this.now() });
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

  stepDef(def: ProtocolDefinition, key: string): StepDef {
    const s = def.steps.find((x) => x.id === key);
    if (!s) throw new NotFound(`Step ${key} is not in ${def.id} version ${def.version}.`);
    return s;
  }

  /** Creates an instance and enters its start step: the part of starting that every way in shares. */
  async createInstance(
    tx: Tx,
    user: Actor,
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
    await auditBy(tx, user, {
      action: 'start',
      entity: 'protocol_instance',
      entityId: instance.id,
      personId: person.id,
      detail: { protocol: def.id, version: def.version },
    });
    const inst: RunningInstance = {
      id: instance.id,
      authorityId: user.authorityId,
      personId: person.id,
      caseNumber: person.case_number,
      involvementId: o.involvementId,
      startedBy: user.id,
      anchors: o.anchors,
      data: o.data,
    };
    await this.enterStep(tx, inst, def, def.start);
    return instance.id;
  }

  /** Opens a step: resolves its owner, computes its deadline, schedules its overdue ladder, tells the owner. */
  async enterStep(tx: Tx, inst: RunningInstance, def: ProtocolDefinition, key: string) {
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
    if (deadline) await scheduleLadder(tx, inst.authorityId, row.id, step, deadline.due, 0, inst.anchors);
    await insertEvent(tx, {
      authority_id: inst.authorityId,
      person_id: inst.personId,
      kind: 'protocol',
      title: `${def.title}: ${step.title}`,
      detail: `With ${owner.label}${deadline ? `; due ${deadline.due} (${deadline.explanation})` : ''}`,
      actor_id: null,
    });
    const link = `/people/${inst.personId}/protocols/${inst.id}`;
    if (!this.quiet.has(def.id))
      await this.tell(
        tx,
        inst.authorityId,
        owner,
        `A step is waiting for you: ${step.title}`,
        link,
        reference(inst.caseNumber, key),
        row.id,
      );
    const entered: StepEntered = {
      tx,
      authorityId: inst.authorityId,
      personId: inst.personId,
      instanceId: inst.id,
      stepId: row.id,
      stepKey: key,
      protocolId: def.id,
      startedBy: inst.startedBy,
      data: inst.data,
    };
    await this.hooks.get(def.id)?.entered?.({ ...entered, actorId: null, anchors: inst.anchors });
  }

  /**
   * Takes, by itself, every outcome whose `when` fact the driving module says now holds, until the open step waits
   * on something else. A definition that keeps moving (a cycle of facts that all hold) is stopped and reported.
   */
  async settle(tx: Tx, instanceId: string, actorId: string | null): Promise<void> {
    for (let pass = 0; ; pass++) {
      const open = await lockOpenStep(tx, instanceId);
      if (!open) return;
      const s = (await stepRow(tx, open.id)) as StepRow;
      const def = await this.definition(s.protocol_id, s.protocol_version);
      const facts = this.hooks.get(def.id)?.facts;
      const step = this.stepDef(def, s.step_key);
      if (!facts || !step.outcomes.some((o) => o.when)) return;
      if (pass > def.steps.length)
        throw new Error(`Protocol ${def.id} version ${def.version} keeps moving on its facts (at step ${s.step_key}).`);
      const holds = await facts(tx, {
        instanceId,
        personId: s.person_id,
        authorityId: s.authority_id,
        data: s.data as Record<string, unknown>,
      });
      const outcome = step.outcomes.find((o) => o.when && holds[o.when] === true);
      if (!outcome) return;
      await this.applyOutcome(tx, s, def, step, outcome.id, {}, actorId);
    }
  }

  /** Records an outcome on an open step (already locked by the caller), then moves on to its next step or ends. */
  async applyOutcome(
    tx: Tx,
    s: StepRow,
    def: ProtocolDefinition,
    step: StepDef,
    outcomeId: string,
    values: Record<string, unknown>,
    actorId: string | null,
  ) {
    const outcome = step.outcomes.find((o) => o.id === outcomeId);
    if (!outcome) throw new ValidationError({ outcome: 'Choose what happens next' });
    const now = this.now();
    await closeStep(tx, s.id, { outcome: outcome.id, values, actorId, at: now });
    await cancelDeadlines(tx, STEP_SUBJECT, s.id, now);
    await this.stepMoved(tx, s.authority_id, s.id, 'closed');
    const anchors = { ...(s.anchors as Record<string, string>) };
    for (const f of step.fields ?? [])
      if (f.setsAnchor && typeof values[f.name] === 'string') anchors[f.setsAnchor] = values[f.name] as string;
    const data = { ...(s.data as Record<string, unknown>), ...values };
    await tx
      .updateTable('protocol_instances')
      .set((eb) => ({ anchors: JSON.stringify(anchors), data: JSON.stringify(data), version: eb('version', '+', 1) }))
      .where('id', '=', s.instance_id)
      .execute();
    await this.record(tx, s, actorId, `${step.title}: ${outcome.label}`);
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
      await this.enterStep(tx, instanceOf(s, anchors, data), def, outcome.to);
      return;
    }
    await tx
      .updateTable('protocol_instances')
      .set({ status: 'ended', result: outcome.end ?? null, ended_at: now, current_step_id: null })
      .where('id', '=', s.instance_id)
      .execute();
    await this.record(tx, s, actorId, `${def.title} ended: ${(outcome.end ?? '').replace(/_/g, ' ')}`);
    await this.hooks.get(def.id)?.ended?.({
      tx,
      authorityId: s.authority_id,
      personId: s.person_id,
      instanceId: s.instance_id,
      stepId: s.id,
      stepKey: s.step_key,
      protocolId: def.id,
      startedBy: s.started_by,
      data,
      anchors,
      actorId,
      result: outcome.end ?? '',
    });
  }

  /** Closes an open step as overdue, without an outcome of its own, and enters `to` (a 'move' rung). */
  async moveOnOverdue(tx: Tx, s: StepRow, def: ProtocolDefinition, to: string) {
    await tx
      .updateTable('protocol_steps')
      .set({ status: 'done', outcome: 'overdue', decided_at: this.now() })
      .where('id', '=', s.id)
      .execute();
    await cancelDeadlines(tx, STEP_SUBJECT, s.id, this.now());
    await this.stepMoved(tx, s.authority_id, s.id, 'closed');
    await this.enterStep(tx, instanceOf(s), def, to);
  }

  /** One line on the person's timeline about this instance. */
  async record(tx: Tx, s: StepRow, actorId: string | null, title: string) {
    await insertEvent(tx, {
      authority_id: s.authority_id,
      person_id: s.person_id,
      kind: 'protocol',
      title,
      detail: null,
      actor_id: actorId,
    });
  }

  /**
   * In-app notice and email to an owner: a person, or everyone in the queue; at the app's time, about the step
   * (`stepId`), so it resolves itself when the step moves on.
   */
  async tell(tx: Tx, authorityId: string, owner: Owner, message: string, link: string, ref: string, stepId: string) {
    const userIds = owner.userId ? [owner.userId] : await queueMembers(tx, authorityId, owner);
    const about = { at: this.now(), subject: { type: STEP_SUBJECT, id: stepId } } as const;
    for (const userId of userIds)
      await notifyUser(tx, {
        authorityId,
        userId,
        message,
        link,
        reference: ref,
        baseUrl: this.config.baseUrl,
        ...about,
      });
  }
}

/**
 * Schedules a step's overdue ladder from its due date. `generation` counts re-schedules (a changed due date):
 * each gets its own rung numbers, so the deadline rows of an earlier date stay as they were (cancelled).
 */
export async function scheduleLadder(
  tx: Tx,
  authorityId: string,
  stepId: string,
  step: StepDef,
  due: string,
  generation: number,
  anchors: Record<string, string> = {},
): Promise<void> {
  if (!step.overdue?.length) return;
  await scheduleDeadlines(
    tx,
    step.overdue.map((rung, i) => ({
      authorityId,
      subjectType: STEP_SUBJECT,
      subjectId: stepId,
      rung: generation * 100 + i,
      dueAt: endOfLondonDay(rungDate(due, rung, anchors)),
      action: { rung: i },
    })),
  );
}
