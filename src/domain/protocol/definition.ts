// The protocol definition format: a protocol is typed, versioned data (design.md §5). Councils write these
// as JSON or YAML files; the built-in ones live in src/protocols/. The same shape is validated, drawn and run.
import { type Static, Type } from '@sinclair/typebox';

/**
 * Who is responsible for a step, relative to the case:
 * - allocated_worker: the worker allocated on the case's involvement
 * - line_manager: the allocated worker's line manager
 * - team_manager: a team manager of the case's team
 * - service_manager / service_lead: of the service the case's team belongs to
 * - forum_chair: the chair of a forum in the authority
 * - starter / starter_line_manager: who started this instance, and their line manager
 * - role:<role>: anyone in the authority with that role (e.g. role:send_manager)
 * - service:<name>: a named service, with nobody named yet
 * - field:<name>: the person chosen in an earlier decision's user field, or a user, service or team input the
 *   module that drives the protocol records on the instance (a service or team is a queue)
 * - line_manager_of:<name>: that person's line manager (e.g. when an advice giver is away)
 * - receiving_team_manager: a team manager of the team the case is transferring to (the instance's
 *   data.receiving_team_id, set by the module that starts it: Kent team transfers)
 */
export const RELATIVE_ROLES = [
  'allocated_worker',
  'line_manager',
  'team_manager',
  'service_manager',
  'service_lead',
  'forum_chair',
  'starter',
  'starter_line_manager',
  'receiving_team_manager',
] as const;
export type RelativeRole = (typeof RELATIVE_ROLES)[number];
export type ResponsibleRef = string;

const DueOn = Type.Optional(
  Type.String({ description: 'an anchor: when the instance has recorded it, the step is due on that date instead' }),
);

const Deadline = Type.Union([
  Type.Object(
    {
      workingDays: Type.Integer({ minimum: 1, maximum: 366 }),
      from: Type.Optional(Type.String()),
      source: Type.Optional(Type.String()),
      dueOn: DueOn,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      days: Type.Integer({ minimum: 1, maximum: 3660 }),
      beginningWith: Type.Optional(Type.Boolean()),
      from: Type.Optional(Type.String()),
      source: Type.Optional(Type.String()),
      dueOn: DueOn,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      weeks: Type.Integer({ minimum: 1, maximum: 520 }),
      from: Type.Optional(Type.String()),
      source: Type.Optional(Type.String()),
      dueOn: DueOn,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      on: Type.String({ description: 'an anchor: the step is due on the date recorded as this anchor' }),
      source: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
]);
export type DeadlineDef = Static<typeof Deadline>;

const Offset = Type.Union([
  Type.Object({ workingDays: Type.Integer({ minimum: 0, maximum: 366 }) }, { additionalProperties: false }),
  Type.Object({ days: Type.Integer({ minimum: 0, maximum: 366 }) }, { additionalProperties: false }),
]);

const OverdueRung = Type.Object(
  {
    after: Type.Optional(Offset),
    from: Type.Optional(
      Type.String({
        description:
          'an anchor: "after" counts from the date recorded as this anchor instead of the due date (never before the due date)',
      }),
    ),
    action: Type.Union([
      Type.Literal('remind'),
      Type.Literal('notify'),
      Type.Literal('escalate'),
      Type.Literal('move'),
    ]),
    to: Type.Optional(Type.String({ description: 'a responsible role for notify/escalate, a step id for move' })),
    outcome: Type.Optional(Type.String({ description: 'for move: the outcome recorded' })),
  },
  { additionalProperties: false },
);
export type OverdueRung = Static<typeof OverdueRung>;

export const FIELD_TYPES = ['text', 'textarea', 'date', 'yesno', 'choice', 'number', 'user'] as const;
const Field = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    label: Type.String({ minLength: 1 }),
    type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
    required: Type.Optional(Type.Boolean()),
    hint: Type.Optional(Type.String()),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    setsAnchor: Type.Optional(
      Type.String({ description: 'a date field whose value becomes a named anchor for later deadlines' }),
    ),
  },
  { additionalProperties: false },
);
export type FieldDef = Static<typeof Field>;

const Outcome = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    label: Type.String({ minLength: 1 }),
    to: Type.Optional(Type.String({ description: 'the next step' })),
    end: Type.Optional(Type.String({ description: 'ends the protocol with this result' })),
    requires: Type.Optional(Type.Array(Type.String(), { description: 'fields that must be filled for this outcome' })),
    when: Type.Optional(
      Type.String({
        description:
          'a fact the module supplies (listed in the protocol facts): when it holds, the engine takes this outcome by itself',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OutcomeDef = Static<typeof Outcome>;

const Input = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    label: Type.String({ minLength: 1 }),
    type: Type.Union([Type.Literal('user'), Type.Literal('service'), Type.Literal('team'), Type.Literal('text')]),
  },
  { additionalProperties: false },
);

const Step = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    title: Type.String({ minLength: 1 }),
    responsible: Type.Optional(Type.String()),
    guidance: Type.Optional(Type.String()),
    fields: Type.Optional(Type.Array(Field)),
    outcomes: Type.Array(Outcome),
    deadline: Type.Optional(Deadline),
    overdue: Type.Optional(Type.Array(OverdueRung)),
  },
  { additionalProperties: false },
);
export type StepDef = Static<typeof Step>;

export const ProtocolSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]*$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    source: Type.Optional(Type.String({ description: 'the document this protocol encodes' })),
    startedBy: Type.Optional(Type.Array(Type.String(), { description: 'roles allowed to start it' })),
    anchors: Type.Optional(
      Type.Array(Type.String(), { description: 'named dates recorded when the protocol starts, e.g. request' }),
    ),
    inputs: Type.Optional(
      Type.Array(Input, {
        description: 'values the module that drives this protocol records on each instance (who, which service)',
      }),
    ),
    facts: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), {
        description: 'yes/no facts the module supplies; an outcome with `when: <fact>` is taken when it holds',
      }),
    ),
    start: Type.String(),
    steps: Type.Array(Step, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ProtocolDefinition = Static<typeof ProtocolSchema>;

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** A built-in definition as written in src/protocols (`as const`), keeping its step and outcome ids as types. */
export type ProtocolSource = DeepReadonly<ProtocolDefinition>;

/** Declares a built-in protocol, keeping its ids as literal types so a module's typo fails the typecheck. */
export function defineProtocol<const D extends ProtocolSource>(d: D): D {
  return d;
}

/** The runtime shape of a built-in (the engine reads definitions; it never changes them). */
export const asDefinition = (d: ProtocolSource): ProtocolDefinition => d as ProtocolDefinition;

export type StepIdOf<D extends ProtocolSource> = D['steps'][number]['id'];
export type OutcomeIdOf<D extends ProtocolSource> = D['steps'][number]['outcomes'][number]['id'];
export type FactOf<D extends ProtocolSource> = D extends { facts: readonly (infer F extends string)[] } ? F : never;
export type InputOf<D extends ProtocolSource> = D extends { inputs: readonly { name: infer N extends string }[] }
  ? N
  : never;
