// What a file is, read from its first bytes (file-type's magic numbers), never from its name or the type the
// browser sent. Only these kinds are taken: PDF, Word (DOCX, and DOC: an OLE compound file holding a WordDocument
// stream, so an Excel or other OLE file is not a "Word document"), and PNG, JPEG, GIF and TIFF images.
import { fileTypeFromBuffer } from 'file-type';

export interface Kind {
  mediaType: string;
  extension: string;
  label: string;
}

const ALLOWED: Record<string, Kind> = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    label: 'Word document',
  },
  doc: { mediaType: 'application/msword', extension: 'doc', label: 'Word 97-2003 document' },
  png: { mediaType: 'image/png', extension: 'png', label: 'PNG image' },
  jpg: { mediaType: 'image/jpeg', extension: 'jpg', label: 'JPEG image' },
  gif: { mediaType: 'image/gif', extension: 'gif', label: 'GIF image' },
  tif: { mediaType: 'image/tiff', extension: 'tif', label: 'TIFF image' },
};

/** The kinds in words, for messages: "PDF, Word document, ...". */
export const ALLOWED_WORDS = 'a PDF, a Word document (DOCX or DOC), or a PNG, JPEG, GIF or TIFF image';

const WORD_STREAM = Buffer.from('WordDocument', 'utf16le');

/** The allowed kind the bytes are, or null. */
export async function sniff(bytes: Buffer): Promise<Kind | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return null;
  if (found.ext === 'cfb') return bytes.includes(WORD_STREAM) ? (ALLOWED.doc as Kind) : null;
  return ALLOWED[found.ext] ?? null;
}

/** The label of a stored media type ("PDF"), for lists. */
export function labelOf(mediaType: string): string {
  return Object.values(ALLOWED).find((k) => k.mediaType === mediaType)?.label ?? mediaType;
}
