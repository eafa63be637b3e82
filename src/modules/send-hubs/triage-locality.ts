// Further SEND Support (issue 13 part 4): the locality team answers a hub's referral. Accepting allocates a worker
// of the locality team on the young person's record (an involvement of the team, through the people module, so
// nobody is left unallocated) and ends the request as further_support; returning sends it back to the hub's triage
// with a reason and a new first-response date. Only members of the locality team and the locality manager answer.
import { addWorkingDays } from '../../domain/calendar.ts';
import { Forbidden } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { addIn as addInvolvement } from '../people/involvements.ts';
import { type HubRow, requireHub } from './access.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-triage.ts';
import type { LocalityInput } from './schemas-triage.ts';
import { type Channel, requireStep } from './triage.ts';
import { notifySetting } from './triage-notify.ts';

/** Whether the user may answer for the locality team: a member of it, or the locality's manager. */
export function speaksForLocality(user: AuthUser, hub: HubRow): boolean {
  return (
    (hub.locality_team_id !== null && user.teamIds.includes(hub.locality_team_id)) ||
    hub.locality_manager_id === user.id
  );
}

function refuse(): never {
  throw new Forbidden('Only the locality team or the locality manager can answer a referral for Further SEND Support.');
}

/** The locality page: the request, where it is, and the team's workers (the read logged). */
export async function localityPage(ctx: HubCtx, user: AuthUser, hubId: string, requestId: string, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    if (!speaksForLocality(user, hub)) refuse();
    const request = await repo.requestOfHub(tx, hub.id, requestId);
    await logRead(tx, user, { personId: request.person_id, breakGlassId: null }, channel, 'send-hub-locality');
    const state = request.protocol_instance_id ? await ctx.flow.state(tx, request.protocol_instance_id) : null;
    return {
      hub,
      request,
      state,
      waiting: state?.step === 'locality',
      workers: await repo.membersOf(tx, [hub.locality_team_id]),
    };
  });
}

export async function answerReferral(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  x: LocalityInput,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    if (!speaksForLocality(user, hub)) refuse();
    await repo.lockRequest(tx, requestId);
    const r = await repo.requestOfHub(tx, hub.id, requestId);
    await requireStep(ctx, tx, r.protocol_instance_id, ['locality'], 'with the locality team');
    const instanceId = r.protocol_instance_id as string;
    const teamId = hub.locality_team_id as string;
    if (x.decision === 'accept') {
      const workers = await repo.membersOf(tx, [teamId]);
      const worker = workers.find((w) => w.id === x.worker_id);
      if (!worker) throw new ValidationError({ worker_id: 'Choose a worker who is a member of the locality team' });
      await allocate(ctx, tx, user, r, teamId, worker);
      await ctx.flow.advance(tx, instanceId, 'accepted', user.id, { at: ['locality'] });
    } else {
      await ctx.flow.update(tx, instanceId, {
        anchors: { first_response_due: addWorkingDays(ctx.today(), hub.first_response_working_days) },
      });
      await ctx.flow.advance(tx, instanceId, 'returned', user.id, { at: ['locality'] });
    }
    await tx
      .updateTable('support_requests')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', r.id)
      .execute();
    await recordChange(tx, {
      actor: user,
      personId: r.person_id,
      kind: 'send',
      title:
        x.decision === 'accept'
          ? `Further SEND Support accepted by ${hub.locality_name}'s locality team (request ${r.reference})`
          : `Referral for Further SEND Support returned to the hub's triage (request ${r.reference})`,
      detail: x.decision === 'accept' ? null : `Reason: ${x.reason}`,
      audit: {
        action: x.decision === 'accept' ? 'support_request.locality_accepted' : 'support_request.locality_returned',
        entity: 'support_request',
        entityId: r.id,
        detail: { worker_id: x.decision === 'accept' ? x.worker_id : null },
      },
    });
    if (x.decision === 'accept')
      await notifySetting(ctx, tx, r, `Further SEND Support accepted by the locality team for request ${r.reference}`);
  });
}

/** The locality team's involvement with the worker: a new one, or the worker on its open one if it has none. */
async function allocate(
  ctx: HubCtx,
  tx: Parameters<typeof repo.openInvolvement>[0],
  user: AuthUser,
  r: repo.HubRequest,
  teamId: string,
  worker: { id: string; display_name: string },
) {
  const open = await repo.openInvolvement(tx, r.person_id, teamId);
  if (!open) {
    await addInvolvement(tx, user, r.person_id, {
      team_id: teamId,
      worker_id: worker.id,
      reason: `Further SEND Support (request ${r.reference})`,
      start_date: ctx.today(),
    });
    return;
  }
  if (open.worker_id) return;
  await repo.setWorker(tx, open.id, worker.id, open.version);
  await recordChange(tx, {
    actor: user,
    personId: r.person_id,
    kind: 'allocation',
    title: `Allocated to ${worker.display_name}`,
    detail: `Further SEND Support (request ${r.reference})`,
    audit: { action: 'allocate', entity: 'involvement', entityId: open.id, detail: { from: null, to: worker.id } },
  });
}
