// Completing a transfer to another authority on this installation: the receiving authority gets its own record of
// the child (a copy, with the whole history) and its worker is allocated on it; in the same transaction the sending
// record is closed as transferred out (its involvement and open statuses end), so the sending worker holds the case
// until the receiving worker is allocated. The sharing and the audit are recorded in both authorities.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { identifierTaken, insertEvent, nextCaseNumber } from '../people/repository.ts';
import { ACROSS_BASIS } from './across.ts';
import { type Ctx, endInvolvement, type Loaded, touch } from './context.ts';
import { writeNotices } from './notices.ts';
import { involvementHistory } from './pack.ts';

type Person = { id: string; case_number: string; nhs_number: string | null; upn: string | null };

/** The child's record in the receiving authority: a copy, without an identifier another record there has. */
async function copyPerson(tx: Tx, personId: string, to: string) {
  const p = await tx.selectFrom('people').where('id', '=', personId).selectAll().executeTakeFirstOrThrow();
  const clash = {
    nhs: p.nhs_number ? await identifierTaken(tx, to, 'nhs_number', p.nhs_number) : false,
    upn: p.upn ? await identifierTaken(tx, to, 'upn', p.upn) : false,
  };
  const copy = await tx
    .insertInto('people')
    .values({
      authority_id: to,
      case_number: await nextCaseNumber(tx, to),
      given_name: p.given_name,
      family_name: p.family_name,
      preferred_name: p.preferred_name,
      date_of_birth: p.date_of_birth,
      gender: p.gender,
      nhs_number: clash.nhs ? null : p.nhs_number,
      upn: clash.upn ? null : p.upn,
      // SEN2's reason a UPN is not known travels with a record that has no UPN (a table check: never both).
      upn_unknown: p.upn ? null : p.upn_unknown,
      address: p.address,
      postcode: p.postcode,
      school: p.school,
      locality_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { p, copyId: copy.id, clash };
}

/** Copies the statuses, contacts, assessments, case notes and timeline of `p` onto the copy, each marked as from `fromName`. */
async function copyHistory(
  tx: Tx,
  p: Person,
  c: { to: string; copyId: string; involvementId: string },
  fromName: string,
  today: string,
) {
  const { to, copyId } = c;
  await sql`INSERT INTO person_statuses (authority_id, person_id, status, start_date, end_date)
    SELECT ${to}::uuid, ${copyId}::uuid, status, start_date, end_date FROM person_statuses WHERE person_id = ${p.id}`.execute(
    tx,
  );
  await sql`INSERT INTO contacts (authority_id, person_id, name, relationship, phone, email, address, parental_responsibility)
    SELECT ${to}::uuid, ${copyId}::uuid, name, relationship, phone, email, address, parental_responsibility
    FROM contacts WHERE person_id = ${p.id}`.execute(tx);
  await sql`INSERT INTO assessments (authority_id, person_id, involvement_id, kind, completed_on, summary)
    SELECT ${to}::uuid, ${copyId}::uuid, ${c.involvementId}::uuid, kind || ' (' || ${fromName}::text || ')', completed_on, summary
    FROM assessments WHERE person_id = ${p.id}`.execute(tx);
  await copyNotes(tx, p.id, to, copyId);
  const note = `(from the ${fromName} record)`;
  await sql`INSERT INTO events (authority_id, person_id, at, kind, title, detail, actor_id)
    SELECT ${to}::uuid, ${copyId}::uuid, at, kind, title,
      CASE WHEN coalesce(detail, '') = '' THEN ${note}::text ELSE detail || ' ' || ${note}::text END, NULL
    FROM events WHERE person_id = ${p.id} ORDER BY at, id`.execute(tx);
  const involvements = await involvementHistory(tx, p.id);
  if (involvements.length)
    await tx
      .insertInto('events')
      .values(
        involvements.map((i) => ({
          authority_id: to,
          person_id: copyId,
          at: new Date(`${i.start_date}T00:00:00Z`),
          kind: 'involvement',
          title: `${fromName}: ${i.team} involved`,
          detail: `${i.worker ?? 'Unallocated'}; ${i.reason}; ${i.start_date} to ${i.end_date ?? today}`,
          actor_id: null,
        })),
      )
      .execute();
}

/**
 * The case notes move with the case, every version as it was written (corrections and their reasons included), so
 * the receiving council reads the same history; who wrote each stays named. Drafts stay with their writers.
 */
async function copyNotes(tx: Tx, personId: string, to: string, copyId: string) {
  await sql`WITH src AS (
      SELECT id, version, created_by, created_at, gen_random_uuid() AS new_id FROM case_notes WHERE person_id = ${personId}
    ), notes AS (
      INSERT INTO case_notes (id, authority_id, person_id, version, created_by, created_at)
      SELECT new_id, ${to}::uuid, ${copyId}::uuid, version, created_by, created_at FROM src
    )
    INSERT INTO case_note_versions (authority_id, note_id, person_id, version, note_type, contact_date, contact_time,
      present, what_happened, voice, significant, summary, correction_reason, written_by, written_at)
    SELECT ${to}::uuid, src.new_id, ${copyId}::uuid, v.version, v.note_type, v.contact_date, v.contact_time,
      v.present, v.what_happened, v.voice, v.significant, v.summary, v.correction_reason, v.written_by, v.written_at
    FROM case_note_versions v JOIN src ON src.id = v.note_id`.execute(tx);
}

/** The information-sharing records and audit rows of the move, in both authorities. */
async function recordMove(ctx: Ctx, tx: Tx, user: AuthUser, x: Loaded, p: Person, copyId: string, workerId: string) {
  const [from, to] = [x.authority_id, x.to_authority_id as string];
  const fromName = x.from_authority_label ?? 'the sending authority';
  const shared = { lawful_basis: ACROSS_BASIS, shared_by: user.id, shared_at: ctx.now() };
  await tx
    .insertInto('information_sharing')
    .values([
      {
        authority_id: from,
        person_id: p.id,
        what: 'The case record: person, statuses, contacts, assessments, involvements, timeline and case notes',
        with_whom: `${x.to_authority_label}, ${x.to_team_name}`,
        purpose: 'The case transferred to the other authority (Kent transfer protocol 1.5)',
        ...shared,
      },
      {
        authority_id: to,
        person_id: copyId,
        what: `The case record received from ${fromName} (their case ${p.case_number})`,
        with_whom: `${fromName} (received from)`,
        purpose: 'The case transferred to this authority (Kent transfer protocol 1.5)',
        ...shared,
      },
    ])
    .execute();
  const audit = (authorityId: string, action: string, personId: string, detail: Record<string, unknown>) =>
    insertAudit(tx, { authorityId, actorId: user.id, action, entity: 'person', entityId: personId, personId, detail });
  await audit(from, 'transfer-out', p.id, { transfer_id: x.id, to_authority_id: to, to_person_id: copyId });
  await audit(to, 'transfer-in', copyId, {
    transfer_id: x.id,
    from_authority_id: from,
    from_person_id: p.id,
    worker_id: workerId,
  });
}

/** The sending record closes: the transferring involvement and the statuses it held end today, together. */
async function closeSending(tx: Tx, involvementId: string, personId: string, today: string) {
  await endInvolvement(tx, involvementId, today);
  await tx
    .updateTable('person_statuses')
    .set({ end_date: today })
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .execute();
}

/** Completes a transfer to another authority (see the top of this file), allocating `workerId` there. */
export async function completeAcross(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  x: Loaded,
  workerId: string,
  workerName: string,
) {
  const to = x.to_authority_id as string;
  const fromName = x.from_authority_label ?? 'the sending authority';
  const today = ctx.today();
  const { p, copyId, clash } = await copyPerson(tx, x.person_id, to);
  // The receiving worker first: from here the child has a worker in the receiving authority.
  const inv = await tx
    .insertInto('involvements')
    .values({
      authority_id: to,
      person_id: copyId,
      team_id: x.to_team_id as string,
      worker_id: workerId,
      reason: `Transfer from ${fromName}, ${x.from_team_name}`,
      start_date: today,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await copyHistory(tx, p, { to, copyId, involvementId: inv.id }, fromName, today);
  const duplicate = (what: string, value: string | null, taken: boolean) =>
    taken ? `${what} ${value} is already on another record here: check for a duplicate` : '';
  await insertEvent(tx, {
    authority_id: to,
    person_id: copyId,
    kind: 'transfer',
    title: `Transferred in from ${fromName} (their case ${p.case_number}); allocated to ${workerName} in ${x.to_team_name}`,
    detail:
      [duplicate('NHS number', p.nhs_number, clash.nhs), duplicate('UPN', p.upn, clash.upn)]
        .filter(Boolean)
        .join('. ') || null,
    actor_id: user.id,
  });
  await closeSending(tx, x.from_involvement_id, p.id, today);
  // The status is already 'completed': the instance ended with the allocation (flow.ts).
  await touch(tx, x.id, {
    allocated_worker_id: workerId,
    completed_at: ctx.now(),
    to_person_id: copyId,
    to_involvement_id: inv.id,
  });
  await insertEvent(tx, {
    authority_id: x.authority_id,
    person_id: p.id,
    kind: 'transfer',
    title: `Transferred out to ${x.to_authority_label}: allocated to ${workerName} in ${x.to_team_name}`,
    detail: `${x.from_team_name} involvement and the open statuses ended; ${x.to_authority_label} holds the case from today`,
    actor_id: user.id,
  });
  await recordMove(ctx, tx, user, x, p, copyId, workerId);
  await writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
  // Other modules move what they hold with the child in the same transaction (an EHC plan, SEND Regulations reg 15).
  const done = { transferId: x.id, fromAuthorityId: x.authority_id, fromPersonId: p.id, toAuthorityId: to };
  for (const listener of ctx.acrossCompleted)
    await listener(tx, { ...done, toPersonId: copyId, actorId: user.id, date: today });
}
