// Screening a young person: the form's facts (age, SEND prefilled, the instruments, the council's places and
// groups), the check (age, answers, the proposal and its reasons: nothing written) and the save, which ends the
// person's previous screening (rescreened), starts the new one's instance and, after a significant incident, the
// immediate referral — all in one transaction.

import type { Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import type { InstrumentDefinition } from '../../domain/screening/definition.ts';
import { type Answers, ageProblem, type Proposal, proposeLevel } from '../../domain/screening/rules.ts';
import { NotFound } from '../../http/errors.ts';
import { type Body, type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { recordChange } from '../kit/record.ts';
import type { SafeguardingCtx } from './context.ts';
import { levelLabel } from './instruments.ts';
import { checkChosen, writeLinks } from './links.ts';
import * as repo from './repository.ts';
import { addMonths, REVIEW_MONTHS } from './rules.ts';
import { readAnswers, ScreeningInput } from './schemas.ts';

const SEND_STATUSES = ['ehcp', 'sen_support', 'disabled'] as const;

/** The young person, their age today and whether SEND or a disability is recorded (to prefill the form). */
export async function personFacts(tx: Tx, authorityId: string, personId: string, today: string) {
  const person = await tx
    .selectFrom('people')
    .where('id', '=', personId)
    .where('authority_id', '=', authorityId)
    .select(['id', 'case_number', 'given_name', 'family_name', 'date_of_birth'])
    .executeTakeFirst();
  if (!person) throw new NotFound('No record with that reference.');
  const send = await tx
    .selectFrom('person_statuses')
    .where('person_id', '=', personId)
    .where('status', 'in', SEND_STATUSES)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', today)]))
    .select('id')
    .executeTakeFirst();
  return { person, age: ageOn(person.date_of_birth, today), sendRecorded: send !== undefined };
}

export interface Checked {
  input: ScreeningInput;
  instrument: InstrumentDefinition;
  answers: Answers;
  proposal: Proposal;
  proposedLevel: string;
  reviewDue: string;
  age: number;
}

/** Reads and checks a screening (form or API body) and works out the proposal; writes nothing. */
export async function checkScreening(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  personId: string,
  body: Body,
): Promise<Checked> {
  const today = ctx.today();
  const { input, errors } = ScreeningInput.read(body, { today });
  const instrument = input.instrument_id ? (await ctx.instruments()).get(input.instrument_id) : undefined;
  if (input.instrument_id && !instrument) errors.instrument_id = 'Choose the screening instrument from the list';
  if (!instrument) throw new ValidationError(errors);
  const { age } = await personFacts(tx, user.authorityId, personId, today);
  const tooOld = ageProblem(instrument, age);
  if (tooOld) throw new ValidationError({ instrument_id: tooOld });
  const read = readAnswers(instrument, body);
  Object.assign(errors, read.errors);
  const proposal = proposeLevel(instrument, read.answers, {
    age,
    sendOrLearningDisability: input.send_or_learning_disability === true,
  });
  const proposedLevel = input.proposed_level || proposal.level;
  if (!instrument.levels.some((l) => l.code === proposedLevel))
    errors.proposed_level = 'Choose the level you propose from the list';
  else if (proposedLevel !== proposal.level && !input.proposed_reason)
    errors.proposed_reason = 'Enter why you propose a different level from the one suggested';
  const reviewDue = input.review_due ?? addMonths(today, REVIEW_MONTHS);
  if (reviewDue <= today) errors.review_due = 'Review date must be after today';
  if (input.risk_event_id && !(await repo.riskEventOf(tx, user.authorityId, personId, input.risk_event_id)))
    errors.risk_event_id = 'Choose an event recorded on this record';
  if (Object.keys(errors).length) throw new ValidationError(errors as FieldErrors);
  await checkChosen(tx, user.authorityId, input);
  return { input, instrument, answers: read.answers, proposal, proposedLevel, reviewDue, age };
}

/** Saves a checked screening; returns its id. */
export async function createScreening(
  tx: Tx,
  ctx: SafeguardingCtx,
  user: AuthUser,
  personId: string,
  c: Checked,
): Promise<string> {
  const today = ctx.today();
  const rank = c.instrument.levels.findIndex((l) => l.code === c.proposedLevel);
  const id = await repo.insertScreening(tx, {
    authority_id: user.authorityId,
    person_id: personId,
    instrument_id: c.instrument.id,
    instrument_version: c.instrument.version,
    screened_on: today,
    age_at_screening: c.age,
    send_or_learning_disability: c.input.send_or_learning_disability === true,
    answers: JSON.stringify(c.answers),
    suggested_level: c.proposal.level,
    suggested_reasons: JSON.stringify(c.proposal.reasons),
    significant_incidents: JSON.stringify(c.proposal.significantIncidents),
    proposed_level: c.proposedLevel,
    proposed_rank: rank,
    proposed_reason: c.proposedLevel === c.proposal.level ? null : c.input.proposed_reason,
    proposed_by: user.id,
    review_due: c.reviewDue,
    reason: c.input.reason,
    risk_event_id: c.input.risk_event_id,
    summary: c.input.summary,
  });
  // A new screening replaces the person's earlier ones still running.
  for (const prev of await repo.openScreening(tx, user.authorityId, personId))
    if (prev.id !== id && prev.protocol_instance_id)
      await ctx.screening.advance(tx, prev.protocol_instance_id, 'rescreened', user.id, { ifOpen: true });
  for (const r of await repo.openInstances(tx, user.authorityId, personId, ctx.rescreen.id))
    await ctx.rescreen.advance(tx, r.id, 'rescreened', user.id, { ifOpen: true });
  const involvementId = await repo.caseInvolvement(tx, personId, user.id);
  const instanceId = await ctx.screening.start(tx, user, personId, {
    involvementId,
    anchors: { screened: today, review_due: c.reviewDue },
    data: { screening_id: id },
  });
  await repo.setInstance(tx, id, instanceId);
  if (c.proposal.immediateReferral)
    await ctx.referral.start(tx, user, personId, {
      involvementId,
      anchors: { screened: today },
      data: { screening_id: id },
      event: { title: 'Immediate referral needed: a significant incident was recorded on a screening', detail: null },
    });
  const linked = await writeLinks(
    tx,
    { authorityId: user.authorityId, userId: user.id, personId, screeningId: id },
    c.input,
  );
  await recordChange(tx, {
    actor: { id: user.id, authorityId: user.authorityId },
    personId,
    kind: 'safeguarding',
    title: `Exploitation screening: ${levelLabel(c.instrument, c.proposedLevel)} proposed, awaiting confirmation`,
    detail: c.proposal.immediateReferral
      ? 'A significant incident was recorded: an immediate referral is needed.'
      : null,
    audit: {
      action: 'screening.create',
      entity: 'screening',
      entityId: id,
      detail: { level: c.proposedLevel, suggested: c.proposal.level, reason: c.input.reason, linked },
    },
  });
  return id;
}
