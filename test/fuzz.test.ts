// quality.md R2: at least 10,000 generated requests, valid and invalid, across every operation of the JSON API, as
// every role and as nobody. Not one may answer 5xx, show a stack trace, SQL or a file path, or answer in a way the
// OpenAPI document does not declare (a status it does not list, or a JSON body that breaks its schema).
// The requests come from a seed (printed on failure) so any failure replays exactly: FUZZ_SEED=… npm test test/fuzz.test.ts
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import { capabilitiesOf } from '../src/domain/roles.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import {
  chance,
  Generator,
  IdPool,
  kindOfField,
  kindOfSegment,
  NASTY_STRINGS,
  pick,
  type Schema,
  seeded,
} from './fuzz/generate.ts';
import { personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const LEAKS =
  /\bat .+\.(ts|js|mjs):\d+|node_modules|\/work\/|\/home\/|\bSELECT\b|\bINSERT INTO\b|violates .* constraint|relation "|syntax error at/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  params: string[];
  query: Record<string, Schema>;
  body: Schema | null;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  /** The capability the route's access policy asks for, if any. */
  capability: string | undefined;
}

const { db } = await testDatabase();
const org = await seedOrganisation(db, 'fuzz');
const app = await testApp(db);
const worker = userByRole(org, 'social_worker').id;
const tokens: { token: string; caps: Set<string>; worker: boolean }[] = [];
for (const user of org.users) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: user.id, token_hash: sha256(token), label: 'fuzz' })
    .execute();
  tokens.push({ token, caps: capabilitiesOf([user.role]), worker: user.id === worker });
}
// Young people in every team, of every age the services see, so reads and writes find records to work on.
let n = 0;
for (const team of Object.values(org.teams)) {
  for (const dateOfBirth of ['2009-03-01', '2012-07-15', '2016-01-20']) {
    n++;
    const common = { authorityId: org.authorityId, team, worker, givenName: 'Fuzz', familyName: `Person${n}` };
    await personInTeam(db, { ...common, caseNumber: `FZ${n}`, dateOfBirth });
  }
}
// The fuzzer is also the IT administrator: now and then it switches off, re-roles or re-teams its own accounts or
// revokes their tokens. Put them back every so often, so the run keeps reaching the services.
const accounts = await db.selectFrom('users').selectAll().where('authority_id', '=', org.authorityId).execute();
const memberships = await db.selectFrom('team_members').selectAll().execute();
async function restoreAccounts() {
  for (const { id, roles, active, service_id, line_manager_id } of accounts) {
    await db.updateTable('users').set({ roles, active, service_id, line_manager_id }).where('id', '=', id).execute();
  }
  await db.deleteFrom('team_members').execute();
  if (memberships.length > 0) await db.insertInto('team_members').values(memberships).execute();
  await db.updateTable('api_tokens').set({ revoked_at: null }).where('label', '=', 'fuzz').execute();
}
const doc = app.swagger() as unknown as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, Schema> };
};
const components = doc.components?.schemas ?? {};

function capabilityOf(method: string, path: string): string | undefined {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  const entry = app.routeTable.find((e) => e.method === method.toUpperCase() && e.url === url);
  const policy = entry?.policy as { capability?: string } | undefined;
  return policy?.capability;
}

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = (op.parameters ?? []) as { in: string; name: string; schema: Schema }[];
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      ops.push({
        method,
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        body: content?.['application/json']?.schema ?? null,
        responses: op.responses as Operation['responses'],
        capability: capabilityOf(method, path),
      });
    }
  }
  return ops;
}

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction | null>();
function responseValidator(op: Operation, status: string): ValidateFunction | null {
  const key = `${op.method} ${op.path} ${status}`;
  if (!validators.has(key)) {
    const schema = op.responses[status]?.content?.['application/json']?.schema;
    validators.set(key, schema ? ajv.compile({ ...schema, components: { schemas: components } }) : null);
  }
  return validators.get(key) ?? null;
}

const ids = new IdPool();
for (const id of Object.values(org.teams)) ids.add('team', id);
for (const u of org.users) ids.add('user', u.id);

/** The kind of record an answer from `path` is about: the last collection named before any trailing parameter. */
function kindOfPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const last = parts.at(-1) ?? '';
  if (last.startsWith('{'))
    return kindOfField(last.slice(1, -1) === 'id' ? kindOfSegment(parts.at(-2) ?? '') : last.slice(1, -1));
  return kindOfSegment(last);
}

