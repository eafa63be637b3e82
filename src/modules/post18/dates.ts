// The dates a joint transition plan runs on, from a date of birth (pure; London dates as YYYY-MM-DD).

/** The date `months` months after `date` (a day past the month's end rolls over: 29 February + 1 year is 1 March,
 *  the day a person born on 29 February attains an age in a common year). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

export interface PlanDates {
  /** The birthday the plan should be started by (the council's start age). */
  startBy: string;
  /** 18th birthday minus 6 months: the post-18 owner is named by then. */
  ownerDue: string;
  eighteenth: string;
}

export function planDates(dateOfBirth: string, startAge: number): PlanDates {
  return {
    startBy: addMonths(dateOfBirth, startAge * 12),
    ownerDue: addMonths(dateOfBirth, 18 * 12 - 6),
    eighteenth: addMonths(dateOfBirth, 18 * 12),
  };
}

/** The date of birth on or before which a person is `years` old on `today`. */
export const bornBy = (today: string, years: number) => addMonths(today, -12 * years);
