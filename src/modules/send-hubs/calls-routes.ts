// SEND hubs (issue 13): the calls pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerCallsRoutes(_app: FastifyInstance): void {}