/** Ids in a successful answer: the record's own `id`, the ids of a list's items, and any `x_id` fields met on the way. */
function remember(path: string, value: unknown, kind = kindOfPath(path), depth = 0) {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 50)) remember(path, v, kind, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) {
      ids.add(k === 'id' ? kind : kindOfField(k), v);
    } else remember(path, v, Array.isArray(v) ? kind : kindOfSegment(k), depth + 1);
  }
}

function request(gen: Generator, op: Operation) {
  const { r } = gen;
  const url =
    op.path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
      if (r() < 0.92) {
        const before = op.path.slice(0, offset).split('/').filter(Boolean);
        return ids.choose(r, kindOfField(name === 'id' ? kindOfSegment(before.at(-1) ?? '') : name));
      }
      try {
        return encodeURIComponent(pick(r, NASTY_STRINGS).slice(0, 200));
      } catch {
        // A lone surrogate cannot be percent-encoded as UTF-8: send the raw bytes a broken client would.
        return '%ED%A0%80';
      }
    }) +
    (Object.keys(op.query).length > 0
      ? `?${new URLSearchParams(
          Object.entries(op.query)
            .filter(() => chance(r, 0.6))
            .map(([k, s]) => [k, String(chance(r, 0.8) ? gen.valid(s) : pick(r, NASTY_STRINGS)).slice(0, 300)]),
        )}`
      : '');
  // Mostly as someone whose role allows the operation (the worker who holds every case when that role does), so
  // most requests reach a service; the rest as anyone at all.
  const able = tokens.filter((t) => !op.capability || t.caps.has(op.capability));
  const preferred = able.find((t) => t.worker) ?? pick(r, able);
  const token = (r() < 0.85 ? (r() < 0.6 ? preferred : pick(r, able)) : pick(r, tokens)).token;
  const auth = r() < 0.05 ? {} : { authorization: `Bearer ${r() < 0.03 ? 'hov_nope' : token}` };
  if (op.method === 'get' || op.method === 'delete' || !op.body) return { method: op.method, url, headers: auth };
  const raw = r() < 0.03;
  return {
    method: op.method,
    url,
    headers: { ...auth, 'content-type': r() < 0.02 ? 'text/plain' : 'application/json' },
    payload: raw
      ? pick(r, ['{', '{"a":', '[]', 'null', '"', '{"given_name":"\\u0000"}'])
      : JSON.stringify(gen.body(op.body)),
  };
}

test(`${REQUESTS} generated API requests: no 5xx, no leaks, every answer as the OpenAPI document declares (seed ${SEED})`, async (t) => {
  const r = seeded(SEED);
  const gen = new Generator(r, components, ids);
  const ops = operations();
  assert.ok(ops.length > 20, `the API has ${ops.length} operations`);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < REQUESTS; i++) {
    // Reads first now and then, so later requests name records that exist.
    const op = i < ops.length ? (ops[i] as Operation) : pick(r, ops);
    if (i % 100 === 99) await restoreAccounts();
    const req = request(gen, op);
    const res = await app.inject(req as InjectOptions);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    const where = `#${i} ${req.method.toUpperCase()} ${op.path} → ${res.statusCode}`;
    if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 300)}`);
    if (LEAKS.test(res.body)) failures.push(`${where}: leaks ${res.body.match(LEAKS)?.[0]}`);
    const declared = op.responses[String(res.statusCode)] ?? op.responses.default;
    if (!declared) failures.push(`${where}: status not declared in the OpenAPI document`);
    else if (String(res.headers['content-type'] ?? '').startsWith('application/json')) {
      const validate = responseValidator(op, op.responses[String(res.statusCode)] ? String(res.statusCode) : 'default');
      if (validate && !validate(res.json()))
        failures.push(`${where}: body breaks the schema: ${ajv.errorsText(validate.errors).slice(0, 200)}`);
    }
    if (res.statusCode < 300 && String(res.headers['content-type']).startsWith('application/json')) {
      remember(op.path, res.json());
    }
    if (failures.length >= 40) break;
  }
  const summary = [...statuses]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  t.diagnostic(`seed ${SEED}; ${ops.length} operations; statuses ${summary}`);
  assert.deepEqual(failures, [], `seed ${SEED}; statuses ${summary}`);
  // The fuzzer must reach the services, not bounce off the front door: some requests succeed and some are refused.
  const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
  const refused = [...statuses].filter(([s]) => s === 400).reduce((n, [, c]) => n + c, 0);
  assert.ok(ok > REQUESTS / 10, `at least a tenth succeed (${summary})`);
  assert.ok(refused > REQUESTS / 10, `at least a tenth are refused as bad input (${summary})`);
});
