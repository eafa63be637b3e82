// The JSON API's answers for transfers (/api/v1): a transfer with its checklist, the lists, and a transfer from
// another council as the receiving council sees it. The inputs are in schemas.ts.
import { Type } from '@sinclair/typebox';
import { DateStr, DateTime, Id, Nullable } from '../../http/api-schema.ts';

export const tags = ['transfers'];
export const TransferParams = Type.Object({ personId: Id, transferId: Id });
export const IncomingParams = Type.Object({ transferId: Id });

const Stamp = Nullable(DateTime);
/** The dates every answer about a transfer carries. */
const dates = { requested_at: DateTime, sent_at: Stamp, accepted_at: Stamp, completed_at: Stamp };
const ToPerson = Type.Union([Id, Type.Null()], {
  description: "The record in the caller's council, once a worker is allocated",
});
const caseNumber = Type.String({ description: "The sending council's case number" });

const Task = Type.Object({
  key: Type.String(),
  title: Type.String(),
  hint: Type.String(),
  status: Type.Union(['completed', 'incomplete', 'not_needed', 'cannot_start'].map((s) => Type.Literal(s))),
});

export const Transfer = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  from_team: Type.String(),
  to_team: Nullable(Type.String()),
  reason: Type.String(),
  ...dates,
  allocated_worker: Nullable(Type.String()),
  checklist: Type.Array(Task),
  checklist_complete: Type.Boolean(),
  remedial_actions: Type.Array(
    Type.Object({
      id: Id,
      description: Type.String(),
      owner: Nullable(Type.String()),
      due_date: Type.String(),
      done: Type.Boolean(),
    }),
  ),
});

export const Remits = Type.Object({
  teams: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      min: Type.Integer(),
      max: Type.Integer(),
      caseTypes: Type.Array(Type.String()),
      localityId: Nullable(Id),
    }),
  ),
  transfer_points: Type.Array(
    Type.Object({
      fromTeamId: Id,
      toTeamId: Id,
      atAge: Nullable(Type.Integer()),
      caseType: Nullable(Type.String()),
      direction: Type.String(),
    }),
  ),
  outside_remit: Type.Array(
    Type.Object({
      personId: Id,
      involvementId: Id,
      caseNumber: Type.String(),
      teamName: Type.String(),
      reason: Type.String(),
      leavesOn: Nullable(Type.String()),
      proposedTeam: Nullable(Type.String()),
    }),
  ),
});

export const Unallocated = Type.Object({
  items: Type.Array(
    Type.Object({
      personId: Id,
      involvementId: Id,
      caseNumber: Type.String(),
      teamName: Type.String(),
      daysWaiting: Type.Integer(),
      protected: Type.Boolean(),
      teamLeaderManaged: Type.Boolean(),
    }),
  ),
});

export const IncomingItem = Type.Object({
  id: Id,
  case_number: caseNumber,
  from_authority: Nullable(Type.String()),
  from_team: Type.String(),
  to_team: Nullable(Type.String()),
  status: Type.String(),
  ...dates,
  person_id: ToPerson,
});

export const Incoming = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  from_authority: Nullable(Type.String()),
  from_team: Type.String(),
  from_worker: Nullable(Type.String({ description: 'Keeps the case until the receiving team allocates' })),
  to_team: Nullable(Type.String()),
  reason: Type.String(),
  ...dates,
  person_id: ToPerson,
  person: Type.Object({
    case_number: caseNumber,
    given_name: Type.String(),
    family_name: Type.String(),
    date_of_birth: DateStr,
  }),
  summary: Type.Object({
    updated_information: Nullable(Type.String()),
    important_dates: Nullable(Type.String()),
    urgent_actions: Nullable(Type.String()),
    signed_off_by: Nullable(Type.String()),
  }),
  statuses: Type.Array(Type.Object({ status: Type.String(), start_date: DateStr, end_date: Nullable(DateStr) })),
  missing_work: Type.Array(Type.Object({ description: Type.String(), due_date: DateStr, done: Type.Boolean() })),
  workers: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  may: Type.Object({ accept: Type.Boolean(), allocate: Type.Boolean() }),
});

export const IncomingOutcome = Type.Object({
  id: Id,
  status: Type.String(),
  version: Type.Integer(),
  person_id: ToPerson,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The dates of a transfer, as the API gives them. */
export function datesOf(x: {
  requested_at: Date;
  sent_at: Date | null;
  accepted_at: Date | null;
  completed_at: Date | null;
}) {
  return {
    requested_at: x.requested_at.toISOString(),
    sent_at: iso(x.sent_at),
    accepted_at: iso(x.accepted_at),
    completed_at: iso(x.completed_at),
  };
}
