// No cliff edge at 18: the children's involvement cannot end while the young person's joint transition plan has
// no post-18 owner, unless a decision to let it end (who, why) is recorded on the plan. Registered with the people
// module in src/services.ts; runs inside its transaction and refuses by throwing a ValidationError on the field.
import { ValidationError } from '../../http/forms.ts';
import type { AllocationGuard } from '../people/allocation-guards.ts';
import * as repo from './repository.ts';

export const noCliffEdge: AllocationGuard = {
  losingWorker: async (tx, personId, involvementId, field) => {
    if (field !== 'involvement') return; // a worker changing hands is not the involvement ending
    const inv = await repo.involvementKind(tx, involvementId);
    if (inv?.kind !== 'childrens') return;
    const plan = await tx
      .selectFrom('transition_plans')
      .where('person_id', '=', personId)
      .select(['post18_owner_id', 'no_owner_decision'])
      .executeTakeFirst();
    if (!plan || plan.post18_owner_id || plan.no_owner_decision) return;
    throw new ValidationError({
      [field]:
        'The joint transition plan has no post-18 owner: name who will hold the case after 18 on the transition plan page, or record there a decision to end the children’s involvement without one (who and why)',
    });
  },
};
