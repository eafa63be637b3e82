// The ehc-reviews module's part of My work (src/modules/kit/work.ts): requests for review advice addressed to the
// viewer as the advice giver, not yet answered. The coordinator's review steps appear by themselves (the engine's).
import type { WorkSource } from '../kit/work.ts';
import { reviewAdviceRef } from './advice.ts';

export const reviewAdviceWork: WorkSource = {
  kind: 'review_advice',
  label: 'EHC plan review advice request',
  async list(db, viewer, { limit }) {
    const rows = await db
      .selectFrom('ehc_review_advice_requests as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .where('a.authority_id', '=', viewer.authorityId)
      .where('a.giver_user_id', '=', viewer.id)
      .where('a.status', '=', 'requested')
      .orderBy('a.due_date')
      .limit(limit)
      .select(['a.id', 'a.person_id', 'a.due_date', 'p.case_number'])
      .execute();
    return rows.map((r) => ({
      key: `review_advice:${r.id}`,
      kind: 'review_advice',
      what: 'Give your advice for an EHC plan review',
      personId: r.person_id,
      reference: reviewAdviceRef(r.case_number, r.id),
      due: r.due_date,
      link: `/ehc-plans/review-advice/${r.id}`,
      scope: 'mine' as const,
    }));
  },
};
