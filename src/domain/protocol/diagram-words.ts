// The wording shared by the diagram's boxes and the text outline beside it: deadlines, who is responsible,
// overdue rungs and end results, so the picture and its text alternative always say the same thing.
import { isRole, ROLES } from '../roles.ts';
import { anchorLabel } from './deadline.ts';
import type { DeadlineDef, OverdueRung, ProtocolDefinition } from './definition.ts';

/** One step of the outline: what the diagram's box says, in words, in the order a case meets the steps. */
export interface StepOutline {
  id: string;
  title: string;
  /** Who is responsible, in words: "Line manager", "SEND manager", "Advice giver’s line manager". */
  responsible: string;
  /** "5 working days", "20 weeks from the request", or null when the step has no deadline. */
  deadline: string | null;
  /** Where the deadline comes from, when the protocol says ("SEND Regulations 2014 reg 13(2)"). */
  deadlineSource: string | null;
  /** The overdue ladder, one rung each: "remind", "escalate to line manager 1 working day later". */
  overdue: string[];
  outcomes: {
    id: string;
    label: string;
    /** The next step's title, or "End: <result>". */
    next: string;
  }[];
}

export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The deadline in words, as the step's box and the outline show it. */
export function deadlineWords(d: DeadlineDef): string {
  if ('on' in d) return `on ${anchorLabel(d.on)}`;
  const unless = d.dueOn ? `, or on ${anchorLabel(d.dueOn)} if one is set` : '';
  return `${countWords(d)}${unless}`;
}

function countWords(d: Exclude<DeadlineDef, { on: string }>): string {
  const from = d.from && d.from !== 'step' ? d.from : null;
  if ('workingDays' in d) return `${plural(d.workingDays, 'working day')}${from ? ` from ${anchorLabel(from)}` : ''}`;
  if ('weeks' in d) return `${plural(d.weeks, 'week')}${from ? ` from ${anchorLabel(from)}` : ''}`;
  if (d.beginningWith)
    return `${plural(d.days, 'day')} beginning with ${from ? `the day of ${anchorLabel(from)}` : 'the day the step starts'}`;
  return `${plural(d.days, 'day')}${from ? ` from ${anchorLabel(from)}` : ''}`;
}

const RELATIVE_WORDS: Record<string, string> = {
  allocated_worker: 'allocated worker',
  line_manager: 'line manager',
  team_manager: 'team manager',
  service_manager: 'service manager',
  service_lead: 'service lead',
  forum_chair: 'forum chair',
  starter: 'whoever started it',
  starter_line_manager: 'line manager of whoever started it',
  receiving_team_manager: 'team manager of the receiving team',
};

/** "Advice giver" → "advice giver", but "SENCO" stays "SENCO". */
function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export function upperFirst(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function userFieldLabels(def: ProtocolDefinition): Map<string, string> {
  const labels = new Map<string, string>();
  for (const s of def.steps)
    for (const f of s.fields ?? []) if (f.type === 'user' && !labels.has(f.name)) labels.set(f.name, f.label);
  return labels;
}

/** A responsible reference in words, lower case to sit inside a sentence: "escalate to line manager". */
export function whoWords(ref: string, fields: Map<string, string>): string {
  const relative = RELATIVE_WORDS[ref];
  if (relative) return relative;
  const fieldLabel = (name: string) => lowerFirst(fields.get(name) ?? name.replace(/_/g, ' '));
  if (ref.startsWith('role:')) {
    const role = ref.slice(5);
    return isRole(role) ? lowerFirst(ROLES[role].label) : role.replace(/_/g, ' ');
  }
  if (ref.startsWith('service:')) return ref.slice(8);
  if (ref.startsWith('field:')) return fieldLabel(ref.slice(6));
  if (ref.startsWith('line_manager_of:')) return `${fieldLabel(ref.slice(16))}’s line manager`;
  return ref.replace(/_/g, ' ');
}

export function rungWords(rung: OverdueRung, fields: Map<string, string>, titleOf: (id: string) => string): string {
  const what =
    rung.action === 'remind'
      ? 'remind'
      : rung.action === 'move'
        ? `move on to “${titleOf(rung.to ?? '')}”`
        : `${rung.action === 'escalate' ? 'escalate to' : 'notify'} ${whoWords(rung.to ?? '', fields)}`;
  const n = rung.after ? ('workingDays' in rung.after ? rung.after.workingDays : rung.after.days) : 0;
  const from = rung.from ? ` from ${rung.from.replace(/_/g, ' ')}` : '';
  if (!rung.after || n === 0) return rung.from ? `${what}, not before${from}` : what;
  return `${what} ${plural(n, 'workingDays' in rung.after ? 'working day' : 'day')} ${rung.from ? `after${from.replace(' from', '')}` : 'later'}`;
}

/** An end result as people read it: "follow_up_closed" → "End: follow up closed". */
export function endWords(result: string): string {
  return `End: ${result.replace(/_/g, ' ')}`;
}

/** One sentence per step, for the SVG's <desc> and each box's <title>. */
export function stepSentence(n: number, s: StepOutline): string {
  const parts = [`Step ${n}: ${s.title}.`, `Responsible: ${s.responsible}.`];
  if (s.deadline) parts.push(`Deadline: ${s.deadline}.`);
  if (s.overdue.length) parts.push(`When overdue: ${s.overdue.join(', then ')}.`);
  if (s.outcomes.length) parts.push(`Outcomes: ${s.outcomes.map((o) => `${o.label} → ${o.next}`).join('; ')}.`);
  return parts.join(' ');
}
