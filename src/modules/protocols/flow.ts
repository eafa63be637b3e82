// A workflow a module drives: a built-in protocol definition plus the module's typed hooks. The module starts
// and advances instances inside its own transaction, changes the facts the definition reads (who, which date)
// and reads where each instance is; the definition holds the statuses, owners, deadlines and ladders, so a council
// can change them in a file (PROTOCOLS_DIR) without a release. Step and outcome ids are typed from the built-in
// (`defineProtocol`), so a typo fails the typecheck; a council's version must keep the ids the module uses.
import type { Executor, Tx } from '../../db/database.ts';
import { stepDeadline } from '../../domain/protocol/deadline.ts';
import {
  asDefinition,
  type FactOf,
  type OutcomeIdOf,
  type ProtocolDefinition,
  type ProtocolSource,
  type StepIdOf,
} from '../../domain/protocol/definition.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { insertEvent } from '../people/repository.ts';
import { cancelDeadlines } from '../timers/repository.ts';
import { resolveOwner } from './owners.ts';
import {
  type Actor,
  type ProtocolRuntime,
  type RuntimeHooks,
  reference,
  STEP_SUBJECT,
  scheduleLadder,
} from './runtime.ts';
import * as steps from './step-repository.ts';

/** What a hook hears: the instance, the step it is at (or left, for `ended`), and who acted (null: the system). */
export interface FlowEvent<D extends ProtocolSource> {
  tx: Tx;
  authorityId: string;
  personId: string;
  instanceId: string;
  step: StepIdOf<D>;
  data: Record<string, unknown>;
  anchors: Record<string, string>;
  actorId: string | null;
}

export interface FlowHooks<D extends ProtocolSource> {
  /** Each time an instance enters a step (the module's side effects: a notice, an agenda item). */
  entered?: (e: FlowEvent<D>) => Promise<void>;
  /** When an instance ends, with the result of the outcome that ended it. */
  ended?: (e: FlowEvent<D> & { result: string }) => Promise<void>;
  /** The facts the definition's `when` outcomes wait for, read from the module's tables. */
  facts?: (
    tx: Tx,
    e: { instanceId: string; personId: string; authorityId: string; data: Record<string, unknown> },
  ) => Promise<Partial<Record<FactOf<D>, boolean>>>;
}

/** Where an instance is, for the module's pages and lists. */
export interface FlowState<D extends ProtocolSource> {
  instanceId: string;
  status: 'open' | 'ended';
  /** The open step, or null once ended. */
  step: StepIdOf<D> | null;
  stepTitle: string | null;
  result: string | null;
  due: string | null;
  dueRule: string | null;
  ownerUserId: string | null;
  ownerLabel: string | null;
  escalations: number;
  protocolVersion: number;
  data: Record<string, unknown>;
  anchors: Record<string, string>;
}

export interface StartOptions {
  involvementId?: string | null;
  anchors?: Record<string, string>;
  data?: Record<string, unknown>;
  /** A line on the person's timeline saying it started (the module may write its own instead). */
  event?: { title: string; detail: string | null };
}

export class Flow<D extends ProtocolSource> {
  readonly id: D['id'];

  constructor(
    readonly builtIn: D,
    private readonly rt: ProtocolRuntime,
  ) {
    this.id = builtIn.id;
  }

  /** The version new instances start on: a council's newer file if loaded, else the built-in. */
  current(): ProtocolDefinition {
    return this.rt.registry.get(this.id) ?? asDefinition(this.builtIn);
  }

  /** Starts an instance inside the caller's transaction and enters its start step; returns the instance id. */
  async start(tx: Tx, actor: Actor, personId: string, o: StartOptions = {}): Promise<string> {
    const person = await steps.personInAuthority(tx, actor.authorityId, personId);
    if (!person) throw new NotFound('No record with that reference.');
    const id = await this.rt.createInstance(tx, actor, person, this.current(), {
      involvementId: o.involvementId ?? null,
      anchors: { started: this.rt.today(), ...o.anchors },
      data: o.data ?? {},
      event: o.event,
    });
    await this.rt.settle(tx, id, actor.id);
    return id;
  }

