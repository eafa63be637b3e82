// The backup file (docs/decisions.md, "Backup file format"): one file, no tar.
//   line 1   "HANDOVER-BACKUP 1\n"
//   then     each table's data as PostgreSQL COPY text, one section after another, no separators
//   then     the manifest, JSON (UTF-8)
//   last     a 64-byte trailer: "HANDOVER-MANIFEST <offset> <length>", space-padded, ending "\n"
// The manifest gives each section's offset and length in bytes, row count and SHA-256, so a reader checks every
// section before it restores anything.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { UserError } from './user-error.ts';

export const MAGIC = 'HANDOVER-BACKUP 1\n';
export const FORMAT_VERSION = 1;
const TRAILER_BYTES = 64;

export interface TableSection {
  name: string;
  columns: string[];
  rows: number;
  sha256: string;
  offset: number;
  bytes: number;
}

export interface Manifest {
  format: 'handover-backup';
  version: number;
  /** When the snapshot was taken (the database's clock, ISO 8601 UTC). */
  takenAt: string;
  /** The migrations the database had run, in name order: its migration level. */
  migrations: string[];
  tables: TableSection[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
}

export function trailer(offset: number, length: number): Buffer {
  const text = `HANDOVER-MANIFEST ${offset} ${length}`;
  return Buffer.from(`${text.padEnd(TRAILER_BYTES - 1, ' ')}\n`, 'utf8');
}

function notBackup(file: string, why: string): UserError {
  return new UserError(`${file} is not a Handover backup (${why}): give a file written by "npx handover backup".`);
}

/** Reads and checks the manifest; throws one clear line for anything that is not a backup of this format. */
export async function readManifest(file: string): Promise<Manifest> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}. Give the backup file's path.`,
    );
  }
  try {
    const { size } = await handle.stat();
    if (size < MAGIC.length + TRAILER_BYTES) throw notBackup(file, 'too short');
    const head = Buffer.alloc(MAGIC.length);
    await handle.read(head, 0, MAGIC.length, 0);
    if (head.toString('utf8') !== MAGIC) throw notBackup(file, 'no HANDOVER-BACKUP header');
    const tail = Buffer.alloc(TRAILER_BYTES);
    await handle.read(tail, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    const m = /^HANDOVER-MANIFEST (\d+) (\d+) *\n$/.exec(tail.toString('utf8'));
    if (!m) throw notBackup(file, 'no manifest trailer');
    const offset = Number(m[1]);
    const length = Number(m[2]);
    if (offset + length !== size - TRAILER_BYTES) throw notBackup(file, 'the manifest trailer does not fit the file');
    const body = Buffer.alloc(length);
    await handle.read(body, 0, length, offset);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(body.toString('utf8')) as Manifest;
    } catch {
      throw notBackup(file, 'the manifest is not JSON');
    }
    if (manifest.format !== 'handover-backup' || manifest.version !== FORMAT_VERSION) {
      throw notBackup(
        file,
        `format ${manifest.format} version ${manifest.version}, expected version ${FORMAT_VERSION}`,
      );
    }
    let end = MAGIC.length;
    for (const t of manifest.tables) {
      if (t.offset !== end) throw notBackup(file, `table ${t.name} is not where the manifest says`);
      end += t.bytes;
    }
    if (end !== offset) throw notBackup(file, 'the sections do not fill the file');
    return manifest;
  } finally {
    await handle.close();
  }
}

/** Every section's SHA-256 against the manifest: names the first table that differs. */
export async function checkSections(file: string, manifest: Manifest): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (const t of manifest.tables) {
      const hash = createHash('sha256');
      let done = 0;
      while (done < t.bytes) {
        const want = Math.min(chunk.length, t.bytes - done);
        const { bytesRead } = await handle.read(chunk, 0, want, t.offset + done);
        if (bytesRead === 0) break;
        hash.update(chunk.subarray(0, bytesRead));
        done += bytesRead;
      }
      if (hash.digest('hex') !== t.sha256) {
        throw new UserError(
          `${file} is damaged: the data of table ${t.name} does not match its checksum. Nothing was restored; use another backup.`,
        );
      }
    }
  } finally {
    await handle.close();
  }
}
