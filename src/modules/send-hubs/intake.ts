// Taking in a request for SEND support (issue 13 part 3), shared by the setting's online form, the hub's log of a
// request received by phone or email, the API and the demo: match the child to a record (or create one, never a
// duplicate of an exact match), write the request, start its send-support-request instance with the hub's owners
// and targets, and record consent arriving later. Everything runs in the caller's transaction.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { ApdrCycle, AreaOfNeed, Consent } from '../../db/schema-send-hubs.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import { insertAudit } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { insertPerson, nextCaseNumber } from '../people/repository.ts';
import type { HubCtx } from './flow.ts';

/** The child as the setting gives them. */
export interface ChildDetails {
  given_name: string;
  family_name: string;
  date_of_birth: string;
  upn: string | null;
  gender: string | null;
}

/** A checked request (the schemas in schemas-requests.ts produce it). */
export interface NewRequest {
  setting_id: string;
  child: ChildDetails;
  received_on: string;
  received_via: 'online' | 'phone' | 'email';
  contact_name: string | null;
  year_group: string | null;
  areas_of_need: AreaOfNeed[];
  apdr_cycles: ApdrCycle[];
  sen_support_since: string | null;
  plan_review_date: string | null;
  current_plan: string | null;
  asking_for: string;
  parent_views: string | null;
  consent: Consent;
  consent_on: string | null;
  /** An existing record chosen by hub staff (who may open it); otherwise the child is matched or created. */
  person_id?: string | null;
}

export interface Actor {
  id: string;
  authorityId: string;
}

/**
 * The record of the child: the one with this UPN and date of birth, or the one with exactly these names and date of
 * birth; otherwise
 * a new record. A similar but not identical record is never guessed at: the hub sees likely duplicates on the
 * request's page (docs/decisions.md).
 */
