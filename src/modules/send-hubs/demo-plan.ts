// The demo's requests for SEND support planned before any is written (issue 13 part 10): about 300 requests over
// the last six months, each with a fate (where it is today) and the dated actions that take it there: received
// (with or without consent), consent recorded later, triage at one of its hub's weekly meetings (sometimes more
// information first, sometimes deferred a week), support started, six-weekly reviews, the locality team's answer.
// Open requests are recent and some of them late (held, waiting for triage, more information, starting support,
// review, with the locality team), so their steps are overdue today. Pure: dates only, no database.
import { addDays, addWorkingDays } from '../../domain/calendar.ts';
import type { SupportRequestOutcome } from '../../protocols/send-support-request.ts';
import { int, type Rng } from '../kit/fake.ts';

export type Fate =
  | 'held'
  | 'withdrawn_consent'
  | 'waiting'
  | 'waiting_late'
  | 'more_info'
  | 'withdrawn_info'
  | 'starting'
  | 'in_support'
  | 'with_locality'
  | 'advice'
  | 'declined'
  | 'ehc'
  | 'further_accepted'
  | 'support_closed'
  | 'review_locality'
  | 'review_ehc';

/** How many requests end up in each place (300 in all). */
export const QUOTA: Record<Fate, number> = {
  held: 12,
  withdrawn_consent: 4,
  waiting: 28,
  waiting_late: 10,
  more_info: 14,
  withdrawn_info: 3,
  starting: 18,
  in_support: 44,
  with_locality: 12,
  advice: 59,
  declined: 16,
  ehc: 12,
  further_accepted: 22,
  support_closed: 30,
  review_locality: 8,
  review_ehc: 8,
};

export type TriageDecision =
  | 'advice'
  | 'first_support'
  | 'further_support'
  | 'ehc_assessment'
  | 'more_info'
  | 'declined';

export type Action =
  | { kind: 'submit'; consent: boolean }
  | { kind: 'consent' }
  | { kind: 'withdraw' }
  | { kind: 'triage'; outcome: TriageDecision; meetingId: string }
  | { kind: 'info_received' }
  | { kind: 'started' }
  | {
      kind: 'review';
      outcome: Extract<SupportRequestOutcome, 'continue' | 'further_support' | 'ehc_assessment' | 'closed'>;
    }
  | { kind: 'accepted' }
  | { kind: 'contact' };

export interface PlannedAction {
  on: string;
  act: Action;
}

export interface PlanHub {
  index: number;
  held: { id: string; date: string }[];
  supportStart: number;
}

export interface RequestPlan {
  hub: number;
  fate: Fate;
  received: string;
  actions: PlannedAction[];
}

const OPEN_TRIAGE: Partial<Record<Fate, [TriageDecision, number, number]>> = {
  more_info: ['more_info', 0, 4],
  starting: ['first_support', 0, 3],
  with_locality: ['further_support', 0, 3],
};
const CLOSED_TRIAGE: Partial<Record<Fate, [TriageDecision, number]>> = {
  advice: ['advice', 0],
  declined: ['declined', 0],
  ehc: ['ehc_assessment', 0],
  further_accepted: ['further_support', 2],
  withdrawn_info: ['more_info', 4],
  in_support: ['first_support', 2],
  support_closed: ['first_support', 9],
  review_locality: ['first_support', 9],
  review_ehc: ['first_support', 8],
};

/** A working day on or before `day`. */
function workingOnOrBefore(day: string): string {
  return addWorkingDays(addWorkingDays(day, 1), -1);
}

/** Everything up to and including a triage decision at the hub's held meeting `k` weeks back (0: the last one). */
function toTriage(r: Rng, hub: PlanHub, k: number, decision: TriageDecision, viaMoreInfo: boolean): PlannedAction[] {
  const meeting = (i: number) => hub.held[Math.min(i, hub.held.length - 1)] as { id: string; date: string };
  const first = viaMoreInfo ? meeting(k + 2) : meeting(k);
  const deferred = r() < 0.1;
  const complete = addWorkingDays(first.date, deferred ? -int(r, 6, 8) : -int(r, 1, 3));
  const out: PlannedAction[] = [];
  if (r() < 0.15) {
    out.push({ on: addWorkingDays(complete, -int(r, 3, 8)), act: { kind: 'submit', consent: false } });
    out.push({ on: complete, act: { kind: 'consent' } });
  } else out.push({ on: complete, act: { kind: 'submit', consent: true } });
  if (viaMoreInfo) {
    out.push({ on: first.date, act: { kind: 'triage', outcome: 'more_info', meetingId: first.id } });
    out.push({ on: addWorkingDays(first.date, int(r, 2, 5)), act: { kind: 'info_received' } });
  }
  const last = meeting(k);
  out.push({ on: last.date, act: { kind: 'triage', outcome: decision, meetingId: last.id } });
  return out;
}

