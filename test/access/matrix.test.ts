// quality.md S1 and S2: every role × every route × every relationship state, from the one matrix file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Db } from '../../src/db/database.ts';
import { capabilitiesOf, ROLE_NAMES, type Role } from '../../src/domain/roles.ts';
import { sha256 } from '../../src/modules/auth/service.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase } from '../helpers.ts';
import { MATRIX, type MatrixEntry, opensRecord, RELATIONSHIPS, type Relationship } from './matrix.ts';

const NIL = '00000000-0000-4000-8000-000000000000';

async function person(db: Db, authorityId: string, tag: string) {
  const row = await db
    .insertInto('people')
    .values({
      authority_id: authorityId,
      case_number: `M-${tag}`,
      given_name: 'Matrix',
      family_name: tag,
      date_of_birth: '2012-05-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function involve(db: Db, authorityId: string, personId: string, teamId: string, workerId: string | null) {
  await db
    .insertInto('involvements')
    .values({
      authority_id: authorityId,
      person_id: personId,
      team_id: teamId,
      worker_id: workerId,
      reason: 'matrix',
      start_date: '2026-01-01',
    })
    .execute();
}

/** Someone else's case with an open protocol step owned by the user. */
async function ownStep(
  db: Db,
  authorityId: string,
  personId: string,
  protocol: { protocol_id: string; version: number },
  startedBy: string,
  ownerId: string,
  at: Date,
) {
  const instance = await db
    .insertInto('protocol_instances')
    .values({
      authority_id: authorityId,
      person_id: personId,
      involvement_id: null,
      protocol_id: protocol.protocol_id,
      protocol_version: protocol.version,
      result: null,
      current_step_id: null,
      started_by: startedBy,
      started_at: at,
      ended_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('protocol_steps')
    .values({
      authority_id: authorityId,
      instance_id: instance.id,
      person_id: personId,
      step_key: 'matrix',
      entered_at: at,
      entered_on: '2026-11-23',
      due_date: null,
      due_rule: null,
      owner_user_id: ownerId,
      owner_team_id: null,
      owner_role: null,
      owner_service_id: null,
      owner_label: 'matrix',
      outcome: null,
      decision: null,
      decided_by: null,
      decided_at: null,
    })
    .execute();
}

async function adviceRequestAbout(db: Db, authorityId: string, personId: string, giverId: string) {
  const assessment = await db
    .insertInto('ehcp_assessments')
    .values({ authority_id: authorityId, person_id: personId, request_date: '2026-10-01', requested_by: 'parent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('ehcp_advice_requests')
    .values({
      authority_id: authorityId,
      assessment_id: assessment.id,
      person_id: personId,
      kind: 'health',
      giver_user_id: giverId,
      responsible_user_id: giverId,
      question: 'matrix',
      requested_date: '2026-10-01',
      due_date: '2026-11-12',
      due_rule: 'matrix',
    })
    .execute();
}

test('authorisation matrix: no unauthorised 2xx, and every allowed call gets past access control', async () => {
  const { db } = await testDatabase();
  const clock = fixedClock();
  const a = await seedOrganisation(db, 'ma');
  const b = await seedOrganisation(db, 'mb');
  const app = await testApp(db, { now: clock.now });
  const neutralTeam = a.teams.cic as string;
  const someoneElse = a.users.find((u) => u.role === 'social_worker')!.id;
  const serviceIdA = (
    await db.selectFrom('services').where('authority_id', '=', a.authorityId).select('id').executeTakeFirstOrThrow()
  ).id;

  const forumA = (
    await db
      .insertInto('panels')
      .values({ authority_id: a.authorityId, kind: 'forum', name: 'Matrix forum', pseudonymised: false })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

  // EHCP advice requests (policy adviceRequest): one addressed to each caller, and one addressed to someone else.
  const advicePerson = await person(db, a.authorityId, 'advice');
  const adviceAssessment = (
    await db
      .insertInto('ehcp_assessments')
      .values({
        authority_id: a.authorityId,
        person_id: advicePerson,
        request_date: '2026-10-01',
        requested_by: 'parent',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const adviceRequest = async (giverId: string) =>
    (
      await db
        .insertInto('ehcp_advice_requests')
        .values({
          authority_id: a.authorityId,
          assessment_id: adviceAssessment,
          person_id: advicePerson,
          kind: 'health',
          giver_user_id: giverId,
          responsible_user_id: giverId,
          question: 'matrix',
          requested_date: '2026-10-01',
          due_date: '2026-11-12',
          due_rule: 'matrix',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const notAddressed = await adviceRequest(someoneElse);
  const protocol = await db
    .selectFrom('protocol_versions')
    .select(['protocol_id', 'version'])
    .executeTakeFirstOrThrow();
  const addressedTo = new Map<Role, string>();

  // SEND support requests (policy settingRequest): every caller holds an account of the matrix setting; one request
  // is that setting's, the other another setting's.
  const hubA = a.hubIds[0] as string;
  const matrixSetting = (
    await db
      .insertInto('settings')
      .values({ authority_id: a.authorityId, hub_id: hubA, name: 'Matrix setting', kind: 'school' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const supportRequest = async (settingId: string) =>
    (
      await db
        .insertInto('support_requests')
        .values({
          authority_id: a.authorityId,
          hub_id: hubA,
          setting_id: settingId,
          person_id: await person(db, a.authorityId, `setting-${settingId}`),
          received_on: '2026-11-02',
          received_via: 'online',
          submitted_by: someoneElse,
          areas_of_need: ['semh'],
          apdr_cycles: '[]',
          asking_for: 'matrix',
          consent: 'not_yet',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const settingRequests = {
    own: await supportRequest(matrixSetting),
    other_setting: await supportRequest(a.settings.riverside),
  };

  // Per role: the user under test, their own team, and a worker they line-manage in another team.
  const callers = new Map<Role, { token: string; people: Map<Relationship, string> }>();
  for (const role of ROLE_NAMES) {
    const team = await db
      .insertInto('teams')
      .values({ authority_id: a.authorityId, service_id: serviceIdA, name: `Matrix team ${role}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({
        authority_id: a.authorityId,
        email: `matrix.${role}@a.test.example`,
        display_name: `Matrix ${role}`,
        roles: [role],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('team_members').values({ team_id: team.id, user_id: user.id }).execute();
    const managed = await db
      .insertInto('users')
      .values({
        authority_id: a.authorityId,
        email: `managed.${role}@a.test.example`,
        display_name: `Managed ${role}`,
        roles: ['social_worker'],
        line_manager_id: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = `hov_${randomBytes(16).toString('hex')}`;
    await db
      .insertInto('api_tokens')
      .values({ user_id: user.id, token_hash: sha256(token), label: 'matrix' })
      .execute();

    const people = new Map<Relationship, string>();
    for (const rel of RELATIONSHIPS) {
      const authority = rel === 'other_authority' ? b.authorityId : a.authorityId;
      const id = await person(db, authority, `${role}-${rel}`);
      people.set(rel, id);
      if (rel === 'allocated') await involve(db, authority, id, neutralTeam, user.id);
      if (rel === 'same_team') await involve(db, authority, id, team.id, null);
      if (rel === 'line_manager') await involve(db, authority, id, neutralTeam, managed.id);
      if (rel === 'other_team') await involve(db, authority, id, neutralTeam, someoneElse);
      if (rel === 'other_authority') await involve(db, authority, id, b.teams.cic as string, b.users[0]!.id);
      if (rel === 'panel_member') {
        // Someone else's case, open on the agenda of the forum the user is a member of.
        await involve(db, authority, id, neutralTeam, someoneElse);
        await db.insertInto('panel_members').values({ panel_id: forumA, user_id: user.id, area: 'health' }).execute();
        await db
          .insertInto('panel_items')
          .values({
            authority_id: authority,
            panel_id: forumA,
            person_id: id,
            source: 'referral_form',
            question: 'matrix',
          })
          .execute();
      }
      if (rel === 'step_owner') await ownStep(db, authority, id, protocol, someoneElse, user.id, clock.now());
      if (rel === 'advice_request') {
        // Someone else's case; an advice request about it addressed to the user opens that request, not the record.
        await involve(db, authority, id, neutralTeam, someoneElse);
        await adviceRequestAbout(db, authority, id, user.id);
      }
      if (rel === 'break_glass') {
        await db
          .insertInto('break_glass')
          .values({
            authority_id: authority,
            user_id: user.id,
            person_id: id,
            reason: 'matrix test emergency',
            created_at: clock.now(),
            expires_at: new Date(clock.now().getTime() + 3_600_000),
          })
          .execute();
      }
    }
    callers.set(role, { token, people });
    await db
      .insertInto('setting_members')
      .values({ setting_id: matrixSetting, user_id: user.id, position: 'other' })
      .execute();
    addressedTo.set(role, await adviceRequest(user.id));
  }

  const call = (entry: MatrixEntry, token: string | null, personId: string, requestId = NIL) =>
    app.inject({
      method: entry.method,
      url: entry.url
        .replace(':personId', personId)
        .replace(':requestId', requestId)
        .replace(/:\w*Id\b|:id\b/g, NIL)
        .replace(':protocolKey', 'cumbria-advice-query'),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        accept: entry.url.startsWith('/api/') ? 'application/json' : 'text/html',
      },
      ...(entry.method === 'GET' ? {} : { payload: entry.body ?? {} }),
    });

  const failures: string[] = [];
  // Every call is independent (allowed calls carry bodies that change nothing), so they run a batch at a time.
  const calls: {
    entry: MatrixEntry;
    token: string | null;
    personId: string;
    requestId?: string;
    check: (status: number, body: string) => void;
  }[] = [];
  for (const entry of MATRIX) {
    if (entry.capability === 'public') continue;
    if (entry.capability === 'provisioning') {
      // The directory's provisioning secret only (issue 17): no user's token opens these, whatever the role.
      for (const token of [null, ...ROLE_NAMES.map((role) => callers.get(role)!.token)])
        calls.push({
          entry,
          token,
          personId: callers.get('social_worker')!.people.get('allocated')!,
          check: (status) => {
            if (status !== 401)
              failures.push(`provisioning ${entry.method} ${entry.url} with a user's token → ${status}`);
          },
        });
      continue;
    }
    calls.push({
      entry,
      token: null,
      personId: callers.get('social_worker')!.people.get('allocated')!,
      check: (status) => {
        if (status < 300) failures.push(`anonymous ${entry.method} ${entry.url} → ${status}`);
      },
    });
    for (const role of ROLE_NAMES) {
      const { token, people } = callers.get(role)!;
      const hasCap =
        !entry.organisationLead && (entry.capability === null || capabilitiesOf([role]).has(entry.capability));
      // Items opened by addressee, not by relationship: an EHCP advice request addressed to the caller (or to someone
      // else), a SEND support request of the caller's own setting (or another's). Allowed only for the first, with
      // the capability.
      const scoped: [string, string][] | null = entry.adviceRequest
        ? [
            ['addressed', addressedTo.get(role)!],
            ['not_addressed', notAddressed],
          ]
        : entry.settingRequest
          ? Object.entries(settingRequests)
          : null;
      if (scoped) {
        const opens = entry.adviceRequest ? 'addressed' : 'own';
        for (const [state, requestId] of scoped) {
          const allowed = hasCap && state === opens;
          calls.push({
            entry,
            token,
            personId: people.get('allocated')!,
            requestId,
            check: (status, body) => {
              const label = `${role} × ${state} × ${entry.method} ${entry.url} → ${status}`;
              const denied =
                status === 401 || status === 403 || (status === 404 && body.includes('No record with that reference'));
              if (!allowed && !denied) failures.push(`should be refused: ${label}`);
              if (allowed && denied) failures.push(`should be allowed: ${label}`);
              if (status >= 500) failures.push(`server error: ${label}`);
            },
          });
        }
        continue;
      }
      const states: readonly Relationship[] =
        entry.person || entry.url.includes(':personId') ? RELATIONSHIPS : ['allocated'];
      for (const rel of states) {
        const relOk = !entry.person || entry.relationshipNotNeeded === true || opensRecord(role, rel);
        const sameAuthority = rel !== 'other_authority' || !entry.url.includes(':personId');
        const allowed = hasCap && relOk && sameAuthority;
        calls.push({
          entry,
          token,
          personId: people.get(rel)!,
          check: (status, body) => {
            const label = `${role} × ${rel} × ${entry.method} ${entry.url} → ${status}`;
            const deniedByPolicy =
              status === 401 || status === 403 || (status === 404 && body.includes('No record with that reference'));
            if (!allowed && !deniedByPolicy) failures.push(`should be refused: ${label}`);
            if (allowed && deniedByPolicy) failures.push(`should be allowed: ${label}`);
            if (status >= 500) failures.push(`server error: ${label}`);
          },
        });
      }
    }
  }
  let executed = 0;
  for (let i = 0; i < calls.length; i += 16) {
    await Promise.all(
      calls.slice(i, i + 16).map(async (c) => {
        const res = await call(c.entry, c.token, c.personId, c.requestId);
        executed++;
        c.check(res.statusCode, res.body);
      }),
    );
  }
  assert.ok(executed > 1000, `the matrix ran only ${executed} calls`);
  console.log(`S1 matrix: ${executed} calls, ${failures.length} unexpected answers`);
  assert.deepEqual(failures, []);
});

test('every registered route declares a policy, and the matrix file lists exactly the registered routes', async () => {
  const { db } = await testDatabase();
  const app = await testApp(db);
  const registered = app.routeTable
    .filter((r) => !r.url.startsWith('/assets/') && !r.url.startsWith('/api/docs'))
    .map((r) => {
      // Provisioning routes (issue 17) need the directory's secret, not a user: no capability or scoping.
      const p = 'public' in r.policy || 'provisioning' in r.policy ? null : r.policy;
      return {
        key: `${r.method} ${r.url}`,
        cap: 'public' in r.policy ? 'public' : 'provisioning' in r.policy ? 'provisioning' : (p?.capability ?? null),
        person: Boolean(p?.person),
        notNeeded: p?.relationship === 'not-needed',
        adviceRequest: Boolean(p?.adviceRequest),
        settingRequest: Boolean(p?.settingRequest),
      };
    });
  const inMatrix = new Map(MATRIX.map((e) => [`${e.method} ${e.url}`, e]));
  const missing = registered.filter((r) => !inMatrix.has(r.key)).map((r) => r.key);
  assert.deepEqual(missing, [], 'routes missing from test/access/matrix.ts');
  const stale = [...inMatrix.keys()].filter((k) => !registered.some((r) => r.key === k));
  assert.deepEqual(stale, [], 'matrix entries with no route');
  for (const r of registered) {
    const e = inMatrix.get(r.key)!;
    assert.equal(r.cap, e.capability, `${r.key}: policy capability differs from the matrix`);
    assert.equal(r.person, Boolean(e.person), `${r.key}: person scoping differs from the matrix`);
    assert.equal(r.notNeeded, Boolean(e.relationshipNotNeeded), `${r.key}: relationship rule differs from the matrix`);
    assert.equal(r.adviceRequest, Boolean(e.adviceRequest), `${r.key}: advice-request scoping differs from the matrix`);
    assert.equal(
      r.settingRequest,
      Boolean(e.settingRequest),
      `${r.key}: setting-request scoping differs from the matrix`,
    );
  }
});

test('a route registered without a policy stops the app from starting', async () => {
  const { default: Fastify } = await import('fastify');
  const { installPolicyCheck, MissingPolicy } = await import('../../src/http/policy.ts');
  const app = Fastify();
  installPolicyCheck(app);
  assert.throws(() => app.get('/no-policy', async () => 'x'), MissingPolicy);
  app.get('/with-policy', { config: { policy: { capability: null } } }, async () => 'x');
  await app.close();
});
