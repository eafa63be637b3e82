// SEND hubs (issue 13): the navigator pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerNavigatorRoutes(_app: FastifyInstance): void {}
