// `handover demo [--scale small|county] [--replace]`: the small demo (a few dozen young people, one of each
// role), or a county-sized authority beside it for trying Handover, and benchmarking it, at scale.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import {
  buildCounty,
  COUNTY_CODE,
  COUNTY_EMAIL_DOMAIN,
  CountyExists,
  CountyNotDeleted,
  CountyNotDemo,
  type CountyProgress,
  type CountySummary,
  countyExists,
} from '../modules/demo/county.ts';
import { DEMO_PASSWORD, ensureDemo } from '../modules/demo/seed.ts';
import { UserError } from './user-error.ts';

export type DemoScale = 'small' | 'county';
const SCALES: readonly DemoScale[] = ['small', 'county'];

/** Checks the options; a mistake gets one line saying what to type instead (quality.md R1). */
export function parseDemoOptions(opts: { scale?: string; replace?: boolean }): { scale: DemoScale; replace: boolean } {
  const scale = (opts.scale ?? 'small').trim().toLowerCase();
  if (!SCALES.includes(scale as DemoScale)) {
    throw new UserError(
      `--scale must be small or county, not ${JSON.stringify(opts.scale)}. Type: npx handover demo --scale small (a few dozen young people) or npx handover demo --scale county (30,000).`,
    );
  }
  const replace = opts.replace === true;
  if (replace && scale !== 'county') {
    throw new UserError(
      '--replace only rebuilds the county demo (the small demo is made once and kept). Type: npx handover demo --scale county --replace',
    );
  }
  return { scale: scale as DemoScale, replace };
}

const PHASES: Record<CountyProgress['phase'], string> = {
  organisation: 'teams and services',
  staff: 'staff',
  people: 'young people',
  plans: 'plans and actions',
  audit: 'audit history',
  statistics: 'statistics',
};

/** A bar on a terminal; plain lines (one per phase and every 10%) when stderr is a file or a pipe. */
function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format:
          'Building the county demo [{bar}] {percentage}% | {phase} | {value}/{total} staff, young people and audit events',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p: CountyProgress) {
        if (!started) bar.start(p.total, 0, { phase: PHASES[p.phase] });
        started = true;
        bar.update(p.done, { phase: PHASES[p.phase] });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastPhase = '';
  let lastTenth = -1;
  return {
    update(p: CountyProgress) {
      const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
      if (p.phase === lastPhase && tenth === lastTenth) return;
      lastPhase = p.phase;
      lastTenth = tenth;
      stream.write(
        `county demo: ${PHASES[p.phase]}, ${p.done.toLocaleString('en-GB')}/${p.total.toLocaleString('en-GB')} staff, young people and audit events (${Math.round((100 * p.done) / Math.max(1, p.total))}%)\n`,
      );
    },
    stop: () => {},
  };
}

const n = (x: number) => x.toLocaleString('en-GB');

function printCounty(s: CountySummary, baseUrl: string) {
  const c = s.counts;
  // Rows per second of the build alone: deleting an old county is a different (and slower) job.
  const secs = (s.ms - s.deleteMs) / 1000;
  const deleted = s.replaced ? ` after deleting the old one in ${(s.deleteMs / 1000).toFixed(1)} s` : '';
  console.log(
    `\nCounty demo built in ${secs.toFixed(1)} s${deleted}: ${n(s.rows)} rows, ${n(Math.round(s.rows / secs))} rows/s.`,
  );
  console.log(`  ${s.name} (authority code ${s.code})`);
  console.log(`  ${c.localities} localities, ${c.hubs} hubs, ${c.teams} teams, ${n(c.staff)} staff`);
  console.log(
    `  ${n(c.people)} young people aged 0-25: ${n(c.statuses)} statuses, ${n(c.contacts)} contacts, ${n(c.events)} timeline events`,
  );
  console.log(
    `  ${n(c.involvements)} involvements: ${n(c.openInvolvements)} open, ${n(c.allocated)} allocated, ${n(c.unallocated)} waiting for a worker`,
  );
  console.log(
    `  ${n(c.plans)} person-led plans with ${n(c.actions)} actions: ${n(c.overdueActions)} overdue, ${n(c.unownedActions)} with no owner`,
  );
  console.log(
    `  ${n(c.audit)} audit events in ${(s.auditMs / 1000).toFixed(1)} s (${n(Math.round(c.audit / Math.max(0.001, s.auditMs / 1000)))} a second, each hash-chained)`,
  );
  console.log(`\nSign in at ${baseUrl} (password for all: ${DEMO_PASSWORD}), for example:`);
  for (const u of s.signIns) {
    const caseload = u.caseload > 0 ? `  (${u.caseload} open cases)` : '';
    console.log(`  ${u.role.padEnd(18)} ${u.email}${caseload}`);
  }
}

export function registerDemoCommand(program: Command) {
  program
    .command('demo')
    .description('create demo data: --scale small (default) or --scale county (30,000 young people)')
    .option('--scale <size>', 'small or county', 'small')
    .option('--replace', 'delete the county demo and build it again')
    .action(async (raw: { scale?: string; replace?: boolean }) => {
      const { scale, replace } = parseDemoOptions(raw);
      const config = readConfig();
      if (!config.demoMode) {
        throw new UserError(
          'Demo data signs in with a published password, so it is only made in demo mode. For a throwaway database, run with DEMO_MODE=true.',
        );
      }
      const opened = await openDatabase(config);
      try {
        if (scale === 'small') {
          const demo = await ensureDemo(opened.db, { config });
          console.log(demo.created ? 'Demo created.' : 'Demo already present.');
          console.log(`\nSign in at ${config.baseUrl} (password for all: ${DEMO_PASSWORD}):`);
          for (const u of demo.users) console.log(`  ${u.role.padEnd(18)} ${u.email}`);
          return;
        }
        if (!replace && (await countyExists(opened.db))) throw exists();
        const progress = progressReporter();
        let summary: CountySummary;
        try {
          summary = await buildCounty(opened.db, {
            passwordHash: await hashPassword(DEMO_PASSWORD),
            now: new Date(),
            replace,
            onProgress: (p) => progress.update(p),
          });
        } catch (e) {
          if (e instanceof CountyExists) throw exists();
          if (e instanceof CountyNotDemo) throw new UserError(e.message);
          // A table that refers to the old county and cannot be emptied (no authority_id, or append-only).
          if (e instanceof CountyNotDeleted)
            throw new UserError(`${e.message}. See deleteDemoAuthority in src/modules/demo/county.ts.`);
          throw e;
        } finally {
          progress.stop();
        }
        printCounty(summary, config.baseUrl);
      } finally {
        await opened.close();
      }
    });
}

function exists() {
  return new UserError(
    `The county demo (authority ${COUNTY_CODE}) already exists: sign in as social.worker@${COUNTY_EMAIL_DOMAIN}, or rebuild it with: npx handover demo --scale county --replace`,
  );
}
