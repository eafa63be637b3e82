// Pure helpers for the sharing forms: an entry's values as the form shows them (for a correction), the values a
// decision prefills (a screening's level decision, a meeting decision), and the current entries with their history.
export type SourceKind = 'screening' | 'meeting';

type Entry = {
  id: string;
  corrects_id: string | null;
  decision: string;
  what: string;
  recipient_organisation: string;
  recipient_role: string | null;
  recipient_name: string | null;
  decided_on: string;
  purpose: string;
  necessity: string;
  lawful_basis: string;
  special_category: boolean;
  art9_condition: string | null;
  schedule1_condition: string | null;
  consent: string;
  views: string | null;
  person_told: boolean;
  not_told_reason: string | null;
  decided_by_name: string | null;
  reasoning: string;
  source_kind: string | null;
  source_id: string | null;
};

const parts = (iso: string) => {
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
};
const yn = (b: boolean) => (b ? 'yes' : 'no');

/** An entry's values in the form's shape (yes/no radios, date parts); the correction reason is left to fill. */
export function formValues(e: Entry): Record<string, unknown> {
  return {
    decision: e.decision,
    what: e.what,
    recipient_organisation: e.recipient_organisation,
    recipient_role: e.recipient_role,
    recipient_name: e.recipient_name,
    decided_on: parts(e.decided_on),
    purpose: e.purpose,
    necessity: e.necessity,
    lawful_basis: e.lawful_basis,
    special_category: yn(e.special_category),
    art9_condition: e.art9_condition,
    schedule1_condition: e.schedule1_condition,
    consent: e.consent,
    views: e.views,
    person_told: yn(e.person_told),
    not_told_reason: e.not_told_reason,
    decided_by_name: e.decided_by_name,
    reasoning: e.reasoning,
    source_kind: e.source_kind,
    source_id: e.source_id,
  };
}

const LEVELS: Record<string, string> = { low: 'low', medium: 'medium', high: 'high' };

/** What a screening's level decision prefills: the decision date, the purpose, the reasoning. */
export function fromScreening(s: {
  id: string;
  screened_on: string;
  proposed_level: string;
  proposed_reason: string | null;
  confirmed_level: string | null;
  confirmed_reason: string | null;
}) {
  const level = s.confirmed_level ?? s.proposed_level;
  const state = s.confirmed_level ? 'confirmed' : 'proposed';
  return {
    source_kind: 'screening',
    source_id: s.id,
    decided_on: parts(s.screened_on),
    what: `Exploitation screening of ${s.screened_on}: level ${LEVELS[level] ?? level} (${state})`,
    purpose: `Share the screening's level decision (${LEVELS[level] ?? level}) with the agencies who keep the young person safe`,
    reasoning: s.confirmed_reason ?? s.proposed_reason ?? '',
  };
}

/** What a meeting decision prefills: the meeting's date, what was decided. */
export function fromMeeting(m: {
  id: string;
  decision: string;
  created_at: Date;
  panel_name: string;
  meeting_date: string | null;
}) {
  const on = m.meeting_date ?? m.created_at.toISOString().slice(0, 10);
  return {
    source_kind: 'meeting',
    source_id: m.id,
    decided_on: parts(on),
    what: `${m.panel_name} decision of ${on}`,
    purpose: `Share what the ${m.panel_name} decided`,
    reasoning: m.decision,
  };
}

/** The entries no later entry corrects, newest first, each with the earlier versions it replaced (newest first). */
export function currentWithHistory<T extends { id: string; corrects_id: string | null }>(records: T[]) {
  const byId = new Map(records.map((r) => [r.id, r]));
  const corrected = new Set(records.map((r) => r.corrects_id).filter((x): x is string => x !== null));
  return records
    .filter((r) => !corrected.has(r.id))
    .map((r) => {
      const history: T[] = [];
      const seen = new Set([r.id]);
      let prev = r.corrects_id ? byId.get(r.corrects_id) : undefined;
      while (prev && !seen.has(prev.id)) {
        history.push(prev);
        seen.add(prev.id);
        prev = prev.corrects_id ? byId.get(prev.corrects_id) : undefined;
      }
      return { ...r, history };
    });
}