  /**
   * Records `outcome` on the open step, inside the caller's transaction, then takes any outcomes whose facts now
   * hold. `at`: only when the open step is one of these. Refuses (Conflict) when that cannot be done, so the
   * module's change and the protocol never disagree — unless `ifOpen`, when it returns false instead.
   */
  async advance(
    tx: Tx,
    instanceId: string,
    outcome: OutcomeIdOf<D>,
    actorId: string | null,
    o: { at?: readonly StepIdOf<D>[]; ifOpen?: boolean; values?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    const open = await steps.lockOpenStep(tx, instanceId);
    const s = open ? ((await steps.stepRow(tx, open.id)) as steps.StepRow) : undefined;
    const def = s ? await this.rt.definition(s.protocol_id, s.protocol_version) : undefined;
    const step = s && def ? this.rt.stepDef(def, s.step_key) : undefined;
    const fits = s && step && (!o.at || o.at.includes(s.step_key)) && step.outcomes.some((x) => x.id === outcome);
    if (!fits || !s || !def || !step) {
      if (o.ifOpen) return false;
      if (!s) throw new Conflict('This has already ended. Reload the page to see where it is.');
      throw new Conflict(
        `The step "${step?.title ?? s.step_key}" cannot be moved on with "${String(outcome).replace(/_/g, ' ')}". Reload the page to see where it is.`,
      );
    }
    await this.rt.applyOutcome(tx, s, def, step, outcome, o.values ?? {}, actorId);
    await this.rt.settle(tx, instanceId, actorId);
    return true;
  }

  /** Takes any outcomes whose facts now hold (call after changing what the facts read). */
  sync(tx: Tx, instanceId: string, actorId: string | null): Promise<void> {
    return this.rt.settle(tx, instanceId, actorId);
  }

  /**
   * Changes the instance's anchors (dates) or data (who, which service) and brings the open step into line: its
   * owner (if `reown`) and its deadline are worked out again, a new deadline gets a new overdue ladder, and a new
   * owner is told. The module records its own change on the timeline.
   */
  async update(
    tx: Tx,
    instanceId: string,
    change: { anchors?: Record<string, string | null>; data?: Record<string, unknown> },
    o: { reown?: boolean } = {},
  ): Promise<void> {
    const inst = await tx
      .selectFrom('protocol_instances')
      .where('id', '=', instanceId)
      .select(['anchors', 'data'])
      .forUpdate()
      .executeTakeFirst();
    if (!inst) throw new NotFound('No protocol with that reference.');
    const anchors = { ...(inst.anchors as Record<string, string>) };
    for (const [k, v] of Object.entries(change.anchors ?? {})) {
      if (v === null) delete anchors[k];
      else anchors[k] = v;
    }
    const data = { ...(inst.data as Record<string, unknown>), ...change.data };
    await tx
      .updateTable('protocol_instances')
      .set((eb) => ({ anchors: JSON.stringify(anchors), data: JSON.stringify(data), version: eb('version', '+', 1) }))
      .where('id', '=', instanceId)
      .execute();
    const open = await steps.lockOpenStep(tx, instanceId);
    if (!open) return;
    const s = (await steps.stepRow(tx, open.id)) as steps.StepRow;
    const def = await this.rt.definition(s.protocol_id, s.protocol_version);
    const step = this.rt.stepDef(def, s.step_key);
    if (o.reown) {
      const owner = await resolveOwner(tx, step.responsible ?? 'starter', {
        authorityId: s.authority_id,
        involvementId: s.involvement_id,
        startedBy: s.started_by,
        data,
      });
      if (owner.userId !== s.owner_user_id || owner.label !== s.owner_label) {
        await steps.setStepOwner(tx, s.id, owner, { escalated: false });
        await this.rt.stepMoved(tx, s.authority_id, s.id, 'reowned');
        const link = `/people/${s.person_id}/protocols/${s.instance_id}`;
        await this.rt.tell(
          tx,
          s.authority_id,
          owner,
          `A step has been passed to you: ${step.title}`,
          link,
          reference(s.case_number, s.step_key),
          s.id,
        );
      }
    }
    const deadline = step.deadline
      ? stepDeadline(step.deadline, {
          protocolId: def.id,
          version: def.version,
          stepId: step.id,
          stepEntered: await steps.enteredOn(tx, s.id),
          anchors,
        })
      : null;
    if ((deadline?.due ?? null) === s.due_date) return;
    await steps.setStepDue(tx, s.id, deadline?.due ?? null, deadline?.explanation ?? null);
    await cancelDeadlines(tx, STEP_SUBJECT, s.id, this.rt.now());
    if (deadline)
      await scheduleLadder(
        tx,
        s.authority_id,
        s.id,
        step,
        deadline.due,
        await steps.nextLadderGeneration(tx, s.id),
        anchors,
      );
    await insertEvent(tx, {
      authority_id: s.authority_id,
      person_id: s.person_id,
      kind: 'protocol',
      title: `${step.title}: ${deadline ? `now due ${deadline.due}` : 'no longer has a due date'}`,
      detail: deadline?.explanation ?? null,
      actor_id: null,
    });
  }

  /** Where one instance is. */
  async state(db: Executor, instanceId: string): Promise<FlowState<D>> {
    const found = (await this.states(db, [instanceId])).get(instanceId);
    if (!found) throw new NotFound('No protocol with that reference.');
    return found;
  }

  /** Where each of several instances is (one query), for a module's lists. */
  async states(db: Executor, instanceIds: readonly string[]): Promise<Map<string, FlowState<D>>> {
    const out = new Map<string, FlowState<D>>();
    for (const r of await steps.instanceStates(db, instanceIds)) {
      const def = await this.rt.definition(r.protocol_id, r.protocol_version);
      out.set(r.id, {
        instanceId: r.id,
        status: r.status === 'ended' ? 'ended' : 'open',
        step: (r.step_key ?? null) as StepIdOf<D> | null,
        stepTitle: r.step_key ? (def.steps.find((x) => x.id === r.step_key)?.title ?? r.step_key) : null,
        result: r.result,
        due: r.due_date,
        dueRule: r.due_rule,
        ownerUserId: r.owner_user_id,
        ownerLabel: r.owner_label,
        escalations: r.escalations ?? 0,
        protocolVersion: r.protocol_version,
        data: r.data as Record<string, unknown>,
        anchors: r.anchors as Record<string, string>,
      });
    }
    return out;
  }

  /** The runtime hooks, untyped, for the engine to call. */
  static runtimeHooks<D extends ProtocolSource>(h: FlowHooks<D>): RuntimeHooks {
    const ev = (e: Parameters<NonNullable<RuntimeHooks['entered']>>[0]): FlowEvent<D> => ({
      tx: e.tx,
      authorityId: e.authorityId,
      personId: e.personId,
      instanceId: e.instanceId,
      step: e.stepKey as StepIdOf<D>,
      data: e.data,
      anchors: e.anchors,
      actorId: e.actorId,
    });
    return {
      entered: h.entered ? (e) => (h.entered as NonNullable<FlowHooks<D>['entered']>)(ev(e)) : undefined,
      ended: h.ended
        ? (e) => (h.ended as NonNullable<FlowHooks<D>['ended']>)({ ...ev(e), result: e.result })
        : undefined,
      facts: h.facts as RuntimeHooks['facts'],
    };
  }
}

/**
 * Problems with a council's version of a protocol a module drives: every step and outcome the built-in has must
 * still be there (the module moves instances with those ids), and every fact a `when` waits for must be one the
 * module supplies. Returns one line per problem.
 */
export function driftFromBuiltIn(builtIn: ProtocolSource, council: ProtocolDefinition): string[] {
  const problems: string[] = [];
  for (const s of builtIn.steps) {
    const theirs = council.steps.find((x) => x.id === s.id);
    if (!theirs) {
      problems.push(`step ${s.id}: the module that drives ${builtIn.id} uses this step; keep it`);
      continue;
    }
    for (const o of s.outcomes)
      if (!theirs.outcomes.some((x) => x.id === o.id))
        problems.push(`step ${s.id}: the module moves it on with outcome "${o.id}"; keep it`);
  }
  const facts = new Set(builtIn.facts ?? []);
  for (const s of council.steps)
    for (const o of s.outcomes)
      if (o.when && !facts.has(o.when))
        problems.push(`step ${s.id}: outcome "${o.id}" waits for "${o.when}", which the module does not supply`);
  return problems;
}
