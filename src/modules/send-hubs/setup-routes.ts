// SEND hubs (issue 13): the setup pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerSetupRoutes(_app: FastifyInstance): void {}
