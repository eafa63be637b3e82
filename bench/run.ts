// `npm run bench`: the performance bars of quality.md as one table, and bench/results.json.
// Every figure is a ratio against a floor measured in the same run (these machines are shared and noisy);
// absolute figures are printed beside them.
//
//   npm run bench                      P5, P4, P6, then P1 and P2 against the county in bench/.data (built on first use)
//   npm run bench -- --only p1         some benchmarks: p1, p2, p4, p5, p6, search (F rows) or render (R1, R2), or a list (--only p1,p2)
//   npm run bench -- --rate 200        record pages offered per second for P1's latency bar (open loop; default 200)
//   npm run bench -- --seconds 5       shorter load runs (default 10 s per route)
//   npm run bench -- --rounds 5        slices per route, taken in turn with the other routes (default 3)
//   npm run bench -- --rebuild         build the county (or with --scale national, the national council) again
//   npm run bench -- --scale national  also P3: the radar and reports over one council of 500,000 (bench/.data-national)
//   npm run bench -- --only p3         P3 alone (builds the national council on first use: minutes, once)
//   npm run bench -- --runs 7          timed runs of each P3 report (default 7)
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openBenchDatabase } from './county-db.ts';
import type { LoadResult } from './load.ts';
import { openNationalDatabase } from './national-db.ts';
import { benchPersonPage, type P1Result } from './p1-person-page.ts';
import { benchMyWork } from './p2-my-work.ts';
import { benchNational, p3Rows } from './p3-national.ts';
import { benchDeadlineSweep } from './p4-deadline-sweep.ts';
import { benchImport } from './p6-import.ts';
import { benchRecordRender, benchRender } from './render.ts';
import { benchSearch, searchRows } from './search.ts';
import { benchWorkdays } from './workdays.ts';

interface Row {
  id: string;
  benchmark: string;
  measured: string;
  floor: string;
  ratio: string;
  target: string;
  /** null: shown for information, not a bar. */
  pass: boolean | null;
  /** Absolute figures: latencies, totals. */
  absolute: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);
