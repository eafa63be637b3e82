// The protocol engine's public surface: start (from a form, or inside a module's transaction), advance an open
// step from a module, decide from a page or the API, reassign, read, and the lists. The work happens in
// runtime.ts (entering steps, applying outcomes), overdue.ts (the ladders), access.ts (who may act) and
// forms.ts (reading the forms); SQL is in step-repository.ts and repository.ts.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { ProtocolSource, StepIdOf } from '../../domain/protocol/definition.ts';
import { isRole } from '../../domain/roles.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, text, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { PLAN_OWNER_ROLES, picker, type StaffScope, staffInScope } from '../kit/staff.ts';
import { mayAct, type StepOwnership } from './access.ts';
import { driftFromBuiltIn, Flow, type FlowHooks } from './flow.ts';
import { readDecision, readStartForm } from './forms.ts';
import { fireRung } from './overdue.ts';
import type { ProtocolRegistry } from './registry.ts';
import * as lists from './repository.ts';
import { ProtocolRuntime, reference, type StepMovedListener } from './runtime.ts';
import type { ReassignInput } from './schemas.ts';
import * as steps from './step-repository.ts';

export { Flow, type FlowEvent, type FlowHooks, type FlowState } from './flow.ts';
export { rungDate, STEP_SUBJECT, type StepEntered } from './runtime.ts';

export class ProtocolService {
  private readonly rt: ProtocolRuntime;
  readonly registry: ProtocolRegistry;

  constructor(
    private readonly db: Db,
    config: Config,
    now: () => Date,
    registry: ProtocolRegistry,
  ) {
    this.registry = registry;
    this.rt = new ProtocolRuntime(db, config, now, registry);
  }

  /**
   * Protocols a module drives (e.g. Kent team transfers): instances start and move only with the module's own
   * changes, in its transactions, so they are not started or decided from the protocol pages.
   */
  private readonly driven = new Map<string, string>();

  /** Steps of driven protocols that may still be decided on the protocol pages, by protocol id. */
  private readonly decidable = new Map<string, readonly string[]>();

  /**
   * A module takes a built-in protocol as its workflow: instances start and move in the module's transactions
   * (the returned Flow), its hooks run in the engine's, and people act on the module's pages (`where` says which)
   * except at the `decidable` steps. Every loaded council version must keep the ids the module uses. `pages`: people
   * still start and decide it on the protocol pages (the module only adds its hooks and moves some steps on).
   * `quiet`: the module tells people itself, so its steps open without "a step is waiting for you" (the overdue
   * ladders, reassignments and changed owners still tell).
   */
  drive<const D extends ProtocolSource>(
    builtIn: D,
    o: { where: string; decidable?: readonly StepIdOf<D>[]; pages?: boolean; quiet?: boolean; hooks?: FlowHooks<D> },
  ): Flow<D> {
    if (!this.registry.get(builtIn.id, builtIn.version))
      throw new Error(
        `Protocol ${builtIn.id} version ${builtIn.version} is not built in: add it to src/protocols/index.ts.`,
      );
    for (const { definition, origin } of this.registry.versions(builtIn.id)) {
      const problems = driftFromBuiltIn(builtIn, definition);
      if (problems.length)
        throw new Error(
          `Protocol ${builtIn.id} version ${definition.version} (${origin}) cannot run:\n  ${problems.join('\n  ')}`,
        );
    }
    if (!o.pages) this.driven.set(builtIn.id, o.where);
    if (o.quiet) this.rt.quiet.add(builtIn.id);
    if (o.decidable?.length) this.decidable.set(builtIn.id, o.decidable);
    if (o.hooks) this.rt.hooks.set(builtIn.id, Flow.runtimeHooks(o.hooks));
    return new Flow(builtIn, this.rt);
  }

  /** Is this step of a driven protocol decided somewhere else (the module's pages)? */
  private decidedElsewhere(protocolId: string, stepKey: string): string | null {
    const where = this.driven.get(protocolId);
    if (!where || this.decidable.get(protocolId)?.includes(stepKey)) return null;
    return where;
  }

  /** The definition an instance runs on: the version it started with, as recorded then. */
  definition(id: string, version: number) {
    return this.rt.definition(id, version);
  }

  // ---- starting --------------------------------------------------------------------------------------

