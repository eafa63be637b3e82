// The documents module's inputs, declared once: the text fields of an upload (the title, and what on the record it
// is about), read from the page form or the API's multipart body, and the file itself, read by `readUpload` with a
// message naming the field and the fix.
import { Type } from '@sinclair/typebox';
import type { DocumentTargetKind } from '../../db/schema.ts';
import { type Body, type FieldErrors, ValidationError } from '../../http/forms.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';
import { isUpload, type Upload } from './multipart.ts';
import { ALLOWED_WORDS } from './sniff.ts';

/** What a document can be about, besides the record itself, in words. */
export const TARGET_KINDS: Record<DocumentTargetKind, string> = {
  person: 'The record',
  advice_request: 'EHCP advice request',
  transfer: 'Transfer',
  referral: 'Referral',
  meeting: 'Panel meeting item',
};
const KIND_KEYS = Object.keys(TARGET_KINDS) as DocumentTargetKind[];

const UploadFields = input(
  {
    title: f.text('Title', 200, { hint: 'For example Speech and language therapy advice, March 2026' }),
    target_kind: f.choice('What it is about', KIND_KEYS, {
      invalid: 'What it is about must be person, advice_request, transfer, referral or meeting',
      fallback: () => 'person' as const,
    }),
    target_id: f.id('Reference of what it is about', {
      invalid: 'Reference of what it is about must be the id of the advice request, transfer, referral or meeting',
    }),
  },
  {
    check: (v): FieldErrors =>
      v.target_kind && v.target_kind !== 'person' && !v.target_id
        ? { target_id: 'Give the id of the advice request, transfer, referral or meeting the document is about' }
        : {},
  },
);

/** The multipart body the API takes (documented for OpenAPI; the file arrives as the part named "file"). */
export const UploadBody = Type.Object(
  {
    file: Type.String({ format: 'binary', description: `The file: ${ALLOWED_WORDS}` }),
    title: Type.Optional(Type.String({ maxLength: 200, description: 'The title (default: the file name)' })),
    target_kind: Type.Optional(Type.Union(KIND_KEYS.map((k) => Type.Literal(k)))),
    target_id: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { description: 'multipart/form-data' },
);

export interface UploadInput {
  title: string;
  target: { kind: DocumentTargetKind; id: string | null };
  upload: Upload;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Reads an upload with every message at once; throws a ValidationError naming each field, or returns the input. */
export function readUpload(body: Body | Record<string, unknown>, maxBytes: number, today: string): UploadInput {
  const text: Body = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') text[k] = v;
  const { input: v, errors } = UploadFields.read(text, { today });
  const file = (body as Record<string, unknown>).file;
  if (!isUpload(file) || (file.bytes.length === 0 && !file.tooLarge && file.filename === ''))
    errors.file = 'Select a file to upload';
  else if (file.tooLarge) errors.file = `The selected file must be smaller than ${mb(maxBytes)}`;
  else if (file.bytes.length === 0) errors.file = 'The selected file is empty';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const upload = file as Upload;
  const kind = v.target_kind ?? 'person';
  const fromName = upload.filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return {
    title: v.title ?? (fromName.slice(0, 200) || 'Document'),
    target: { kind, id: kind === 'person' ? null : (v.target_id ?? null) },
    upload,
  };
}
export type UploadFields = InputOf<typeof UploadFields>;

/**
 * A file a form may leave out (the advice giver's advice form, where attaching the advice is a choice): null when no
 * file was chosen (a browser sends an empty part with no name); otherwise read as `readUpload` reads it, with the
 * same messages on the field "file".
 */
export function readOptionalUpload(
  body: Body | Record<string, unknown>,
  maxBytes: number,
  today: string,
): Omit<UploadInput, 'target'> | null {
  const file = (body as Record<string, unknown>).file;
  if (!isUpload(file) || (file.bytes.length === 0 && !file.tooLarge && file.filename === '')) return null;
  const { title, upload } = readUpload({ file }, maxBytes, today);
  return { title, upload };
}
