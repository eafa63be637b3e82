// The CSV import (issue 11 capability 15): read a file of one kind (docs/import.md), check every row (the declared
// inputs, then references and uniqueness in the database), and write it in one transaction: all or nothing unless
// `partial`, when the good rows are written and the others reported. The report names rows by line number and
// source_id and says which column to fix and how; it never quotes a cell.
import { parse } from 'csv-parse/sync';
import type { Db, Tx } from '../../db/database.ts';
import { COLUMNS, type Kind, readRow } from './layouts.ts';
import * as repo from './repository.ts';

/** Rows per statement: large enough to be set-based, small enough for the parameters and the progress bar. */
const CHUNK = 5000;

export interface Problem {
  /** The line in the file (the header is line 1); 0 for the file as a whole. */
  line: number;
  sourceId: string | null;
  field: string;
  message: string;
}

export interface Report {
  kind: Kind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not imported, each with its problems. */
  skipped: number;
  problems: Problem[];
  /** Whether anything was written. */
  written: boolean;
}

export interface Progress {
  start(total: number): void;
  advance(by: number): void;
  stop(): void;
}
const NO_PROGRESS: Progress = { start() {}, advance() {}, stop() {} };

const WRITERS = {
  people: { check: repo.checkPeople, write: repo.writePeople },
  teams: { check: repo.checkTeams, write: repo.writeTeams },
  involvements: { check: repo.checkInvolvements, write: repo.writeInvolvements },
  statuses: { check: repo.checkStatuses, write: repo.writeStatuses },
} as const;