  /**
   * Starts an instance. `protocol_version` picks an older loaded version (default: the newest). `outer`: run inside
   * the caller's transaction, so a module can start an instance together with its own writes (e.g. EHCP advice).
   */
  /** Today in London, by the engine's clock. */
  today(): string {
    return this.rt.today();
  }

  async start(user: AuthUser, personId: string, body: Body, outer?: Tx): Promise<string> {
    const protocolId = text(body, 'protocol_id');
    const drivenWhere = this.driven.get(protocolId);
    if (drivenWhere) throw new ValidationError({ protocol_id: `This protocol starts by itself: ${drivenWhere}` });
    const wantedVersion = text(body, 'protocol_version');
    const def = this.registry.get(protocolId, wantedVersion ? Number(wantedVersion) : undefined);
    if (!def) throw new ValidationError({ protocol_id: 'Choose a protocol from the list' });
    if (def.startedBy?.length && !def.startedBy.some((r) => user.roles.includes(r))) {
      throw new Forbidden(
        `Only ${def.startedBy.map((r) => r.replace(/_/g, ' ')).join(' or ')} can start ${def.title}.`,
      );
    }
    const form = readStartForm(def, body, this.rt.today());
    if (Object.keys(form.errors).length) throw new ValidationError(form.errors);
    const run = async (tx: Tx) => {
      const person = await steps.personInAuthority(tx, user.authorityId, personId);
      if (!person) throw new NotFound('No record with that reference.');
      const involvementId = await this.caseInvolvement(tx, user, personId, form.involvementId);
      const id = await this.rt.createInstance(tx, user, person, def, {
        involvementId,
        anchors: form.anchors,
        data: form.routesTried ? { routes_tried: form.routesTried } : {},
        event: {
          title: `${def.title} started`,
          detail: form.routesTried ? `Routes already tried: ${form.routesTried}` : null,
        },
      });
      await this.rt.settle(tx, id, user.id);
      return id;
    };
    return outer ? run(outer) : this.db.transaction().execute(run);
  }

  /** The involvement an instance is about: the one chosen, else one of the starter's, else the first open one. */
  private async caseInvolvement(tx: Tx, user: AuthUser, personId: string, chosen: string | null) {
    if (chosen) {
      if (!(await steps.openInvolvement(tx, personId, chosen)))
        throw new ValidationError({ involvement_id: 'Choose one of the open involvements on this record' });
      return chosen;
    }
    const open = await steps.openInvolvements(tx, personId);
    return (
      (open.find((i) => i.worker_id === user.id) ?? open.find((i) => user.teamIds.includes(i.team_id)) ?? open[0])
        ?.id ?? null
    );
  }

  // ---- a module moving its protocol on ---------------------------------------------------------------

  /** The key of the instance's open step, or null when it has ended. */
  openStepKey(db: Db | Tx, instanceId: string): Promise<string | null> {
    return steps.openStepKey(db, instanceId);
  }

  /** Runs one rung of a step's overdue ladder (called by the deadline sweep, inside its transaction). */
  fireRung(tx: Tx, stepId: string, rungIndex: number): Promise<void> {
    return fireRung(this.rt, tx, stepId, rungIndex);
  }

  // ---- reading -------------------------------------------------------------------------------------

  /** An instance with its definition, current step and history, for the page and the API. */
  async instance(user: AuthUser, personId: string, instanceId: string) {
    const inst = await steps.findInstance(this.db, user.authorityId, personId, instanceId);
    if (!inst) throw new NotFound('No protocol with that reference on this record.');
    const def = await this.rt.definition(inst.protocol_id, inst.protocol_version);
    const today = this.rt.today();
    const history = (await steps.instanceSteps(this.db, instanceId)).map((s) => {
      const sd = def.steps.find((x) => x.id === s.step_key);
      return {
        ...s,
        title: sd?.title ?? s.step_key,
        outcomeLabel: sd?.outcomes.find((o) => o.id === s.outcome)?.label ?? s.outcome,
        overdue: s.status === 'open' && s.due_date !== null && s.due_date < today,
      };
    });
    const current = history.find((s) => s.status === 'open') ?? null;
    const currentDef = current ? this.rt.stepDef(def, current.step_key) : null;
    return {
      instance: inst,
      definition: def,
      history,
      current,
      currentDef,
      drivenBy: this.driven.get(inst.protocol_id) ?? null,
      canDecide:
        current && !this.decidedElsewhere(inst.protocol_id, current.step_key)
          ? await this.mayAct(user, current, 'decide')
          : false,
      canReassign: current ? await this.mayAct(user, current, 'reassign') : false,
    };
  }

