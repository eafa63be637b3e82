// A clamd of the tests' own (Debian's clamav-daemon, installed by .ci/run): foreground, on a unix socket in a temp
// directory, its database one signature of ours that finds the EICAR test file anywhere in a file. freshclam cannot
// reach ClamAV's feed from CI machines, and the system service is never used.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { clamdVersion } from '../src/modules/documents/scanner.ts';

const CLAMD = '/usr/sbin/clamd';

/** The EICAR anti-virus test file (eicar.org): harmless, and detected by every scanner. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** Starts clamd and waits until it answers; stopped when the test file ends. */
export async function startClamd(): Promise<{ socket: string; process: ChildProcess }> {
  if (!existsSync(CLAMD))
    throw new Error(`${CLAMD} is missing: install Debian's clamav-daemon (apt-get install -y clamav-daemon)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'handover-clamd-'));
  const db = path.join(dir, 'db');
  const socket = path.join(dir, 'clamd.sock');
  const log = path.join(dir, 'clamd.log');
  mkdirSync(db);
  // An extended signature (.ndb): name, any file type (0), any offset (*), the EICAR bytes in hex.
  writeFileSync(path.join(db, 'handover-test.ndb'), `Handover.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  const conf = path.join(dir, 'clamd.conf');
  writeFileSync(
    conf,
    [
      'Foreground yes',
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${db}`,
      `LogFile ${log}`,
      'StreamMaxLength 110M',
      'MaxFileSize 110M',
      'MaxScanSize 110M',
      '',
    ].join('\n'),
  );
  const child = spawn(CLAMD, ['-c', conf], { stdio: 'ignore' });
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  after(() => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited !== null) break;
    if (existsSync(socket)) {
      const ok = await clamdVersion({ socket }).then(
        () => true,
        () => false,
      );
      if (ok) return { socket, process: child };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const why = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : 'no log';
  child.kill('SIGKILL');
  throw new Error(`clamd did not start (exit ${exited}): ${why}`);
}