/** The file's records with their line numbers, or the one problem that stops the file (bad CSV, wrong header). */
export function readCsv(
  kind: Kind,
  text: string,
): { records: { line: number; values: Record<string, string> }[] } | { problem: Problem } {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    return {
      problem: {
        line,
        sourceId: null,
        field: 'file',
        message: `Not a CSV file this import can read: ${(e as { code?: string }).code ?? 'parse error'} (check the quotes and the number of columns on this line)`,
      },
    };
  }
  const header =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/, 1)[0]
      ?.split(',')
      .map((h) => h.trim().replace(/^"|"$/g, '')) ?? [];
  const known = new Set(COLUMNS[kind].map((c) => c.name));
  const missing = COLUMNS[kind].filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  const unknown = header.filter((h) => !known.has(h));
  if (missing.length || unknown.length) {
    const parts = [
      ...(missing.length ? [`add the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
      ...(unknown.length ? [`remove or rename ${unknown.join(', ')}`] : []),
    ];
    return {
      problem: {
        line: 1,
        sourceId: null,
        field: 'header',
        message: `The header does not match the ${kind} layout in docs/import.md: ${parts.join('; ')}`,
      },
    };
  }
  return { records: rows.map((r) => ({ line: r.info.lines, values: r.record })) };
}

export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly today: () => string,
  ) {}

  async run(
    authorityId: string,
    kind: Kind,
    text: string,
    opts: { partial?: boolean; progress?: Progress } = {},
  ): Promise<Report> {
    const progress = opts.progress ?? NO_PROGRESS;
    const report: Report = {
      kind,
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      problems: [],
      written: false,
    };
    const csv = readCsv(kind, text);
    if ('problem' in csv) {
      report.problems.push(csv.problem);
      return report;
    }
    report.rows = csv.records.length;
    progress.start(csv.records.length * 2);
    const today = this.today();
    const records = csv.records;
    const seen = new Map<string, number>();
    /** The rows of records[from, to) that read well; the others' problems go in the report. */
    const readChunk = (from: number, to: number) => {
      const good: ({ line: number } & Record<string, unknown>)[] = [];
      for (const r of records.slice(from, to)) {
        const { input, errors } = readRow(kind, r.values, today);
        const sourceId = r.values.source_id || null;
        let ok = true;
        for (const [field, message] of Object.entries(errors)) {
          report.problems.push({ line: r.line, sourceId, field, message });
          ok = false;
        }
        if (sourceId && seen.has(sourceId)) {
          report.problems.push({
            line: r.line,
            sourceId,
            field: 'source_id',
            message: `The same source_id is on line ${seen.get(sourceId)}: each row needs its own`,
          });
          ok = false;
        } else if (sourceId) seen.set(sourceId, r.line);
        if (ok) good.push({ ...(input as object), line: r.line });
      }
      progress.advance(to - from);
      return good;
    };
    const sourceOf = new Map(records.map((r) => [r.line, r.values.source_id || null]));
    const { check, write } = WRITERS[kind];
    try {
      // Chunk by chunk in one transaction: the next chunk is read while the database writes the last one. A file
      // with any problem is rolled back whole (unless partial), so nothing of it stays written.
      await this.db.transaction().execute(async (tx: Tx) => {
        let writing: Promise<void> = Promise.resolve();
        let written = 0;
        for (let i = 0; i < records.length; i += CHUNK) {
          const good = readChunk(i, Math.min(records.length, i + CHUNK));
          await writing;
          const found = good.length ? await check(tx, authorityId, good as never) : [];
          for (const p of found) report.problems.push({ ...p, sourceId: sourceOf.get(p.line) ?? null });
          if (report.problems.length && !opts.partial) continue;
          const bad = new Set(found.map((p) => p.line));
          const rows = good.filter((r) => !bad.has(r.line));
          if (!rows.length) continue;
          written += rows.length;
          writing = write(tx, authorityId, rows as never).then((w) => {
            report.created += w.created;
            report.updated += w.updated;
            progress.advance(rows.length);
          });
        }
        await writing;
        report.skipped = new Set(report.problems.map((p) => p.line)).size;
        if (report.problems.length && !opts.partial) throw new NothingWritten();
        report.unchanged = written - report.created - report.updated;
        report.written = written > 0;
      });
    } catch (e) {
      report.written = false;
      report.created = report.updated = report.unchanged = 0;
      if (e instanceof NothingWritten) return finish(report);
      report.skipped = report.rows;
      report.problems.push({ line: 0, sourceId: null, field: 'file', message: databaseMessage(e) });
    } finally {
      progress.stop();
    }
    report.problems.sort((a, b) => a.line - b.line);
    return report;
  }
}

/** The file had problems and is not imported in part: its transaction is rolled back. */
class NothingWritten extends Error {}

function finish(r: Report): Report {
  r.problems.sort((a, b) => a.line - b.line);
  return r;
}

/** A refusal by the database as a fix, never its text (it can quote a value). */
function databaseMessage(e: unknown): string {
  const err = e as { code?: string; constraint?: string };
  if (err.constraint === 'never_unallocated')
    return 'Nothing was imported: a child on a child protection plan or in care would have no allocated worker. Import the involvements with their allocated workers before those statuses';
  if (err.code === '23505')
    return 'Nothing was imported: two rows, or a row and a record in Handover, share an identifier that must be unique';
  if (err.code === '23514')
    return 'Nothing was imported: a row breaks a rule of the database (for example an end date before the start date)';
  throw e;
}

/** The report as lines for the command line: what was imported, then each problem with its row and fix. */
export function reportLines(r: Report, partial: boolean): string[] {
  const lines = [
    `${r.kind}: ${r.rows} rows read; ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped} not imported.`,
  ];
  if (r.problems.length && !partial && !r.written && r.rows > 0)
    lines.push(
      'Nothing was imported: the file is imported whole or not at all. Fix these rows (or run with --partial):',
    );
  for (const p of r.problems)
    lines.push(
      p.line === 0
        ? p.message
        : `line ${p.line}${p.sourceId ? ` (source_id ${p.sourceId})` : ''}, ${p.field}: ${p.message}`,
    );
  return lines;
}
