// The pieces every JSON API route's schema shares: ids, dates, nullable values and the error body, so a module's
// api.ts declares only what is its own. Error answers are serialised through ErrorBody (nothing else can leave).
import { type TSchema, Type } from '@sinclair/typebox';

export const Id = Type.String({ format: 'uuid' });
export const DateStr = Type.String({ description: 'YYYY-MM-DD', examples: ['2010-03-27'] });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Created = Type.Object({ id: Id });

export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** The error answers of a route that reads and writes: bad input, not signed in, not allowed, not found, changed. */
export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Only some of the error answers (a route that cannot answer the others). */
export function errorsOf<C extends keyof typeof errors>(...codes: C[]): Pick<typeof errors, C> {
  return Object.fromEntries(codes.map((c) => [c, ErrorBody])) as Pick<typeof errors, C>;
}

/** Path parameters: a record, and a record's child (involvement, transfer, plan…). */
export const PersonParams = Type.Object({ personId: Id });
