// SEND hubs (issue 13 parts 4 and 5): the hand-on to the statutory route. A triage outcome or a Navigator's review
// that requests an EHC needs assessment starts the EHCP module's assessment (its ehc-needs-assessment instance,
// with the chosen coordinator) in the hub's own transaction, requested by the setting, and attaches the hub's
// evidence as a case note on the record: the request, the graduated response (its assess-plan-do-review cycles)
// and the hub's decision.
import type { Tx } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import type { AssessmentRequestInput } from '../ehcp/schemas.ts';
import { insertNote, insertVersion } from '../notes/repository.ts';
import type { ActionInput } from '../transitions/schemas.ts';
import type { HubCtx } from './flow.ts';
import { coordinatorsOf, type HubRequest } from './repository-triage.ts';

/** What the hub's triage and Navigator need from other modules, given by the routes (app.services). */
export interface TriageDeps {
  /** Starts an EHC needs assessment in the caller's transaction (EhcpService.createIn). */
  startEhc(
    tx: Tx,
    actor: { id: string; authorityId: string },
    personId: string,
    x: AssessmentRequestInput,
    coordinatorId: string,
  ): Promise<string>;
  /** Adds an owned, chased action to the young person's plan (TransitionsService.insertAction). */
  insertAction(tx: Tx, user: AuthUser, personId: string, input: ActionInput, source: string): Promise<string>;
}

/** The time of day in London, HH:MM, for the evidence note. */
function londonTime(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(at);
}

export async function startEhcAssessment(
  ctx: HubCtx,
  deps: TriageDeps,
  tx: Tx,
  user: AuthUser,
  r: HubRequest,
  coordinatorId: string,
  from: 'triage' | 'review',
): Promise<string> {
  const coordinators = await coordinatorsOf(tx, user.authorityId);
  if (!coordinators.some((c) => c.id === coordinatorId))
    throw new ValidationError({ coordinator_id: 'Choose an EHCP coordinator from the list' });
  const today = ctx.today();
  const id = await deps.startEhc(
    tx,
    user,
    r.person_id,
    { request_date: today, requested_by: 'school', requester_detail: `${r.setting_name} (${r.reference})` },
    coordinatorId,
  );
  const at = ctx.now();
  const noteId = await insertNote(tx, { authorityId: user.authorityId, personId: r.person_id, userId: user.id, at });
  await insertVersion(tx, {
    authorityId: user.authorityId,
    personId: r.person_id,
    noteId,
    version: 1,
    reason: null,
    userId: user.id,
    at,
    note_type: 'meeting',
    contact_date: londonToday(at),
    contact_time: londonTime(at),
    present: from === 'triage' ? 'The hub’s multi-agency triage' : 'The Navigator’s review of First SEND Support',
    what_happened: evidence(r, from),
    voice: r.parent_views,
    significant: true,
    summary: `EHC needs assessment requested by the SEND hub (${r.reference})`,
  });
  return id;
}

/** The hub's evidence for the assessment: what the setting asked, the graduated response and the hub's decision. */
function evidence(r: HubRequest, from: 'triage' | 'review'): string {
  const cycles = (r.apdr_cycles ?? []).map(
    (c, i) =>
      `Cycle ${i + 1} (${c.from} to ${c.to}). Assess: ${c.assess}. Plan: ${c.plan}. Do: ${c.do}. Review: ${c.review}.`,
  );
  return [
    `Request for SEND support ${r.reference} from ${r.setting_name}, received ${r.received_on}.`,
    `Areas of need: ${r.areas_of_need.join(', ').replace(/_/g, ' ')}.`,
    r.sen_support_since ? `On SEN support since ${r.sen_support_since}.` : null,
    r.current_plan ? `Current SEN support plan: ${r.current_plan}` : null,
    `The setting asked for: ${r.asking_for}`,
    'The graduated response so far:',
    ...cycles,
    from === 'triage'
      ? 'The hub’s multi-agency triage decided to request an EHC needs assessment.'
      : 'The Navigator’s review of First SEND Support decided to request an EHC needs assessment.',
  ]
    .filter((l): l is string => Boolean(l))
    .join('\n');
}
