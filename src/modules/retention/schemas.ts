// The retention module's inputs, declared once: the API validates and documents them with `.schema`, the pages and
// the API read them with `.parse`, and the service takes the typed input. Messages name the field and the fix.
import type { RetentionRecordType } from '../../db/schema.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField as version } from '../../http/versions.ts';

/** The record types a schedule is set for, in the order the pages show them, with what "closed" means for each. */
export const RECORD_TYPES: Record<RetentionRecordType, { label: string; closed: string }> = {
  person: {
    label: 'Young person’s whole record',
    closed:
      'closed when no involvement, status or protocol is open: kept from the day the last involvement ended (its notes, documents, plans, transfers, referrals, protocols and meeting items go with it)',
  },
  notification: {
    label: 'Notifications to staff',
    closed: 'closed when read or resolved',
  },
};
export const RECORD_TYPE_KEYS = Object.keys(RECORD_TYPES) as RetentionRecordType[];

export function isRecordType(v: string): v is RetentionRecordType {
  return Object.hasOwn(RECORD_TYPES, v);
}

/** How long a type of record is kept once closed. */
export const ScheduleInput = input({
  years: f.integer('Years kept after closure', 0, 150, {
    required: true,
    missing: 'Enter the number of years to keep records after they close, for example 7',
    invalid: 'Years kept after closure must be a whole number from 0 to 150, for example 7',
  }),
  minimum_age: f.integer('Keep until at least this age', 0, 150, {
    hint: 'Young people’s records only: the record is kept until this birthday even if the years have run out, for example 25',
    invalid: 'Keep until at least this age must be a whole number from 0 to 150, for example 25, or left empty',
  }),
  version,
});
export type ScheduleInput = InputOf<typeof ScheduleInput>;

/** Whether the daily job purges what is due by itself. */
export const SettingsInput = input({
  automatic_purge: f.yesno('Purge automatically', {
    required: true,
    missing: 'Choose whether the daily retention run purges records by itself',
    invalid: 'Choose whether the daily retention run purges records by itself',
  }),
  version,
});
export type SettingsInput = InputOf<typeof SettingsInput>;

const oneLineReason =
  (what: string): Check<string> =>
  (v) =>
    v.length >= 5 ? { ok: true, value: v } : { ok: false, message: `${what} must say why, in at least 5 characters` };

/** A legal hold on a young person's record, found by case number (the administrator does not open records). */
export const HoldInput = input({
  case_number: f.text('Case number', 100, {
    required: true,
    missing: 'Enter the case number of the young person’s record to hold, for example DEM-000123',
  }),
  reason: f.text('Reason for the hold', 2000, {
    required: true,
    missing: 'Enter the reason for the hold, for example the claim or inquiry it is kept for',
    check: oneLineReason('Reason for the hold'),
  }),
});
export type HoldInput = InputOf<typeof HoldInput>;

export const ReleaseInput = input({
  release_reason: f.text('Reason for releasing the hold', 2000, {
    required: true,
    missing: 'Enter the reason for releasing the hold, for example the claim was settled',
    check: oneLineReason('Reason for releasing the hold'),
  }),
});
export type ReleaseInput = InputOf<typeof ReleaseInput>;
