// The SEND hubs of every demo (and test) organisation (issue 13): each hub gets a team and the locality its team
// for Further SEND Support; the North locality's two hubs are in use, with a hub manager (who runs both), a
// Navigator, the locality manager, hub services, and two schools with organisation accounts (a SENCO and a head at
// Northgate Primary; a SENCO at Riverside Academy, for tests that one setting never sees another's requests).
// The county-sized demo data (requests, triage, calls) is the send-hubs module's demo.ts.
import type { Tx } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';

export interface HubUserSpec {
  role: Role;
  local: string;
  name: string;
  title: string;
  /** A team id to join. */
  team?: string;
  manager?: string;
}

export interface DemoHubs {
  hubIds: string[];
  settings: Record<'northgate' | 'riverside', string>;
}

/** Runs inside createDemoOrganisation's transaction; `addUser` is its own (adds to org.users). */
export async function seedDemoHubs(
  tx: Tx,
  authorityId: string,
  localityIds: string[],
  sendServiceId: string,
  addUser: (u: HubUserSpec) => Promise<string>,
  domain: string,
): Promise<DemoHubs> {
  const hubIds: string[] = [];
  const hubTeams: string[] = [];
  for (const localityId of localityIds) {
    const hubs = await tx
      .selectFrom('hubs')
      .where('locality_id', '=', localityId)
      .orderBy('name')
      .select(['id', 'name'])
      .execute();
    for (const h of hubs) {
      const team = await tx
        .insertInto('teams')
        .values({
          authority_id: authorityId,
          service_id: sendServiceId,
          name: `${h.name.replace('SEND Support Hub: ', '')} team`,
          remit_min_age: 0,
          remit_max_age: 25,
          remit_case_types: ['sen_support'],
          locality_id: localityId,
          hub_id: h.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.updateTable('hubs').set({ team_id: team.id }).where('id', '=', h.id).execute();
      hubIds.push(h.id);
      hubTeams.push(team.id);
    }
    const localityTeam = await tx
      .selectFrom('teams')
      .where('locality_id', '=', localityId)
      .where('hub_id', 'is', null)
      .where('name', 'like', '%Locality SEND Team')
      .select('id')
      .executeTakeFirst();
    if (localityTeam)
      await tx.updateTable('localities').set({ team_id: localityTeam.id }).where('id', '=', localityId).execute();
  }
  const [north] = localityIds;
  const northTeam = await tx
    .selectFrom('localities')
    .where('id', '=', north as string)
    .select('team_id')
    .executeTakeFirstOrThrow();
  const localityManager = await addUser({
    role: 'locality_manager',
    local: 'locality.manager',
    name: 'Grace Locality-Manager',
    title: 'SEND Locality Manager, North',
    team: northTeam.team_id ?? undefined,
  });
  await tx
    .updateTable('localities')
    .set({ manager_user_id: localityManager })
    .where('id', '=', north as string)
    .execute();
  const hubManager = await addUser({
    role: 'hub_manager',
    local: 'hub.manager',
    name: 'Priya Hub-Manager',
    title: 'SEND Support Hub Manager, North Hubs 1 and 2',
    team: hubTeams[0],
    manager: localityManager,
  });
  await tx.updateTable('hubs').set({ manager_user_id: hubManager }).where('id', 'in', hubIds.slice(0, 2)).execute();
  await addUser({
    role: 'hub_practitioner',
    local: 'navigator',
    name: 'Olu Navigator',
    title: 'SEND Navigator, North Hub 1',
    team: hubTeams[0],
    manager: hubManager,
  });
  for (const [name, kind] of [
    ['Educational psychology', 'educational_psychology'],
    ['Communication and interaction specialist teachers', 'specialist_teacher'],
    ['Speech and language therapy', 'speech_language'],
    ['CAMHS link worker', 'camhs_link'],
  ] as const)
    await tx
      .insertInto('hub_services')
      .values({ authority_id: authorityId, hub_id: hubIds[0] as string, name, kind })
      .execute();
  const setting = async (name: string, hubId: string, inbox: string) =>
    (
      await tx
        .insertInto('settings')
        .values({ authority_id: authorityId, hub_id: hubId, name, kind: 'school', inbox_email: `${inbox}@${domain}` })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const northgate = await setting('Northgate Primary School', hubIds[0] as string, 'send.northgate');
  const riverside = await setting('Riverside Academy', hubIds[0] as string, 'send.riverside');
  const member = async (settingId: string, userId: string, position: 'senco' | 'head') =>
    tx.insertInto('setting_members').values({ setting_id: settingId, user_id: userId, position }).execute();
  await member(
    northgate,
    await addUser({
      role: 'setting_user',
      local: 'senco',
      name: 'Sara SENCO',
      title: 'SENCO, Northgate Primary School',
    }),
    'senco',
  );
  await member(
    northgate,
    await addUser({
      role: 'setting_user',
      local: 'head.teacher',
      name: 'Hari Head-Teacher',
      title: 'Head teacher, Northgate Primary School',
    }),
    'head',
  );
  await member(
    riverside,
    await addUser({
      role: 'setting_user',
      local: 'senco.riverside',
      name: 'Ben Riverside-SENCO',
      title: 'SENCO, Riverside Academy',
    }),
    'senco',
  );
  return { hubIds, settings: { northgate, riverside } };
}
