// The request for SEND support's workflow on the protocol engine (send-support-request). The definition holds the
// steps, owners, deadlines (the hub's first-response and support-start targets, recorded as anchors) and ladders;
// this file supplies the one fact it waits for (the parent carer's consent) and keeps the request's `status`,
// `result` and `closed_on` columns a projection of where its instance is, written only by the engine's hooks inside
// its transaction.
import type { Tx } from '../../db/database.ts';
import type { SupportRequestStatus } from '../../db/schema-send-hubs.ts';
import { type SupportRequestStep, sendSupportRequest } from '../../protocols/send-support-request.ts';
import type { ModuleContext } from '../kit/context.ts';
import type { Flow } from '../protocols/service.ts';
import { tellSettingOfStatus } from './requests-notices.ts';

export interface HubCtx extends ModuleContext {
  readonly flow: Flow<typeof sendSupportRequest>;
}

/** The status each step projects to. */
export const STATUS_OF_STEP: Record<SupportRequestStep, SupportRequestStatus> = {
  consent: 'held',
  triage: 'waiting',
  more_info: 'more_info',
  support: 'starting',
  review: 'in_support',
  locality: 'with_locality',
};

const requestId = (data: Record<string, unknown>) => (typeof data.request_id === 'string' ? data.request_id : null);

/** Takes the send-support-request protocol as the module's workflow (called once, when the service is built). */
export function driveSupportRequests(base: ModuleContext): HubCtx {
  const flow = base.protocols.drive(sendSupportRequest, {
    where: "the SEND hub runs it, so act on the request's page in the hub.",
    hooks: {
      entered: async (e) => {
        const id = requestId(e.data);
        if (id)
          await tellSettingOfStatus(base, e.tx, id, await setStatus(e.tx, id, { status: STATUS_OF_STEP[e.step] }));
      },
      ended: async (e) => {
        const id = requestId(e.data);
        if (id)
          await tellSettingOfStatus(
            base,
            e.tx,
            id,
            await setStatus(e.tx, id, { status: 'closed', result: e.result, closed_on: base.today() }),
          );
      },
      facts: async (tx, e) => {
        const id = requestId(e.data);
        if (!id) return {};
        const row = await tx.selectFrom('support_requests').where('id', '=', id).select('consent').executeTakeFirst();
        return { consent_given: row?.consent === 'given' };
      },
    },
  });
  return { ...base, flow };
}

/** Writes the projection; returns the status it had before (the setting is told of a change: requests-notices.ts). */
async function setStatus(
  tx: Tx,
  id: string,
  set: { status: SupportRequestStatus; result?: string; closed_on?: string },
): Promise<SupportRequestStatus | null> {
  const before = await tx.selectFrom('support_requests').where('id', '=', id).select('status').executeTakeFirst();
  await tx
    .updateTable('support_requests')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
  return before?.status ?? null;
}
