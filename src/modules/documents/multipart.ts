// Reads a multipart/form-data upload (the GOV.UK file upload form, or an API client) into an ordinary body before
// the CSRF check runs: the text fields as strings, and the one file with its bytes. A file over the limit is read to
// its end and dropped (`tooLarge`), so the page can say so next to the field instead of cutting the request off.
// @fastify/busboy is the streaming parser @fastify/multipart is built on; used directly because that plugin hands
// the fields over only after the app's own preValidation hooks (the CSRF check) have run.
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance } from 'fastify';

export interface Upload {
  field: string;
  /** The name the browser sent: shown to whoever uploaded it, never used for the type or in a URL. */
  filename: string;
  bytes: Buffer;
  tooLarge: boolean;
}

/** Is this body field an uploaded file? */
export function isUpload(v: unknown): v is Upload {
  return typeof v === 'object' && v !== null && Buffer.isBuffer((v as Upload).bytes);
}

/** Adds the parser to a scope (the documents routes only). */
export function acceptUploads(scope: FastifyInstance, maxBytes: number) {
  scope.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    let bb: BusboyInstance;
    try {
      bb = Busboy({
        headers: request.headers as BusboyHeaders,
        limits: { files: 1, fields: 20, fieldSize: 100_000, parts: 21, fileSize: maxBytes },
      });
    } catch {
      return done(Object.assign(new Error('The upload was not a valid form'), { statusCode: 400 }), undefined);
    }
    const body: Record<string, string | Upload> = {};
    // 'finish' can come before the last file's 'end': the body is handed over when both have happened.
    let open = 0;
    let finished = false;
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      if (err === null && (!finished || open > 0)) return;
      settled = true;
      done(err, err ? undefined : body);
    };
    bb.on('field', (name: string, value: string) => {
      if (!(name in Object.prototype)) body[name] = value;
    });
    bb.on('file', (name: string, file: NodeJS.ReadableStream, filename: string) => {
      open++;
      const chunks: Buffer[] = [];
      let tooLarge = false;
      file.on('data', (c: Buffer) => {
        if (!tooLarge) chunks.push(c);
      });
      file.on('limit', () => {
        tooLarge = true;
        chunks.length = 0;
      });
      file.on('end', () => {
        if (!(name in Object.prototype))
          body[name] = { field: name, filename: filename ?? '', bytes: Buffer.concat(chunks), tooLarge };
        open--;
        settle(null);
      });
    });
    bb.on('error', () => settle(Object.assign(new Error('The upload was not a valid form'), { statusCode: 400 })));
    bb.on('finish', () => {
      finished = true;
      settle(null);
    });
    payload.pipe(bb);
  });
}
