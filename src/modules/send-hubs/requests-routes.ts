// SEND hubs (issue 13): the requests pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerRequestsRoutes(_app: FastifyInstance): void {}
