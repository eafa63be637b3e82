// Transfers across authority boundaries on this installation (Kent 1.5): sharing the pack, the receiving
// authority's view and actions, and completing the move with a copy of the record.
import type { Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAccess, insertAudit } from '../audit/repository.ts';
import { identifierTaken, insertEvent, nextCaseNumber } from '../people/repository.ts';
import { type Ctx, endInvolvement, isManagerOf, type Loaded, teamWorkers, touch } from './context.ts';
import { writeNotices } from './notices.ts';
import { buildPack, fileSharedPack, involvementHistory } from './pack.ts';
import * as repo from './repository.ts';

/** The lawful basis recorded when a case moves between authorities (a local statement; councils adjust it). */
export const ACROSS_BASIS =
  'Children Act 1989 s.17 and s.47 (and s.20 for a child in care); UK GDPR Article 6(1)(e) and Article 9(2)(g) with DPA 2018 Schedule 1 paragraph 18';

/** Sending to another authority shares the pack with it: kept as a document, with an information-sharing record. */
export async function sharePackAcross(ctx: Ctx, tx: Tx, user: AuthUser, x: Loaded) {
  const pack = await buildPack(ctx, tx, x.person_id, x);
  const withWhom = `${x.to_authority_label}, ${x.to_team_name}`;
  await fileSharedPack(ctx, tx, {
    authorityId: x.authority_id,
    personId: x.person_id,
    transferId: x.id,
    userId: user.id,
    title: 'Transfer pack (sent to another authority)',
    pack,
    withWhom,
    purpose: 'The case is transferring to the other authority (Kent transfer protocol 1.5)',
    lawfulBasis: ACROSS_BASIS,
  });
}

/**
 * Completes a transfer to another authority on this installation: the receiving authority gets its own record of
 * the child (a copy, with the whole history) and its worker is allocated on it; in the same transaction the
 * sending record is closed as transferred out (its involvement and open statuses end), so the sending worker holds
 * the case until the receiving worker is allocated. The sharing and the audit are recorded in both authorities.
 */
