// SEND hubs (issue 13 parts 2 and 3): the request for support from the setting's side. A setting's organisation
// account submits the request (online), sees its settings' requests with their status and what is missing, and
// records the parent carer's consent; it never sees the young person's record or the hub's notes. The hub's side
// is requests-hub.ts; both read the same input (readRequest) and write through intake.ts.
import type { Tx } from '../../db/database.ts';
import type { SupportRequestStatus } from '../../db/schema-send-hubs.ts';
import { NotFound } from '../../http/errors.ts';
import { type Body, type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { AuthUser, SettingAccess } from '../../http/types.ts';
import type { HubCtx } from './flow.ts';
import { type NewRequest, recordConsent, submitRequest } from './intake.ts';
import * as repo from './repository-requests.ts';
import { RESULT_WORDS } from './requests-notices.ts';
import { ConsentInput, RequestInput, readCycles } from './schemas-requests.ts';

/** Where a request is, as the setting reads it. */
export const STATUS_WORDS: Record<SupportRequestStatus, string> = {
  held: 'Held: not yet with the hub',
  waiting: 'Waiting for the hub’s triage',
  more_info: 'The hub needs more information',
  starting: 'Accepted: First SEND Support starting',
  in_support: 'First SEND Support in place',
  with_locality: 'With the locality team (Further SEND Support)',
  closed: 'Closed',
};

/** The triage outcome, as the setting reads it. */
export const OUTCOME_WORDS: Record<string, string> = {
  advice: 'Advice and signposting',
  first_support: 'First SEND Support from the hub',
  further_support: 'Further SEND Support: referred to the locality team',
  ehc_assessment: 'Request for an EHC needs assessment',
  more_info: 'More information needed',
  declined: 'The hub could not take it on and suggested an alternative',
  withdrawn: 'Withdrawn',
};

/** What the next step is and by when, from the open step's due date. */
const NEXT_STEP: Record<SupportRequestStatus, string | null> = {
  held: null,
  waiting: 'Triage by',
  more_info: 'The hub asks for the information by',
  starting: 'Support to start by',
  in_support: 'Next review by',
  with_locality: 'The locality team responds by',
  closed: null,
};

/** What is missing, in words (the setting's list and page show it). */
export function missingOf(r: { status: string; consent: string }): string | null {
  if (r.status === 'held' && r.consent === 'refused') return 'Parent carer consent refused';
  if (r.status === 'held') return 'Parent carer consent missing';
  if (r.status === 'more_info') return 'More information asked for by the hub';
  return null;
}

/** The status in plain words (a closed request says how it ended). */
export function statusWords(r: { status: SupportRequestStatus; result: string | null }): string {
  if (r.status === 'closed' && r.result) {
    const why = RESULT_WORDS[r.result];
    return why ? `Closed: ${why}` : 'Closed';
  }
  return STATUS_WORDS[r.status];
}

/** Who is submitting: a setting's account online, or hub staff logging a phone or email request. */
export type Submitter = { kind: 'setting'; settingIds: string[] } | { kind: 'hub'; settingIds: string[] };

/**
 * Reads the request (form or API body): every message at once, each naming the field and the fix. A setting's
 * account sends it online, today; hub staff say how and when it came.
 */
export function readRequest(body: Body, today: string, by: Submitter): NewRequest {
  const { input: v, errors } = RequestInput.read(body, { today });
  const cycles = readCycles(body, today);
  const e: FieldErrors = { ...errors, ...cycles.errors };
  let settingId = v.setting_id ?? null;
  if (!settingId && !e.setting_id && by.settingIds.length === 1) settingId = by.settingIds[0] ?? null;
  if (!e.setting_id && !settingId) e.setting_id = 'Choose the setting making the request';
  else if (settingId && !by.settingIds.includes(settingId))
    e.setting_id = by.kind === 'setting' ? 'Choose one of your settings' : 'Choose one of the settings this hub serves';
  if (by.kind === 'hub' && !v.received_via && !e.received_via)
    e.received_via = 'Choose whether the request came by phone or email';
  if (Object.keys(e).length) throw new ValidationError(e);
  const consent = v.consent as NonNullable<typeof v.consent>;
  return {
    setting_id: settingId as string,
    child: {
      given_name: v.given_name as string,
      family_name: v.family_name as string,
      date_of_birth: v.date_of_birth as string,
      upn: v.upn ?? null,
      gender: null,
    },
    received_on: by.kind === 'hub' ? (v.received_on ?? today) : today,
    received_via: by.kind === 'hub' ? (v.received_via ?? 'phone') : 'online',
    contact_name: v.contact_name ?? null,
    year_group: v.year_group ?? null,
    areas_of_need: v.areas_of_need ?? [],
    apdr_cycles: cycles.cycles,
    sen_support_since: v.sen_support_since ?? null,
    plan_review_date: v.plan_review_date ?? null,
    current_plan: v.current_plan ?? null,
    asking_for: v.asking_for as string,
    parent_views: v.parent_views ?? null,
    consent,
    consent_on: consent === 'given' ? (v.consent_on ?? null) : null,
  };
}

const actorOf = (user: AuthUser) => ({ id: user.id, authorityId: user.authorityId });

/** The settings the user holds accounts of (for the form's choice). */
export function mySettings(ctx: HubCtx, user: AuthUser) {
  return repo.settingsOfUser(ctx.db, user);
}

/** A setting's account submits a request; held (and the setting told) without consent. */
export async function submitAsSetting(ctx: HubCtx, user: AuthUser, body: Body) {
  const settings = await repo.settingsOfUser(ctx.db, user);
  const input = readRequest(body, ctx.today(), { kind: 'setting', settingIds: settings.map((s) => s.id) });
  return ctx.db.transaction().execute(async (tx) => {
    const r = await submitRequest(ctx, tx, actorOf(user), input);
    return { id: r.id, reference: r.reference, held: input.consent !== 'given' };
  });
}

/** The /setting page: each of the user's settings with its requests, status and what is missing. */
export async function settingHome(ctx: HubCtx, user: AuthUser) {
  const settings = await repo.settingsOfUser(ctx.db, user);
  const rows = await repo.requestsOfSettings(
    ctx.db,
    user.authorityId,
    settings.map((s) => s.id),
  );
  return {
    settings: settings.map((s) => ({
      ...s,
      requests: rows.filter((r) => r.setting_id === s.id).map((r) => settingLine(r)),
    })),
  };
}

function settingLine(r: Omit<repo.SettingRequestRow, 'setting_name'>) {
  return {
    id: r.id,
    reference: r.reference,
    child_name: r.child_name,
    received_on: r.received_on,
    status: r.status,
    status_words: statusWords(r),
    missing: missingOf(r),
  };
}

/** One request as its setting sees it: status only, never the record or the hub's notes. */
export async function settingStatus(ctx: HubCtx, access: SettingAccess) {
  const r = await repo.settingRequest(ctx.db, access.requestId, access.settingId);
  if (!r) throw new NotFound('No request with that reference.');
  const state = r.protocol_instance_id ? await ctx.flow.state(ctx.db, r.protocol_instance_id) : null;
  const label = NEXT_STEP[r.status];
  return {
    ...settingLine(r),
    setting_name: r.setting_name,
    consent: r.consent,
    outcome: r.outcome,
    outcome_words: r.outcome ? (OUTCOME_WORDS[r.outcome] ?? null) : null,
    closed_on: r.closed_on,
    next_step: label && state?.due ? { label, due: state.due } : null,
    can_record_consent: r.status === 'held',
  };
}
export type SettingStatus = Awaited<ReturnType<typeof settingStatus>>;

/** Consent recorded (by the setting or the hub): the request goes to triage by itself. */
export async function consentTo(ctx: HubCtx, tx: Tx, user: AuthUser, requestId: string, body: Body) {
  const input = ConsentInput.parse(body, { today: ctx.today() });
  const r = await repo.lockRequest(tx, user.authorityId, requestId);
  if (!r) throw new NotFound('No request with that reference.');
  if (r.status !== 'held')
    throw new ValidationError({ consent_on: 'Consent is already recorded for this request: it is with the hub' });
  await recordConsent(ctx, tx, actorOf(user), requestId, {
    given_on: input.consent_on,
    parent_views: input.parent_views,
  });
}

/** The setting records consent on its own request. */
export function consentBySetting(ctx: HubCtx, user: AuthUser, access: SettingAccess, body: Body) {
  return ctx.db.transaction().execute((tx) => consentTo(ctx, tx, user, access.requestId, body));
}
