// The demo county's SEND hubs in use (issue 13 part 10), on top of what every demo and test organisation has
// (src/modules/demo/seed-hubs.ts: the North hubs' manager, one Navigator, the North locality manager, hub 1's
// services and two schools): a manager for every other hub, 2-3 Navigators in every hub's team, a manager for every
// locality, services in every hub, a few hubs with their own targets and triage day, 40 settings (early years,
// schools, special schools, FE colleges) each with a team inbox and a SENCO's organisation account, and weekly
// triage meetings. Fake names only. Runs once, only for the demo (never for a test organisation).
import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import type { HubServiceKind, SettingKind } from '../../db/schema-send-hubs.ts';
import { addDays, dayOfWeek, isWorkingDay, toDayNumber } from '../../domain/calendar.ts';
import type { Role } from '../../domain/roles.ts';
import type { DemoOrganisation } from '../kit/demo.ts';
import { STAFF_GIVEN } from '../kit/fake.ts';

const STAFF_FAMILY = [
  'Ashworth',
  'Bramley',
  'Coombe',
  'Dunstan',
  'Ellery',
  'Fairweather',
  'Halse',
  'Jory',
  'Kerslake',
  'Lethbridge',
  'Mudge',
  'Northcott',
  'Pascoe',
  'Stapleton',
  'Tuckett',
  'Vosper',
  'Widdicombe',
  'Yeo',
] as const;

/** Each hub's town (fictional), its triage day (1 = Monday) and targets in working days, when not the default. */
const HUBS = [
  { town: 'Barnleigh', weekday: 3 },
  { town: 'Okeworth', weekday: 4 },
  { town: 'Torhaven', weekday: 2 },
  { town: 'Dartley', weekday: 3 },
  { town: 'Exbridge', weekday: 1, firstResponse: 15 },
  { town: 'Sidcombe', weekday: 4 },
  { town: 'Tavistone', weekday: 2 },
  { town: 'Holsmoor', weekday: 5, supportStart: 15 },
] as const;

const SERVICES: readonly [string, HubServiceKind][] = [
  ['Educational psychology', 'educational_psychology'],
  ['Communication and interaction specialist teachers', 'specialist_teacher'],
  ['Speech and language therapy', 'speech_language'],
  ['CAMHS link worker', 'camhs_link'],
  ['Occupational therapy', 'occupational_therapy'],
  ['Early years SEND advisers', 'early_years'],
  ['Sensory support (hearing and vision)', 'sensory'],
];

/** The settings each hub serves besides hub 1's two schools, by name pattern and kind. */
const SETTING_PATTERNS: readonly [string, SettingKind][] = [
  ['{t} Little Acorns Pre-school', 'early_years'],
  ['{t} Primary School', 'school'],
  ['{t} Community College', 'school'],
  ['{t} Church of England Primary School', 'school'],
  ['{t} Vale Special School', 'special_school'],
];
const FE: readonly [string, SettingKind] = ['{t} College of Further Education', 'further_education'];

export interface DemoStaff {
  id: string;
  email: string;
}

