// Optimistic locking for records edited by one form or one PUT/PATCH (quality.md R3): the caller sends the version it
// read, in the body (`version`) or, as HTTP has it, in the If-Match header; a write that finds another version is
// refused (409, StaleVersion) instead of overwriting what someone else saved. A page form that meets it shows itself
// again with a GOV.UK error summary saying to reload.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Conflict } from './errors.ts';
import { type Body, type FieldErrors, ValidationError } from './forms.ts';
import { f } from './schema-input.ts';

/** The version field of an input: optional in the body, because If-Match may carry it instead. */
export const versionField = f.integer('Version', 1, 2_147_483_647, {
  hint: 'The version you read (the record’s GET returns it); or send it as the If-Match header. A stale version is refused (409)',
  invalid: 'version must be the whole number you read with the record, from 1 to 2147483647',
});

/** The If-Match header in the OpenAPI document (Fastify checks it too). */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The version you read, as "3" (instead of version in the body)', maxLength: 40 }),
  ),
});

const IF_MATCH = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/;

/** The body with the If-Match header's version in it, when the header is sent; a bad or different one is a 400. */
export function bodyWithVersion(request: FastifyRequest): Body {
  const body = { ...((request.body ?? {}) as Body) };
  const header = request.headers['if-match'];
  if (header === undefined) return body;
  const m = IF_MATCH.exec(String(header));
  if (!m) throw new ValidationError({ version: 'The If-Match header must be the version you read, like "3"' });
  const fromHeader = Number(m[1]);
  if (body.version !== undefined && body.version !== null && Number(body.version) !== fromHeader)
    throw new ValidationError({
      version: `version ${String(body.version)} and If-Match ${fromHeader} differ: send the version you read once`,
    });
  body.version = fromHeader;
  return body;
}

/** Someone else saved the record since the caller read it. */
export class StaleVersion extends Conflict {
  constructor(
    readonly what: string,
    sent: number,
    readAgain: string,
  ) {
    super(
      `Someone else changed this ${what} since you read it: version ${sent} is not the current one. Read it again (${readAgain}), then send your change with the version it shows.`,
    );
  }
}

/** What to say when no version was sent. */
export const versionMissing = (readAgain: string) =>
  `version is required: send the version you read (${readAgain} returns it), in the body or as If-Match`;

/** The version the caller sent, or a 400 naming the field when they sent none. */
export function requireVersion(version: number | null | undefined, readAgain: string): number {
  if (version === null || version === undefined) throw new ValidationError({ version: versionMissing(readAgain) });
  return version;
}

/** Refuses (409) when the record is now at another version than the one the caller read. */
export function checkVersion(what: string, current: number, sent: number, readAgain: string): void {
  if (current !== sent) throw new StaleVersion(what, sent, readAgain);
}

/**
 * A page form's save that met StaleVersion: the form again (409) with what was typed, its GOV.UK error summary saying
 * someone else changed the record and linking to the page to reload. Anything else is thrown on.
 */
export function staleForm(
  reply: FastifyReply,
  e: unknown,
  reload: string,
  again: (shown: { errors: FieldErrors; errorList: { text: string; href: string }[] }) => unknown,
) {
  if (!(e instanceof StaleVersion)) throw e;
  const text = `Someone else changed this ${e.what} while you were editing it. Reload the page to see their changes, then make yours again.`;
  reply.code(409);
  return again({ errors: { version: text }, errorList: [{ text, href: reload }] });
}
