// The transfer pack: everything a receiving team or authority needs, read, shared and kept as a document.
import type { Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import { type Ctx, type Loaded, load, readPerson } from './context.ts';
import type { Share } from './schemas.ts';

/** Everything a receiving team or authority needs: summary, statuses, involvements, contacts, key dates, history. */
export async function readPack(ctx: Ctx, user: AuthUser, access: PersonAccess, transferId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    const person = await readPerson(tx, user, access, 'transfer-pack', 'export');
    const x = await load(tx, user, person.id, transferId);
    return buildPack(ctx, tx, person.id, x);
  });
}

/** The involvements of a record, oldest first, with their team and worker: the pack's and a copied record's history. */
export function involvementHistory(tx: Tx, personId: string) {
  return tx
    .selectFrom('involvements as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .where('i.person_id', '=', personId)
    .orderBy('i.start_date')
    .select(['t.name as team', 'w.display_name as worker', 'i.reason', 'i.start_date', 'i.end_date'])
    .execute();
}

/** Keeps a shared pack as a document and records the sharing with it (who, why, on what lawful basis), together. */
export async function fileSharedPack(
  ctx: Ctx,
  tx: Tx,
  s: {
    authorityId: string;
    personId: string;
    transferId: string;
    userId: string;
    title: string;
    pack: Awaited<ReturnType<typeof buildPack>>;
    withWhom: string;
    purpose: string;
    lawfulBasis: string;
  },
) {
  const doc = await tx
    .insertInto('generated_documents')
    .values({
      authority_id: s.authorityId,
      person_id: s.personId,
      transfer_id: s.transferId,
      kind: 'transfer_pack',
      recipient: s.withWhom,
      title: s.title,
      body: JSON.stringify(s.pack, null, 2),
      created_by: s.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('information_sharing')
    .values({
      authority_id: s.authorityId,
      person_id: s.personId,
      what: 'Transfer pack: summary, statuses, involvements, contacts, key dates and history',
      with_whom: s.withWhom,
      purpose: s.purpose,
      lawful_basis: s.lawfulBasis,
      shared_by: s.userId,
      shared_at: ctx.now(),
      document_id: doc.id,
    })
    .execute();
  return doc;
}

/** What the pack reads of the record: the person, statuses, involvements, contacts, assessments and timeline. */
async function packRecord(tx: Tx, personId: string) {
  const full = await tx
    .selectFrom('people')
    .where('id', '=', personId)
    .select([
      'case_number',
      'given_name',
      'family_name',
      'date_of_birth',
      'nhs_number',
      'upn',
      'address',
      'postcode',
      'school',
    ])
    .executeTakeFirstOrThrow();
  const [statuses, involvements, contacts, assessments, history] = await Promise.all([
    tx
      .selectFrom('person_statuses')
      .where('person_id', '=', personId)
      .orderBy('start_date')
      .select(['status', 'start_date', 'end_date'])
      .execute(),
    involvementHistory(tx, personId),
    tx
      .selectFrom('contacts')
      .where('person_id', '=', personId)
      .select(['name', 'relationship', 'phone', 'email', 'address', 'parental_responsibility'])
      .execute(),
    tx
      .selectFrom('assessments')
      .where('person_id', '=', personId)
      .orderBy('completed_on', 'desc')
      .select(['kind', 'completed_on'])
      .execute(),
    tx
      .selectFrom('events')
      .where('person_id', '=', personId)
      .orderBy('at')
      .orderBy('id')
      .limit(1000)
      .select(['at', 'kind', 'title', 'detail'])
      .execute(),
  ]);
  return { full, statuses, involvements, contacts, assessments, history };
}

/** The transfer pack of `x` (a JSON document): the transfer, the record, the summary and the key dates. */
export async function buildPack(ctx: Ctx, tx: Tx, personId: string, x: Loaded) {
  const { full, statuses, involvements, contacts, assessments, history } = await packRecord(tx, personId);
  return {
    generated_at: ctx.now().toISOString(),
    transfer: {
      from_team: x.from_team_name,
      to_team: x.to_team_name,
      from_authority: x.from_authority_label,
      to_authority: x.to_authority_label,
      status: x.status,
      reason: x.reason,
      requested_at: x.requested_at.toISOString(),
    },
    person: full,
    summary: {
      updated_information: x.summary_updated_information,
      important_dates: x.summary_important_dates,
      urgent_actions: x.summary_urgent_actions,
      signed_off_by: x.signed_off_by_name,
    },
    statuses,
    involvements,
    contacts,
    key_dates: [
      { what: 'Date of birth', date: full.date_of_birth },
      {
        what: '18th birthday',
        date: `${Number(full.date_of_birth.slice(0, 4)) + 18}${full.date_of_birth.slice(4)}`,
      },
      ...statuses.map((s) => ({ what: `${s.status.replace(/_/g, ' ')} started`, date: s.start_date })),
      ...assessments.map((a) => ({ what: `${a.kind} completed`, date: a.completed_on })),
      ...(x.meeting_date ? [{ what: 'Handover meeting', date: x.meeting_date }] : []),
    ],
    history: history.map((e) => ({ at: e.at.toISOString(), kind: e.kind, title: e.title, detail: e.detail })),
  };
}

/** Shares the pack with another organisation: the document and an information-sharing record, together. */
export async function sharePack(ctx: Ctx, user: AuthUser, access: PersonAccess, transferId: string, input: Share) {
  const { with_whom: withWhom, purpose, lawful_basis: basis } = input;
  const pack = await readPack(ctx, user, access, transferId);
  return ctx.db.transaction().execute(async (tx) => {
    const doc = await fileSharedPack(ctx, tx, {
      authorityId: user.authorityId,
      personId: access.personId,
      transferId,
      userId: user.id,
      title: 'Transfer pack',
      pack,
      withWhom,
      purpose,
      lawfulBasis: basis,
    });
    await recordChange(tx, {
      actor: user,
      personId: access.personId,
      kind: 'sharing',
      title: `Transfer pack shared with ${withWhom}`,
      detail: `Purpose: ${purpose}. Lawful basis: ${basis}`,
      audit: { action: 'share', entity: 'transfer_pack', entityId: doc.id },
    });
    return doc.id;
  });
}

export async function readDocument(ctx: Ctx, user: AuthUser, access: PersonAccess, documentId: string) {
  return ctx.db.transaction().execute(async (tx) => {
    await readPerson(tx, user, access, 'document', 'print');
    const d = await tx
      .selectFrom('generated_documents')
      .where('id', '=', documentId)
      .where('person_id', '=', access.personId)
      .where('authority_id', '=', user.authorityId)
      .selectAll()
      .executeTakeFirst();
    if (!d) throw new NotFound('No document with that reference on this record.');
    return d;
  });
}
