// SEND hubs (issue 13 parts 2 and 3): the request for support's inputs, declared once. The page form and the API
// read the same fields; the assess–plan–do–review cycles come as numbered form fields (cycle1_assess, …) from the
// page and as a JSON list (apdr_cycles) from the API, each message naming the cycle and the field.
import { Type } from '@sinclair/typebox';
import type { ApdrCycle } from '../../db/schema-send-hubs.ts';
import { type Body, dateInput, type FieldErrors, text } from '../../http/forms.ts';
import { type Check, f, type InputOf, input } from '../../http/schema-input.ts';

export const AREAS_OF_NEED = {
  communication_interaction: 'Communication and interaction',
  cognition_learning: 'Cognition and learning',
  semh: 'Social, emotional and mental health',
  sensory_physical: 'Sensory and/or physical',
} as const;

export const CONSENT = {
  given: 'Yes, the parent carer has consented',
  not_yet: 'Not yet',
  refused: 'The parent carer has refused',
} as const;

export const RECEIVED_VIA = { phone: 'Phone', email: 'Email' } as const;

/** The most cycles one request carries, and how many the form shows at first. */
export const MAX_CYCLES = 6;
export const DEFAULT_CYCLES = 2;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as (keyof T & string)[];

const notFuture =
  (label: string): Check<string> =>
  (v, { today }) =>
    v <= today ? { ok: true, value: v } : { ok: false, message: `${label} must be today or in the past` };

const words = (label: string) => ({
  missing: `Enter the ${label.toLowerCase()}, for example 20 11 2026`,
  invalid: `${label} must be a real date, for example 20 11 2026`,
});
const pastDate = (label: string) => f.date(label, { required: true, ...words(label), check: notFuture(label) });
const optionalPast = (label: string) => f.date(label, { ...words(label), check: notFuture(label) });

const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;

export const RequestInput = input(
  {
    setting_id: f.id('Setting', {
      missing: 'Choose the setting making the request',
      invalid: 'Choose a setting from the list',
    }),
    given_name: f.text('Child’s first name', 100, { required: true, missing: 'Enter the child’s first name' }),
    family_name: f.text('Child’s last name', 100, { required: true, missing: 'Enter the child’s last name' }),
    date_of_birth: pastDate('Date of birth'),
    upn: f.text('Unique pupil number (UPN)', 13, {
      hint: '13 characters: a letter then 12 numbers (or 11 numbers and a letter)',
      check: (v) => {
        const upn = v.toUpperCase().replace(/\s/g, '');
        return UPN.test(upn)
          ? { ok: true, value: upn }
          : {
              ok: false,
              message: 'Unique pupil number must be a letter followed by 12 characters, for example A123456789012',
            };
      },
    }),
    year_group: f.text('Year group', 40, {
      required: true,
      missing: 'Enter the child’s year group, for example Year 3 or Reception',
    }),
    contact_name: f.text('Contact at the setting', 200, {
      required: true,
      missing: 'Enter who the hub should contact about the request, for example the SENCO’s name',
    }),
    areas_of_need: f.choices('Areas of need', keys(AREAS_OF_NEED), {
      required: true,
      missing: 'Choose at least one area of need',
      invalid: 'Choose areas of need from the list',
    }),
    sen_support_since: optionalPast('SEN support since'),
    current_plan: f.text('Current SEN support plan', 4000, {
      required: true,
      missing: 'Enter the child’s current SEN support plan: the outcomes and the support in place',
    }),
    plan_review_date: f.date('Plan review date', words('Plan review date')),
    asking_for: f.text('What the setting is asking for', 4000, {
      required: true,
      missing: 'Enter what the setting is asking the hub for, for example advice or an assessment',
    }),
    parent_views: f.text('Parent carer’s views', 4000),
    consent: f.choice('Parent carer consent', keys(CONSENT), {
      required: true,
      missing: 'Choose whether the parent carer has consented to the request',
      invalid: 'Choose whether the parent carer has consented to the request',
    }),
    consent_on: optionalPast('Date consent was given'),
    received_via: f.choice('Received by', keys(RECEIVED_VIA), {
      invalid: 'Choose whether the request came by phone or email',
    }),
    received_on: optionalPast('Date received'),
  },
  {
    check: (v): FieldErrors => {
      const e: FieldErrors = {};
      if (v.consent === 'given' && !v.consent_on)
        e.consent_on = 'Enter the date the parent carer consented, for example 20 11 2026';
      if (v.date_of_birth && v.sen_support_since && v.sen_support_since < v.date_of_birth)
        e.sen_support_since = 'SEN support since must be after the child’s date of birth';
      return e;
    },
  },
);
export type RequestInput = InputOf<typeof RequestInput>;

/** One cycle as the API sends it. */
export const ApdrCycleSchema = Type.Object(
  {
    from: Type.String({ format: 'date', description: 'When the cycle started (YYYY-MM-DD)' }),
    to: Type.String({ format: 'date', description: 'When it was reviewed (YYYY-MM-DD)' }),
    assess: Type.String({ minLength: 1, maxLength: 4000, description: 'What was assessed and found' }),
    plan: Type.String({ minLength: 1, maxLength: 4000, description: 'What was planned' }),
    do: Type.String({ minLength: 1, maxLength: 4000, description: 'What was done, by whom, how often' }),
    review: Type.String({ minLength: 1, maxLength: 4000, description: 'What changed' }),
  },
  { additionalProperties: false },
);

