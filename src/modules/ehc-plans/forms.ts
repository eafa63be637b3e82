// The plan's page forms, as data (issue 20): the words and fields each page shows, the input it reads (schemas.ts),
// the service call it makes and the success banner after. routes.ts serves each at /ehc-plans/:planId/<path>.
import { PLAN_SECTIONS, SEN_SETTINGS, SEN_TYPES } from '../../domain/ehc-plan.ts';
import type { Body } from '../../http/forms.ts';
import type { ReadContext } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import type { Field } from '../ehcp/page-forms.ts';
import type { PlanPage } from './read.ts';
import {
  ConsultationInput,
  ConsultationResponseInput,
  FinalInput,
  MADE_BY,
  NeedsInput,
  PlacementInput,
  RepresentationInput,
  ServeInput,
  WithdrawInput,
} from './schemas.ts';
import type { EhcPlansService } from './service.ts';

export type Params = { planId: string; versionId?: string; consultationId?: string };

export interface PlanForm {
  /** After /ehc-plans/:planId/ ("versions/:versionId/serve"). */
  path: string;
  title: string;
  intro?: string;
  submit: string;
  saved: string;
  fields: (page: PlanPage) => Field[];
  /** The record version the form is opened on (the hidden `version`). */
  version: (page: PlanPage, p: Params) => number | null;
  /** Current values shown when the form opens. */
  initial?: (page: PlanPage, p: Params) => Body;
  run: (s: EhcPlansService, user: AuthUser, p: Params, body: Body, ctx: ReadContext) => Promise<unknown>;
}

const dateField = (name: string, label: string): Field => ({ type: 'date', name, label });
const vOf = (page: PlanPage, p: Params) => page.versions.find((v) => v.id === p.versionId)?.version ?? null;
const cOf = (page: PlanPage, p: Params) => page.consultations.find((c) => c.id === p.consultationId)?.version ?? null;

export const SAVED: Record<string, string> = {
  drafted: 'Plan drafted from the advice: check each section, then serve the draft',
  section: 'Section saved',
  placement: 'Section I placement saved',
  needs: 'Special educational needs saved',
  served: 'Draft plan served: the family has at least 15 days for representations',
  final: 'Final version started from the draft served: make the changes, then issue it',
  issued: 'Final EHC plan issued: the annual review clock has started',
  representations: 'Representations recorded',
  consulted: 'Consultation sent: the setting has 15 days to respond',
  response: 'The setting’s answer recorded',
  withdrawn: 'Draft plan withdrawn: the decision not to issue an EHC plan is recorded on the assessment',
};

