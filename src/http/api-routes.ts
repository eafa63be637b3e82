// The two JSON API routes every module writes again and again — list things, add a thing — declared once. A module
// names the path, the words for OpenAPI, the policy and the service call; the schema pieces come from api-schema.ts.
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errors as allErrors, Created } from './api-schema.ts';
import type { Body } from './forms.ts';
import { requireUser } from './request.ts';
import type { AuthUser, Policy } from './types.ts';

type Params = Record<string, string>;

export function apiRoutes(app: FastifyInstance, tags: string[], errors: Partial<typeof allErrors> = allErrors) {
  const schema = (summary: string, params: TSchema | undefined, rest: Record<string, unknown>) => ({
    tags,
    summary,
    ...(params ? { params } : {}),
    ...rest,
  });
  return {
    /** GET path → `{ items }`, each item serialised through `item`. */
    list<T extends TSchema>(
      path: string,
      summary: string,
      config: { policy: Policy },
      item: T,
      items: (user: AuthUser, params: Params) => Promise<unknown[]>,
      params?: TSchema,
    ) {
      app.get(
        path,
        {
          config,
          schema: schema(summary, params, { response: { 200: Type.Object({ items: Type.Array(item) }), ...errors } }),
        },
        async (request) => ({ items: await items(requireUser(request), request.params as Params) }),
      );
    },
    /** POST path with a declared input as the body → 201 `{ id }` of what was added. */
    add(
      path: string,
      summary: string,
      config: { policy: Policy },
      body: { schema: TSchema },
      create: (user: AuthUser, body: Body, params: Params) => Promise<string>,
      params?: TSchema,
    ) {
      app.post(
        path,
        { config, schema: schema(summary, params, { body: body.schema, response: { 201: Created, ...errors } }) },
        async (request, reply) =>
          reply
            .code(201)
            .send({ id: await create(requireUser(request), request.body as Body, request.params as Params) }),
      );
    },
  };
}
