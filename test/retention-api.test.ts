// The retention API (/api/v1/retention, /api/v1/legal-holds): the administrator sets a schedule and automatic purge
// (a stale version is a 409), places a hold by case number (refused with the field named when there is no such
// record) and releases it (once); every answer matches the OpenAPI schema (Fastify serialises by it).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { scheduledJobs } from '../src/jobs/scheduled.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { RETENTION_RUN, registerRetentionJobs } from '../src/modules/retention/jobs.ts';
import { personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ret');
const app = await testApp(db);
const token = `hov_${randomBytes(16).toString('hex')}`;
await db
  .insertInto('api_tokens')
  .values({ user_id: userByRole(org, 'admin').id, token_hash: sha256(token), label: 'test' })
  .execute();
await personInTeam(db, {
  authorityId: org.authorityId,
  team: org.teams['dct-north'] as string,
  worker: null,
  caseNumber: 'RAPI-1',
  givenName: 'Api',
  familyName: 'Hold',
  dateOfBirth: '2010-01-01',
});
const call = (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

test('schedules and automatic purge, with versions', async () => {
  let res = await call('PUT', '/api/v1/retention/schedules/person', { years: 7, minimum_age: 25 });
  assert.equal(res.statusCode, 204, res.body);
  res = await call('PUT', '/api/v1/retention/schedules/person', { years: 8, minimum_age: 25, version: 5 });
  assert.equal(res.statusCode, 409);
  res = await call('PUT', '/api/v1/retention/schedules/notification', { years: 1, minimum_age: 25 });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().message, /for young people’s records only/);
  res = await call('PUT', '/api/v1/retention/schedules/person', { years: -1 });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /years/);
  res = await call('PUT', '/api/v1/retention/settings', { automatic_purge: true });
  assert.equal(res.statusCode, 204, res.body);
  res = await call('GET', '/api/v1/retention');
  assert.equal(res.statusCode, 200);
  const r = res.json();
  assert.equal(r.automatic_purge, true);
  assert.deepEqual(
    r.schedules.map((s: { record_type: string; years: number; version: number }) => [
      s.record_type,
      s.years,
      s.version,
    ]),
    [['person', 7, 1]],
  );
  assert.equal(r.due, 0, 'an open record is never due');
});

test('a legal hold by case number, released once', async () => {
  let res = await call('POST', '/api/v1/legal-holds', { case_number: 'NOPE-1', reason: 'Claim 2026/3' });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().fields.case_number, /No young person in your council has case number NOPE-1/);
  res = await call('POST', '/api/v1/legal-holds', { case_number: 'rapi-1', reason: 'Claim 2026/3' });
  assert.equal(res.statusCode, 201, res.body);
  const { id } = res.json();
  res = await call('GET', '/api/v1/legal-holds');
  assert.deepEqual(
    res.json().items.map((h: { case_number: string; released_at: string | null }) => [h.case_number, h.released_at]),
    [['RAPI-1', null]],
  );
  res = await call('POST', `/api/v1/legal-holds/${id}/release`, { release_reason: 'Settled' });
  assert.equal(res.statusCode, 204, res.body);
  res = await call('POST', `/api/v1/legal-holds/${id}/release`, { release_reason: 'Settled again' });
  assert.equal(res.statusCode, 409);
  const audit = await db
    .selectFrom('audit_log')
    .where('entity', '=', 'legal_hold')
    .select(['action', 'detail'])
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['hold', 'release'],
  );
  assert.ok(!JSON.stringify(audit).includes('Claim 2026/3'), 'the reason is not in the audit row');
});

test('the nightly job is registered on the calendar and runs the retention run', async () => {
  const off = registerRetentionJobs(app.services.retention);
  try {
    const job = scheduledJobs().find((j) => j.name === RETENTION_RUN);
    assert.ok(job, 'registered');
    assert.equal(job.tz, 'Europe/London');
    assert.equal(await job.run({ db, baseUrl: 'http://localhost', now: new Date() }), 0, 'nothing due: nothing purged');
    const run = await db
      .selectFrom('audit_log')
      .where('entity', '=', 'retention')
      .where('authority_id', '=', org.authorityId)
      .select(['action', 'detail'])
      .executeTakeFirstOrThrow();
    assert.equal(run.action, 'purge-run', 'automatic purge is on in this council');
  } finally {
    off();
  }
});
