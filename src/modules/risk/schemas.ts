// A partner agency's entry on the single view of risk: when, what happened or what is known, and whether it is
// evidence or intelligence. The agency is the writer's own (from their account), never typed.
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const SOURCES = {
  evidence: 'Evidence (seen, reported first-hand or documented)',
  intelligence: 'Intelligence (reported second-hand, not yet confirmed)',
} as const;

const notFuture: Check<string> = (v, { today }) =>
  v <= today ? { ok: true, value: v } : { ok: false, message: 'Date must be today or in the past' };

export const PartnerEntryInput = input({
  occurred_on: f.date('Date', {
    required: true,
    missing: 'Enter the date it happened or became known, for example 20 11 2026',
    invalid: 'Date must be a real date, for example 20 11 2026',
    check: notFuture,
  }),
  what: f.text('What happened or what is known', 4000, {
    required: true,
    missing: 'Enter what happened or what is known',
  }),
  source: f.choice('Source', ['evidence', 'intelligence'], {
    required: true,
    missing: 'Choose whether this is evidence or intelligence',
    invalid: 'Choose whether this is evidence or intelligence',
  }),
});
export type PartnerEntryInput = InputOf<typeof PartnerEntryInput>;