/** After First SEND Support was agreed on `triaged`: started, contacts, reviews up to the fate's end. */
function support(r: Rng, triaged: string, fate: Fate, today: string): PlannedAction[] {
  const out: PlannedAction[] = [];
  const started = addWorkingDays(triaged, int(r, 2, 8));
  out.push({ on: started, act: { kind: 'started' } });
  out.push({ on: addWorkingDays(started, int(r, 3, 10)), act: { kind: 'contact' } });
  let review = addDays(started, 42);
  if (fate === 'in_support') {
    for (let n = 0; n < 2 && review <= addDays(today, -3); n++) {
      const on = workingOnOrBefore(addDays(review, -int(r, 0, 3)));
      out.push({ on, act: { kind: 'review', outcome: 'continue' } });
      review = addDays(on, 42);
    }
    return out;
  }
  if (fate === 'support_closed' && r() < 0.4) {
    const on = workingOnOrBefore(review);
    out.push({ on, act: { kind: 'review', outcome: 'continue' } });
    review = addDays(on, 42);
  }
  const end = workingOnOrBefore(review);
  const outcome = fate === 'review_locality' ? 'further_support' : fate === 'review_ehc' ? 'ehc_assessment' : 'closed';
  out.push({ on: end, act: { kind: 'review', outcome } });
  if (fate === 'review_locality') out.push({ on: addWorkingDays(end, int(r, 2, 6)), act: { kind: 'accepted' } });
  return out;
}

function planOne(r: Rng, hub: PlanHub, fate: Fate, today: string): PlannedAction[] {
  const lastWorking = workingOnOrBefore(addDays(today, -1));
  if (fate === 'held')
    return [{ on: addWorkingDays(lastWorking, -int(r, 0, 18)), act: { kind: 'submit', consent: false } }];
  if (fate === 'withdrawn_consent') {
    const received = addWorkingDays(lastWorking, -int(r, 30, 120));
    return [
      { on: received, act: { kind: 'submit', consent: false } },
      { on: addWorkingDays(received, int(r, 10, 15)), act: { kind: 'withdraw' } },
    ];
  }
  if (fate === 'waiting' || fate === 'waiting_late') {
    const latestMeeting = hub.held[0]?.date ?? addDays(today, -7);
    const complete =
      fate === 'waiting'
        ? addWorkingDays(latestMeeting, int(r, 1, 4))
        : addWorkingDays((hub.held[int(r, 3, 4)] ?? hub.held[0])?.date ?? latestMeeting, -int(r, 1, 3));
    const on = complete > today ? workingOnOrBefore(today) : complete;
    if (r() < 0.2)
      return [
        { on: addWorkingDays(on, -int(r, 3, 8)), act: { kind: 'submit', consent: false } },
        { on, act: { kind: 'consent' } },
      ];
    return [{ on, act: { kind: 'submit', consent: true } }];
  }
  const open = OPEN_TRIAGE[fate];
  if (open) {
    const k = int(r, open[1], open[2]);
    const actions = toTriage(r, hub, k, open[0], false);
    return actions;
  }
  const closed = CLOSED_TRIAGE[fate] as [TriageDecision, number];
  for (let k = int(r, closed[1], fate === 'in_support' ? 16 : 23); ; k += 2) {
    const decision = closed[0];
    const actions = toTriage(r, hub, k, decision, decision !== 'more_info' && r() < 0.12 && k < 20);
    const triaged = (actions.at(-1) as PlannedAction).on;
    if (fate === 'withdrawn_info')
      actions.push({ on: addWorkingDays(triaged, int(r, 5, 9)), act: { kind: 'withdraw' } });
    if (fate === 'further_accepted')
      actions.push({ on: addWorkingDays(triaged, int(r, 2, 8)), act: { kind: 'accepted' } });
    if (decision === 'first_support') actions.push(...support(r, triaged, fate, today));
    if (actions.every((a) => a.on <= lastWorking) || k >= hub.held.length - 4)
      return actions.filter((a) => a.on <= today);
  }
}

/** Every request's plan, received in date order; fates spread over the hubs. */
export function planRequests(r: Rng, hubs: PlanHub[], today: string): RequestPlan[] {
  const fates: Fate[] = [];
  for (const [fate, n] of Object.entries(QUOTA) as [Fate, number][]) for (let i = 0; i < n; i++) fates.push(fate);
  const plans = fates.map((fate, i) => {
    const hub = hubs[(i * 5 + Math.floor(i / hubs.length)) % hubs.length] as PlanHub;
    const actions = planOne(r, hub, fate, today).sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : 0));
    return { hub: hub.index, fate, received: (actions[0] as PlannedAction).on, actions };
  });
  return plans.sort((x, y) => (x.received < y.received ? -1 : x.received > y.received ? 1 : 0));
}
