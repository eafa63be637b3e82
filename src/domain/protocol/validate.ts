// Checks a protocol definition: its shape, then its meaning. Each problem names the step and what is wrong.
import { Value } from '@sinclair/typebox/value';
import { isRole, ROLE_NAMES } from '../roles.ts';
import { type ProtocolDefinition, ProtocolSchema, RELATIVE_ROLES, type StepDef } from './definition.ts';

export type Validation = { ok: true; definition: ProtocolDefinition } | { ok: false; problems: string[] };

function where(input: unknown, path: string): string {
  const m = /^\/steps\/(\d+)(.*)$/.exec(path);
  if (!m) return path ? `protocol ${path.slice(1).replace(/\//g, '.')}` : 'protocol';
  const steps = (input as { steps?: { id?: unknown }[] }).steps;
  const id = steps?.[Number(m[1])]?.id;
  const rest = (m[2] ?? '').slice(1).replace(/\//g, '.');
  return `step ${typeof id === 'string' ? id : `#${Number(m[1]) + 1}`}${rest ? ` ${rest}` : ''}`;
}

/** Is `ref` something the engine can resolve to an owner? */
export function responsibleProblem(ref: string, userFields: Set<string>): string | null {
  if ((RELATIVE_ROLES as readonly string[]).includes(ref)) return null;
  if (ref.startsWith('role:'))
    return isRole(ref.slice(5)) ? null : `unknown role "${ref.slice(5)}" (known roles: ${ROLE_NAMES.join(', ')})`;
  if (ref.startsWith('service:'))
    return ref.length > 8 ? null : 'service: needs a service name, e.g. service:Adult Social Care';
  if (ref.startsWith('field:'))
    return userFields.has(ref.slice(6)) ? null : `no user field called "${ref.slice(6)}" is captured by any step`;
  if (ref.startsWith('line_manager_of:')) {
    return userFields.has(ref.slice(16)) ? null : `no user field called "${ref.slice(16)}" is captured by any step`;
  }
  return `unknown responsible role "${ref}" (use one of ${RELATIVE_ROLES.join(', ')}, role:<role>, service:<name>, field:<user field> or line_manager_of:<user field>)`;
}

export function validateProtocol(input: unknown): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      problems: ['protocol: the file must hold one object with id, version, title, start and steps'],
    };
  }
  const shape = [...Value.Errors(ProtocolSchema, input)];
  if (shape.length) {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const e of shape) {
      const line = `${where(input, e.path)}: ${e.message}`;
      if (!seen.has(line)) problems.push(line);
      seen.add(line);
    }
    return { ok: false, problems: problems.slice(0, 50) };
  }
  const def = input as ProtocolDefinition;
  const problems: string[] = [];
  const steps = new Map<string, StepDef>();
  for (const s of def.steps) {
    if (steps.has(s.id)) problems.push(`step ${s.id}: the id is used by more than one step`);
    steps.set(s.id, s);
  }
  if (!steps.has(def.start)) problems.push(`protocol: start step "${def.start}" does not exist`);

  const userFields = new Set([
    ...def.steps.flatMap((s) => (s.fields ?? []).filter((f) => f.type === 'user').map((f) => f.name)),
    ...(def.inputs ?? []).filter((i) => i.type !== 'text').map((i) => i.name),
  ]);
  const facts = new Set(def.facts ?? []);
  const anchors = new Set([
    'step',
    'started',
    ...(def.anchors ?? []),
    ...def.steps.flatMap((s) => (s.fields ?? []).flatMap((f) => (f.setsAnchor ? [f.setsAnchor] : []))),
  ]);
  for (const r of def.startedBy ?? []) if (!isRole(r)) problems.push(`protocol startedBy: unknown role "${r}"`);

  for (const s of def.steps) {
    const at = `step ${s.id}`;
    if (!s.responsible)
      problems.push(`${at}: has no responsible role (add responsible: allocated_worker, line_manager, …)`);
    else {
      const p = responsibleProblem(s.responsible, userFields);
      if (p) problems.push(`${at}: ${p}`);
    }
    const fieldNames = new Set<string>();
    for (const f of s.fields ?? []) {
      if (fieldNames.has(f.name)) problems.push(`${at}: field "${f.name}" is defined twice`);
      fieldNames.add(f.name);
      if (f.type === 'choice' && !f.options?.length) problems.push(`${at}: choice field "${f.name}" needs options`);
      if (f.type !== 'choice' && f.options)
        problems.push(`${at}: field "${f.name}" has options but is not a choice field`);
      if (f.setsAnchor && f.type !== 'date')
        problems.push(`${at}: field "${f.name}" sets an anchor but is not a date field`);
    }
    if (s.outcomes.length === 0) problems.push(`${at}: has no outcomes, so the protocol can never leave it`);
    const outcomeIds = new Set<string>();
    for (const o of s.outcomes) {
      if (outcomeIds.has(o.id)) problems.push(`${at}: outcome "${o.id}" is defined twice`);
      outcomeIds.add(o.id);
      if ((o.to === undefined) === (o.end === undefined))
        problems.push(`${at}: outcome "${o.id}" needs exactly one of "to" (a step) or "end" (a result)`);
      if (o.to !== undefined && !steps.has(o.to))
        problems.push(`${at}: outcome "${o.id}" leads to unknown step "${o.to}"`);
      if (o.when !== undefined && !facts.has(o.when))
        problems.push(`${at}: outcome "${o.id}" waits for unknown fact "${o.when}" (list it in the protocol's facts)`);
      for (const r of o.requires ?? [])
        if (!fieldNames.has(r)) problems.push(`${at}: outcome "${o.id}" requires unknown field "${r}"`);
    }
    const d = s.deadline;
    for (const [anchor, what] of [
      [d && 'from' in d ? d.from : undefined, 'counts from'],
      [d && 'dueOn' in d ? d.dueOn : undefined, 'is due on'],
      [d && 'on' in d ? d.on : undefined, 'is due on'],
    ] as const) {
      if (anchor && !anchors.has(anchor))
        problems.push(`${at}: deadline ${what} unknown anchor "${anchor}" (known: ${[...anchors].join(', ')})`);
    }
    for (const [i, rung] of (s.overdue ?? []).entries()) {
      const label = `${at}: overdue rung ${i + 1} (${rung.action})`;
      if (!s.deadline) problems.push(`${label}: the step has no deadline, so it can never be overdue`);
      if (rung.from && !anchors.has(rung.from))
        problems.push(`${label}: counts from unknown anchor "${rung.from}" (known: ${[...anchors].join(', ')})`);
      if (rung.action !== 'move' && rung.outcome !== undefined)
        problems.push(`${label}: only a move records an outcome; remove "outcome"`);
      if (rung.action === 'move') {
        if (!rung.to || !steps.has(rung.to)) problems.push(`${label}: "to" must name a step`);
        else if (rung.outcome !== undefined) {
          // The engine applies this outcome when the rung fires: it must exist here and lead where the rung says.
          const o = s.outcomes.find((x) => x.id === rung.outcome);
          if (!o) problems.push(`${label}: outcome "${rung.outcome}" is not one of this step's outcomes`);
          else if (o.to !== rung.to)
            problems.push(
              `${label}: outcome "${rung.outcome}" leads ${o.to ? `to "${o.to}"` : 'to an end'}, not to "${rung.to}"`,
            );
        }
      } else if (rung.action === 'escalate' || rung.action === 'notify') {
        if (!rung.to)
          problems.push(`${label}: "to" must name who is ${rung.action === 'escalate' ? 'escalated to' : 'notified'}`);
        else {
          const p = responsibleProblem(rung.to, userFields);
          if (p) problems.push(`${label}: ${p}`);
        }
      } else if (rung.to) problems.push(`${label}: a reminder goes to the step's owner; remove "to"`);
    }
  }

  if (steps.has(def.start)) {
    // Reachable from the start.
    const reached = new Set<string>([def.start]);
    const queue = [def.start];
    while (queue.length) {
      const s = steps.get(queue.shift() as string);
      for (const next of [
        ...(s?.outcomes ?? []).map((o) => o.to),
        ...(s?.overdue ?? []).map((r) => (r.action === 'move' ? r.to : undefined)),
      ]) {
        if (next && steps.has(next) && !reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }
    for (const s of def.steps)
      if (!reached.has(s.id)) problems.push(`step ${s.id}: cannot be reached from the start step "${def.start}"`);
    // Every step can still reach an end: otherwise a case could go round for ever.
    const canEnd = new Set(def.steps.filter((s) => s.outcomes.some((o) => o.end !== undefined)).map((s) => s.id));
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of def.steps) {
        if (!canEnd.has(s.id) && s.outcomes.some((o) => o.to && canEnd.has(o.to))) {
          canEnd.add(s.id);
          grew = true;
        }
      }
    }
    for (const s of def.steps)
      if (reached.has(s.id) && !canEnd.has(s.id)) problems.push(`step ${s.id}: no path from here reaches an end`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, definition: def };
}
