// SEND hubs (issue 13): the triage pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerTriageRoutes(_app: FastifyInstance): void {}
