// Issue 15 item 8: lost updates on records without a version. Two administrators saving the same user, team, service,
// council or transfer point from the same version: one save wins (200), the other is refused (409, naming version and
// what to do) instead of silently overwriting it; retried with the new version it succeeds and both changes are kept.
// The pages carry the version hidden and show the conflict as a GOV.UK error summary. Real database, no mocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthService } from '../src/modules/auth/service.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testConfig, testDatabase, userByRole } from './helpers.ts';

const clock = fixedClock('2026-11-23T10:00:00Z');
const { db } = await testDatabase();
const org = await seedOrganisation(db, 'ver');
const app = await testApp(db, { now: clock.now });
const auth = new AuthService(db, testConfig(), clock.now);
const admin = userByRole(org, 'admin');
const t = org.teams as Record<string, string>;
const created = await auth.createApiToken(admin.email, 'versions test');
assert.ok(created);
const token = created.token;

type Obj = Record<string, unknown> & { version: number };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

function call(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(payload ? { payload: JSON.stringify(payload) } : {}),
  });
}
async function read(url: string): Promise<Obj> {
  const res = await call('GET', url);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as Obj;
}

/** A page form's value: '' for null, lists as they are, everything else as text. */
const formValue = (v: unknown): string | string[] =>
  v === null || v === undefined ? '' : Array.isArray(v) ? v.map(String) : String(v);
const form = (o: Obj, keys: string[]) => Object.fromEntries(keys.map((k) => [k, formValue(o[k])]));

interface Versioned {
  what: string;
  entity: string;
  url: () => string;
  id: () => string;
  method: 'PUT' | 'PATCH';
  /** Two different changes, each built from the record as read. */
  edits: [(o: Obj) => Record<string, unknown>, (o: Obj) => Record<string, unknown>];
  /** Both changes are in the record after the refused one is retried. */
  kept: (o: Obj, round: number) => void;
  /** Before each round: puts back what the last round changed, when the changes would otherwise already be there. */
  reset?: () => Promise<void>;
  page: { edit: () => string; fields: string[]; change: (f: Record<string, string | string[]>) => void };
}

const teamBody = (o: Obj) => ({
  name: o.name,
  service_id: o.service_id,
  remit_min_age: o.remit_min_age,
  remit_max_age: o.remit_max_age,
  remit_case_types: o.remit_case_types,
  locality_id: o.locality_id,
  hub_id: o.hub_id,
});
const serviceBody = (o: Obj) => ({ name: o.name, kind: o.kind, organisation: o.organisation, external: o.external });
const pointBody = (o: Obj) => ({
  from_team_id: o.from_team_id,
  to_team_id: o.to_team_id,
  direction: o.direction,
  at_age: o.at_age,
  case_type: o.case_type,
  note: o.note,
});

const sw = userByRole(org, 'social_worker');
let serviceId = '';
let pointId = '';
let round = 0;

const records: Versioned[] = [
  {
    what: 'user',
    entity: 'user',
    id: () => sw.id,
    url: () => `/api/v1/users/${sw.id}`,
    method: 'PATCH',
    // Two administrators each add a team to the worker's teams as they read them.
    edits: [
      (o) => ({ team_ids: [...new Set([...(o.team_ids as string[]), t.cic as string])] }),
      (o) => ({ team_ids: [...new Set([...(o.team_ids as string[]), t.ypt as string])] }),
    ],
    kept: (o) => {
      assert.ok((o.team_ids as string[]).includes(t.cic as string), 'the first team addition is kept');
      assert.ok((o.team_ids as string[]).includes(t.ypt as string), 'the second team addition is kept');
    },
    reset: async () => {
      await db
        .deleteFrom('team_members')
        .where('user_id', '=', sw.id)
        .where('team_id', 'in', [t.cic as string, t.ypt as string])
        .execute();
    },
    page: {
      edit: () => `/admin/users/${sw.id}/edit`,
      fields: ['display_name', 'job_title', 'phone', 'roles', 'team_ids', 'line_manager_id'],
      change: (f) => {
        f.job_title = 'Changed on the page';
      },
    },
  },
  {
    what: 'team',
    entity: 'team',
    id: () => t.cic as string,
    url: () => `/api/v1/teams/${t.cic}`,
    method: 'PUT',
    edits: [
      (o) => ({ ...teamBody(o), name: `Children in Care Team ${round}` }),
      (o) => ({ ...teamBody(o), remit_max_age: 18 - (round % 2) }),
    ],
    kept: (o, r) => {
      assert.equal(o.name, `Children in Care Team ${r}`);
      assert.equal(o.remit_max_age, 18 - (r % 2));
    },
    page: {
      edit: () => `/admin/teams/${t.cic}/edit`,
      fields: ['name', 'service_id', 'remit_min_age', 'remit_max_age', 'remit_case_types', 'locality_id', 'hub_id'],
      change: (f) => {
        f.name = 'Children in Care Team (page)';
      },
    },
  },
  {
    what: 'service',
    entity: 'service',
    id: () => serviceId,
    url: () => `/api/v1/services/${serviceId}`,
    method: 'PUT',
    edits: [
      (o) => ({ ...serviceBody(o), name: `Joint Commissioning ${round}` }),
      (o) => ({ ...serviceBody(o), organisation: `Versionshire ICB ${round}` }),
    ],
    kept: (o, r) => {
      assert.equal(o.name, `Joint Commissioning ${r}`);
      assert.equal(o.organisation, `Versionshire ICB ${r}`);
    },
    page: {
      edit: () => `/admin/services/${serviceId}/edit`,
      fields: ['name', 'kind', 'organisation'],
      change: (f) => {
        f.name = 'Joint Commissioning (page)';
      },
    },
  },
  {
    what: 'council',
    entity: 'authority',
    id: () => org.authorityId,
    url: () => '/api/v1/authority',
    method: 'PATCH',
    // One field only: the refused rename is retried having seen the other (its audit row is the proof).
    edits: [(_o) => ({ name: `Versionshire A${round}` }), (_o) => ({ name: `Versionshire B${round}` })],
    kept: (o, r) => assert.match(String(o.name), new RegExp(`^Versionshire [AB]${r}$`)),
    page: {
      edit: () => '/admin/authority',
      fields: ['name'],
      change: (f) => {
        f.name = 'Versionshire (page)';
      },
    },
  },
  {
    what: 'transfer point',
    entity: 'transfer_point',
    id: () => pointId,
    url: () => `/api/v1/transfer-points/${pointId}`,
    method: 'PUT',
    edits: [
      (o) => ({ ...pointBody(o), note: `Kent remits ${round}` }),
      (o) => ({ ...pointBody(o), at_age: 16 + (round % 2) }),
    ],
    kept: (o, r) => {
      assert.equal(o.note, `Kent remits ${r}`);
      assert.equal(o.at_age, 16 + (r % 2));
    },
    page: {
      edit: () => `/admin/transfer-points/${pointId}/edit`,
      fields: ['from_team_id', 'to_team_id', 'direction', 'at_age', 'case_type', 'note'],
      change: (f) => {
        f.note = 'Changed on the page';
      },
    },
  },
];

