// SEND hubs (issue 13 part 1): the Set up inputs for hubs and localities in use, hub services, settings and their
// organisation accounts. Messages name the field and the fix; rules needing the database (a manager with the right
// role, a team of this council, a setting name already taken) are in setup.ts.
import type { HubServiceKind, SettingKind, SettingPosition } from '../../db/schema-send-hubs.ts';
import { EMAIL } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';
import { versionField as version } from '../../http/versions.ts';

export const HUB_SERVICE_KINDS: Record<HubServiceKind, string> = {
  educational_psychology: 'Educational psychology',
  specialist_teacher: 'Specialist teachers',
  speech_language: 'Speech and language therapy',
  camhs_link: 'CAMHS link',
  occupational_therapy: 'Occupational therapy',
  early_years: 'Early years SEND',
  sensory: 'Sensory (hearing and vision)',
  other: 'Other',
};
export const SETTING_KINDS: Record<SettingKind, string> = {
  early_years: 'Early years setting',
  school: 'School',
  special_school: 'Special school',
  further_education: 'Further education college',
};
export const SETTING_POSITIONS: Record<SettingPosition, string> = {
  senco: 'SENCO',
  head: 'Head teacher or manager',
  other: 'Other',
};
export const WEEKDAYS: Record<string, string> = {
  '1': 'Monday',
  '2': 'Tuesday',
  '3': 'Wednesday',
  '4': 'Thursday',
  '5': 'Friday',
};
export const TARGET_DEFAULT = 10;

const keys = <K extends string>(o: Record<K, string>) => Object.keys(o) as K[];
const lowerId: Check<string> = (v) => ({ ok: true, value: v.toLowerCase() });
const lowerEmail =
  (example: string): Check<string> =>
  (v) => {
    const email = v.toLowerCase();
    return EMAIL.test(email)
      ? { ok: true, value: email }
      : { ok: false, message: `Enter an email address in the correct format, like ${example}` };
  };
const target = (label: string, what: string) =>
  f.integer(label, 1, 60, {
    fallback: () => TARGET_DEFAULT,
    invalid: `Enter the ${what} target as a whole number of working days from 1 to 60, for example 10`,
    hint: `Working days, 1 to 60 (default ${TARGET_DEFAULT})`,
  });

/** A hub in use: its manager, team, response-time targets and triage day, with the version the administrator read. */
export const SetupHubInput = input({
  manager_user_id: f.id('Hub manager', {
    invalid: 'Choose the hub manager from the list',
    hint: 'A user with the hub manager or locality manager role',
    check: lowerId,
  }),
  team_id: f.id('Hub team', { invalid: 'Choose the hub team from the list', check: lowerId }),
  first_response_working_days: target('First response target', 'first response'),
  support_start_working_days: target('Support start target', 'support start'),
  triage_weekday: f.integer('Triage day', 1, 5, {
    fallback: () => 3,
    invalid: 'Choose the triage day, Monday to Friday',
    hint: '1 Monday to 5 Friday (default 3, Wednesday)',
  }),
  version,
});
export type SetupHubInput = InputOf<typeof SetupHubInput>;

/** A service the hub offers at triage (First SEND Support). */
export const SetupHubServiceInput = input({
  service_name: f.text('Service name', 200, {
    required: true,
    missing: 'Enter the service’s name, for example Educational psychology',
  }),
  service_kind: f.choice('Kind of service', keys(HUB_SERVICE_KINDS), {
    required: true,
    missing: 'Choose the kind of service',
    invalid: 'Choose the kind of service from the list',
  }),
});
export type SetupHubServiceInput = InputOf<typeof SetupHubServiceInput>;

/** A locality in use: its manager and the locality team that takes Further SEND Support. */
export const SetupLocalityInput = input({
  manager_user_id: f.id('Locality manager', {
    invalid: 'Choose the locality manager from the list',
    hint: 'A user with the locality manager role',
    check: lowerId,
  }),
  team_id: f.id('Locality team', { invalid: 'Choose the locality team from the list', check: lowerId }),
  version,
});
export type SetupLocalityInput = InputOf<typeof SetupLocalityInput>;

const settingFields = {
  name: f.text('Setting name', 200, {
    required: true,
    missing: 'Enter the setting’s name, for example Northgate Primary School',
  }),
  kind: f.choice('Kind of setting', keys(SETTING_KINDS), {
    required: true,
    missing: 'Choose the kind of setting',
    invalid: 'Choose the kind of setting from the list',
  }),
  urn: f.text('URN', 6, {
    hint: 'The DfE unique reference number: 6 digits (optional)',
    invalid: 'Enter the URN as 6 digits, like 113456, or leave it empty',
    check: (v) =>
      /^\d{6}$/.test(v)
        ? { ok: true, value: v }
        : { ok: false, message: 'Enter the URN as 6 digits, like 113456, or leave it empty' },
  }),
  hub_id: f.id('SEND hub', {
    required: true,
    missing: 'Choose the SEND hub that serves the setting',
    invalid: 'Choose the SEND hub from the list',
    check: lowerId,
  }),
  inbox_email: f.text('Team inbox email', 254, {
    required: true,
    missing: 'Enter the setting’s team inbox email address, like send@northgate.sch.uk',
    invalid: 'Enter an email address in the correct format, like send@northgate.sch.uk',
    hint: 'A shared address, not one person’s: notices about requests go there',
    check: lowerEmail('send@northgate.sch.uk'),
  }),
  active: f.yesno('Active', {
    fallback: () => true,
    invalid: 'Choose yes or no for whether the setting is active',
    hint: 'An inactive setting’s accounts cannot send or see requests',
  }),
};

/** A new setting the council's hubs serve. */
export const SetupSettingInput = input(settingFields);
export type SetupSettingInput = InputOf<typeof SetupSettingInput>;
/** A change to a setting, with the version the administrator read. */
export const SetupSettingUpdateInput = input({ ...settingFields, version });
export type SetupSettingUpdateInput = InputOf<typeof SetupSettingUpdateInput>;

const position = f.choice('Position', keys(SETTING_POSITIONS), {
  required: true,
  missing: 'Choose their position at the setting: SENCO, head or other',
  invalid: 'Choose their position at the setting: SENCO, head or other',
});

/** A new organisation account for a setting: the person is invited by email to set their own password. */
export const SetupAccountInput = input({
  display_name: f.text('Full name', 200, { required: true, missing: 'Enter the person’s full name' }),
  email: f.text('Email', 254, {
    required: true,
    missing: 'Enter their work email address, like senco@northgate.sch.uk',
    invalid: 'Enter an email address in the correct format, like senco@northgate.sch.uk',
    hint: 'They sign in with it, and the invitation goes to it',
    check: lowerEmail('senco@northgate.sch.uk'),
  }),
  position,
});
export type SetupAccountInput = InputOf<typeof SetupAccountInput>;

/** An existing setting account added to this setting too. */
export const SetupLinkAccountInput = input({
  user_id: f.id('Account', {
    required: true,
    missing: 'Choose the account to add',
    invalid: 'Choose the account from the list',
    check: lowerId,
  }),
  position,
});
export type SetupLinkAccountInput = InputOf<typeof SetupLinkAccountInput>;
