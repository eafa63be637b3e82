// JSON API for joint transition plans (/api/v1, the person's relationship policy): read the plan and where it is,
// start it early, save the plan, name the post-18 owner, record the Care Act three-part test, record a decision to
// end the children's involvement with no post-18 owner, and the post-18 owner's confirmation at 18.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors, Nullable, PersonParams } from '../../http/api-schema.ts';
import type { Body } from '../../http/forms.ts';
import { requirePersonAccess, requireUser } from '../../http/request.ts';
import { CareActInput, DecisionInput, OwnerInput, PlanInput } from './schemas.ts';
import type { Post18Service } from './service.ts';

const read = { policy: { capability: 'person:read' as const, person: 'personId' } };
const edit = { policy: { capability: 'person:edit' as const, person: 'personId' } };
const tags = ['transition plans'];
const Plan = Type.Object({}, { additionalProperties: true, description: 'The plan as recorded' });
const State = Type.Object({}, { additionalProperties: true, description: 'Where its protocol instance is' });
const PlanBody = Type.Object({ plan: Nullable(Plan), state: Nullable(State), meets_all_three: Type.Boolean() });
const Version = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

type Got = Awaited<ReturnType<Post18Service['get']>>;
export const planJson = (g: Got) => ({
  plan: g.plan,
  state: g.state
    ? {
        step: g.state.step,
        status: g.state.status,
        result: g.state.result,
        due: g.state.due,
        owner: g.state.ownerLabel,
        escalations: g.state.escalations,
      }
    : null,
  meets_all_three: g.meetsAllThree,
});

type P = { Params: { personId: string } };

export function registerPost18Api(app: FastifyInstance) {
  const { post18 } = app.services;
  const url = '/api/v1/people/:personId/transition-plan';
  const again = async (request: FastifyRequest) =>
    planJson(await post18.get(requireUser(request), requirePersonAccess(request), 'api'));

  app.get(
    url,
    {
      config: read,
      schema: {
        tags,
        summary: 'The joint transition plan and where it is (the read is logged)',
        params: PersonParams,
        response: { 200: PlanBody, ...errors },
      },
    },
    async (request) => again(request),
  );

  app.post<P>(
    url,
    {
      config: edit,
      schema: {
        tags,
        summary: 'Start the joint transition plan early (under 18, none yet)',
        params: PersonParams,
        response: { 201: PlanBody, ...errors },
      },
    },
    async (request, reply) => {
      await post18.startEarly(requireUser(request), request.params.personId);
      return reply.code(201).send(await again(request));
    },
  );

  const puts = [
    [
      'plan',
      PlanInput,
      'savePlan',
      'Save the plan: the owner before 18, what will happen at 18, the young person’s views',
    ],
    ['post18-owner', OwnerInput, 'nameOwner', 'Name the post-18 owner and where they sit (stops the escalation)'],
    ['care-act', CareActInput, 'recordCareAct', 'Record the Care Act three-part test with its evidence and conclusion'],
    [
      'decision',
      DecisionInput,
      'recordDecision',
      'Record a decision to end the children’s involvement with no post-18 owner',
    ],
  ] as const;
  for (const [path, input, call, summary] of puts) {
    app.put<P>(
      `${url}/${path}`,
      {
        config: edit,
        schema: { tags, summary, params: PersonParams, body: input.schema, response: { 200: PlanBody, ...errors } },
      },
      async (request) => {
        const value = input.parse(request.body as Body, post18.today());
        // biome-ignore lint/suspicious/noExplicitAny: each input goes to its own call (the table pairs them)
        await (post18[call] as (u: unknown, p: string, i: any) => Promise<void>).call(
          post18,
          requireUser(request),
          request.params.personId,
          value,
        );
        return again(request);
      },
    );
  }

  app.post<P>(
    `${url}/handover`,
    {
      config: edit,
      schema: {
        tags,
        summary: 'At 18: the post-18 owner confirms they hold the case (ends the plan)',
        params: PersonParams,
        body: Version,
        response: { 200: PlanBody, ...errors },
      },
    },
    async (request) => {
      await post18.confirmHandover(
        requireUser(request),
        request.params.personId,
        (request.body as { version: number }).version,
      );
      return again(request);
    },
  );
}