export const PLAN_FORMS: PlanForm[] = [
  {
    path: 'versions/:versionId/placement',
    title: 'Section I: placement',
    intro: 'Name the school or other institution (with its URN when it has one), or choose an other arrangement.',
    submit: 'Save placement',
    saved: 'placement',
    fields: () => [
      { type: 'input', name: 'setting_name', label: 'Name of the school or other institution' },
      { type: 'input', name: 'setting_urn', label: 'URN of the school or other institution', hint: '6 to 8 digits' },
      {
        type: 'select',
        name: 'sen_setting',
        label: 'Or an other arrangement (SEN2 setting)',
        items: [{ value: '', text: 'None' }, ...SEN_SETTINGS.map((s) => ({ value: s.code, text: s.label }))],
      },
    ],
    version: vOf,
    initial: (page, p) => {
      const v = page.versions.find((x) => x.id === p.versionId);
      return {
        setting_name: v?.setting_name ?? '',
        setting_urn: v?.setting_urn ?? '',
        sen_setting: v?.sen_setting ?? '',
      };
    },
    run: (s, user, p, body, ctx) =>
      s.editPlacement(user, p.planId, p.versionId as string, PlacementInput.parse(body, ctx)),
  },
  {
    path: 'versions/:versionId/needs',
    title: 'Special educational needs, ranked',
    intro: 'The primary need first (SEN2 5c).',
    submit: 'Save needs',
    saved: 'needs',
    fields: () => [
      {
        type: 'select',
        name: 'primary_need',
        label: 'Primary need',
        items: [{ value: '', text: 'Choose' }, ...SEN_TYPES.map((t) => ({ value: t.code, text: t.label }))],
      },
      {
        type: 'select',
        name: 'secondary_need',
        label: 'Secondary need (optional)',
        items: [{ value: '', text: 'None' }, ...SEN_TYPES.map((t) => ({ value: t.code, text: t.label }))],
      },
    ],
    version: vOf,
    initial: (page, p) => {
      const v = page.versions.find((x) => x.id === p.versionId);
      return { primary_need: v?.sen_needs[0] ?? '', secondary_need: v?.sen_needs[1] ?? '' };
    },
    run: (s, user, p, body, ctx) => s.editNeeds(user, p.planId, p.versionId as string, NeedsInput.parse(body, ctx)),
  },
  {
    path: 'versions/:versionId/serve',
    title: 'Serve the draft plan',
    intro:
      'The draft is frozen as it is now and sent to the family, who have at least 15 days, beginning with the day it is served, to make representations and ask for a school or college (SEND Regulations 2014 reg 13(1)).',
    submit: 'Serve the draft plan',
    saved: 'served',
    fields: () => [dateField('served_date', 'Date the draft was served')],
    version: vOf,
    run: (s, user, p, body, ctx) => s.serveDraft(user, p.planId, p.versionId as string, ServeInput.parse(body, ctx)),
  },
  {
    path: 'versions/:versionId/issue',
    title: 'Issue the final EHC plan',
    intro:
      'The final version is frozen and issued. Before the 15 days for representations have run, it can be issued only when the family has made its representations (reg 13(1)).',
    submit: 'Issue the final plan',
    saved: 'issued',
    fields: () => [dateField('final_date', 'Date the final plan was issued')],
    version: vOf,
    run: (s, user, p, body, ctx) => s.issueFinal(user, p.planId, p.versionId as string, FinalInput.parse(body, ctx)),
  },
  {
    path: 'withdraw',
    title: 'Withdraw this draft plan',
    intro:
      'Withdrawing the draft records the council’s decision not to issue an EHC plan on the needs assessment, which then closes (SEND Regulations 2014 reg 10(1)): tell the family of the decision and of their right to appeal. The draft is kept on the record, frozen, with the reason.',
    submit: 'Withdraw the draft plan',
    saved: 'withdrawn',
    fields: () => [
      dateField('withdrawn_date', 'Date of the decision not to issue a plan'),
      { type: 'textarea', name: 'reason', label: 'Reason for withdrawing the draft plan' },
    ],
    version: (page) => page.plan.version,
    run: (s, user, p, body, ctx) => s.withdrawDraft(user, p.planId, WithdrawInput.parse(body, ctx)),
  },
  {
    path: 'representations',
    title: 'Record representations on the draft plan',
    submit: 'Save representations',
    saved: 'representations',
    fields: () => [
      {
        type: 'radios',
        name: 'made_by',
        label: 'Who made them',
        items: Object.entries(MADE_BY).map(([value, text]) => ({ value, text })),
      },
      { type: 'input', name: 'made_by_name', label: 'Their name (optional)' },
      dateField('received_date', 'Date the representations were received'),
      { type: 'textarea', name: 'summary', label: 'Summary of the representations' },
      { type: 'input', name: 'requested_setting_name', label: 'School or college they ask to be named (optional)' },
      { type: 'input', name: 'requested_setting_urn', label: 'Its URN (optional)', hint: '6 to 8 digits' },
    ],
    version: (page) => page.plan.version,
    run: (s, user, p, body, ctx) => s.addRepresentation(user, p.planId, RepresentationInput.parse(body, ctx)),
  },
  {
    path: 'consultations',
    title: 'Consult a school or college',
    intro:
      'Send the draft plan to the school or college to be named. It has 15 days to respond (Children and Families Act 2014 s.39(2) and s.40(2); SEND Code of Practice 2015).',
    submit: 'Record the consultation',
    saved: 'consulted',
    fields: (page) => [
      { type: 'input', name: 'setting_name', label: 'School or college consulted' },
      { type: 'input', name: 'setting_urn', label: 'Its URN (optional)', hint: '6 to 8 digits' },
      dateField('sent_date', 'Date the draft plan was sent to it'),
      ...(page.representations.length
        ? [
            {
              type: 'select' as const,
              name: 'representation_id',
              label: 'Representations that asked for it (optional)',
              items: [
                { value: '', text: 'None' },
                ...page.representations.map((r) => ({
                  value: r.id,
                  text: `${r.madeByLabel}, received ${r.received_date}${r.requested_setting_name ? `: ${r.requested_setting_name}` : ''}`,
                })),
              ],
            },
          ]
        : []),
    ],
    version: (page) => page.plan.version,
    run: (s, user, p, body, ctx) => s.consult(user, p.planId, ConsultationInput.parse(body, ctx)),
  },
  {
    path: 'consultations/:consultationId/response',
    title: 'Record the setting’s answer',
    submit: 'Save the answer',
    saved: 'response',
    fields: () => [
      {
        type: 'radios',
        name: 'response',
        label: 'The setting’s answer',
        items: [
          { value: 'agrees', text: 'Agrees to be named' },
          { value: 'does_not_agree', text: 'Does not agree to be named' },
        ],
      },
      { type: 'textarea', name: 'response_reason', label: 'Reason given (needed when it does not agree)' },
      dateField('responded_date', 'Date the setting answered'),
    ],
    version: cOf,
    run: (s, user, p, body, ctx) =>
      s.recordResponse(user, p.planId, p.consultationId as string, ConsultationResponseInput.parse(body, ctx)),
  },
];

export const sectionTitle = (key: string) => PLAN_SECTIONS.find((s) => s.key === key);
