// A PostgreSQL 15 server of the test's own (Debian's postgresql-15 binaries, as a council's server or the CI has
// them), for the tests that need a real server rather than the embedded one: a primary with replication allowed, and
// a streaming replica made from it with pg_basebackup -R (test/read-replica.test.ts). 127.0.0.1 and free ports only;
// as root (the CI), every server program runs as the `postgres` user, which PostgreSQL requires.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { freePort } from './serve-process.ts';

export const PG15_BIN = process.env.PG15_BIN || '/usr/lib/postgresql/15/bin';

/** Fails with what to install when the PostgreSQL 15 server programs are missing. */
export function requirePg15(): void {
  for (const program of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'])
    if (!existsSync(path.join(PG15_BIN, program)))
      throw new Error(
        `PostgreSQL 15 server programs not found (${path.join(PG15_BIN, program)} is missing): install Debian's postgresql-15 package (apt-get install postgresql-15), or set PG15_BIN to the directory holding initdb, pg_ctl and pg_basebackup.`,
      );
}

function runAs(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Runs one of the server programs (as `postgres` under root); throws with its output when it fails. */
export function pgTool(program: string, args: string[]): string {
  const r = spawnSync(path.join(PG15_BIN, program), args, {
    ...runAs(),
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', PGUSER: 'postgres' },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface Server {
  dir: string;
  port: number;
  /** A connection string on this server as `user` (trust authentication: no password needed). */
  url(database: string, user?: string): string;
  start(): void;
  /** Fast shutdown, waited for. */
  stop(): void;
  /** Runs SQL as the superuser on database `postgres` (or the one named). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, database?: string): Promise<R[]>;
}

function server(dir: string, port: number, socketDir: string): Server {
  const url = (database: string, user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
  return {
    dir,
    port,
    url,
    start: () =>
      pgTool('pg_ctl', [
        '-D',
        dir,
        '-l',
        `${dir}.log`,
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -k ${socketDir}`,
        'start',
      ]),
    stop: () => {
      pgTool('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']);
    },
    async query(text, database = 'postgres') {
      const c = new pg.Client({ connectionString: url(database) });
      await c.connect();
      try {
        return (await c.query(text)).rows;
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh base directory (readable by `postgres`), removed with every server in it when the file's tests end. */
async function baseDir(): Promise<string> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'handover-pg15-'));
  await fs.chmod(base, 0o755);
  const { uid, gid } = runAs();
  if (uid !== undefined && gid !== undefined) await fs.chown(base, uid, gid);
  return base;
}

/** A primary on a free port, started, with streaming replication allowed from 127.0.0.1. */
export async function startPrimary(): Promise<{ base: string; primary: Server & { replica(): Promise<Server> } }> {
  requirePg15();
  const base = await baseDir();
  const dir = path.join(base, 'primary');
  const primary = server(dir, await freePort(), base);
  const servers = [primary];
  after(async () => {
    for (const s of servers) {
      try {
        pgTool('pg_ctl', ['-D', s.dir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not running
      }
    }
    await fs.rm(base, { recursive: true, force: true });
  });
  // Trust on 127.0.0.1 (initdb's pg_hba.conf then also allows replication connections from there): a throwaway test
  // server on the loopback only. A council's server uses scram-sha-256 (docs/deploying.md).
  pgTool('initdb', ['-D', dir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C']);
  await fs.appendFile(
    path.join(dir, 'postgresql.conf'),
    '\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\nsynchronous_commit = on\n',
  );
  primary.start();
  return {
    base,
    primary: Object.assign(primary, {
      /** A streaming replica of this primary (pg_basebackup -R), started on a free port. */
      replica: async (): Promise<Server> => {
        const rdir = path.join(base, `replica-${servers.length}`);
        pgTool('pg_basebackup', [
          '-h',
          '127.0.0.1',
          '-p',
          String(primary.port),
          '-U',
          'postgres',
          '-D',
          rdir,
          '-R',
          '-X',
          'stream',
          '-c',
          'fast',
        ]);
        const replica = server(rdir, await freePort(), base);
        servers.push(replica);
        replica.start();
        return replica;
      },
    }),
  };
}
