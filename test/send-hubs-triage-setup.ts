// What the triage tests share (issue 13 parts 4, 5, 6): the SEND hubs set-up (send-hubs-setup.ts) on Monday
// 23 November 2026, an API call helper, recording an outcome, a request's row and a protocol instance's open step,
// hub 1's services and both hubs with their locality teams.
import { hubsSetup } from './send-hubs-setup.ts';

export const TODAY = '2026-11-23';
export type Headers = Record<string, string>;

export async function triageSetup(label: string) {
  const s = await hubsSetup(label);
  async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: object) {
    const res = await s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return {
      status: res.statusCode,
      body: res.json() as Record<string, unknown> & { fields?: Record<string, string> },
    };
  }
  const outcome = (id: string, body: object, who: Headers = s.api.hubManager) =>
    call('POST', `/api/v1/send/requests/${id}/outcome`, who, body);
  async function row(id: string) {
    return s.db.selectFrom('support_requests').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
  }
  async function openStep(instanceId: string) {
    return s.db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .select(['id', 'step_key', 'due_date', 'owner_team_id', 'owner_user_id'])
      .executeTakeFirst();
  }
  const services = await s.db.selectFrom('hub_services').where('hub_id', '=', s.hub1).select('id').execute();
  const hubs = await s.db
    .selectFrom('hubs as h')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('h.id', 'in', [s.hub1, s.hub2])
    .select(['h.id', 'h.team_id', 'l.team_id as locality_team_id'])
    .execute();
  const hub1 = hubs.find((h) => h.id === s.hub1)!;
  const hub2 = hubs.find((h) => h.id === s.hub2)!;
  return { s, call, outcome, row, openStep, services, hub1, hub2 };
}
