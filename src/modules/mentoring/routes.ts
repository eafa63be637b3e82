// The mentoring scheme's pages (and its API, api.ts).
import type { FastifyInstance } from 'fastify';
import { registerMentoringApi } from './api.ts';

export function registerMentoringRoutes(app: FastifyInstance) {
  registerMentoringApi(app);
}
