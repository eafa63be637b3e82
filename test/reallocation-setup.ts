// What the bulk reallocation tests share: a council on a fixed clock, the Disabled Children's Team North with its
// manager (Marcus), the leaving worker (Sam), a second worker (Riley), a member of another team, and the IT
// administrator put in the team (never offered as an owner); young people allocated to Sam, one on a child protection
// plan, a Devon protocol step Sam owns and a plan action Sam owns.
import { randomBytes } from 'node:crypto';
import { sha256 } from '../src/modules/auth/service.ts';
import { authUser } from '../src/modules/demo/journeys.ts';
import { ActionInput, PlanInput } from '../src/modules/transitions/schemas.ts';
import { fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

export async function reallocationSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await testApp(db, { now: clock.now });
  const team = org.teams['dct-north'] as string;
  const manager = userByRole(org, 'team_manager');
  const sam = userByRole(org, 'social_worker');
  const admin = userByRole(org, 'admin');
  const coordinator = userByRole(org, 'ehcp_coordinator');
  await db.insertInto('team_members').values({ team_id: team, user_id: admin.id }).execute();
  const { service_id: samService } = await db
    .selectFrom('users')
    .where('id', '=', sam.id)
    .select('service_id')
    .executeTakeFirstOrThrow();
  const riley = await db
    .insertInto('users')
    .values({
      authority_id: org.authorityId,
      email: `riley.${label}@example.test`,
      display_name: 'Riley Second-Worker',
      job_title: 'Social Worker',
      roles: ['social_worker'],
      line_manager_id: manager.id,
      service_id: samService,
    })
    .returning(['id', 'email', 'display_name'])
    .executeTakeFirstOrThrow();
  await db.insertInto('team_members').values({ team_id: team, user_id: riley.id }).execute();

  let serial = 0;
  async function person(o: { protected?: boolean } = {}) {
    serial++;
    const { id } = await db
      .insertInto('people')
      .values({
        authority_id: org.authorityId,
        case_number: `R-${label}-${serial}`,
        given_name: 'Robin',
        family_name: `Moved${serial}`,
        date_of_birth: '2009-04-02',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inv = await db
      .insertInto('involvements')
      .values({
        authority_id: org.authorityId,
        person_id: id,
        team_id: team,
        worker_id: sam.id,
        reason: 'Child in need',
        start_date: '2026-01-05',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (o.protected)
      await db
        .insertInto('person_statuses')
        .values({
          authority_id: org.authorityId,
          person_id: id,
          status: 'child_protection_plan',
          start_date: '2026-02-01',
        })
        .execute();
    return { id, involvementId: inv.id };
  }

  /** A plan action on the person's plan, owned by Sam (chased by plan-action-chase). */
  async function actionFor(personId: string) {
    const t = app.services.transitions;
    const samUser = await authUser(db, sam.id);
    const read = { today: t.today() };
    await t.savePlan(samUser, personId, PlanInput.parse({ what_matters: 'Staying at my school' }, read));
    return t.addAction(
      samUser,
      personId,
      ActionInput.parse(
        { description: 'Book the review meeting', owner_user_id: sam.id, due_date: '2026-12-04' },
        read,
      ),
    );
  }

  /** A Devon 16-17 transitions step (started by the service manager), passed to Sam. */
  async function stepFor(personId: string) {
    const p = app.services.protocols;
    const helen = await authUser(db, userByRole(org, 'service_manager').id);
    const instanceId = await p.start(helen, personId, { protocol_id: 'devon-transitions-16-17' });
    const s = await db
      .selectFrom('protocol_steps')
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'open')
      .select(['id', 'version'])
      .executeTakeFirstOrThrow();
    await p.reassign(helen, personId, instanceId, s.id, { owner_user_id: sam.id, version: s.version });
    return s.id;
  }

  async function tokenFor(userId: string) {
    const token = `hov_${randomBytes(16).toString('hex')}`;
    await db
      .insertInto('api_tokens')
      .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
      .execute();
    return { authorization: `Bearer ${token}` };
  }

  return { db, org, app, team, manager, sam, riley, admin, coordinator, person, actionFor, stepFor, tokenFor };
}
