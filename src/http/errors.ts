// One error handler for the whole app: users never see stack traces, SQL or file paths.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from './forms.ts';
import { fieldMessages, type SchemaRefusal } from './validation-messages.ts';

export class NotFound extends Error {}
export class Forbidden extends Error {
  constructor(
    message = 'You do not have access to this',
    readonly breakGlassPersonId: string | null = null,
  ) {
    super(message);
  }
}
/** Someone else changed the record since it was read (quality.md R3). */
export class Conflict extends Error {}

const TITLES: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'You need to sign in',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'Someone else changed this record',
  413: 'The request is too large',
  415: 'That kind of request is not accepted',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

/**
 * The database cannot be reached or is shutting down (connection refused or reset, PostgreSQL's classes 08 and 57P):
 * nothing was written, and the same request can be tried again shortly. serve's database watch (src/db/watch.ts)
 * decides whether the process waits or exits; until then each request answers 503, never 500.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);
const UNAVAILABLE_WORDS =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed|Cannot use a pool after calling end/i;
export function databaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    (typeof e?.message === 'string' && UNAVAILABLE_WORDS.test(e.message))
  );
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
) {
  reply.code(status);
  if (request.isApi || !request.headers.accept?.includes('text/html')) {
    return reply
      .type('application/json')
      .send({ statusCode: status, error: TITLES[status] ?? 'Error', message, ...extra });
  }
  return reply.view('error.njk', { status, title: TITLES[status] ?? 'Error', message, ...extra });
}

/** A JSON body that could not be read: what broke and where (the parser's own words name the place). */
function jsonProblem(error: FastifyError): string | null {
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return 'The body is empty: send a JSON object, or leave out the content-type header';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    const where = (error as FastifyError & { where?: string }).where;
    return `The body is not valid JSON${where ? `: ${where}` : ''}`;
  }
  return null;
}

/**
 * Fastify's own JSON parser (prototype poisoning refused as before), which on a broken body also records where it
 * broke — the parser's words, about the caller's own text — for the 400 to say.
 */
export function installJsonParser(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parse(request, String(body), (err, value) => {
      if (err && (err as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        try {
          JSON.parse(String(body));
        } catch (e) {
          Object.assign(err, { where: (e as Error).message.slice(0, 200) });
        }
      done(err, value);
    }),
  );
}

export function installErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, 'If you typed the web address, check it is correct.'),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof ValidationError) {
      return sendError(request, reply, 400, error.message, { fields: error.fields });
    }
    if (error instanceof NotFound) return sendError(request, reply, 404, error.message);
    if (error instanceof Forbidden) {
      return sendError(
        request,
        reply,
        403,
        error.message,
        error.breakGlassPersonId ? { breakGlassPersonId: error.breakGlassPersonId } : {},
      );
    }
    if (error instanceof Conflict) return sendError(request, reply, 409, error.message);
    if (error.validation) {
      const fields = fieldMessages(error.validation as SchemaRefusal[], error.validationContext ?? 'body');
      return sendError(request, reply, 400, Object.values(fields).join('; '), { fields });
    }
    const json = jsonProblem(error);
    if (json) return sendError(request, reply, 400, json, { fields: { body: json } });
    if (databaseUnavailable(error)) {
      request.log.warn({ err: { type: error.name, code: error.code } }, 'database unavailable');
      reply.header('Retry-After', '5');
      return sendError(request, reply, 503, 'The service cannot reach its database just now. Try again in a minute.');
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500)
      // Only the type, code and frames: messages (e.g. from PostgreSQL) can quote personal data (S16).
      request.log.error(
        { err: { type: error.name, code: error.code, frames: error.stack?.split('\n').slice(1, 8).join('\n') } },
        'request failed',
      );
    const message =
      status === 500
        ? 'Try again later. If it keeps happening, tell your council IT team the time it happened.'
        : status === 415 || status === 413 || status === 400
          ? (TITLES[status] ?? 'Error')
          : error.message;
    return sendError(request, reply, status, message);
  });
}
