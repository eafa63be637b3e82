// The data protection officer's CSV of the council's information-sharing decisions. Every cell is quoted, and one
// starting with = + - @ (or a tab or carriage return) is prefixed with ' so a spreadsheet never runs it as a formula.
import { csvCell as cell } from '../kit/csv.ts';
import { ART9_CONDITIONS, CONSENT, DECISIONS, LAWFUL_BASES, SCHEDULE1_CONDITIONS } from './schemas.ts';

const word = (list: Record<string, string>, k: string | null) => (k ? (list[k] ?? k) : '');

export interface CsvRow {
  id: string;
  case_number: string;
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
  recorded_by_name: string | null;
  reasoning: string;
  recorded_at: Date;
}

const HEAD = [
  'entry_id',
  'case_number',
  'corrects_entry',
  'decision',
  'what',
  'organisation',
  'role',
  'person',
  'decided_on',
  'purpose',
  'necessary_and_proportionate',
  'article_6_basis',
  'special_category',
  'article_9_condition',
  'schedule_1_condition',
  'consent',
  'views_expressed',
  'person_told',
  'why_not_told',
  'decided_by',
  'reasoning',
  'recorded_by',
  'recorded_at',
];

export function registerCsv(rows: CsvRow[]): string {
  const lines = rows.map((r) =>
    [
      r.id,
      r.case_number,
      r.corrects_id,
      word(DECISIONS, r.decision),
      r.what,
      r.recipient_organisation,
      r.recipient_role,
      r.recipient_name,
      r.decided_on,
      r.purpose,
      r.necessity,
      word(LAWFUL_BASES, r.lawful_basis),
      r.special_category ? 'yes' : 'no',
      word(ART9_CONDITIONS, r.art9_condition),
      word(SCHEDULE1_CONDITIONS, r.schedule1_condition),
      word(CONSENT, r.consent),
      r.views,
      r.person_told ? 'yes' : 'no',
      r.not_told_reason,
      r.decided_by_name ?? r.recorded_by_name,
      r.reasoning,
      r.recorded_by_name,
      r.recorded_at.toISOString(),
    ]
      .map(cell)
      .join(','),
  );
  return `${[HEAD.map(cell).join(','), ...lines].join('\r\n')}\r\n`;
}
