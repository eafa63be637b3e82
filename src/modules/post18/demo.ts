// Demo joint transition plans (issue 12 part 8), after the screening demo: the screened 16-17 year olds get plans at
// each stage, and the one aged 17 years 6-7 months at medium or above has no post-18 owner and has escalated (the
// plan started at 17, backdated with the demo clock; the sweep then fires its overdue ladder). Driven through the
// service, so the timeline, audit, protocol steps and notifications are the real ones. Imports no demo module.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { sweepDue } from '../../jobs/deadlines.ts';
import type { ProtocolService } from '../protocols/service.ts';
import { registerProtocolTimers } from '../protocols/timers.ts';
import { addMonths, bornBy } from './dates.ts';
import type { Post18Service } from './service.ts';

interface Clock {
  now(): Date;
  on(day: string): void;
  reset(): void;
}

/** The demo council's screened 16-17 year olds at medium or above, oldest first, with their date of birth. */
async function screened(db: Db, authorityId: string, today: string) {
  return db
    .selectFrom('people as p')
    .where('p.authority_id', '=', authorityId)
    .where('p.date_of_birth', '<=', bornBy(today, 16))
    .where('p.date_of_birth', '>', bornBy(today, 18))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('screenings as s')
          .whereRef('s.person_id', '=', 'p.id')
          .where((x) => x(x.fn.coalesce('s.confirmed_rank', 's.proposed_rank'), '>=', 1))
          .select('s.id'),
      ),
    )
    .select(['p.id', 'p.date_of_birth'])
    .orderBy('p.date_of_birth')
    .limit(12)
    .execute();
}

const as = (id: string, authorityId: string) => ({ id, authorityId }) as AuthUser;

export async function seedPost18Demo(
  db: Db,
  s: { post18: Post18Service; protocols: ProtocolService },
  clock: Clock,
  authorityId: string,
): Promise<void> {
  const today = londonToday(clock.now());
  const people = await screened(db, authorityId, today);
  const lead = await db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where(sql<boolean>`'exploitation_lead' = ANY(roles)`)
    .select('id')
    .executeTakeFirst();
  if (!people.length || !lead) {
    console.warn(
      'Transition plans demo skipped: no screened 16-17 year olds (or no exploitation lead) in the demo yet',
    );
    return;
  }
  const dob = (p: (typeof people)[number]) => String(p.date_of_birth).slice(0, 10);
  // 17 years 6-7 months today: owner due 0-1 month ago.
  const escalated = people.find(
    (p) => dob(p) <= addMonths(today, -(17 * 12 + 6)) && dob(p) > addMonths(today, -(17 * 12 + 7)),
  );
  if (!escalated) console.warn('Transition plans demo: no screened young person aged 17 years 6-7 months to escalate');
  let stage = 0;
  for (const p of people) {
    const at17 = addMonths(dob(p), 17 * 12);
    if (at17 < today) {
      // Started at 17, but no earlier than six months ago, so the demo's history stays short.
      const earliest = addMonths(today, -6);
      clock.on([at17, earliest].sort()[1] as string);
    }
    const starter = await db
      .selectFrom('involvements')
      .where('person_id', '=', p.id)
      .where('end_date', 'is', null)
      .where('worker_id', 'is not', null)
      .select('worker_id')
      .executeTakeFirst();
    if (!starter?.worker_id) {
      clock.reset();
      continue;
    }
    const worker = as(starter.worker_id, authorityId);
    await s.post18.startEarly(worker, p.id).catch(() => undefined); // the daily job may have started it already
    const next = p === escalated ? 1 : stage++ % 4;
    await advanceTo(s.post18, worker, lead.id, p.id, next);
    clock.reset();
  }
  // The deadlines now past fire as the worker would fire them when it starts (the escalation shows).
  let off: (() => void) | null = null;
  try {
    off = registerProtocolTimers(s.protocols);
  } catch {
    off = null; // this process's worker already handles them
  }
  try {
    await sweepDue(db, clock.now());
  } finally {
    off?.();
  }
}

/** 0: just started; 1: the plan written (no post-18 owner); 2: owner named; 3: the three-part test recorded. */
async function advanceTo(post18: Post18Service, worker: AuthUser, leadId: string, personId: string, stage: number) {
  const version = async () => (await post18.get(worker, { personId, breakGlassId: null }, 'page')).plan?.version ?? 1;
  if (stage < 1) return;
  await post18.savePlan(worker, personId, {
    pre18_owner_id: worker.id,
    at_eighteen: 'A joint visit with the post-18 worker before the birthday; the youth worker stays on until 19',
    views: 'Wants to keep the same worker and not to start again with someone new',
    version: await version(),
  });
  if (stage < 2) return;
  await post18.nameOwner(worker, personId, {
    post18_setting: 'exploitation_hub',
    post18_owner_id: leadId,
    version: await version(),
  });
  if (stage < 3) return;
  await post18.recordCareAct(worker, personId, {
    impairment: true,
    impairment_evidence: 'Diagnosed anxiety and depression (CAMHS letter)',
    outcomes_unable: true,
    outcomes_evidence: 'Cannot keep safe in the community or manage a tenancy without support',
    wellbeing_impact: true,
    wellbeing_evidence: 'Targeted for exploitation when unsupported',
    care_act_conclusion: 'Eligible for care and support from 18: the Exploitation Hub holds the case',
    version: await version(),
  });
}
