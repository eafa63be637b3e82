// The export of everything held about one young person, as released to the person who asked: a zip holding a
// readable, printable page (index.html), the same data as JSON (export.json) and the documents themselves. The review
// decisions are applied here: an item withheld keeps only its id and says so; a redacted note or contact keeps its
// shape with the third parties' text replaced; a redacted document's file is left out (a redacted copy goes
// separately). Nothing here reads the database: service.ts gathers, this shapes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, type Zippable, zipSync } from 'fflate';
import nunjucks from 'nunjucks';
import type { ReviewDecision } from '../../db/schema.ts';
import { formatDate } from '../../http/views.ts';
import type { Row } from './repository.ts';

export const REDACTED = '[Redacted: information about someone else]';
const NOTE_TEXT = ['present', 'what_happened', 'voice', 'summary'];
const CONTACT_TEXT = ['name', 'phone', 'email', 'address'];

export interface Gathered {
  request: Row;
  sections: { table: string; title: string; rows: Row[] }[];
  meetings: Row[];
  panelDecisions: Row[];
  decisions: Map<string, { decision: ReviewDecision; reason: string | null }>;
  names: Map<string, string>;
  /** Document bytes by id (only those included). */
  files: Map<string, Buffer>;
  generatedAt: Date;
}

const key = (table: string, id: unknown) => `${table}:${String(id)}`;
const withheld = (id: unknown) => ({ id, withheld: true, note: 'Withheld: it holds information about someone else' });

/** The sections with the review decisions applied. */
export function applyDecisions(g: Gathered) {
  const decisionOf = (table: string, id: unknown) => g.decisions.get(key(table, id))?.decision ?? 'include';
  return g.sections.map((s) => {
    const rows = s.rows.map((row): Row => {
      if (s.table === 'case_notes' || s.table === 'contacts' || s.table === 'documents') {
        const d = decisionOf(s.table, row.id);
        if (d === 'withhold') return withheld(row.id);
        if (d === 'redact' && s.table === 'contacts') return blank(row, CONTACT_TEXT);
        if (d === 'redact' && s.table === 'documents')
          return { ...row, file: null, note: 'Redacted: a redacted copy of this document is sent separately' };
        if (s.table === 'documents') return { ...row, file: fileName(row) };
      }
      if (s.table === 'case_note_versions') {
        const d = decisionOf('case_notes', row.note_id);
        if (d === 'withhold') return withheld(row.id);
        if (d === 'redact') return blank(row, NOTE_TEXT);
      }
      return row;
    });
    return { ...s, rows };
  });
}

function blank(row: Row, fields: string[]): Row {
  const out = { ...row };
  for (const f of fields) if (out[f] !== null && out[f] !== undefined) out[f] = REDACTED;
  return out;
}

/** documents/<id>-<title>.<ext>: the id keeps names unique; the title only in safe characters. */
export function fileName(row: Row): string {
  const title = String(row.title ?? 'document')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `documents/${String(row.id).slice(0, 8)}-${title || 'document'}.${String(row.extension ?? 'bin')}`;
}

const views = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(views), { autoescape: true });
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?$/;
const HIDDEN = new Set(['authority_id', 'person_id', 'hash', 'prev_hash']);

/** A column's value as people read it: names for staff and teams, dates in words, objects as JSON. */
function readable(names: Map<string, string>, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') {
    const name = names.get(value);
    if (name) return name;
    if (ISO_MOMENT.test(value)) return formatDate(value);
    return value;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ') || '—';
  return JSON.stringify(value, null, 1);
}

const label = (column: string) => (column.charAt(0).toUpperCase() + column.slice(1)).replace(/_/g, ' ');

/** The export's files: index.html, export.json and the documents, as one zip. */
export function buildExport(g: Gathered): { zip: Buffer; json: Record<string, unknown> } {
  const sections = applyDecisions(g);
  const counts = { withheld: 0, redacted: 0 };
  for (const d of g.decisions.values()) {
    if (d.decision === 'withhold') counts.withheld++;
    if (d.decision === 'redact') counts.redacted++;
  }
  const json = {
    format: 'handover-subject-access-export/1',
    generated_at: g.generatedAt.toISOString(),
    request: g.request,
    withheld_items: counts.withheld,
    redacted_items: counts.redacted,
    sections: Object.fromEntries(sections.map((s) => [s.table, s.rows])),
    meetings: g.meetings,
    panel_decisions: g.panelDecisions,
  };
  const shown = sections.map((s) => ({
    title: s.title,
    table: s.table,
    rows: s.rows.map((r) =>
      Object.entries(r)
        .filter(([k]) => !HIDDEN.has(k))
        .map(([k, v]) => ({
          // "Worker id" reads "Worker" once the id is a name.
          label: label(typeof v === 'string' && g.names.has(v) ? k.replace(/_id$/, '') : k),
          value: readable(g.names, v),
        })),
    ),
  }));
  const html = env.render('export.njk', {
    request: { ...g.request, received_on: formatDate(String(g.request.received_on)) },
    generatedAt: formatDate(g.generatedAt),
    counts,
    sections: shown,
    meetings: g.meetings.map((m) => ({ ...m, meeting_date: formatDate(String(m.meeting_date)) })),
    files: sections
      .find((s) => s.table === 'documents')
      ?.rows.filter((r) => typeof r.file === 'string')
      .map((r) => ({ title: r.title, file: r.file })),
  });
  const zippable: Zippable = {
    'index.html': strToU8(html),
    'export.json': strToU8(JSON.stringify(json, null, 2)),
  };
  for (const row of sections.find((s) => s.table === 'documents')?.rows ?? []) {
    const bytes = g.files.get(String(row.id));
    if (bytes && typeof row.file === 'string') zippable[row.file] = [new Uint8Array(bytes), { level: 0 }];
  }
  return { zip: Buffer.from(zipSync(zippable, { level: 6, mtime: g.generatedAt })), json };
}
