// What every part of the EHCP module works with: its dependencies, form checks, and the reads and writes of an
// assessment that run inside another transaction (the person, the locked assessment, the timeline event).
import type { Config } from '../../config.ts';
import type { Db, Executor, Tx } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { type Body, dateInput, isRealDate, text } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { insertAccess } from '../audit/repository.ts';
import { insertEvent } from '../people/repository.ts';
import type { EhcpFlows } from './flows.ts';
import * as repo from './repository.ts';

export interface EhcpDeps {
  db: Db;
  config: Config;
  now: () => Date;
  /** The module's workflows on the protocol engine (flows.ts). */
  flows: EhcpFlows;
}

export function todayOf(d: EhcpDeps): string {
  return londonToday(d.now());
}

export function requireDate(
  body: Body,
  field: string,
  label: string,
  errors: Record<string, string>,
  opts: { notAfter?: string; notBefore?: string } = {},
) {
  const v = dateInput(body, field).value;
  if (!v) errors[field] = `Enter the ${label}`;
  else if (!isRealDate(v)) errors[field] = `The ${label} must be a real date, for example 21 12 2026`;
  else if (opts.notAfter && v > opts.notAfter) errors[field] = `The ${label} must be today or in the past`;
  else if (opts.notBefore && v < opts.notBefore) errors[field] = `The ${label} must be on or after ${opts.notBefore}`;
  else return v;
  return '';
}

export function longText(
  body: Body,
  field: string,
  label: string,
  errors: Record<string, string>,
  required: boolean,
  max = 20000,
) {
  const v = text(body, field);
  if (!v && required) errors[field] = `Enter ${label}`;
  else if (v.length > max)
    errors[field] = `${label[0]?.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`;
  return v;
}

export function checkVersion(body: Body, current: number) {
  const v = body.version;
  if (v === undefined || v === null || v === '') return;
  if (Number(v) !== current)
    throw new Conflict(
      'Someone else changed this assessment while you were looking at it. Reload the page and try again.',
    );
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

export async function lockedAssessment(tx: Tx, user: AuthUser, personId: string, assessmentId: string, body: Body) {
  await loadAssessment(tx, user, personId, assessmentId);
  const a = (await repo.lockAssessment(tx, assessmentId))!;
  checkVersion(body, a.version);
  return a;
}

export async function ehcpEvent(
  tx: Tx,
  user: AuthUser | null,
  personId: string,
  title: string,
  detail: string | null,
  authorityId?: string,
) {
  await insertEvent(tx, {
    authority_id: authorityId ?? (user as AuthUser).authorityId,
    person_id: personId,
    kind: 'ehcp',
    title,
    detail,
    actor_id: user?.id ?? null,
  });
}

/** Marks the assessment changed, so a form opened before this change is refused (checkVersion). */
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
  await insertAccess(tx, {
    authorityId: user.authorityId,
    personId: access.personId,
    userId: user.id,
    channel,
    purpose: access.breakGlassId ? 'break-glass' : purpose,
    breakGlassId: access.breakGlassId,
  });
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
