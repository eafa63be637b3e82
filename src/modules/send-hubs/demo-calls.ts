// A month of the demo hubs' telephone advice log (issue 13 part 10): about ten calls a week per hub over the last
// four weeks, from SENCOs, teachers, heads, parent carers, young people and other professionals, with topics,
// advice given and where signposted; a third with a follow-up owned by the hub's staff (most done, some still
// open, a few past due); a few linked to a young person who has a request at the hub, the rest anonymous.
import type { Tx } from '../../db/database.ts';
import { addWorkingDays } from '../../domain/calendar.ts';
import { int, pick, type Rng } from '../kit/fake.ts';
import type { DemoHub } from './demo-org.ts';
import { CALL_ADVICE, CALL_TOPICS, CALLERS, SIGNPOSTS } from './demo-text.ts';

/** Inserts the calls (one statement per hub); returns how many. */
export async function seedAdviceCalls(
  tx: Tx,
  authorityId: string,
  hubs: DemoHub[],
  r: Rng,
  today: string,
): Promise<number> {
  const lastDay = addWorkingDays(addWorkingDays(today, 1), -1) > today ? addWorkingDays(today, -1) : today;
  let count = 0;
  for (const hub of hubs) {
    const known = await tx
      .selectFrom('support_requests')
      .where('hub_id', '=', hub.id)
      .select(['person_id', 'received_on'])
      .execute();
    const staff = [hub.managerId, ...hub.navigators];
    const rows = [];
    for (let back = 19; back >= 0; back--) {
      const day = addWorkingDays(lastDay, -back);
      for (let n = int(r, 1, 3); n > 0; n--) {
        const caller = pick(r, CALLERS);
        const topic = pick(r, CALL_TOPICS);
        const fromSetting = caller === 'senco' || caller === 'teacher' || caller === 'head';
        const followUp = r() < 0.3;
        const due = addWorkingDays(day, 5);
        const done = followUp && due < today && r() < 0.75;
        const linkable = known.filter((k) => k.received_on <= day);
        const person = linkable.length > 0 && r() < 0.15 ? pick(r, linkable).person_id : null;
        const owner = pick(r, staff);
        rows.push({
          authority_id: authorityId,
          hub_id: hub.id,
          called_on: day,
          caller_type: caller,
          setting_id: fromSetting || r() < 0.3 ? pick(r, hub.settings).id : null,
          topic,
          advice: CALL_ADVICE[topic],
          signposted_to: r() < 0.4 ? pick(r, SIGNPOSTS) : null,
          follow_up: followUp ? 'Send the setting the strategies discussed and call back to check how they went' : null,
          follow_up_owner_id: followUp ? owner : null,
          follow_up_due: followUp ? due : null,
          follow_up_done_on: done ? addWorkingDays(day, int(r, 1, 5)) : null,
          person_id: person,
          recorded_by: pick(r, staff),
        });
      }
    }
    await tx.insertInto('advice_calls').values(rows).execute();
    count += rows.length;
  }
  return count;
}
