// The telephone advice log (issue 13 part 7). Settings and parent carers call the hub; hub staff (send-hub:work,
// scoped to the hubs they work in by requireHub) log who called (their role; the setting), the topic, the advice
// given, where they were signposted, and an optional follow-up with an owner from the hub's staff and a due date.
// A call stays anonymous (no person stored) or is linked to a young person's record the logger may open (the
// picker offers only those; a search is a POST, so no name is ever in an address); a linked call goes on the young
// person's timeline, and its page shows the name only to someone who may open the record, the read logged. The log
// never names anyone. Follow-ups are listed in their owner's My work (adviceCallWork) until marked done.
import type { Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { findRelationship } from '../access/repository.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import type { WorkSource } from '../kit/work.ts';
import { findPeople } from '../people/search.ts';
import { requireHub } from './access.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-calls.ts';
import { CALL_TOPIC_LABELS, CALLER_TYPE_LABELS, type CallFilterInput, type CallInput } from './schemas-calls.ts';

/** The log shows at most this many calls (the counts cover every call the filter matches). */
export const LOG_LIMIT = 200;
/** At most this many young people are offered whole; more and the form asks for a search. */
const SHORT_LIST = 25;
const MATCHES = 20;

export type Channel = 'page' | 'api';

/** The hub's log with its filters applied, and the counts by topic and by caller type (every key, zeros too). */
export async function callLog(ctx: HubCtx, user: AuthUser, hubId: string, filter: CallFilterInput) {
  const hub = await requireHub(ctx.db, user, hubId);
  const f = { month: filter.month ?? null, topic: filter.topic ?? null, caller_type: filter.caller_type ?? null };
  const [calls, counts] = await Promise.all([
    repo.listCalls(ctx.db, hubId, f, LOG_LIMIT),
    repo.countCalls(ctx.db, hubId, f),
  ]);
  const byTopic = Object.entries(CALL_TOPIC_LABELS).map(([key, label]) => ({
    key,
    label,
    count: counts.byTopic.get(key) ?? 0,
  }));
  const byCaller = Object.entries(CALLER_TYPE_LABELS).map(([key, label]) => ({
    key,
    label,
    count: counts.byCaller.get(key) ?? 0,
  }));
  const total = byTopic.reduce((a, b) => a + b.count, 0);
  return { hub, filter: f, calls, byTopic, byCaller, total, shown: calls.length };
}

/** Who the form offers to link: the young people the user may open, all of them when few, else a search's
 *  matches; `chosen` is kept when the user may open that record. */
export async function personPicker(ctx: HubCtx, user: AuthUser, query = '', chosen: string | null = null) {
  const q = query.trim().slice(0, 100);
  const today = ctx.today();
  const look = (c: { name?: string; caseNumber?: string }, size: number) =>
    findPeople(ctx.db, user, c, { today, sort: 'name', page: 1, pageSize: size });
  const all = await look({}, SHORT_LIST);
  const searching = all.total > SHORT_LIST;
  let rows = searching ? [] : all.rows;
  let more = false;
  if (searching && q) {
    const byCase = await look({ caseNumber: q }, 1);
    const byName = byCase.rows.length ? byCase : await look({ name: q }, MATCHES + 1);
    rows = byName.rows.slice(0, MATCHES);
    more = byName.rows.length > MATCHES;
  }
  const options = rows.map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}`, caseNumber: p.case_number }));
  if (chosen && !options.some((o) => o.id === chosen)) {
    const rel = await findRelationship(ctx.db, user, chosen, ctx.now());
    if (rel.related) {
      const p = await repo.callPerson(ctx.db, chosen);
      options.unshift({ id: p.id, name: `${p.given_name} ${p.family_name}`, caseNumber: p.case_number });
    }
  }
  return { options, searching, query: q, total: all.total, more };
}
export type CallPersonPicker = Awaited<ReturnType<typeof personPicker>>;

/** What the new-call form needs besides the picker: the hub, its settings and its staff. */
export async function callFormChoices(ctx: HubCtx, user: AuthUser, hubId: string) {
  const hub = await requireHub(ctx.db, user, hubId);
  const [settings, staff] = await Promise.all([repo.hubSettings(ctx.db, hubId), repo.hubStaff(ctx.db, hubId)]);
  return { hub, settings, staff };
}

/** Logs a call in one transaction: the setting must be one of the hub's, the follow-up's owner one of its staff, the
 *  young person one whose record the user may open. Returns the call's id. */
export function logCall(ctx: HubCtx, user: AuthUser, hubId: string, input: CallInput): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    await requireHub(tx, user, hubId);
    const errors: Record<string, string> = {};
    if (input.setting_id) {
      const settings = await repo.hubSettings(tx, hubId);
      if (!settings.some((s) => s.id === input.setting_id))
        errors.setting_id = "Choose the setting from the hub's settings, or leave it out";
    }
    if (input.follow_up_owner_id) {
      const staff = await repo.hubStaff(tx, hubId);
      if (!staff.some((s) => s.id === input.follow_up_owner_id))
        errors.follow_up_owner_id = "Choose the owner of the follow-up from the hub's staff";
    }
    if (input.person_id) {
      const rel = await findRelationship(tx, user, input.person_id, ctx.now());
      if (!rel.related)
        errors.person_id = 'Choose a young person whose record you may open, or keep the call anonymous';
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const id = await repo.insertCall(tx, {
      authority_id: user.authorityId,
      hub_id: hubId,
      called_on: input.called_on,
      caller_type: input.caller_type,
      setting_id: input.setting_id,
      topic: input.topic,
      advice: input.advice,
      signposted_to: input.signposted_to,
      follow_up: input.follow_up,
      follow_up_owner_id: input.follow_up ? input.follow_up_owner_id : null,
      follow_up_due: input.follow_up ? input.follow_up_due : null,
      person_id: input.person_id,
      recorded_by: user.id,
    });
    const title = `SEND hub advice call (${CALLER_TYPE_LABELS[input.caller_type].toLowerCase()}): ${CALL_TOPIC_LABELS[input.topic].toLowerCase()}`;
    await changed(tx, user, input.person_id, id, 'create', title);
    return id;
  });
}

/** One call of the hub. A linked young person is named only to someone who may open their record (the read logged
 *  in this transaction); to anyone else the call says only that it is linked. */
export function showCall(ctx: HubCtx, user: AuthUser, hubId: string, callId: string, channel: Channel) {
  return ctx.db.transaction().execute(async (tx) => {
    const hub = await requireHub(tx, user, hubId);
    const call = await repo.findCall(tx, hubId, callId);
    if (!call) throw new NotFound('No advice call with that reference.');
    let person: { id: string; name: string; caseNumber: string } | null = null;
    if (call.person_id) {
      const rel = await findRelationship(tx, user, call.person_id, ctx.now());
      if (rel.related || rel.breakGlassId) {
        const p = await repo.callPerson(tx, call.person_id);
        person = { id: p.id, name: `${p.given_name} ${p.family_name}`, caseNumber: p.case_number };
        await logRead(
          tx,
          user,
          { personId: p.id, breakGlassId: rel.related ? null : rel.breakGlassId },
          channel,
          'send-hub advice call',
        );
      }
    }
    return { hub, call, linked: call.person_id !== null, person };
  });
}

/** Marks the call's follow-up done (any of the hub's staff); a second time changes nothing. */
export function followUpDone(ctx: HubCtx, user: AuthUser, hubId: string, callId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    await requireHub(tx, user, hubId);
    const call = await repo.findCall(tx, hubId, callId, true);
    if (!call) throw new NotFound('No advice call with that reference.');
    if (!call.follow_up) throw new ValidationError({ follow_up: 'This call has no follow-up to mark done' });
    if (call.follow_up_done_on) return;
    await repo.markFollowUpDone(tx, callId, ctx.today());
    await changed(tx, user, call.person_id, callId, 'follow-up-done', 'SEND hub advice call: follow-up done');
  });
}

/** A linked call's changes go on the young person's timeline (and the audit); an anonymous call's on the audit only. */
async function changed(tx: Tx, user: AuthUser, personId: string | null, id: string, action: string, title: string) {
  const audit = { action, entity: 'advice_call', entityId: id };
  if (personId) await recordChange(tx, { actor: user, personId, kind: 'record', title, audit });
  else await auditBy(tx, user, { ...audit, personId: null, detail: {} });
}

/** My work: the follow-ups of advice calls the viewer owns, not yet done. No name: My work shows one only to
 *  whoever may open the record (personId), else the case number, or the hub's name for an anonymous call. */
export const adviceCallWork: WorkSource = {
  kind: 'advice_call',
  label: 'Advice call follow-up',
  async list(db, viewer, { limit }) {
    const rows = await repo.openFollowUpsOf(db, viewer.authorityId, viewer.id, limit);
    return rows.map((r) => ({
      key: `advice_call:${r.id}`,
      kind: 'advice_call',
      what: `Follow up an advice call (${CALL_TOPIC_LABELS[r.topic].toLowerCase()})`,
      personId: r.person_id,
      reference: r.case_number ?? `${r.hub_name} advice line`,
      due: r.follow_up_due,
      link: `/hubs/${r.hub_id}/calls/${r.id}`,
      scope: 'mine' as const,
    }));
  },
};
