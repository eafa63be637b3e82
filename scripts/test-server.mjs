// The server pass (issue 18): runs the suite, except the browser tests, against a PostgreSQL server rather than the
// embedded one — by default Debian's postgresql-15, the oldest version Handover supports. It makes a throwaway
// cluster of its own (initdb into a temporary directory, 127.0.0.1 only, a free port, as the `postgres` user when run
// as root: PostgreSQL refuses root), hands its superuser URL to test/global-setup.ts as HANDOVER_TEST_SERVER_URL,
// runs scripts/run-tests.mjs (the same gate as npm test) and stops and removes the cluster whatever happened.
// Usage: npm run test:server [-- test files…]   (HANDOVER_PG_BINDIR picks another server's bin directory.)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, globSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const started = Date.now();
const bindir = process.env.HANDOVER_PG_BINDIR || '/usr/lib/postgresql/15/bin';
const bin = (name) => path.join(bindir, name);
if (!existsSync(bin('initdb')) || !existsSync(bin('pg_ctl'))) {
  console.error(
    `No PostgreSQL server in ${bindir}. Install Debian's server package (apt-get install postgresql-15), or set HANDOVER_PG_BINDIR to the bin directory of another PostgreSQL 15 or later.`,
  );
  process.exit(1);
}

/** PostgreSQL refuses to run as root: as root, every server command runs as the `postgres` user. */
function runAs() {
  if (os.userInfo().uid !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
const user = runAs();

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const work = mkdtempSync(path.join(os.tmpdir(), 'handover-pg-server-'));
const data = path.join(work, 'data');
const log = path.join(work, 'server.log');
const password = randomBytes(18).toString('base64url');
writeFileSync(path.join(work, 'pwfile'), `${password}\n`, { mode: 0o600 });
if (user.uid !== undefined) chownSync(work, user.uid, user.gid);
if (user.uid !== undefined) chownSync(path.join(work, 'pwfile'), user.uid, user.gid);

function server(args, what) {
  const r = spawnSync(bin(args[0]), args.slice(1), {
    ...user,
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  if (r.status !== 0) {
    const detail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${detail}`);
  }
  return r.stdout;
}

let running = false;
function stopServer() {
  if (!running) return;
  running = false;
  try {
    server(['pg_ctl', '-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], 'Stopping the PostgreSQL server');
  } catch (e) {
    console.error(e.message);
  }
}
function cleanUp() {
  stopServer();
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

let code = 1;
try {
  const port = await freePort();
  // The superuser is `postgres` whoever runs this (the tests name it); passwords for every TCP connection.
  server(
    [
      'initdb',
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${path.join(work, 'pwfile')}`,
      '--auth-host=scram-sha-256',
      '--auth-local=peer',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ],
    'initdb',
  );
  // A throwaway cluster: fsync off (nothing here must survive a crash; the crash tests start their own clusters).
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${work}`,
    '-c max_connections=300',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  server(
    ['pg_ctl', '-D', data, '-l', log, '-o', options, '-w', '-t', '120', 'start'],
    'Starting the PostgreSQL server',
  );
  running = true;
  const version = server(['postgres', '--version'], 'postgres --version').trim();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  console.log(`Server pass: ${version} on 127.0.0.1:${port} (cluster in ${data}).`);

  // Every test file except the browser tests (they run in the embedded pass, npm test) and the files that never
  // touch this server: the process lifecycle and database-death tests start embedded clusters of their own, and the
  // replica test builds its own PostgreSQL 15 primary and replica; here they would only repeat the embedded pass.
  const ownClusters = /^(lifecycle-.*|db-death|read-replica)\.test\.ts$/;
  const files =
    process.argv.length > 2
      ? process.argv.slice(2)
      : globSync(['src/**/*.test.ts', 'test/**/*.test.ts'])
          .filter((f) => !f.split(path.sep).includes('browser') && !ownClusters.test(path.basename(f)))
          .sort();
  const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...files], {
    stdio: 'inherit',
    env: { ...process.env, HANDOVER_TEST_SERVER_URL: url },
  });
  code = result.status ?? 1;
} catch (e) {
  console.error(`Server pass: ${e.message}`);
  code = 1;
} finally {
  cleanUp();
}
console.log(`Server pass ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s.`);
process.exit(code);
