// Written notices of a change of team to everyone involved: email through the outbox, otherwise a letter.
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { enqueueEmail, headersAreSafe } from '../notifications/outbox.ts';
import { type At, inTeam, prepare } from './checklist.ts';
import { type Ctx, type Loaded, ref } from './context.ts';

/**
 * Tells every actively involved family member, professional and agency in writing: an email through the outbox
 * where there is an address (a reference and the new team's contact details, never the child's name), otherwise
 * a letter kept as a generated document. Each notice is recorded.
 */
export async function sendNotices(ctx: Ctx, user: AuthUser, at: At): Promise<number> {
  const refusal = inTeam(user, 'The originating team sends the written notices.');
  const sent = await prepare(ctx, user, at, refusal, async (tx, x) => {
    const n = await writeNotices(tx, user, x, 'transfer');
    return {
      set: { notices_sent_at: ctx.now() },
      change: {
        title: `Written notice of the transfer sent to ${n} recipients`,
        action: 'notices',
        detail: { count: n },
      },
      result: n,
    };
  });
  return sent ?? 0;
}

export async function contactDetails(tx: Tx, teamId: string, workerId: string | null) {
  const team = await tx.selectFrom('teams').where('id', '=', teamId).select(['name']).executeTakeFirstOrThrow();
  const who = workerId
    ? await tx
        .selectFrom('users')
        .where('id', '=', workerId)
        .select(['display_name', 'email', 'phone', 'job_title'])
        .executeTakeFirst()
    : await tx
        .selectFrom('users as u')
        .innerJoin('team_members as m', 'm.user_id', 'u.id')
        .where('m.team_id', '=', teamId)
        .where('u.active', '=', true)
        .where((eb) =>
          eb.or([
            sql<boolean>`u.roles @> ARRAY['team_manager']::text[]`,
            sql<boolean>`u.roles @> ARRAY['service_manager']::text[]`,
          ]),
        )
        .orderBy('u.display_name')
        .select(['u.display_name', 'u.email', 'u.phone', 'u.job_title'])
        .executeTakeFirst();
  const contact = who
    ? `${who.display_name}${who.job_title ? `, ${who.job_title}` : ''} — ${[who.phone, who.email].filter(Boolean).join(', ')}`
    : 'the team duty line';
  return { teamName: team.name, contact, workerName: workerId ? (who?.display_name ?? null) : null };
}

interface Recipient {
  kind: 'family' | 'professional' | 'agency';
  name: string;
  email: string | null;
  address: string | null;
}

/** Who is told in writing: the family and carers on the record, and the other teams and agencies involved. */
async function recipientsOf(tx: Tx, x: Loaded): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  const contacts = await tx
    .selectFrom('contacts')
    .where('person_id', '=', x.person_id)
    .select(['name', 'relationship', 'email', 'address'])
    .execute();
  for (const c of contacts)
    recipients.push({ kind: 'family', name: `${c.name} (${c.relationship})`, email: c.email, address: c.address });
  const others = await tx
    .selectFrom('involvements as i')
    .innerJoin('teams as t', 't.id', 'i.team_id')
    .innerJoin('services as s', 's.id', 't.service_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .where('i.person_id', '=', x.person_id)
    .where('i.end_date', 'is', null)
    .where('i.id', '<>', x.from_involvement_id)
    .where('i.team_id', '<>', x.to_team_id as string)
    .select([
      't.name as team_name',
      's.name as service_name',
      's.external',
      'w.display_name as worker_name',
      'w.email as worker_email',
    ])
    .execute();
  for (const o of others)
    recipients.push({
      kind: o.external ? 'agency' : 'professional',
      name: o.worker_name ? `${o.worker_name}, ${o.team_name}` : `${o.team_name} (${o.service_name})`,
      email: o.worker_email,
      address: null,
    });
  return recipients;
}

export async function writeNotices(tx: Tx, user: AuthUser, x: Loaded, stage: 'transfer' | 'allocated') {
  const person = await tx
    .selectFrom('people')
    .where('id', '=', x.person_id)
    .select(['case_number', 'given_name', 'family_name'])
    .executeTakeFirstOrThrow();
  const to = await contactDetails(tx, x.to_team_id as string, stage === 'allocated' ? x.allocated_worker_id : null);
  const reference = ref(person.case_number);
  const news =
    stage === 'transfer'
      ? `The team working with this case is changing to ${to.teamName}. Until a worker there is allocated, ${x.from_worker_name ?? x.from_team_name} remains the point of contact. Contact at ${to.teamName}: ${to.contact}.`
      : `${to.workerName ?? 'A worker'} in ${to.teamName} is now the allocated worker for this case. Contact: ${to.contact}.`;
  const recipients = await recipientsOf(tx, x);
  let count = 0;
  for (const r of recipients) {
    // Each notice is recorded with the email queued for it or the letter kept for it.
    let sent: { channel: 'email'; outbox_id: string } | { channel: 'letter'; document_id: string };
    if (r.email && headersAreSafe('', [r.email])) {
      const outboxId = await enqueueEmail(tx, {
        authorityId: x.authority_id,
        reference,
        to: [r.email],
        subject: `Change of team for case reference ${reference}`,
        body: `Dear ${r.name.replace(/[\r\n]/g, ' ')},\n\n${news}\n\nReference: ${reference}\n\nThis email does not contain personal details. Quote the reference if you contact us.`,
      });
      sent = { channel: 'email', outbox_id: outboxId };
    } else {
      const letter = await tx
        .insertInto('generated_documents')
        .values({
          authority_id: x.authority_id,
          person_id: x.person_id,
          transfer_id: x.id,
          kind: 'letter',
          recipient: r.name,
          title: `Letter: change of team (${stage === 'transfer' ? 'transfer' : 'new worker'})`,
          body: `${r.name}\n${r.address ?? ''}\n\nDear ${r.name},\n\nRe: ${person.given_name} ${person.family_name} (reference ${reference})\n\n${news}\n\nYours sincerely,\n\n${user.displayName}\n${x.from_team_name}`,
          created_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      sent = { channel: 'letter', document_id: letter.id };
    }
    await tx
      .insertInto('transfer_notices')
      .values({
        authority_id: x.authority_id,
        transfer_id: x.id,
        recipient_kind: r.kind,
        recipient_name: r.name,
        ...sent,
      })
      .execute();
    count++;
  }
  return count;
}
