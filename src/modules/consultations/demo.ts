// The demo's consultation forums (issue 12 part 6), after the exploitation cohort demo (HO120001-40): the social
// worker books a consultation naming a young person from the cohort they work with, and the team manager one
// without naming anyone; the forum (the exploitation lead) gives its advice a week ago with follow-ups: on the named
// one an overdue follow-up (chased by its consultation-follow-up protocol instance), one done and one not yet due;
// on the unnamed one a follow-up listed but not chased. Driven through the service with the demo clock, so the
// protocol steps, deadlines, timeline and audit are the real ones. Imports no demo module.

import type { Db } from '../../db/database.ts';
import { addDays, londonToday } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';
import { type DemoDayClock, demoUserByEmail } from '../kit/demo.ts';
import { AdviceInput, BookInput, FollowUpInput } from './schemas.ts';
import type { ConsultationsService } from './service.ts';

/** The cohort's young person the named consultation is about (the social worker's, screened high). */
export const NAMED_CASE = 'HO120007';

/** Seeds the two consultations; does nothing if the council already has any. Returns how many it booked. */
export async function seedConsultationsDemo(
  db: Db,
  svc: ConsultationsService,
  clock: DemoDayClock,
  authorityId: string,
): Promise<number> {
  const sam = await demoUserByEmail(db, authorityId, 'social.worker');
  const tm = await demoUserByEmail(db, authorityId, 'team.manager');
  const lead = await demoUserByEmail(db, authorityId, 'exploitation.lead');
  const person = await db
    .selectFrom('people')
    .where('authority_id', '=', authorityId)
    .where('case_number', '=', NAMED_CASE)
    .select('id')
    .executeTakeFirst();
  const already = await db
    .selectFrom('consultations')
    .where('authority_id', '=', authorityId)
    .select('id')
    .executeTakeFirst();
  if (!sam || !tm || !lead || !person || already) return 0;
  const today = londonToday(clock.now());
  const on = (days: number) => {
    const day = addDays(today, days);
    clock.on(day);
    return { today: day };
  };
  const forum = 'Exploitation consultation forum';
  try {
    // Booked ten days ago for the forum a week ago; advice and follow-ups on the day.
    let ctx = on(-10);
    const named = await svc.book(
      sam,
      BookInput.parse(
        {
          forum,
          forum_date: addDays(today, -7),
          question:
            'Seen twice with older males near the station after school and has a new phone nobody bought. Is this ' +
            'enough for a screening at medium, or should the case go straight to the HREM?',
          person_id: person.id,
        },
        ctx,
      ),
    );
    const unnamed = await svc.book(
      tm,
      BookInput.parse(
        {
          forum,
          forum_date: addDays(today, -7),
          question:
            'A 15-year-old in a children’s home goes missing overnight most weekends; the home says it is normal ' +
            'for them. What should the placing team ask the home to do?',
          person_id: null,
        },
        ctx,
      ),
    );
    ctx = on(-7);
    await svc.advise(
      lead,
      named,
      AdviceInput.parse(
        {
          advice:
            'Screen now with the child exploitation instrument; the phone and the older males are indicators on ' +
            'their own. Bring the case to the next HREM if the level is medium or above, and tell the police ' +
            'through the partnership intelligence form.',
        },
        ctx,
      ),
    );
    const follow = (action: string, owner: AuthUser, due: number) =>
      FollowUpInput.parse({ action, owner_user_id: owner.id, due_date: addDays(today, due) }, ctx);
    await svc.addFollowUp(
      lead,
      named,
      follow('Send the partnership intelligence form to the police about the older males', sam, -3),
    );
    const screened = await svc.addFollowUp(
      lead,
      named,
      follow('Complete the exploitation screening and ask the team manager to confirm the level', sam, -1),
    );
    await svc.addFollowUp(lead, named, follow('Ask the school about attendance and who collects them', sam, 7));
    await svc.advise(
      lead,
      unnamed,
      AdviceInput.parse(
        {
          advice:
            'Overnight absence is a missing episode whatever the home calls it. Ask the home to report every one, ' +
            'hold a return home interview each time and screen for exploitation.',
        },
        ctx,
      ),
    );
    await svc.addFollowUp(
      lead,
      unnamed,
      follow('Write to the home’s manager about reporting missing episodes', tm, 10),
    );
    // The screening follow-up was done the day before it was due.
    on(-2);
    await svc.done(sam, named, screened);
    return 2;
  } finally {
    clock.reset();
  }
}