const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(1)} ms`;

const BENCHES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'search', 'render'] as const;
type Bench = (typeof BENCHES)[number];

function usage(message: string): never {
  console.error(
    `${message}. Usage: npm run bench -- [--scale county|national] [--only p1|p2|p3|p4|p5|p6|search|render[,…]] [--runs 7] [--seconds 10] [--rounds 3] [--connections 50] [--rate 200] [--rebuild]`,
  );
  process.exit(2);
}

function parse() {
  let values: {
    only?: string;
    seconds?: string;
    rounds?: string;
    connections?: string;
    rate?: string;
    rebuild?: boolean;
    scale?: string;
    runs?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        only: { type: 'string' },
        seconds: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '3' },
        connections: { type: 'string', default: '50' },
        rate: { type: 'string', default: '200' },
        rebuild: { type: 'boolean', default: false },
        scale: { type: 'string', default: 'county' },
        runs: { type: 'string', default: '7' },
      },
    }));
  } catch (e) {
    usage((e as Error).message.split('\n')[0] ?? 'Bad arguments');
  }
  const only = values.only
    ?.toLowerCase()
    .split(',')
    .map((x) => x.trim());
  const unknown = only?.find((x) => !BENCHES.includes(x as Bench));
  if (unknown !== undefined) usage(`--only takes ${BENCHES.join(', ')} or a list of them, not "${unknown}"`);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) usage('--seconds must be a whole number, 1-600');
  const rounds = Number(values.rounds);
  // Slices shorter than 2 s are mostly ramp-up and the requests cut off at their end.
  if (!Number.isInteger(rounds) || rounds < 1 || seconds / rounds < 2)
    usage('--rounds must be a whole number from 1 to half of --seconds (slices of at least 2 s)');
  const connections = Number(values.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 1000)
    usage('--connections must be a whole number, 1-1000');
  const rate = Number(values.rate);
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000) usage('--rate must be a whole number, 1-10000');
  if (values.scale !== 'county' && values.scale !== 'national') usage('--scale takes county or national');
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) usage('--runs must be a whole number, 1-100');
  return { only, seconds, rounds, connections, rate, rebuild: values.rebuild === true, scale: values.scale, runs };
}

function p1Rows(p: P1Result): Row[] {
  const a = p.record;
  const m = p.mandatoryFloor;
  const b = p.dbFloor;
  const c = p.frameworkFloor;
  const o = p.arrival;
  const failures = [a, m, b, c].reduce((n, x) => n + x.non2xx + x.errors, 0);
  const latency = (l: LoadResult) => `p50 ${ms(l.latencyMs.p50)}, p99 ${ms(l.latencyMs.p99)}`;
  const vs = (x: LoadResult) => a.reqPerSec / x.reqPerSec;
  return [
    {
      id: 'P1a',
      benchmark: `Person record page vs mandatory-work floor (one statement), ${p.connections} connections`,
      measured: `${n0(a.reqPerSec)} req/s`,
      floor: `${n0(m.reqPerSec)} req/s`,
      ratio: pct(vs(m)),
      target: '≥ 60 %',
      pass: vs(m) >= 0.6 && failures === 0,
      absolute: `page ${latency(a)}, ${n0(p.pageBytes)} bytes; floor ${latency(m)}`,
    },
    {
      id: 'P1b',
      benchmark: 'Person record page vs one-lookup floor (1 primary-key read)',
      measured: `${n0(a.reqPerSec)} req/s`,
      floor: `${n0(b.reqPerSec)} req/s`,
      ratio: pct(vs(b)),
      target: '≥ 25 %',
      pass: vs(b) >= 0.25 && failures === 0,
      absolute: `floor ${latency(b)}`,
    },
    {
      id: 'P1c',
      benchmark: 'Person record page vs framework floor (trivial route)',
      measured: `${n0(a.reqPerSec)} req/s`,
      floor: `${n0(c.reqPerSec)} req/s`,
      ratio: pct(vs(c)),
      target: '',
      pass: null,
      absolute: `floor ${latency(c)}`,
    },
    {
      id: 'P1d',
      benchmark: `Person record page p99 at a fixed arrival rate (${o.rate} pages/s offered, open loop)`,
      measured: ms(o.latencyMs.p99),
      floor: '',
      ratio: '',
      target: '< 50 ms',
      pass: o.latencyMs.p99 < 50 && o.ok === o.offered,
      absolute: `p50 ${ms(o.latencyMs.p50)}, p95 ${ms(o.latencyMs.p95)}, max ${ms(o.latencyMs.max)}; ${n0(o.ok)} of ${n0(o.offered)} answered 2xx, ${o.non2xx + o.errors} not; generator lag ≤ ${ms(o.maxStartLagMs)}`,
    },
    {
      id: 'P1e',
      benchmark: `For information: record page p99 at ${p.connections} connections (closed loop)`,
      measured: ms(a.latencyMs.p99),
      floor: '',
      ratio: '',
      target: '',
      pass: null,
      absolute: `mean ${ms(a.latencyMs.mean)}, max ${ms(a.latencyMs.max)}; ${n0(a.ok)} pages, ${failures} errors or non-2xx (all routes)`,
    },
    {
      id: 'P1f',
      benchmark: 'For information: mandatory-work floor vs one-lookup floor',
      measured: `${n0(m.reqPerSec)} req/s`,
      floor: `${n0(b.reqPerSec)} req/s`,
      ratio: pct(m.reqPerSec / b.reqPerSec),
      target: '',
      pass: null,
      absolute: `its verdict matched the app's findRelationship for ${p.floorChecked} people`,
    },
    {
      id: 'P1i',
      benchmark: 'For information: the one-lookup floor for a signed-in user (session resolved by the app)',
      measured: `${n0(p.signedIn.reqPerSec)} req/s`,
      floor: `${n0(b.reqPerSec)} req/s`,
      ratio: pct(p.signedIn.reqPerSec / b.reqPerSec),
      target: '',
      pass: null,
      absolute: latency(p.signedIn),
    },
    {
      id: 'S6',
      benchmark: 'Access-log rows written == record pages + floor reads served (whole P1 run)',
      measured: `${n0(p.accessCheck.rows)} rows`,
      floor: `${n0(p.accessCheck.served + p.accessCheck.floorReads)} reads`,
      ratio: '',
      target: 'equal',
      pass: p.accessCheck.ok,
      absolute: `${n0(p.accessCheck.served)} pages, ${n0(p.accessCheck.floorReads)} floor reads`,
    },
    ...memoryRows(p),
  ];
}

