// What the documents tests share: a council, a clamd of their own (test/clamd.ts), the app scanning with it, a worker
// with young people allocated to them, a worker with no relationship, an advice giver with a request addressed to
// them, files of each kind (made here, a few bytes each), and multipart bodies as a browser or an API client sends.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../src/config.ts';
import { sha256 as tokenHash } from '../src/modules/auth/service.ts';
import { EICAR, startClamd } from './clamd.ts';
import {
  type Browser,
  fixedClock,
  personInTeam,
  seedOrganisation,
  testApp,
  testDatabase,
  userByRole,
} from './helpers.ts';

/** The smallest files of each kind that file-type recognises. */
export const FILES = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d4a4640000000049454e44ae426082',
    'hex',
  ),
  text: Buffer.from('Just some text, whatever its name says.\n'),
  infectedPdf: Buffer.from(`%PDF-1.4\n${EICAR}\n%%EOF\n`),
};

export interface FilePart {
  name: string;
  filename: string;
  bytes: Buffer;
  type?: string;
}

/** A multipart/form-data body: text fields, then the file parts. */
export function multipart(fields: Record<string, string>, files: FilePart[] = []) {
  const boundary = `----handover${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
    );
    parts.push(f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A browser's upload: its cookies and CSRF token, the form as multipart. */
export async function upload(
  browser: Browser,
  url: string,
  file: FilePart | null,
  fields: Record<string, string> = {},
  opts: { csrf?: string | null } = {},
) {
  const token = opts.csrf === undefined ? browser.csrf : opts.csrf;
  const body = multipart({ ...(token === null ? {} : { _csrf: token }), ...fields }, file ? [file] : []);
  const res = await browser.app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.ip,
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': body.contentType,
      accept: 'text/html',
    },
    payload: body.payload,
  });
  const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
  if (m) browser.csrf = m[1] as string;
  return res;
}

export async function documentsSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const clamd = await startClamd();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const documentsConfig = (over: Partial<Config['documents']> = {}) => ({
    documents: {
      scanning: 'clamd' as const,
      clamd: { socket: clamd.socket },
      dir: null,
      maxBytes: 1024 * 1024,
      ...over,
    },
  });
  const app = await testApp(db, { now: clock.now, config: documentsConfig() });
  /** Another app on the same database, with other document settings. */
  const appWith = (over: Partial<Config['documents']>): Promise<FastifyInstance> =>
    testApp(db, { now: clock.now, config: documentsConfig(over) });
  const worker = userByRole(org, 'social_worker');
  const stranger = userByRole(org, 'ehcp_coordinator');
  const giver = userByRole(org, 'advice_giver');
  const team = org.teams['dct-north'] as string;

  let serial = 0;
  /** A young person allocated to the worker. */
  async function person() {
    serial++;
    return personInTeam(db, {
      authorityId: org.authorityId,
      team,
      worker: worker.id,
      caseNumber: `D-${serial}`,
      givenName: 'Dana',
      familyName: `Docs${serial}`,
      dateOfBirth: '2012-05-06',
    });
  }

  /** An EHCP advice request about the person, addressed to the advice giver. */
  async function adviceRequest(personId: string) {
    const a = await db
      .insertInto('ehcp_assessments')
      .values({
        authority_id: org.authorityId,
        person_id: personId,
        request_date: '2026-10-01',
        requested_by: 'parent',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r = await db
      .insertInto('ehcp_advice_requests')
      .values({
        authority_id: org.authorityId,
        assessment_id: a.id,
        person_id: personId,
        kind: 'health',
        giver_user_id: giver.id,
        responsible_user_id: giver.id,
        question: 'Health needs relevant to education',
        requested_date: '2026-10-12',
        due_date: '2026-11-23',
        due_rule: '6 weeks',
        created_at: new Date('2026-10-12T10:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async function tokenFor(userId: string) {
    const token = `hov_${randomBytes(16).toString('hex')}`;
    await db
      .insertInto('api_tokens')
      .values({ user_id: userId, token_hash: tokenHash(token), label: 'test' })
      .execute();
    return { authorization: `Bearer ${token}` };
  }

  const count = async (table: 'documents' | 'document_contents' | 'access_log', where: Record<string, string> = {}) => {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    for (const [k, v] of Object.entries(where)) q = q.where(k as never, '=', v as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  return {
    db,
    org,
    app,
    appWith,
    clamd,
    worker,
    stranger,
    giver,
    person,
    adviceRequest,
    workerApi: await tokenFor(worker.id),
    strangerApi: await tokenFor(stranger.id),
    count,
  };
}
