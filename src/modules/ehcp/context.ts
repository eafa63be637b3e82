// What every part of the EHCP module works with: the module kit's context with the module's three workflows, and
// the reads and writes of an assessment that run inside another transaction (the person, the locked assessment,
// a change recorded on the timeline and in the audit).
import type { Executor, Tx } from '../../db/database.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { logRead } from '../audit/repository.ts';
import type { ModuleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import type { EhcpFlows } from './flows.ts';
import * as repo from './repository.ts';

/** The module kit's context (db, config, clock, London today, the engine) and the module's workflows (flows.ts). */
export interface EhcpDeps extends ModuleContext {
  readonly flows: EhcpFlows;
}

export async function findPerson(db: Executor, authorityId: string, personId: string) {
  const p = await db
    .selectFrom('people')
    .where('id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'case_number', 'given_name', 'family_name', 'preferred_name', 'date_of_birth', 'school'])
    .executeTakeFirst();
  if (!p) throw new NotFound('No record with that reference.');
  return p;
}

export async function loadAssessment(db: Executor, user: AuthUser, personId: string, assessmentId: string) {
  const a = await repo.findAssessment(db, user.authorityId, personId, assessmentId);
  if (!a) throw new NotFound('No EHC needs assessment with that reference on this record.');
  return a;
}

/**
 * The assessment, locked for a change. `version`: the one the form was opened on (null: not checked); if someone
 * has changed the assessment since, the change is refused.
 */
export async function lockedAssessment(
  tx: Tx,
  user: AuthUser,
  personId: string,
  assessmentId: string,
  version: number | null,
) {
  await loadAssessment(tx, user, personId, assessmentId);
  const a = (await repo.lockAssessment(tx, assessmentId))!;
  if (version !== null && version !== a.version)
    throw new Conflict(
      'Someone else changed this assessment while you were looking at it. Reload the page and try again.',
    );
  return a;
}

/** An EHCP change: a line on the young person's timeline and its audit row (kit/record.ts). */
export function ehcpChange(
  tx: Tx,
  actor: { id: string | null; authorityId: string },
  personId: string,
  [title, detail]: [string, string | null],
  audit: { action: string; entity: string; entityId: string; detail?: Record<string, unknown> },
) {
  return recordChange(tx, { actor, personId, kind: 'ehcp', title, detail, audit });
}

/** Marks the assessment changed, so a form opened before this change is refused (lockedAssessment). */
export async function bumpAssessment(d: EhcpDeps, tx: Tx, assessmentId: string) {
  await tx
    .updateTable('ehcp_assessments')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: d.now() }))
    .where('id', '=', assessmentId)
    .execute();
}

/** Logs a read of the person's record in the caller's transaction (quality.md S6). */
export async function logPersonRead(
  tx: Tx,
  user: AuthUser,
  access: PersonAccess,
  channel: 'page' | 'api',
  purpose: string,
) {
  await logRead(tx, user, access, channel, purpose);
}

/** The active line manager of an advice giver, who is copied into their emails. */
export async function activeLineManager(tx: Executor, lineManagerId: string | null) {
  return lineManagerId
    ? tx
        .selectFrom('users')
        .where('id', '=', lineManagerId)
        .where('active', '=', true)
        .select(['id', 'email', 'display_name'])
        .executeTakeFirst()
    : undefined;
}

/**
 * An assessment whose plan is written in Handover (the ehc-plans module) is served and finalised from the plan's
 * pages, which call serveDraftIn / issueFinalIn in their own transaction: one path, so the plan's frozen version
 * and the assessment's protocol never disagree.
 */
export async function refuseWhenPlanned(tx: Tx, assessmentId: string, field: string, what: string) {
  const plan = await tx
    .selectFrom('ehc_plans')
    .where('assessment_id', '=', assessmentId)
    .where('status', '!=', 'withdrawn')
    .select('id')
    .executeTakeFirst();
  if (plan)
    throw new ValidationError({ [field]: `This assessment has an EHC plan in Handover: ${what} from the plan’s page` });
}
