// Reading screenings for the pages and the API: a record's list (with where each is), one screening with its
// answers, both levels, the immediate referral and what it named, and the record's panel summary.
import type { Executor, Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import type { SafeguardingCtx } from './context.ts';
import { instrumentFor, levelLabel } from './instruments.ts';
import { namedBy } from './links.ts';
import * as repo from './repository.ts';
import { currentLevel } from './rules.ts';

/** Where a screening is, in words: awaiting confirmation, review due, closed, replaced. */
export function stageWords(step: string | null, result: string | null): string {
  if (step === 'confirm_level') return 'Awaiting confirmation';
  if (step === 'review') return 'Review due';
  if (result === 'rescreened') return 'Replaced by a later screening';
  if (result === 'closed') return 'Closed: no further concern';
  return 'Ended';
}

export async function listForPerson(tx: Tx, ctx: SafeguardingCtx, authorityId: string, personId: string) {
  const rows = await repo.listScreenings(tx, authorityId, personId);
  const states = await ctx.screening.states(
    tx,
    rows.flatMap((r) => (r.protocol_instance_id ? [r.protocol_instance_id] : [])),
  );
  const today = ctx.today();
  const out = [];
  for (const r of rows) {
    const instrument = await instrumentFor(ctx, r.instrument_id, r.instrument_version);
    const st = r.protocol_instance_id ? states.get(r.protocol_instance_id) : undefined;
    const cur = currentLevel(r);
    out.push({
      id: r.id,
      screenedOn: r.screened_on,
      reason: r.reason,
      level: cur.level,
      levelLabel: levelLabel(instrument, cur.level),
      confirmed: cur.confirmed,
      proposedLevel: r.proposed_level,
      confirmedLevel: r.confirmed_level,
      reviewDue: r.review_due,
      stage: stageWords(st?.step ?? null, st?.result ?? null),
      step: st?.step ?? null,
      due: st?.due ?? null,
      overdue: st?.status === 'open' && st.due !== null && st.due < today,
      significantIncident: r.significant_incidents.length > 0,
      screenedBy: r.proposed_by_name,
    });
  }
  return out;
}

export async function oneScreening(tx: Tx, ctx: SafeguardingCtx, authorityId: string, personId: string, id: string) {
  const s = await repo.findScreening(tx, authorityId, personId, id);
  if (!s) throw new NotFound('No screening with that reference on this record.');
  const instrument = await instrumentFor(ctx, s.instrument_id, s.instrument_version);
  const state = s.protocol_instance_id ? await ctx.screening.state(tx, s.protocol_instance_id) : null;
  const referrals = await tx
    .selectFrom('protocol_instances')
    .where('person_id', '=', personId)
    .where('protocol_id', '=', ctx.referral.id)
    .where(({ eb, ref }) => eb(ref('data', '->>').key('screening_id' as never), '=', id))
    .select(['id'])
    .execute();
  const referral = referrals[0] ? await ctx.referral.state(tx, referrals[0].id) : null;
  const answers = s.answers as Record<string, { answer: string; evidence?: string; basis?: string; when?: string }>;
  const domains = instrument.domains.map((d) => ({
    id: d.id,
    title: d.title,
    indicators: d.indicators.map((i) => ({ id: i.id, text: i.text, level: i.level, ...answers[i.id] })),
  }));
  return {
    screening: s,
    instrument,
    domains,
    state,
    stage: stageWords(state?.step ?? null, state?.result ?? null),
    referral,
    named: await namedBy(tx, authorityId, id),
    labels: {
      suggested: levelLabel(instrument, s.suggested_level),
      proposed: levelLabel(instrument, s.proposed_level),
      confirmed: s.confirmed_level ? levelLabel(instrument, s.confirmed_level) : null,
    },
  };
}

/** The record's panel: the newest screening's level (confirmed, else proposed) and its review date. */
export async function panel(db: Executor, ctx: SafeguardingCtx, authorityId: string, personId: string) {
  const s = await db
    .selectFrom('screenings')
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select([
      'id',
      'instrument_id',
      'instrument_version',
      'proposed_level',
      'confirmed_level',
      'review_due',
      'screened_on',
    ])
    .orderBy('screened_on', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!s) return null;
  const instrument = await instrumentFor(ctx, s.instrument_id, s.instrument_version);
  const cur = currentLevel(s);
  return {
    id: s.id,
    screenedOn: s.screened_on,
    level: cur.level,
    levelLabel: levelLabel(instrument, cur.level),
    confirmed: cur.confirmed,
    reviewDue: s.review_due,
  };
}
