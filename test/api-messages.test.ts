// Issue 15 item 7: the API's refusals name the property and the fix, in words, not the schema validator's jargon;
// a body that is not JSON says where it broke. Nothing is written by a refused request.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sha256 } from '../src/modules/auth/service.ts';
import { seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'msg');
const app = await testApp(db);
const token = `hov_${randomBytes(16).toString('hex')}`;
await db
  .insertInto('api_tokens')
  .values({ user_id: userByRole(org, 'social_worker').id, token_hash: sha256(token), label: 'test' })
  .execute();
const team = org.teams['dct-north'] as string;
const person = { given_name: 'Ava', family_name: 'Messages', date_of_birth: '2010-01-01', team_id: team };
const post = (payload: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/people',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload,
  });
const people = async () =>
  Number(
    (
      await db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

test('a property the request does not take, a wrong format, a wrong type: each named with its fix', async () => {
  const before = await people();
  const cases: [Record<string, unknown>, Record<string, string>][] = [
    [
      { ...person, nickname: 'Avi' },
      { nickname: 'nickname is not a field this request takes: remove it (the fields are listed at /api/docs)' },
    ],
    [{ ...person, date_of_birth: 'yesterday' }, { date_of_birth: 'date_of_birth must be a date like 2009-12-15' }],
    [{ ...person, team_id: 'north' }, { team_id: 'team_id must be an id like 3f2b6c1e-8a4d-4e0b-9f1a-2c3d4e5f6a7b' }],
    [{ ...person, given_name: 7 }, { given_name: 'given_name must be text in quotes' }],
    [{ family_name: 'Only' }, { given_name: 'given_name is required' }],
  ];
  for (const [body, fields] of cases) {
    const res = await post(JSON.stringify(body));
    assert.equal(res.statusCode, 400, res.body);
    const got = res.json();
    for (const [k, v] of Object.entries(fields)) assert.equal(got.fields[k], v, `${k}: ${res.body}`);
    assert.doesNotMatch(res.body, /must NOT have|must match a schema|must match format/);
  }
  assert.equal(await people(), before, 'nothing written');
});

test('a body that is not JSON says so and where it broke; an empty one says what to send', async () => {
  const broken = await post('{"given_name": "Ava", "family_name": }');
  assert.equal(broken.statusCode, 400);
  assert.match(broken.json().message, /^The body is not valid JSON: Unexpected token '}'/);
  assert.equal(broken.json().fields.body, broken.json().message);
  const empty = await post('');
  assert.equal(empty.statusCode, 400);
  assert.match(empty.json().message, /The body is empty: send a JSON object/);
});
