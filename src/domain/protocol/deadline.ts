// A step's deadline from its definition: the date it is due, and the rule and inputs it came from.
import { computeDeadline, defineClockRule } from '../clocks.ts';
import type { DeadlineDef } from './definition.ts';

export interface StepDeadline {
  due: string;
  /** "5 working days from the start of this step on 2026-11-23 (Cumbria EHCP advice query protocol)" */
  explanation: string;
  source: string;
}

/** Words for an anchor name in "… from <anchor>". */
export function anchorLabel(name: string): string {
  if (name === 'step') return 'the start of this step';
  if (name === 'started') return 'the start of the protocol';
  return `the ${name.replace(/_/g, ' ')}`;
}

/**
 * anchors: named dates for this instance ('started', 'request', …); stepEntered: the day this step began.
 * Returns null when the anchor the deadline counts from has not been recorded yet.
 */
export function stepDeadline(
  def: DeadlineDef,
  ctx: { protocolId: string; version: number; stepId: string; stepEntered: string; anchors: Record<string, string> },
): StepDeadline | null {
  const source0 = def.source ?? `protocol ${ctx.protocolId} version ${ctx.version}`;
  const fixed = 'on' in def ? def.on : def.dueOn;
  if (fixed && ctx.anchors[fixed])
    return {
      due: ctx.anchors[fixed],
      explanation: `${anchorLabel(fixed)} recorded for this case, ${ctx.anchors[fixed]} (${source0})`,
      source: source0,
    };
  if ('on' in def) return null;
  const from = def.from ?? 'step';
  const anchorDate = from === 'step' ? ctx.stepEntered : ctx.anchors[from];
  if (!anchorDate) return null;
  const source = source0;
  const base = {
    id: `${ctx.protocolId}:${ctx.stepId}`,
    title: ctx.stepId,
    anchor: anchorLabel(from),
    source,
    basis: def.source ? ('statutory' as const) : ('local' as const),
  };
  const rule =
    'workingDays' in def
      ? defineClockRule({ ...base, kind: 'workingDays', n: def.workingDays })
      : 'weeks' in def
        ? defineClockRule({ ...base, kind: 'weeks', n: def.weeks })
        : defineClockRule({ ...base, kind: 'calendarDays', n: def.days, beginningWith: def.beginningWith ?? false });
  const d = computeDeadline(rule, anchorDate);
  return { due: d.due, explanation: d.explanation, source };
}
