// SEND hubs (issue 13): the dashboard pages and API. (Being built.)
import type { FastifyInstance } from 'fastify';

export function registerDashboardRoutes(_app: FastifyInstance): void {}
