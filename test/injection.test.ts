// quality.md S13 and security finding 7 (issue 9): injection corpus over every free-text field.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ROLES } from '../src/domain/roles.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'inj');
const app = await testApp(db, { now: fixedClock('2026-11-23T10:00:00Z').now });
const worker = userByRole(org, 'social_worker');
const team = org.teams['dct-north'] as string;
// One caller who may use every route: the worker, given every role (a relationship still comes from allocation).
await db
  .updateTable('users')
  .set({ roles: Object.keys(ROLES) })
  .where('id', '=', worker.id)
  .execute();
const token = `hov_${randomBytes(16).toString('hex')}`;
await db
  .insertInto('api_tokens')
  .values({ user_id: worker.id, token_hash: sha256(token), label: 'test' })
  .execute();

const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

test('finding 7: a NUL in the sign-in email or password is refused on the page with the field named, not a 500', async () => {
  for (const [field, form] of [
    ['email', { email: `x\u0000@${org.users[0]?.email.split('@')[1]}`, password: 'anything' }],
    ['password', { email: worker.email, password: 'pass\u0000word' }],
  ] as const) {
    const b = new Browser(app);
    await b.get('/login');
    const res = await b.post('/login', form);
    assert.equal(res.statusCode, 400, `${field}: ${res.statusCode}`);
    assert.match(res.body, new RegExp(`Remove the control character from ${field}`));
    assert.match(res.body, /govuk-error-summary/);
  }
});

test('finding 7: a NUL in an API field is a 400 naming the field, not a 500', async () => {
  const res = await api('POST', '/api/v1/people', {
    given_name: 'Ann\u0000a',
    family_name: 'Okafor',
    date_of_birth: '2012-01-02',
    team_id: team,
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.deepEqual(res.json().fields, { given_name: 'Remove the control character from given name' });
});