export async function matchOrCreateChild(
  tx: Tx,
  actor: Actor,
  child: ChildDetails,
): Promise<{ id: string; created: boolean }> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`send-intake:${actor.authorityId}`}))`.execute(tx);
  const base = tx.selectFrom('people').where('authority_id', '=', actor.authorityId).select('id');
  // A UPN alone never decides: a mistyped (or borrowed) UPN must not put a request on another child's record. One
  // that is another child's is not copied to a new record (UPNs are unique), so the hub sees the record as new.
  let upn = child.upn;
  if (upn) {
    const byUpn = await base.where('upn', '=', upn).select('date_of_birth').executeTakeFirst();
    if (byUpn && byUpn.date_of_birth === child.date_of_birth) return { id: byUpn.id, created: false };
    if (byUpn) upn = null;
  }
  const exact = await base
    .where('date_of_birth', '=', child.date_of_birth)
    .where(sql<boolean>`lower(trim(given_name)) = lower(trim(${child.given_name}))`)
    .where(sql<boolean>`lower(trim(family_name)) = lower(trim(${child.family_name}))`)
    .limit(2)
    .execute();
  if (exact.length === 1 && exact[0]) return { id: exact[0].id, created: false };
  const now = new Date();
  const row = await insertPerson(tx, {
    authority_id: actor.authorityId,
    case_number: await nextCaseNumber(tx, actor.authorityId),
    given_name: child.given_name,
    family_name: child.family_name,
    date_of_birth: child.date_of_birth,
    upn,
    gender: child.gender,
    created_at: now,
    updated_at: now,
  });
  await insertAudit(tx, {
    authorityId: actor.authorityId,
    actorId: actor.id,
    action: 'create',
    entity: 'person',
    entityId: row.id,
    personId: row.id,
    detail: { source: 'send_support_request' },
  });
  return { id: row.id, created: true };
}

/** The hub a setting belongs to, with the owners its requests go to. */
export async function hubOfSetting(tx: Tx, authorityId: string, settingId: string) {
  const row = await tx
    .selectFrom('settings as s')
    .innerJoin('hubs as h', 'h.id', 's.hub_id')
    .innerJoin('localities as l', 'l.id', 'h.locality_id')
    .where('s.id', '=', settingId)
    .where('s.authority_id', '=', authorityId)
    .select([
      's.id as setting_id',
      's.name as setting_name',
      's.active',
      'h.id as hub_id',
      'h.name as hub_name',
      'h.team_id as hub_team_id',
      'h.manager_user_id as hub_manager_id',
      'l.team_id as locality_team_id',
      'l.manager_user_id as locality_manager_id',
      'h.first_response_working_days',
      'h.support_start_working_days',
    ])
    .executeTakeFirst();
  if (!row) throw new NotFound('No setting with that reference.');
  return row;
}

/** The instance's owners, from the hub's set-up now. */
export function ownersOf(hub: Awaited<ReturnType<typeof hubOfSetting>>) {
  return {
    hub_team_id: hub.hub_team_id,
    hub_manager_id: hub.hub_manager_id,
    locality_team_id: hub.locality_team_id,
    locality_manager_id: hub.locality_manager_id,
  };
}

/** Writes the request and starts its route; returns its id and reference. Held (status `held`) without consent. */
export async function submitRequest(ctx: HubCtx, tx: Tx, actor: Actor, input: NewRequest) {
  const hub = await hubOfSetting(tx, actor.authorityId, input.setting_id);
  const person = input.person_id
    ? { id: input.person_id, created: false }
    : await matchOrCreateChild(tx, actor, input.child);
  if (person.created) await demoSafeTimeline(tx, actor, person.id);
  const row = await tx
    .insertInto('support_requests')
    .values({
      authority_id: actor.authorityId,
      hub_id: hub.hub_id,
      setting_id: input.setting_id,
      person_id: person.id,
      received_on: input.received_on,
      received_via: input.received_via,
      submitted_by: actor.id,
      child_name: `${input.child.given_name.trim()} ${input.child.family_name.trim()}`,
      contact_name: input.contact_name,
      year_group: input.year_group,
      areas_of_need: input.areas_of_need,
      apdr_cycles: JSON.stringify(input.apdr_cycles),
      sen_support_since: input.sen_support_since,
      plan_review_date: input.plan_review_date,
      current_plan: input.current_plan,
      asking_for: input.asking_for,
      parent_views: input.parent_views,
      consent: input.consent,
      consent_on: input.consent === 'given' ? (input.consent_on ?? input.received_on) : input.consent_on,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
  const complete = input.consent === 'given' ? input.received_on : null;
  const instanceId = await ctx.flow.start(tx, actor, person.id, {
    anchors: {
      received: input.received_on,
      ...(complete ? { complete, first_response_due: addWorkingDays(complete, hub.first_response_working_days) } : {}),
    },
    data: { request_id: row.id, ...ownersOf(hub) },
    event: {
      title: `Request for SEND support received by ${hub.hub_name} (${row.reference})`,
      detail: `From ${hub.setting_name}${input.consent === 'given' ? '' : ': held until the parent carer consents'}`,
    },
  });
  await tx.updateTable('support_requests').set({ protocol_instance_id: instanceId }).where('id', '=', row.id).execute();
  await insertAudit(tx, {
    authorityId: actor.authorityId,
    actorId: actor.id,
    action: 'support_request.received',
    entity: 'support_request',
    entityId: row.id,
    personId: person.id,
    detail: { via: input.received_via, consent: input.consent, person_created: person.created },
  });
  return { id: row.id, reference: row.reference, personId: person.id, instanceId, personCreated: person.created };
}

/** A new record made from a request gets its first timeline line. */
async function demoSafeTimeline(tx: Tx, actor: Actor, personId: string) {
  await recordChange(tx, {
    actor,
    personId,
    kind: 'record',
    title: 'Record created from a request for SEND support',
    audit: { action: 'person.created_from_request', entity: 'person', entityId: personId },
  });
}

/**
 * Consent recorded after the request arrived: the first-response clock starts now (the request is complete) and
 * the request goes to triage by itself (the protocol's consent_given fact).
 */
export async function recordConsent(
  ctx: HubCtx,
  tx: Tx,
  actor: Actor,
  requestId: string,
  consent: { given_on: string; parent_views: string | null },
) {
  const r = await tx
    .selectFrom('support_requests as r')
    .innerJoin('hubs as h', 'h.id', 'r.hub_id')
    .where('r.id', '=', requestId)
    .where('r.authority_id', '=', actor.authorityId)
    .select(['r.id', 'r.person_id', 'r.protocol_instance_id', 'r.reference', 'h.first_response_working_days'])
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw new NotFound('No request with that reference.');
  await tx
    .updateTable('support_requests')
    .set((eb) => ({
      consent: 'given',
      consent_on: consent.given_on,
      ...(consent.parent_views ? { parent_views: consent.parent_views } : {}),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', r.id)
    .execute();
  // The clock starts when the hub has the consent: today, or the date given if that is later.
  const complete = [ctx.today(), consent.given_on].sort()[1] as string;
  if (r.protocol_instance_id) {
    await ctx.flow.update(tx, r.protocol_instance_id, {
      anchors: { complete, first_response_due: addWorkingDays(complete, r.first_response_working_days) },
    });
    await ctx.flow.sync(tx, r.protocol_instance_id, actor.id);
  }
  await recordChange(tx, {
    actor,
    personId: r.person_id,
    kind: 'send',
    title: `Parent carer consent recorded for request ${r.reference}: it goes to triage`,
    audit: { action: 'support_request.consent', entity: 'support_request', entityId: r.id },
  });
}
