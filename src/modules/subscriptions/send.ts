// The subscriptions job's work (issue 14 part 3): every subscription whose email for this period has not gone, sent
// once — the run row and the queued email in one transaction — after checking again that the user is active and
// still has the list's capability (else the period is recorded as skipped, and why, with no personal data).
import type { Db } from '../../db/database.ts';
import { primaryReports, type ReportsDb } from '../../db/reports.ts';
import { londonToday } from '../../domain/calendar.ts';
import { type Capability, capabilitiesOf } from '../../domain/roles.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import { type Frequency, periodStart, periodWords } from './periods.ts';
import { type Subscribable, subscribable, subscribables } from './registry.ts';
import * as repo from './repository.ts';

export interface SendDeps {
  db: Db;
  reports?: ReportsDb;
  baseUrl: string;
  now: Date;
}

/** The email of one subscription: the title, the filters in words, the counts, the link and how to unsubscribe. */
export function emailBody(e: {
  name: string;
  title: string;
  period: string;
  filters: string;
  counts: { label: string; count: number }[];
  link: string;
  manage: string;
}): string {
  return [
    `Hello ${e.name},`,
    '',
    `${e.title}, ${e.period}.`,
    `Filters: ${e.filters}`,
    '',
    ...(e.counts.length
      ? e.counts.map((c) => `- ${c.label}: ${c.count}`)
      : ['No figures: the list gave none for you this time (it may no longer be open to you). Sign in to check.']),
    '',
    `Sign in to see the list: ${e.link}`,
    '',
    `You get this email because you are subscribed to it. To stop it, unsubscribe at ${e.manage}`,
    'This email does not contain personal details. Do not reply to it.',
  ].join('\n');
}

/** Gives every default subscription (a SEND manager's weekly EHCP report) not yet given. */
export async function giveAllDefaults(db: Db, at: Date, only?: { authorityId: string; userId: string }) {
  let given = 0;
  for (const s of subscribables())
    if (s.defaultFor) given += await repo.giveDefaults(db, { listKey: s.key, ...s.defaultFor, at, only });
  return given;
}

type Owed = Awaited<ReturnType<typeof repo.owedNow>>[number];

function refusal(s: Owed, list: Subscribable | undefined) {
  if (!list) return 'skipped-list-gone' as const;
  if (!s.active) return 'skipped-inactive' as const;
  if (!capabilitiesOf(s.roles).has(list.capability as Capability)) return 'skipped-capability' as const;
  return null;
}

/** Sends this period's email of every subscription that owes one; returns how many were queued. */
export async function sendDueSubscriptions({ db, reports = primaryReports(db), baseUrl, now }: SendDeps) {
  const today = londonToday(now);
  await giveAllDefaults(db, now);
  const periods: Record<Frequency, string> = {
    weekly: periodStart('weekly', today),
    monthly: periodStart('monthly', today),
  };
  let sent = 0;
  for (const s of await repo.owedNow(db, periods)) {
    try {
      sent += await sendOne(db, s, { reports, baseUrl, now, today, periodStart: periods[s.frequency] });
    } catch {
      // One subscription that cannot be sent (e.g. its saved team is gone) must not hold up everyone after it: its
      // period is recorded as skipped-error (the error is not logged: it may quote the list's data) and the job goes on.
      const claim = { authorityId: s.authority_id, subscriptionId: s.id, periodStart: periods[s.frequency], at: now };
      await repo.claimRun(db, { ...claim, outcome: 'skipped-error' });
    }
  }
  return sent;
}

/** One subscription's email for this period: the run claimed and the email queued in one transaction. */
async function sendOne(
  db: Db,
  s: Owed,
  o: { reports: ReportsDb; baseUrl: string; now: Date; today: string; periodStart: string },
): Promise<number> {
  const { reports, baseUrl, now, today } = o;
  const list = subscribable(s.list_key);
  const skip = refusal(s, list);
  return db.transaction().execute(async (tx) => {
    const claim = { authorityId: s.authority_id, subscriptionId: s.id, periodStart: o.periodStart, at: now };
    if (!(await repo.claimRun(tx, { ...claim, outcome: skip ?? 'sent' }))) return 0;
    if (skip || !list) return 0;
    const ctx = { authorityId: s.authority_id, userId: s.user_id, filters: s.filters, today, db: tx, reports };
    const counts = await list.counts(ctx);
    await enqueueEmail(tx, {
      authorityId: s.authority_id,
      reference: `subscription-${list.key}-${claim.periodStart}`,
      to: [s.email],
      subject: `${list.title}: ${periodWords(s.frequency, claim.periodStart)}`,
      body: emailBody({
        name: s.display_name,
        title: list.title,
        period: periodWords(s.frequency, claim.periodStart),
        filters: await list.describeFilters(tx, s.authority_id, s.filters),
        counts,
        link: `${baseUrl}${list.path(s.filters)}`,
        manage: `${baseUrl}/subscriptions`,
      }),
      at: now,
    });
    return 1;
  });
}
