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

type Line = { line: number; values: Record<string, string> };

/** A file-level problem (bad CSV) found while reading a later slice: the file is refused whole. */
class FileProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

function csvProblem(e: unknown, lineOffset: number): Problem {
  const line = (e as { lines?: number }).lines;
  return {
    line: line === undefined ? 0 : line + lineOffset,
    sourceId: null,
    field: 'file',
    message: `Not a CSV file this import can read: ${(e as { code?: string }).code ?? 'parse error'} (check the quotes and the number of columns on this line)`,
  };
}

/** The header's columns and where the rows start, or the problem that stops the file (a wrong header). */
export function readHeader(kind: Kind, text: string): { columns: string[]; start: number } | { problem: Problem } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const end = text.indexOf('\n', bom);
  const start = end === -1 ? text.length : end + 1;
  const header = text
    .slice(bom, start)
    .replace(/\r?\n$/, '')
    .split(',')
    .map((h) => h.trim().replace(/^"|"$/g, ''));
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
  return { columns: header, start };
}

/**
 * The rows after the header cut into slices of about `every` lines, each ending at a line end outside quotes (an
 * even number of quotes before it), so each slice parses alone and the first can be checked and written while the
 * rest are read. `line` is the file's line number before the slice's first line; `lines`, how many it has. Not a
 * smaller first slice: the foreign key checks of the timeline lines (events.person_id) are planned once per
 * connection, and planned against a table of a few hundred people they scan the table for every row.
 */
export function slices(text: string, start: number, every: number) {
  const out: { from: number; to: number; line: number; lines: number }[] = [];
  let from = start;
  let line = 1;
  let pos = start;
  let lines = 0;
  let quotes = 0;
  let before = 1;
  let q = text.indexOf('"', pos);
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    while (q !== -1 && q < end) {
      quotes++;
      q = text.indexOf('"', q + 1);
    }
    lines++;
    pos = end;
    if ((lines - before + 1 >= every && quotes % 2 === 0) || pos >= text.length) {
      out.push({ from, to: pos, line, lines: lines - before + 1 });
      from = pos;
      line += lines - before + 1;
      before = lines + 1;
    }
  }
  return out;
}

/** One slice's records with their line numbers in the file. */
function readSlice(text: string, slice: { from: number; to: number; line: number }, columns: string[]): Line[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text.slice(slice.from, slice.to), {
      columns,
      trim: true,
      skip_empty_lines: true,
      info: true,
    });
  } catch (e) {
    throw new FileProblem(csvProblem(e, slice.line));
  }
  return rows.map((r) => ({ line: r.info.lines + slice.line, values: r.record }));
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
    const head = readHeader(kind, text);
    if ('problem' in head) {
      report.problems.push(head.problem);
      return report;
    }
    const parts = slices(text, head.start, CHUNK);
    progress.start(parts.reduce((n, p) => n + p.lines, 0) * 2);
    const today = this.today();
    const seen = new Map<string, number>();
    const sourceOf = new Map<number, string | null>();
    /** The rows of one slice that read well; the others' problems go in the report. */
    const readChunk = (records: Line[]) => {
      const good: ({ line: number } & Record<string, unknown>)[] = [];
      for (const r of records) {
        const { input, errors } = readRow(kind, r.values, today);
        const sourceId = r.values.source_id || null;
        sourceOf.set(r.line, sourceId);
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
      report.rows += records.length;
      progress.advance(records.length);
      return good;
    };
    const { check, write } = WRITERS[kind];
    try {
      // Slice by slice in one transaction: the next slice is parsed and read while the database writes the last. A file
      // with any problem is rolled back whole (unless partial), so nothing of it stays written.
      await this.db.transaction().execute(async (tx: Tx) => {
        let writing: Promise<void> = Promise.resolve();
        let written = 0;
        for (const part of parts) {
          let good: ReturnType<typeof readChunk>;
          try {
            good = readChunk(readSlice(text, part, head.columns));
          } catch (e) {
            // Not CSV after all: the last slice's write ends before the transaction is rolled back.
            await writing.catch(() => undefined);
            throw e;
          }
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
      // Not CSV after all (an unclosed quote, a row with too many columns): the file is refused whole, as when the
      // first slice is bad, and only that is reported.
      if (e instanceof FileProblem) return { ...report, rows: 0, skipped: 0, problems: [e.problem] };
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
