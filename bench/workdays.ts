// P5: at least 1,000,000 working-day computations a second, so deadline sweeps over a whole caseload stay cheap.
//
// The floor is plain calendar-day arithmetic on the same inputs through the same string boundary
// (parse, add, format), measured in the same run: the ratio shows what the bank-holiday handling costs on top
// of work any date API must do, and stays meaningful on a slower or busier machine where the absolute
// number moves.
import { addWorkingDays, fromDayNumber, toDayNumber, workingDaysBetween } from '../src/domain/calendar.ts';

const TARGET = 1_000_000;
const INPUTS = 4096; // a power of two, so the index wraps with a mask
const SEED = 0x5eed2026;

interface Inputs {
  readonly from: string[];
  readonly to: string[];
  readonly n: number[];
}

// mulberry32: deterministic, so every run measures the same dates.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeInputs(): Inputs {
  const next = rng(SEED);
  // Live casework sits within a few years of now, but spread over 2000–2090 so computed (date-holidays)
  // years are exercised as much as published ones.
  const lo = toDayNumber('2000-01-01');
  const hi = toDayNumber('2090-12-31');
  const inputs: Inputs = { from: [], to: [], n: [] };
  for (let i = 0; i < INPUTS; i++) {
    const from = lo + Math.floor(next() * (hi - lo));
    inputs.from.push(fromDayNumber(from));
    inputs.to.push(fromDayNumber(from + Math.floor(next() * 200) - 20));
    inputs.n.push(Math.floor(next() * 100));
  }
  return inputs;
}

// Each round does one add and one between per input: 2 × INPUTS computations.
function workingDayRound(inputs: Inputs): number {
  let sink = 0;
  for (let i = 0; i < INPUTS; i++) {
    sink += addWorkingDays(inputs.from[i]!, inputs.n[i]!).length;
    sink += workingDaysBetween(inputs.from[i]!, inputs.to[i]!);
  }
  return sink;
}

function calendarDayRound(inputs: Inputs): number {
  let sink = 0;
  for (let i = 0; i < INPUTS; i++) {
    sink += fromDayNumber(toDayNumber(inputs.from[i]!) + inputs.n[i]!).length;
    sink += toDayNumber(inputs.to[i]!) - toDayNumber(inputs.from[i]!);
  }
  return sink;
}

/** Operations per second of `round`, run repeatedly for about `ms` milliseconds after a warm-up. */
function measure(round: (inputs: Inputs) => number, inputs: Inputs, ms: number): { opsPerSec: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < 20; i++) sink += round(inputs);
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 10; i++) sink += round(inputs);
    rounds += 10;
    elapsed = performance.now() - start;
  }
  return { opsPerSec: (rounds * 2 * INPUTS * 1000) / elapsed, sink };
}

export async function benchWorkdays(): Promise<{
  name: string;
  opsPerSec: number;
  floorOpsPerSec: number;
  ratio: number;
  target: string;
  pass: boolean;
}> {
  const inputs = makeInputs();
  // Building the index (and loading date-holidays) is a one-off per process; it is not what P5 measures.
  workingDaysBetween('2000-01-01', '2000-01-02');
  // Interleave the two measurements so a burst of machine noise hits both rather than one.
  let work = 0;
  let floor = 0;
  let sink = 0;
  for (let pass = 0; pass < 2; pass++) {
    const w = measure(workingDayRound, inputs, 500);
    const f = measure(calendarDayRound, inputs, 300);
    work = Math.max(work, w.opsPerSec);
    floor = Math.max(floor, f.opsPerSec);
    sink += w.sink + f.sink;
  }
  if (!Number.isFinite(sink)) throw new Error('benchmark sink is not finite');
  return {
    name: 'P5 working-day computations (addWorkingDays + workingDaysBetween)',
    opsPerSec: Math.round(work),
    floorOpsPerSec: Math.round(floor),
    ratio: work / floor,
    target: '≥ 1,000,000 working-day computations per second',
    pass: work >= TARGET,
  };
}
