// Where a document's bytes are kept: in PostgreSQL (document_contents, the default) or, when DOCUMENTS_DIR is set,
// in a file named by the document's id (never by anything the uploader typed). Reads check the SHA-256 recorded
// at upload, so a changed or damaged file is refused rather than handed out.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../../db/database.ts';
import * as repo from './repository.ts';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The stored bytes did not match their SHA-256, or were missing. */
export class DocumentDamaged extends Error {}

export class DocumentStore {
  constructor(private readonly dir: string | null) {}

  get kind(): 'database' | 'directory' {
    return this.dir ? 'directory' : 'database';
  }

  private fileOf(id: string): string {
    return path.join(this.dir as string, id);
  }

  /** Keeps the bytes, inside the caller's transaction (a file is written whole, then renamed into place). */
  async put(tx: Executor, id: string, bytes: Buffer): Promise<void> {
    if (!this.dir) return repo.insertContent(tx, id, bytes);
    await mkdir(this.dir, { recursive: true });
    const partial = `${this.fileOf(id)}.partial`;
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, this.fileOf(id));
  }

  async get(db: Executor, doc: { id: string; storage: 'database' | 'directory'; sha256: string }): Promise<Buffer> {
    let bytes: Buffer | null = null;
    if (doc.storage === 'database') bytes = (await repo.contentOf(db, doc.id))?.bytes ?? null;
    else if (this.dir) bytes = await readFile(this.fileOf(doc.id)).catch(() => null);
    if (!bytes || sha256(bytes) !== doc.sha256) throw new DocumentDamaged(doc.id);
    return bytes;
  }
}
