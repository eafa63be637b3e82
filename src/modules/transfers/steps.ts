// The steps of a transfer, declared once: what each reads (its input in schemas.ts), who may take it, where the API
// has it, and the service call. The pages (routes.ts), the API (api.ts) and the receiving council's pages and API
// for a transfer from another council (api-incoming.ts) are all made from this table.
import type { TSchema } from '@sinclair/typebox';
import type { Body } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import {
  AllocateInput,
  EscalateInput,
  MeetingInput,
  QualityInput,
  ReturnInput,
  SummaryInput,
  VersionInput,
} from './schemas.ts';
import type { TransferService } from './service.ts';

interface Reads<V> {
  readonly schema: TSchema;
  parse(body: Body, ctx: ReadContext): V;
}

export interface Step {
  /** involvement:manage (the originating team's work) or transfer:manage (a team manager's decision). */
  readonly capability: 'involvement:manage' | 'transfer:manage';
  /** The API body (validation and OpenAPI). */
  readonly schema: TSchema;
  /** The step's path under /api/v1/people/:personId/transfers/:transferId, and its summary (null: pages only). */
  readonly api: { path: string; summary: string } | null;
  /** Reads the body into the step's typed input (a ValidationError names each field) and takes the step. */
  take(s: TransferService, user: AuthUser, personId: string, transferId: string, body: Body): Promise<unknown>;
}

type Run<V> = (
  s: TransferService,
  user: AuthUser,
  personId: string,
  transferId: string,
  input: Omit<V, 'version'>,
  version: number | null,
) => Promise<unknown>;

function step<V extends { version: number | null }>(
  capability: Step['capability'],
  input: Reads<V>,
  api: Step['api'],
  run: Run<V>,
): Step {
  return {
    capability,
    schema: input.schema,
    api,
    take(s, user, personId, transferId, body) {
      const { version, ...rest } = input.parse(body, { today: s.today() });
      return run(s, user, personId, transferId, rest, version);
    },
  };
}

const api = (path: string, summary: string) => ({ path, summary });

/** The steps by their page path (/people/:personId/transfers/:transferId/<path>). */
export const STEPS = {
  summary: step(
    'involvement:manage',
    SummaryInput,
    api('summary', 'Write the transfer summary (updated information, important dates, urgent actions)'),
    (s, u, p, t, input, v) => s.writeSummary(u, p, t, input, v),
  ),
  'sign-off': step(
    'transfer:manage',
    VersionInput,
    api('sign-off', 'Team manager signs off the transfer summary'),
    (s, u, p, t, _, v) => s.signOff(u, p, t, v),
  ),
  'quality-assurance': step(
    'transfer:manage',
    QualityInput,
    api('quality-assurance', 'Supervising manager quality-assures the file'),
    (s, u, p, t, input, v) => s.qualityAssure(u, p, t, input, v),
  ),
  notices: step(
    'involvement:manage',
    VersionInput,
    api('notices', 'Send the written notices to everyone involved'),
    (s, u, p, t, _, v) => s.sendNotices(u, p, t, v),
  ),
  meeting: step(
    'involvement:manage',
    MeetingInput,
    api('meeting', 'Record the handover meeting, or why one is not possible'),
    (s, u, p, t, input, v) => s.recordMeeting(u, p, t, input, v),
  ),
  send: step(
    'transfer:manage',
    VersionInput,
    api('send', 'Send the transfer (refused until the checklist is complete)'),
    (s, u, p, t, _, v) => s.send(u, p, t, v),
  ),
  cancel: step('transfer:manage', VersionInput, null, (s, u, p, t, _, v) => s.cancel(u, p, t, v)),
  accept: step('transfer:manage', VersionInput, api('accept', 'The receiving team accepts'), (s, u, p, t, _, v) =>
    s.accept(u, p, t, v),
  ),
  return: step(
    'transfer:manage',
    ReturnInput,
    api('return', 'The receiving team returns the transfer listing the missing work (one item a line)'),
    (s, u, p, t, input, v) => s.returnTransfer(u, p, t, input, v),
  ),
  allocate: step(
    'transfer:manage',
    AllocateInput,
    api(
      'allocation',
      'The receiving team allocates its worker; the originating involvement ends in the same transaction',
    ),
    (s, u, p, t, input, v) => s.allocate(u, p, t, input, v),
  ),
  escalate: step('transfer:manage', EscalateInput, null, (s, u, p, t, input, v) =>
    s.escalateCapacity(u, p, t, input, v),
  ),
} satisfies Record<string, Step>;

/** The steps the receiving council takes on a transfer from another council (its pages and API). */
export const INCOMING = {
  accept: { step: STEPS.accept, api: api('accept', 'Your team accepts a transfer from another council') },
  return: {
    step: STEPS.return,
    api: api('return', 'Your team returns a transfer from another council listing the missing work (one item a line)'),
  },
  allocate: {
    step: STEPS.allocate,
    api: api(
      'allocation',
      "Your team allocates its worker: the record, with its history, is copied into your council (person_id) and the sending council's involvement ends in the same transaction",
    ),
  },
};