  /** Who may act on a step (access.ts). */
  mayAct(user: AuthUser, s: StepOwnership, what: 'decide' | 'reassign'): Promise<boolean> {
    return mayAct(this.db, user, s, what);
  }

  // ---- deciding and reassigning ----------------------------------------------------------------------

  async decide(
    user: AuthUser,
    personId: string,
    instanceId: string,
    stepId: string,
    body: Body,
    outer?: Tx,
  ): Promise<{ ended: boolean }> {
    const version = Number(body.version);
    const run = async (tx: Tx) => {
      // Lock the step: two people deciding at once are served one after the other, and the second is refused.
      if (!(await steps.lockStep(tx, stepId, instanceId, personId)))
        throw new NotFound('No step with that reference on this record.');
      const s = (await steps.stepRow(tx, stepId)) as steps.StepRow;
      if (s.status !== 'open' || (Number.isInteger(version) && version !== s.version))
        throw new Conflict(await staleStepMessage(tx, s));
      if (!(await this.mayAct(user, s, 'decide')))
        throw new Forbidden('This step is not yours to decide. Its owner, their team or their manager can.');
      const drivenWhere = this.decidedElsewhere(s.protocol_id, s.step_key);
      if (drivenWhere) throw new Conflict(`This protocol moves on by itself: ${drivenWhere}`);
      const def = await this.rt.definition(s.protocol_id, s.protocol_version);
      const step = this.rt.stepDef(def, s.step_key);
      const { outcome, values, errors } = readDecision(step, body, text(body, 'outcome'), this.rt.today());
      for (const f of step.fields ?? []) {
        if (f.type !== 'user' || typeof values[f.name] !== 'string') continue;
        const named = values[f.name] as string;
        if (!(await staffInScope(tx, user.authorityId, { council: true }, named, PLAN_OWNER_ROLES)))
          errors[f.name] = `Choose an active member of staff for ${f.label.toLowerCase()}`;
      }
      if (Object.keys(errors).length || !outcome) throw new ValidationError(errors);
      await this.rt.applyOutcome(tx, s, def, step, outcome.id, values, user.id);
      await this.rt.settle(tx, instanceId, user.id);
      return { ended: outcome.end !== undefined };
    };
    // `outer`: inside a module's transaction, so its change and the protocol's move commit together or not at all.
    return outer ? run(outer) : this.db.transaction().execute(run);
  }

  /** `outer`: inside a module's transaction (bulk reallocation moves many steps, cases and actions at once). */
  async reassign(
    user: AuthUser,
    personId: string,
    instanceId: string,
    stepId: string,
    input: ReassignInput,
    outer?: Tx,
  ) {
    const { owner_user_id: to, version } = input;
    const run = async (tx: Tx) => {
      await steps.lockStep(tx, stepId, instanceId, personId);
      const s = await steps.stepRow(tx, stepId);
      if (!s || s.instance_id !== instanceId || s.person_id !== personId)
        throw new NotFound('No step with that reference on this record.');
      if (s.status !== 'open' || version !== s.version)
        throw new Conflict('This step changed while you were looking at it. Reload the page and try again.');
      if (!(await this.mayAct(user, s, 'reassign')))
        throw new Forbidden('Only the owner’s manager can reassign this step.');
      const target = await staffInScope(tx, user.authorityId, await this.staffScope(user, s), to);
      if (!target)
        throw new ValidationError({
          owner_user_id: 'Choose the new owner from the people offered (caseworkers of this step’s team or service)',
        });
      const owner = { userId: target.id, teamId: null, role: null, serviceId: null, label: target.display_name };
      await steps.setStepOwner(tx, s.id, owner, { escalated: false });
      await this.rt.stepMoved(tx, s.authority_id, s.id, 'reowned');
      const def = await this.rt.definition(s.protocol_id, s.protocol_version);
      const step = this.rt.stepDef(def, s.step_key);
      await recordChange(tx, {
        actor: { id: user.id, authorityId: s.authority_id },
        personId: s.person_id,
        kind: 'protocol',
        title: `${step.title}: reassigned to ${target.display_name}`,
        detail: `Was with ${s.owner_label}`,
        audit: {
          action: 'reassign',
          entity: 'protocol_step',
          entityId: s.id,
          detail: { from: s.owner_user_id, to: target.id },
        },
      });
      const link = `/people/${s.person_id}/protocols/${s.instance_id}`;
      const message = `A step has been passed to you: ${step.title}`;
      await this.rt.tell(tx, s.authority_id, owner, message, link, reference(s.case_number, s.step_key), s.id);
    };
    await (outer ? run(outer) : this.db.transaction().execute(run));
  }

