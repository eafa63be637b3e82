// What the page and the API share: the policy (SEND manager's ehcp:report), which downloads exist, and the reply.
import type { FastifyReply } from 'fastify';
import { DOWNLOADS, type Download } from './schemas.ts';
import type { Downloaded } from './service.ts';
export const report = { policy: { capability: 'ehcp:report' as const } };

export function sendDownload(reply: FastifyReply, d: Downloaded) {
  return reply
    .type(d.type)
    .header('Content-Disposition', `attachment; filename="${d.filename}"`)
    .header('Cache-Control', 'no-store')
    .send(d.body);
}

/** The download asked for, or a 404 for a name that is neither the XML nor a module. */
export function downloadOf(what: string): Download | null {
  return (DOWNLOADS as readonly string[]).includes(what) ? (what as Download) : null;
}