const updates = async (entity: string, id: string) =>
  (
    await db
      .selectFrom('audit_log')
      .where('entity', '=', entity)
      .where('entity_id', '=', id)
      .where('action', '=', 'update')
      .select('seq')
      .execute()
  ).length;

const ROUNDS = 5;
const figures = { pairs: 0, oneWonOneRefused: 0, retriedOk: 0 };

describe('lost updates: versions and 409s (issue 15 item 8)', () => {
  test('setup: a service and a transfer point to change', async () => {
    serviceId = ((await read('/api/v1/services')).items as { id: string; name: string }[]).find(
      (s) => s.name === 'Joint Commissioning',
    )?.id as string;
    assert.ok(serviceId);
    const res = await call('POST', '/api/v1/transfer-points', {
      from_team_id: t['dct-north'],
      to_team_id: t.ypt,
      direction: 'age',
      at_age: 16,
    });
    assert.equal(res.statusCode, 201, res.body);
    pointId = res.json().id;
    assert.equal(res.json().version, 1, 'a new record starts at version 1');
  });

  for (const r of records) {
    test(`${r.what}: two saves from the same version → one 200, one 409 naming version; retried, nothing lost`, async () => {
      const auditBefore = await updates(r.entity, r.id());
      for (round = 1; round <= ROUNDS; round++) {
        await r.reset?.();
        const o = await read(r.url());
        const both = await Promise.all(
          r.edits.map((edit) => call(r.method, r.url(), { ...edit(o), version: o.version })),
        );
        figures.pairs++;
        const codes = both.map((res) => res.statusCode);
        assert.deepEqual([...codes].sort(), [200, 409], `${r.what} round ${round}: ${both.map((x) => x.body)}`);
        figures.oneWonOneRefused++;
        const lost = codes.indexOf(409);
        const refusal = (both[lost] as (typeof both)[number]).json();
        assert.equal(refusal.statusCode, 409);
        assert.match(refusal.message, new RegExp(`Someone else changed this ${r.what} since you read it`));
        assert.match(refusal.message, new RegExp(`version ${o.version} is not the current one`));
        assert.match(refusal.message, /Read it again \(GET \/api\/v1\/[^)]+\), then send your change/);

        const fresh = await read(r.url());
        assert.equal(fresh.version, o.version + 1, 'the winning save moved the version on once');
        const retry = await call(r.method, r.url(), {
          ...(r.edits[lost] as (x: Obj) => Record<string, unknown>)(fresh),
          version: fresh.version,
        });
        assert.equal(retry.statusCode, 200, retry.body);
        figures.retriedOk++;
        assert.equal(retry.json().version, o.version + 2, 'the answer carries the new version');
        r.kept(await read(r.url()), round);
      }
      assert.equal((await updates(r.entity, r.id())) - auditBefore, 2 * ROUNDS, 'the refused saves wrote nothing');
    });
  }

  test('a version of 2^31, a missing version or a bad If-Match is a 400 naming version, never a 500', async () => {
    for (const r of records) {
      const o = await read(r.url());
      const body = (r.edits[0] as (x: Obj) => Record<string, unknown>)(o);
      let res = await call(r.method, r.url(), { ...body, version: 2 ** 31 });
      assert.equal(res.statusCode, 400, `${r.what}: ${res.body}`);
      assert.equal(res.json().fields.version, 'version must be 2147483647 or less');
      res = await call(r.method, r.url(), body, { 'if-match': `"${2 ** 31}"` });
      assert.equal(res.statusCode, 400, `${r.what}: ${res.body}`);
      assert.match(res.json().fields.version, /version must be the whole number you read .* to 2147483647/);
      res = await call(r.method, r.url(), body);
      assert.equal(res.statusCode, 400, `${r.what}: ${res.body}`);
      assert.match(res.json().fields.version, /^version is required: send the version you read \(GET \/api\/v1\//);
      res = await call(r.method, r.url(), body, { 'if-match': 'yesterday' });
      assert.equal(res.statusCode, 400);
      assert.match(res.json().fields.version, /If-Match header must be the version you read/);
      res = await call(r.method, r.url(), { ...body, version: o.version }, { 'if-match': `"${o.version + 5}"` });
      assert.equal(res.statusCode, 400);
      assert.match(res.json().fields.version, /differ/);
      assert.equal((await read(r.url())).version, o.version, `${r.what}: nothing written`);
    }
  });

  test('If-Match carries the version instead of the body: current → 200, stale → 409', async () => {
    for (const r of records) {
      const o = await read(r.url());
      const body = (r.edits[0] as (x: Obj) => Record<string, unknown>)(o);
      let res = await call(r.method, r.url(), body, { 'if-match': `"${o.version}"` });
      assert.equal(res.statusCode, 200, `${r.what}: ${res.body}`);
      res = await call(r.method, r.url(), body, { 'if-match': `W/"${o.version}"` });
      assert.equal(res.statusCode, 409, `${r.what}: ${res.body}`);
    }
  });

  test('the page forms carry the version; a stale save shows the form again with a reload error summary', async () => {
    const b = new Browser(app);
    await b.login(admin.email);
    for (const r of records) {
      const page = await b.get(r.page.edit());
      assert.equal(page.statusCode, 200);
      const o = await read(r.url());
      assert.ok(page.body.includes(`name="version" value="${o.version}"`), `${r.what}: the form carries the version`);
      const fields = form(o, r.page.fields);
      if (r.what === 'service') fields.external = o.external ? 'yes' : '';
      r.page.change(fields);

      // Someone else saves the record (through the API) while the form is open.
      const other = await call(r.method, r.url(), {
        ...(r.edits[1] as (x: Obj) => Record<string, unknown>)(o),
        version: o.version,
      });
      assert.equal(other.statusCode, 200, other.body);
      const theirs = await read(r.url());

      const stale = await b.post(r.page.edit(), { ...fields, version: String(o.version) });
      assert.equal(stale.statusCode, 409, `${r.what}: ${stale.body.slice(0, 200)}`);
      assert.match(stale.body, /<title>Error: /);
      assert.match(stale.body, /class="govuk-error-summary"/);
      const text = `Someone else changed this ${r.what} while you were editing it. Reload the page to see their changes, then make yours again.`;
      assert.ok(
        stale.body.includes(`<a href="${r.page.edit()}">${text}</a>`),
        `${r.what}: the summary links to reload`,
      );
      assert.deepEqual(await read(r.url()), theirs, `${r.what}: the stale save wrote nothing`);

      // Reloaded, the form carries the new version and saves.
      const reloaded = await b.get(r.page.edit());
      assert.ok(reloaded.body.includes(`name="version" value="${theirs.version}"`));
      const saved = await b.post(r.page.edit(), { ...form(theirs, r.page.fields), version: String(theirs.version) });
      assert.equal(saved.statusCode, 303, `${r.what}: ${saved.body.slice(0, 300)}`);
      assert.equal((await read(r.url())).version, theirs.version + 1);
    }
  });

  test('OpenAPI: each of these writes declares 409 and the If-Match header', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>>;
    };
    for (const [path, method] of [
      ['/api/v1/users/{userId}', 'patch'],
      ['/api/v1/teams/{teamId}', 'put'],
      ['/api/v1/services/{serviceId}', 'put'],
      ['/api/v1/authority', 'patch'],
      ['/api/v1/transfer-points/{pointId}', 'put'],
    ] as const) {
      const op = spec.paths[path]?.[method];
      assert.ok(op, `${method} ${path}`);
      assert.ok(op.responses['409'], `${method} ${path} declares 409`);
      assert.ok(
        op.parameters?.some((p) => p.name === 'if-match'),
        `${method} ${path} declares If-Match`,
      );
    }
    assert.ok(spec.paths['/api/v1/services/{serviceId}']?.get, 'one service can be read (with its version)');
    assert.ok(spec.paths['/api/v1/transfer-points/{pointId}']?.get, 'one transfer point can be read');
    console.log(
      `versions: ${figures.pairs} concurrent pairs of saves from one version, ${figures.oneWonOneRefused} with one 200 and one 409, ${figures.retriedOk} refused saves retried with the new version and saved`,
    );
  });
});