/** The API body: the form's fields with the cycles as a list. */
export const RequestApiBody = Type.Object(
  {
    ...(RequestInput.schema as unknown as { properties: Record<string, never> }).properties,
    apdr_cycles: Type.Array(ApdrCycleSchema, { minItems: 1, maxItems: MAX_CYCLES }),
  },
  {
    additionalProperties: false,
    required: [...((RequestInput.schema as unknown as { required?: string[] }).required ?? []), 'apdr_cycles'],
  },
);

const CYCLE_TEXT = {
  assess: 'what was assessed',
  plan: 'what was planned',
  do: 'what was done',
  review: 'what changed at the review',
} as const;

/** The page's field name for a cycle's part (dates end in _date, so the error summary links to the day box). */
export const cycleField = (n: number, part: 'from' | 'to' | keyof typeof CYCLE_TEXT) =>
  part === 'from' || part === 'to' ? `cycle${n}_${part}_date` : `cycle${n}_${part}`;

/** How many cycles the form shows: what was sent (cycle_count), within 1 to MAX_CYCLES. */
export function cycleCount(body: Body): number {
  const n = Number(text(body, 'cycle_count'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_CYCLES) : DEFAULT_CYCLES;
}

/**
 * The cycles, from the page's numbered fields or the API's list. A cycle left wholly blank on the page is skipped;
 * one partly filled in gets a message on each part missing; at least one cycle is needed.
 */
export function readCycles(body: Body, today: string): { cycles: ApdrCycle[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const cycles: ApdrCycle[] = [];
  const raw: { n: number; from: string; to: string; texts: Record<keyof typeof CYCLE_TEXT, string> }[] = [];
  if (Array.isArray(body.apdr_cycles)) {
    body.apdr_cycles.slice(0, MAX_CYCLES).forEach((c, i) => {
      const o = (c && typeof c === 'object' ? c : {}) as Body;
      raw.push({
        n: i + 1,
        from: text(o, 'from'),
        to: text(o, 'to'),
        texts: { assess: text(o, 'assess'), plan: text(o, 'plan'), do: text(o, 'do'), review: text(o, 'review') },
      });
    });
  } else {
    for (let n = 1; n <= cycleCount(body); n++) {
      const t = (p: keyof typeof CYCLE_TEXT) => text(body, cycleField(n, p));
      raw.push({
        n,
        from: dateInput(body, cycleField(n, 'from')).value,
        to: dateInput(body, cycleField(n, 'to')).value,
        texts: { assess: t('assess'), plan: t('plan'), do: t('do'), review: t('review') },
      });
    }
  }
  const api = Array.isArray(body.apdr_cycles);
  for (const c of raw) {
    const blank = !c.from && !c.to && Object.values(c.texts).every((x) => !x);
    if (blank && !api) continue;
    const name = (p: 'from' | 'to' | keyof typeof CYCLE_TEXT) =>
      api ? `apdr_cycles.${c.n - 1}.${p}` : cycleField(c.n, p);
    const before = Object.keys(errors).length;
    for (const [p, words] of Object.entries(CYCLE_TEXT) as [keyof typeof CYCLE_TEXT, string][]) {
      if (!c.texts[p]) errors[name(p)] = `Enter ${words} in cycle ${c.n}`;
      else if (c.texts[p].length > 4000) errors[name(p)] = `Cycle ${c.n}: ${words} must be 4000 characters or fewer`;
    }
    for (const p of ['from', 'to'] as const) {
      const v = c[p];
      const label = p === 'from' ? 'start date' : 'review date';
      if (!v) errors[name(p)] = `Enter the ${label} of cycle ${c.n}, for example 20 11 2026`;
      else if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || !realDate(v))
        errors[name(p)] = `The ${label} of cycle ${c.n} must be a real date, for example 20 11 2026`;
      else if (v > today) errors[name(p)] = `The ${label} of cycle ${c.n} must be today or in the past`;
    }
    if (!errors[name('from')] && !errors[name('to')] && c.to < c.from)
      errors[name('to')] = `The review date of cycle ${c.n} must be on or after its start date`;
    if (Object.keys(errors).length === before) cycles.push({ ...c.texts, from: c.from, to: c.to });
  }
  if (!raw.some((c) => c.from || c.to || Object.values(c.texts).some(Boolean)))
    errors[api ? 'apdr_cycles' : cycleField(1, 'assess')] =
      'Enter at least one assess–plan–do–review cycle: what the setting assessed, planned, did and found';
  return { cycles, errors };
}

function realDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return d.toISOString().slice(0, 10) === v;
}

export const ConsentInput = input({
  consent_on: pastDate('Date consent was given'),
  parent_views: f.text('Parent carer’s views', 4000),
});
export type ConsentInput = InputOf<typeof ConsentInput>;

/** The form's date fields whose error links go to the day box (their names do not end in _date). */
export const REQUEST_DATE_FIELDS = ['sen_support_since', 'consent_on', 'received_on'] as const;
