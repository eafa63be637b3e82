// `handover workdays …`: the working-day calendar from the command line, so a caseworker or developer can check
// a deadline by hand against what the system computed.
import type { Command } from 'commander';
import {
  addWorkingDays,
  bankHolidaysIn,
  CalendarInputError,
  calendarFor,
  toDayNumber,
  workingDaysBetween,
} from '../domain/calendar.ts';
import { UserError } from './user-error.ts';

const EXAMPLE = {
  add: 'npx handover workdays add 2026-12-22 5',
  between: 'npx handover workdays between 2026-12-22 2026-12-31',
  holidays: 'npx handover workdays holidays 2026',
};

function date(value: string, what: string, example: string): string {
  try {
    toDayNumber(value);
  } catch {
    throw new UserError(
      `${what} must be a real date written YYYY-MM-DD, e.g. ${example}; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** The calendar's own refusals (e.g. a date outside the years it covers) already say what is accepted. */
function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalendarInputError) throw new UserError(e.message);
    throw e;
  }
}

export function registerWorkdaysCommands(program: Command): void {
  const { first, last } = calendarFor('england-and-wales').range;
  const workdays = program
    .command('workdays')
    .description(`working days in England and Wales (Monday to Friday less bank holidays), ${first} to ${last}`);

  workdays
    .command('add')
    .description('print the date N working days after DATE (N = 0 prints DATE)')
    .argument('<date>', 'start date, YYYY-MM-DD')
    .argument('<n>', 'number of working days, 0 or more')
    .action((start: string, n: string) => {
      date(start, 'DATE', EXAMPLE.add);
      if (!/^\d+$/.test(n)) {
        throw new UserError(`N must be a whole number of working days, e.g. ${EXAMPLE.add}; got ${JSON.stringify(n)}`);
      }
      console.log(run(() => addWorkingDays(start, Number(n))));
    });

  workdays
    .command('between')
    .description('print the number of working days after FROM up to and including TO (negative if TO is earlier)')
    .argument('<from>', 'YYYY-MM-DD')
    .argument('<to>', 'YYYY-MM-DD')
    .action((from: string, to: string) => {
      date(from, 'FROM', EXAMPLE.between);
      date(to, 'TO', EXAMPLE.between);
      console.log(String(run(() => workingDaysBetween(from, to))));
    });

  workdays
    .command('holidays')
    .description("list a year's England-and-Wales bank holidays")
    .argument('<year>', 'four-digit year')
    .action((year: string) => {
      if (!/^\d{4}$/.test(year) || year === '0000') {
        throw new UserError(`YEAR must be four digits, e.g. ${EXAMPLE.holidays}; got ${JSON.stringify(year)}`);
      }
      const [from, to] = [Number(first.slice(0, 4)), Number(last.slice(0, 4))];
      if (Number(year) < from || Number(year) > to)
        throw new UserError(`${year} is outside the working-day calendar, which covers ${from} to ${to}`);
      for (const h of run(() => bankHolidaysIn(Number(year)))) {
        console.log(
          `${h.date}  ${h.title}${h.substitute ? ' (substitute day)' : ''}${h.source === 'computed' ? ' (computed: gov.uk has not published this year)' : ''}`,
        );
      }
    });
}
