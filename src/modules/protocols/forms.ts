// Reading the protocol forms: starting an instance (anchor dates, routes tried, the involvement) and deciding a
// step (the step's fields and the chosen outcome). Pure: no database, errors named by field.
import type { ProtocolDefinition, StepDef } from '../../domain/protocol/definition.ts';
import { type Body, dateInput, isRealDate, text, UUID } from '../../http/forms.ts';
import { readField } from './fields.ts';

/**
 * Reads a decision form against the step's fields. A date that sets an anchor records something that has happened
 * (it starts a clock), so, like the start form's anchors, it cannot be after `today`: an email dated tomorrow would
 * start a statutory clock late (issue 11 defect 5).
 */
export function readDecision(step: StepDef, body: Body, outcomeId: string, today: string) {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const outcome = step.outcomes.find((o) => o.id === outcomeId);
  if (!outcome) errors.outcome = 'Choose what happens next';
  const required = new Set([
    ...(step.fields ?? []).filter((f) => f.required).map((f) => f.name),
    ...(outcome?.requires ?? []),
  ]);
  for (const f of step.fields ?? []) {
    const v = readField(f, body);
    if (v.error) errors[f.name] = v.error;
    else if (f.setsAnchor && typeof v.value === 'string' && v.value > today)
      errors[f.name] = `${f.label} must be today or in the past: record it once it has happened`;
    else if (v.value === null && required.has(f.name)) errors[f.name] = `Enter ${f.label.toLowerCase()}`;
    else if (v.value !== null) values[f.name] = v.value;
  }
  return { outcome, values, errors };
}

/** Reads a start form: every anchor date the definition asks for, routes already tried, the involvement. */
export function readStartForm(def: ProtocolDefinition, body: Body, today: string) {
  const errors: Record<string, string> = {};
  const anchors: Record<string, string> = { started: today };
  for (const a of def.anchors ?? []) {
    const words = a.replace(/_/g, ' ');
    const v = dateInput(body, `anchor_${a}`).value;
    if (!v) errors[`anchor_${a}`] = `Enter the date of the ${words}`;
    else if (!isRealDate(v)) errors[`anchor_${a}`] = `The date of the ${words} must be a real date`;
    else if (v > today) errors[`anchor_${a}`] = `The date of the ${words} must be today or in the past`;
    else anchors[a] = v;
  }
  const routesTried = text(body, 'routes_tried');
  if (routesTried.length > 2000) errors.routes_tried = 'Routes already tried must be 2000 characters or fewer';
  const involvementId = text(body, 'involvement_id') || null;
  if (involvementId && !UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement this is about';
  return { errors, anchors, routesTried, involvementId };
}