export async function completeAcross(
  ctx: Ctx,
  tx: Tx,
  user: AuthUser,
  x: Loaded,
  workerId: string,
  workerName: string,
) {
  const from = x.authority_id;
  const to = x.to_authority_id as string;
  const fromName = x.from_authority_label ?? 'the sending authority';
  const now = ctx.now();
  const today = ctx.today();
  const p = await tx.selectFrom('people').where('id', '=', x.person_id).selectAll().executeTakeFirstOrThrow();
  const caseNumber = await nextCaseNumber(tx, to);
  const clash = {
    nhs: p.nhs_number ? await identifierTaken(tx, to, 'nhs_number', p.nhs_number) : false,
    upn: p.upn ? await identifierTaken(tx, to, 'upn', p.upn) : false,
  };
  const copy = await tx
    .insertInto('people')
    .values({
      authority_id: to,
      case_number: caseNumber,
      given_name: p.given_name,
      family_name: p.family_name,
      preferred_name: p.preferred_name,
      date_of_birth: p.date_of_birth,
      gender: p.gender,
      nhs_number: clash.nhs ? null : p.nhs_number,
      upn: clash.upn ? null : p.upn,
      address: p.address,
      postcode: p.postcode,
      school: p.school,
      locality_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The receiving worker first: from here the child has a worker in the receiving authority.
  const inv = await tx
    .insertInto('involvements')
    .values({
      authority_id: to,
      person_id: copy.id,
      team_id: x.to_team_id as string,
      worker_id: workerId,
      reason: `Transfer from ${fromName}, ${x.from_team_name}`,
      start_date: today,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const [statuses, contacts, assessments, events, involvements] = await Promise.all([
    tx.selectFrom('person_statuses').where('person_id', '=', p.id).selectAll().execute(),
    tx.selectFrom('contacts').where('person_id', '=', p.id).selectAll().execute(),
    tx.selectFrom('assessments').where('person_id', '=', p.id).selectAll().execute(),
    tx.selectFrom('events').where('person_id', '=', p.id).orderBy('at').orderBy('id').selectAll().execute(),
    involvementHistory(tx, p.id),
  ]);
  for (const st of statuses)
    await tx
      .insertInto('person_statuses')
      .values({
        authority_id: to,
        person_id: copy.id,
        status: st.status,
        start_date: st.start_date,
        end_date: st.end_date,
      })
      .execute();
  for (const c of contacts)
    await tx
      .insertInto('contacts')
      .values({
        authority_id: to,
        person_id: copy.id,
        name: c.name,
        relationship: c.relationship,
        phone: c.phone,
        email: c.email,
        address: c.address,
        parental_responsibility: c.parental_responsibility,
      })
      .execute();
  for (const a of assessments)
    await tx
      .insertInto('assessments')
      .values({
        authority_id: to,
        person_id: copy.id,
        involvement_id: inv.id,
        kind: `${a.kind} (${fromName})`,
        completed_on: a.completed_on,
        summary: a.summary,
      })
      .execute();
  const note = `from the ${fromName} record`;
  for (const e of events)
    await tx
      .insertInto('events')
      .values({
        authority_id: to,
        person_id: copy.id,
        at: e.at,
        kind: e.kind,
        title: e.title,
        detail: e.detail ? `${e.detail} (${note})` : `(${note})`,
        actor_id: null,
      })
      .execute();
  for (const i of involvements)
    await tx
      .insertInto('events')
      .values({
        authority_id: to,
        person_id: copy.id,
        at: new Date(`${i.start_date}T00:00:00Z`),
        kind: 'involvement',
        title: `${fromName}: ${i.team} involved`,
        detail: `${i.worker ?? 'Unallocated'}; ${i.reason}; ${i.start_date} to ${i.end_date ?? today}`,
        actor_id: null,
      })
      .execute();
  await insertEvent(tx, {
    authority_id: to,
    person_id: copy.id,
    kind: 'transfer',
    title: `Transferred in from ${fromName} (their case ${p.case_number}); allocated to ${workerName} in ${x.to_team_name}`,
    detail:
      [
        clash.nhs ? `NHS number ${p.nhs_number} is already on another record here: check for a duplicate` : '',
        clash.upn ? `UPN ${p.upn} is already on another record here: check for a duplicate` : '',
      ]
        .filter(Boolean)
        .join('. ') || null,
    actor_id: user.id,
  });
  // The sending record closes: the transferring involvement and the statuses it held end today, together.
  await endInvolvement(tx, x.from_involvement_id, today);
  await tx
    .updateTable('person_statuses')
    .set({ end_date: today })
    .where('person_id', '=', p.id)
    .where('end_date', 'is', null)
    .execute();
  // The status is already 'completed': the instance ended with the allocation (flow.ts).
  await touch(tx, x.id, {
    allocated_worker_id: workerId,
    completed_at: now,
    to_person_id: copy.id,
    to_involvement_id: inv.id,
  });
  await insertEvent(tx, {
    authority_id: from,
    person_id: p.id,
    kind: 'transfer',
    title: `Transferred out to ${x.to_authority_label}: allocated to ${workerName} in ${x.to_team_name}`,
    detail: `${x.from_team_name} involvement and the open statuses ended; ${x.to_authority_label} holds the case from today`,
    actor_id: user.id,
  });
  await tx
    .insertInto('information_sharing')
    .values([
      {
        authority_id: from,
        person_id: p.id,
        what: 'The case record: person, statuses, contacts, assessments, involvements and timeline',
        with_whom: `${x.to_authority_label}, ${x.to_team_name}`,
        purpose: 'The case transferred to the other authority (Kent transfer protocol 1.5)',
        lawful_basis: ACROSS_BASIS,
        shared_by: user.id,
        shared_at: now,
      },
      {
        authority_id: to,
        person_id: copy.id,
        what: `The case record received from ${fromName} (their case ${p.case_number})`,
        with_whom: `${fromName} (received from)`,
        purpose: 'The case transferred to this authority (Kent transfer protocol 1.5)',
        lawful_basis: ACROSS_BASIS,
        shared_by: user.id,
        shared_at: now,
      },
    ])
    .execute();
  await insertAudit(tx, {
    authorityId: from,
    actorId: user.id,
    action: 'transfer-out',
    entity: 'person',
    entityId: p.id,
    personId: p.id,
    detail: { transfer_id: x.id, to_authority_id: to, to_person_id: copy.id },
  });
  await insertAudit(tx, {
    authorityId: to,
    actorId: user.id,
    action: 'transfer-in',
    entity: 'person',
    entityId: copy.id,
    personId: copy.id,
    detail: { transfer_id: x.id, from_authority_id: from, from_person_id: p.id, worker_id: workerId },
  });
  await writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
}

/** A transfer into one of the user's teams from another authority on this installation, with its pack. */
export async function incoming(ctx: Ctx, user: AuthUser, transferId: string, channel: 'page' | 'api' = 'page') {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('transfers')
      .where('id', '=', transferId)
      .where('to_authority_id', '=', user.authorityId)
      .where('sent_at', 'is not', null)
      .select(['authority_id', 'person_id', 'to_team_id'])
      .executeTakeFirst();
    if (!row) throw new NotFound('No transfer into your authority with that reference.');
    if (!row.to_team_id || !isManagerOf(user, row.to_team_id))
      throw new Forbidden('A team manager of the receiving team sees a transfer from another authority.');
    const x = (await repo.findTransfer(tx, row.authority_id, row.person_id, transferId)) as Loaded;
    // Read in the sending authority's record: its access log shows who in the receiving authority read it.
    await insertAccess(tx, {
      authorityId: x.authority_id,
      personId: x.person_id,
      userId: user.id,
      channel,
      purpose: 'incoming-transfer',
      breakGlassId: null,
    });
    const [pack, tasks, workers] = await Promise.all([
      buildPack(ctx, tx, x.person_id, x),
      repo.tasksOfTransfer(tx, x.id),
      teamWorkers(tx, row.to_team_id),
    ]);
    return {
      transfer: x,
      pack,
      tasks,
      workers,
      may: { accept: x.status === 'sent', allocate: x.status === 'accepted' },
    };
  });
}

/** Runs `act` on an incoming transfer (accept, return, allocate) with its person. */
export async function actOnIncoming(
  ctx: Ctx,
  user: AuthUser,
  transferId: string,
  act: (personId: string) => Promise<unknown>,
): Promise<{ personId: string; toPersonId: string | null; status: string; version: number }> {
  const row = await ctx.db
    .selectFrom('transfers')
    .where('id', '=', transferId)
    .where('to_authority_id', '=', user.authorityId)
    .select(['person_id'])
    .executeTakeFirst();
  if (!row) throw new NotFound('No transfer into your authority with that reference.');
  await act(row.person_id);
  const after = await ctx.db
    .selectFrom('transfers')
    .where('id', '=', transferId)
    .select(['to_person_id', 'status', 'version'])
    .executeTakeFirstOrThrow();
  return { personId: row.person_id, toPersonId: after.to_person_id, status: after.status, version: after.version };
}
