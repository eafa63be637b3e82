// A small client for clamd's INSTREAM command (ClamAV's clamd(8) manual, "INSTREAM"): the bytes go to the daemon in
// chunks, each with its 4-byte big-endian length, then a zero length; clamd answers "stream: OK" or
// "stream: <signature> FOUND". Our own, about sixty lines, rather than an npm client: the well-used one (clamscan)
// wraps the command-line scanners and temporary files we do not want, and the small ones are unmaintained.
import net from 'node:net';
import type { ClamdAddress } from '../../config.ts';

export type ScanResult = { clean: true; scannedWith: string } | { clean: false; signature: string };

/** clamd could not be reached or did not answer: the upload is refused, never taken unscanned. */
export class ScannerUnavailable extends Error {}

const CHUNK = 64 * 1024;
const TIMEOUT_MS = 30_000;

/** Sends one z-command (NUL-terminated) and returns clamd's answer without its trailing NUL. */
function ask(address: ClamdAddress, command: string, body?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = 'socket' in address ? net.connect(address.socket) : net.connect(address.port, address.host);
    const answer: Buffer[] = [];
    const fail = (why: string) => {
      socket.destroy();
      reject(new ScannerUnavailable(why));
    };
    socket.setTimeout(TIMEOUT_MS, () => fail('clamd did not answer in time'));
    socket.on('error', (e) => fail(`clamd could not be reached (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    socket.on('data', (d) => answer.push(d));
    socket.on('end', () => {
      socket.end();
      resolve(Buffer.concat(answer).toString('utf8').replace(/\0+$/, '').trim());
    });
    socket.on('connect', () => {
      socket.write(`z${command}\0`);
      if (body) {
        for (let at = 0; at < body.length; at += CHUNK) {
          const part = body.subarray(at, at + CHUNK);
          const size = Buffer.alloc(4);
          size.writeUInt32BE(part.length);
          socket.write(size);
          socket.write(part);
        }
        socket.write(Buffer.alloc(4));
      }
    });
  });
}

/** clamd's version and signature database ("ClamAV 1.4.6/27000/..."), recorded with each clean document. */
export function clamdVersion(address: ClamdAddress): Promise<string> {
  return ask(address, 'VERSION');
}

/** Scans the bytes; throws ScannerUnavailable when clamd cannot say (unreachable, timed out, an ERROR answer). */
export async function scan(address: ClamdAddress, bytes: Buffer): Promise<ScanResult> {
  const answer = await ask(address, 'INSTREAM', bytes);
  const found = /^stream: (.+) FOUND$/.exec(answer);
  if (found) return { clean: false, signature: found[1] as string };
  if (answer === 'stream: OK') return { clean: true, scannedWith: await clamdVersion(address) };
  throw new ScannerUnavailable(`clamd could not scan the file (${answer.slice(0, 200)})`);
}
