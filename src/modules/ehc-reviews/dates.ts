// A moment as the date it was in London (the engine's timestamps → the dates people read).
import { londonToday } from '../../domain/calendar.ts';

export function londonDate(at: Date | string): string {
  return londonToday(at instanceof Date ? at : new Date(at));
}