export interface DemoHub {
  id: string;
  index: number;
  teamId: string;
  managerId: string;
  navigators: string[];
  serviceIds: string[];
  localityId: string;
  localityTeamId: string;
  localityManagerId: string;
  firstResponse: number;
  supportStart: number;
  /** The settings it serves, with the SENCO account of each. */
  settings: { id: string; kind: SettingKind; name: string; sencoId: string }[];
  /** Held meetings, latest first, and the next one planned. */
  held: { id: string; date: string }[];
  next: { id: string; date: string };
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

type AddUser = (
  role: Role,
  local: string,
  title: string,
  manager: string | null,
  team: string | null,
) => Promise<string>;

/** Adds a demo account (fake name, the demo password) to the council and to the demo's sign-in list. */
async function userMaker(tx: Tx, org: DemoOrganisation, domain: string): Promise<AddUser> {
  const template = await tx
    .selectFrom('users')
    .where('authority_id', '=', org.authorityId)
    .where('email', '=', `hub.manager@${domain}`)
    .select(['password_hash', 'service_id'])
    .executeTakeFirstOrThrow();
  const sendService = await tx
    .selectFrom('services')
    .where('authority_id', '=', org.authorityId)
    .where('name', '=', 'SEND and Inclusion')
    .select('id')
    .executeTakeFirst();
  let named = 0;
  return async (role, local, title, manager, team) => {
    const name = `${STAFF_GIVEN[named % STAFF_GIVEN.length]} ${STAFF_FAMILY[(named * 7 + 3) % STAFF_FAMILY.length]}`;
    named++;
    const email = `${local}@${domain}`;
    const row = await tx
      .insertInto('users')
      .values({
        authority_id: org.authorityId,
        email,
        display_name: name,
        job_title: title,
        phone: '01632 960 000',
        password_hash: template.password_hash,
        roles: [role],
        line_manager_id: manager,
        service_id: role === 'setting_user' ? null : (sendService?.id ?? template.service_id),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (team) await tx.insertInto('team_members').values({ team_id: team, user_id: row.id }).execute();
    org.users.push({ role, email, name, id: row.id });
    return row.id;
  };
}

/** Every locality gets a manager (the North one has Grace already), a member of its locality SEND team. */
async function localitiesInUse(tx: Tx, org: DemoOrganisation, addUser: AddUser) {
  const localities = await tx
    .selectFrom('localities')
    .where('authority_id', '=', org.authorityId)
    .where('id', 'in', org.localityIds)
    .select(['id', 'name', 'team_id', 'manager_user_id'])
    .execute();
  for (const l of localities) {
    if (l.manager_user_id) continue;
    const area = l.name.replace(' Locality', '');
    const title = `SEND Locality Manager, ${area}`;
    l.manager_user_id = await addUser('locality_manager', `locality.manager.${slug(area)}`, title, null, l.team_id);
    await tx.updateTable('localities').set({ manager_user_id: l.manager_user_id }).where('id', '=', l.id).execute();
  }
  return new Map(localities.map((l) => [l.id, l]));
}

/** Builds the county's hubs in use; returns each hub as the request demo uses it. */
export async function seedHubsInUse(tx: Tx, org: DemoOrganisation, today: string, domain: string): Promise<DemoHub[]> {
  const addUser = await userMaker(tx, org, domain);
  const localityOf = await localitiesInUse(tx, org, addUser);
  const rows = await tx
    .selectFrom('hubs')
    .where('id', 'in', org.hubIds)
    .select(['id', 'name', 'team_id', 'manager_user_id', 'locality_id'])
    .execute();
  const byId = new Map(rows.map((h) => [h.id, h]));
  const hubs: DemoHub[] = [];
  for (const [index, hubId] of org.hubIds.entries()) {
    const h = byId.get(hubId);
    const spec = HUBS[index % HUBS.length] as (typeof HUBS)[number];
    const locality = h ? localityOf.get(h.locality_id) : undefined;
    if (!h?.team_id || !locality?.team_id || !locality.manager_user_id) throw new Error('demo hubs are not set up');
    const place = h.name.replace('SEND Support Hub: ', '');
    const managerId =
      h.manager_user_id ??
      (await addUser(
        'hub_manager',
        `hub.manager.${index + 1}`,
        `SEND Support Hub Manager, ${place}`,
        locality.manager_user_id,
        h.team_id,
      ));
    const navigators = await hubNavigators(tx, h.team_id);
    for (let k = navigators.length; k < ((index + 1) % 3 === 0 ? 3 : 2); k++)
      navigators.push(
        await addUser(
          'hub_practitioner',
          `navigator.${index + 1}${'abc'[k]}`,
          `SEND Navigator, ${place}`,
          managerId,
          h.team_id,
        ),
      );
    const targets = {
      first_response_working_days: 'firstResponse' in spec ? spec.firstResponse : 10,
      support_start_working_days: 'supportStart' in spec ? spec.supportStart : 10,
    };
    await tx
      .updateTable('hubs')
      .set({ manager_user_id: managerId, triage_weekday: spec.weekday, ...targets })
      .where('id', '=', hubId)
      .execute();
    hubs.push({
      id: hubId,
      index,
      teamId: h.team_id,
      managerId,
      navigators,
      serviceIds: await hubServices(tx, org.authorityId, hubId, index),
      localityId: locality.id,
      localityTeamId: locality.team_id,
      localityManagerId: locality.manager_user_id,
      firstResponse: targets.first_response_working_days,
      supportStart: targets.support_start_working_days,
      settings: await hubSettings(tx, org.authorityId, hubId, index, spec.town, domain, addUser),
      ...(await seedMeetings(tx, org.authorityId, hubId, spec.weekday, managerId, today)),
    });
  }
  return hubs;
}

async function hubNavigators(tx: Tx, teamId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('team_members as tm')
    .innerJoin('users as u', 'u.id', 'tm.user_id')
    .where('tm.team_id', '=', teamId)
    .where(sql<boolean>`'hub_practitioner' = ANY(u.roles)`)
    .select('u.id')
    .execute();
  return rows.map((u) => u.id);
}

/** The hub's five settings (hub 1 keeps Northgate and Riverside), each with a team inbox and a SENCO account. */
async function hubSettings(
  tx: Tx,
  authorityId: string,
  hubId: string,
  index: number,
  town: string,
  domain: string,
  addUser: AddUser,
): Promise<DemoHub['settings']> {
  const existing = await tx
    .selectFrom('settings as s')
    .innerJoin('setting_members as m', 'm.setting_id', 's.id')
    .where('s.hub_id', '=', hubId)
    .where('m.position', '=', 'senco')
    .select(['s.id', 's.kind', 's.name', 'm.user_id as sencoId'])
    .orderBy('s.name')
    .execute();
  const settings: DemoHub['settings'] = [...existing];
  const patterns = index % 2 === 0 ? [...SETTING_PATTERNS] : [...SETTING_PATTERNS.slice(0, 4), FE];
  for (const [pattern, kind] of patterns.slice(settings.length)) {
    const name = pattern.replace('{t}', town);
    const s = await tx
      .insertInto('settings')
      .values({
        authority_id: authorityId,
        hub_id: hubId,
        name,
        kind,
        urn: kind === 'early_years' ? null : String(990000 + index * 10 + settings.length),
        inbox_email: `send.${slug(name)}@${domain}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const title = kind === 'further_education' ? `Additional learning support lead, ${name}` : `SENCO, ${name}`;
    const sencoId = await addUser('setting_user', `senco.${slug(name)}`, title, null, null);
    await tx.insertInto('setting_members').values({ setting_id: s.id, user_id: sencoId, position: 'senco' }).execute();
    settings.push({ id: s.id, kind, name, sencoId });
  }
  return settings;
}

/** The hub's services: hub 1 keeps its four; every other hub gets four to six of the county's kinds. */
async function hubServices(tx: Tx, authorityId: string, hubId: string, index: number): Promise<string[]> {
  const have = await tx.selectFrom('hub_services').where('hub_id', '=', hubId).select('id').execute();
  if (have.length > 0) return have.map((s) => s.id);
  const take = SERVICES.slice(0, 4).concat(SERVICES.slice(4, 4 + (index % 3)));
  const rows = await tx
    .insertInto('hub_services')
    .values(take.map(([name, kind]) => ({ authority_id: authorityId, hub_id: hubId, name, kind })))
    .returning('id')
    .execute();
  return rows.map((s) => s.id);
}

/** Weekly triage on the hub's day for the last 27 weeks (held), and the next one (planned). */
async function seedMeetings(
  tx: Tx,
  authorityId: string,
  hubId: string,
  weekday: number,
  chair: string,
  today: string,
): Promise<{ held: { id: string; date: string }[]; next: { id: string; date: string } }> {
  const all: string[] = [];
  for (let d = addDays(today, -189); d <= addDays(today, 14); d = addDays(d, 1))
    if (dayOfWeek(toDayNumber(d)) === weekday && isWorkingDay(d)) all.push(d);
  const upcoming = all.find((d) => d >= today);
  const dates = all.filter((d) => d < today || d === upcoming);
  const rows = await tx
    .insertInto('triage_meetings')
    .values(
      dates.map((date) => ({
        authority_id: authorityId,
        hub_id: hubId,
        meeting_date: date,
        chair_user_id: chair,
        attendees:
          'Hub manager (chair), the hub’s Navigators, educational psychologist, specialist teacher, speech and language therapist, CAMHS link worker',
        held: date < today,
      })),
    )
    .returning(['id', 'meeting_date'])
    .execute();
  const meetings = rows.map((m) => ({ id: m.id, date: m.meeting_date })).sort((x, y) => (x.date < y.date ? 1 : -1));
  const next = meetings.find((m) => m.date >= today) ?? (meetings[0] as { id: string; date: string });
  return { held: meetings.filter((m) => m.date < today), next };
}