/** Issue 16 part 8: the app's memory idle and under P1's load, below 512 MiB (the app runs in the bench's process). */
function memoryRows(p: P1Result): Row[] {
  const row = (id: string, what: string, mib: number): Row => ({
    id,
    benchmark: `Resident memory of the app's process (load generated by child processes), ${what}`,
    measured: `${n0(mib)} MiB`,
    floor: '',
    ratio: '',
    target: '< 512 MiB',
    pass: mib < 512,
    absolute: `RSS, ${what === 'idle' ? 'after start and 20 pages' : 'peak sampled every 100 ms during P1'}`,
  });
  return [row('M1', 'idle', p.memory.idleMiB), row('M2', 'under the P1 load', p.memory.peakMiB)];
}

function printTable(rows: Row[]) {
  const cols: (keyof Row)[] = ['id', 'benchmark', 'measured', 'floor', 'ratio', 'target', 'pass', 'absolute'];
  const cell = (r: Row, k: keyof Row) =>
    k === 'pass' ? (r.pass === null ? 'info' : r.pass ? 'pass' : 'FAIL') : String(r[k]);
  const widths = cols.map((k) => Math.max(k.length, ...rows.map((r) => cell(r, k).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((k) => cell(r, k))));
}

const opts = parse();
const started = new Date();
// Taken before and after: a load average well above the CPU count means another job shared the machine.
const loadBefore = os.loadavg()[0] ?? 0;
const rows: Row[] = [];
const raw: Record<string, unknown> = {};

// P3 needs the national council (minutes to build, once): run when asked for by --only p3 or --scale national.
const want = (id: Bench) =>
  opts.only === undefined ? id !== 'p3' || opts.scale === 'national' : opts.only.includes(id);

if (want('p5')) {
  log('P5: working-day arithmetic…');
  const p5 = await benchWorkdays();
  raw.p5 = p5;
  rows.push({
    id: 'P5',
    benchmark: 'Working-day computations (addWorkingDays + workingDaysBetween)',
    measured: `${n0(p5.opsPerSec)} ops/s`,
    floor: `${n0(p5.floorOpsPerSec)} ops/s`,
    ratio: pct(p5.ratio),
    target: '≥ 1,000,000 ops/s',
    pass: p5.pass,
    absolute: `${(1e9 / p5.opsPerSec).toFixed(0)} ns each (floor: calendar-day arithmetic)`,
  });
}

// P4 brings its own private cluster (a temporary directory): it needs neither the county nor bench/.data.
if (want('p4')) {
  const p4 = await benchDeadlineSweep({ log });
  raw.p4 = p4;
  rows.push(p4.row);
}

// P6 too: a private cluster, the import against COPY of the same rows.
if (want('p6')) {
  const p6 = await benchImport({ log, rows: Number(process.env.P6_ROWS) || undefined });
  raw.p6 = p6;
  rows.push(p6.row);
}

// Rendering needs no database: My work's page through the Nunjucks macros and through the typed components.
if (want('render')) {
  log('Render: My work, Nunjucks macros against the typed components…');
  const r = benchRender();
  raw.render = r;
  rows.push({
    id: 'R1',
    benchmark: 'Render: My work page (components, Nunjucks layout) against the macros',
    measured: `${r.afterPage.toFixed(3)} ms`,
    floor: `${r.beforePage.toFixed(3)} ms (macros)`,
    ratio: pct(r.pageRatio),
    target: '≤ 0.2 ms a page',
    pass: r.afterPage <= 0.2,
    absolute: `body ${r.afterBody.toFixed(3)} ms (macros ${r.beforeBody.toFixed(3)} ms); layout alone ${r.layoutOnly.toFixed(3)} ms; layout by components ${r.sketchPage === null ? 'not timed' : `${r.sketchPage.toFixed(3)} ms`}; ${n0(r.bytes)} bytes`,
  });
  log('Render: the record page, Nunjucks macros against the typed components…');
  const r2 = benchRecordRender();
  raw.renderRecord = r2;
  rows.push({
    id: 'R2',
    benchmark: 'Render: the record page (components, Nunjucks layout) against the macros',
    measured: `${r2.afterPage.toFixed(3)} ms`,
    floor: `${r2.beforePage.toFixed(3)} ms (macros)`,
    ratio: pct(r2.pageRatio),
    target: '≤ 0.2 ms a page',
    pass: r2.afterPage <= 0.2,
    absolute: `body ${r2.afterBody.toFixed(3)} ms (macros ${r2.beforeBody.toFixed(3)} ms); layout alone ${r2.layoutOnly.toFixed(3)} ms; layout by components ${r2.sketchPage === null ? 'not timed' : `${r2.sketchPage.toFixed(3)} ms`}; documents panel ${r2.documentsComponents.toFixed(3)} ms (its Nunjucks partial ${r2.documentsNunjucks.toFixed(3)} ms); ${n0(r2.bytes)} bytes`,
  });
}

if (want('p1') || want('p2') || want('search')) {
  // The pool the app would have in production (createDb's default).
  const bench = await openBenchDatabase({ rebuild: opts.rebuild, poolSize: 20, log });
  try {
    if (bench.county.source === 'built') {
      const s = bench.county.summary;
      const seconds = (s.ms - s.deleteMs) / 1000;
      raw.countyBuild = { seconds, rows: s.rows, rowsPerSec: s.rows / seconds, counts: s.counts };
    } else raw.countyBuild = { reused: true, people: bench.county.people, staff: bench.county.staff };
    const county: Row[] = [];
    if (want('p1')) {
      const p1 = await benchPersonPage({
        db: bench.db,
        url: bench.url,
        seconds: opts.seconds,
        rounds: opts.rounds,
        connections: opts.connections,
        rate: opts.rate,
        log,
      });
      raw.p1 = p1;
      county.push(...p1Rows(p1));
    }
    if (want('p2')) {
      // quality.md P2: 10 connections, whatever --connections says for P1.
      const p2 = await benchMyWork({
        db: bench.db,
        url: bench.url,
        seconds: opts.seconds,
        rounds: opts.rounds,
        connections: 10,
        log,
      });
      raw.p2 = p2;
      county.push(...p2.rows);
    }
    if (want('search')) {
      log('Search: a common surname and a name matching nobody, against the one-lookup floor…');
      const found = await benchSearch({ db: bench.db, iterations: 40, rounds: opts.rounds, log });
      raw.search = found;
      county.push(...searchRows(found));
    }
    rows.unshift(...county);
  } finally {
    await bench.close();
  }
}

if (want('p3')) {
  const national = await openNationalDatabase({ rebuild: opts.rebuild, poolSize: 20, log });
  try {
    raw.nationalBuild =
      national.source === 'built'
        ? { seconds: national.buildSeconds, counts: national.counts }
        : { reused: true, counts: national.counts };
    const p3 = await benchNational({ db: national.db, authorityId: national.authorityId, runs: opts.runs, log });
    raw.p3 = p3;
    rows.push(...p3Rows(p3));
  } finally {
    await national.close();
  }
}

const load = os.loadavg().map((x) => x.toFixed(1));
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, load average ${load.join(' ')}`;
console.log(`\nHandover benchmarks, ${started.toISOString()} — ${machine} (at start ${loadBefore.toFixed(1)})`);
if (Math.max(loadBefore, os.loadavg()[0] ?? 0) > os.cpus().length)
  console.log('The machine was busy with other work during this run: read the ratios, not the absolute figures.');
const build = raw.countyBuild as { seconds?: number; rows?: number; rowsPerSec?: number } | undefined;
if (build?.seconds !== undefined)
  console.log(
    `County demo built for this run in ${build.seconds.toFixed(1)} s: ${n0(build.rows ?? 0)} rows, ${n0(build.rowsPerSec ?? 0)} rows/s`,
  );
const national = raw.nationalBuild as { seconds?: number; counts: Record<string, number> } | undefined;
if (national?.seconds != null)
  console.log(
    `National council built for this run in ${national.seconds.toFixed(1)} s: ${n0(Object.values(national.counts).reduce((a, b) => a + b, 0))} rows`,
  );
console.log('');
printTable(rows);
await writeFile(
  path.join(HERE, 'results.json'),
  `${JSON.stringify({ ranAt: started.toISOString(), machine, loadBefore, options: opts, results: rows, raw }, null, 2)}\n`,
);
const failed = rows.filter((r) => r.pass === false).map((r) => r.id);
console.log(`\nWritten to bench/results.json. ${failed.length ? `FAIL: ${failed.join(', ')}.` : 'All pass.'}`);
// A failed bar fails the command, so a script or CI job can gate on it.
if (failed.length) process.exitCode = 1;