  /**
   * A module hears when an open step closes or passes to a new owner, inside the engine's transaction (the
   * notifications module resolves what pointed at it). The engine imports no module: they register here.
   */
  onStepMoved(listener: StepMovedListener): void {
    this.rt.stepMovedListeners.push(listener);
  }

  // ---- lists -----------------------------------------------------------------------------------------

  /** Steps waiting on me and my teams' queues, overdue first. */
  async waitingOn(user: AuthUser, limit = 200) {
    const service = await steps.userService(this.db, user.id);
    return this.withTitles(await lists.stepsWaitingOn(this.db, user, service, limit));
  }

  /** For managers: open steps owned by people they line-manage or by members of teams they manage. */
  async teamSteps(user: AuthUser, limit = 300) {
    return this.withTitles(await lists.stepsInManagedTeams(this.db, user, limit));
  }

  private async withTitles<
    T extends { step_key: string; protocol_id: string; protocol_version: number; due_date: string | null },
  >(rows: T[]) {
    const today = this.rt.today();
    const out = [];
    for (const r of rows) {
      const def = await this.rt.definition(r.protocol_id, r.protocol_version);
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
      out.push({ ...r, title: (await this.rt.definition(r.protocol_id, r.protocol_version)).title });
    }
    return out;
  }

  /**
   * Whom a step can pass to, or a decision's person field can name (issue 11 capability 13): the caseworkers of the
   * step's team, else of its service, else of its owner's (or the viewer's) service — searched when long, never the
   * whole council and never the IT administrator (src/modules/kit/staff.ts).
   */
  async staff(user: AuthUser, current: StepOwnership | null, query = '', chosen: string | null = null) {
    return picker(this.db, user.authorityId, await this.staffScope(user, current), query, chosen);
  }

  /**
   * Whom a decision's person field can name: caseworkers and the health and education advice givers of the whole
   * council (a protocol names an advice giver or an escalation worker in another service), searched by name when
   * the list is long.
   */
  async people(user: AuthUser, query = '', chosen: string | null = null) {
    return picker(this.db, user.authorityId, { council: true }, query, chosen, PLAN_OWNER_ROLES);
  }

  private async staffScope(user: AuthUser, current: StepOwnership | null): Promise<StaffScope> {
    if (current?.owner_team_id) return { teamId: current.owner_team_id };
    if (current?.owner_service_id) return { serviceId: current.owner_service_id };
    const service =
      (current?.owner_user_id ? await steps.userService(this.db, current.owner_user_id) : null) ??
      (await steps.userService(this.db, user.id));
    if (service) return { serviceId: service };
    return { teamId: user.teamIds[0] ?? '00000000-0000-0000-0000-000000000000' };
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

/** Why a decision came too late: someone else decided, or the step changed (reassigned, escalated). */
async function staleStepMessage(tx: Tx, s: steps.StepRow): Promise<string> {
  if (s.status === 'open')
    return 'This step changed while you were looking at it (it was reassigned or escalated). Reload the page and decide again.';
  const who = s.decided_by ? await steps.displayName(tx, s.decided_by) : null;
  const outcome = s.outcome ? ` ("${s.outcome.replace(/_/g, ' ')}")` : '';
  const at = s.decided_at ? ` at ${s.decided_at.toISOString().slice(11, 16)} UTC` : '';
  return `${who ?? 'Someone else'} already decided this step${outcome}${at}. Reload the page to see where the case is now.`;
}
