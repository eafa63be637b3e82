// The SQL of contextual safeguarding (places, peer groups, persons of concern and their links), and nothing else.
// Which linked young people a viewer may see by name is decided by relationshipConditions (modules/access): the one
// rule every list and count uses.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { PlaceKind } from '../../db/schema.ts';
import { relationshipConditions, type Viewer } from '../access/repository.ts';

export type Area = 'places' | 'peer_groups';
export type LinkTable = 'place_people' | 'peer_group_people';
const LINKS: Record<Area, { table: LinkTable; column: 'place_id' | 'peer_group_id' }> = {
  places: { table: 'place_people', column: 'place_id' },
  peer_groups: { table: 'peer_group_people', column: 'peer_group_id' },
};

export interface AreaRow {
  id: string;
  name: string;
  area: string;
  kind: PlaceKind | null;
  description: string | null;
  closed_on: string | null;
  version: number;
  people: number;
  concerns: number;
}

/** The council's places or peer groups, open first, with how many young people and persons of concern are linked. */
export async function list(db: Executor, authorityId: string, area: Area): Promise<AreaRow[]> {
  const { table, column } = LINKS[area];
  const kind = area === 'places' ? sql`a.kind` : sql`NULL`;
  const r = await sql<AreaRow>`
    SELECT a.id, a.name, a.area, ${kind} AS kind, a.description, a.closed_on::text AS closed_on, a.version,
      (SELECT count(*)::int FROM ${sql.table(table)} l WHERE l.${sql.ref(column)} = a.id AND l.unlinked_at IS NULL) AS people,
      (SELECT count(*)::int FROM concern_links c WHERE c.${sql.ref(column)} = a.id) AS concerns
    FROM ${sql.table(area)} a WHERE a.authority_id = ${authorityId}
    ORDER BY a.closed_on IS NOT NULL, a.name`.execute(db);
  return r.rows;
}

export async function find(db: Executor, authorityId: string, area: Area, id: string) {
  const rows = await list(db, authorityId, area);
  return rows.find((r) => r.id === id);
}

export async function insertPlace(
  db: Executor,
  v: {
    authority_id: string;
    name: string;
    area: string;
    kind: PlaceKind;
    description: string | null;
    created_by: string;
  },
) {
  const r = await db.insertInto('places').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertGroup(
  db: Executor,
  v: { authority_id: string; name: string; area: string; description: string | null; created_by: string },
) {
  const r = await db.insertInto('peer_groups').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a place or group at the version the form carried; false when it changed meanwhile (or is not there). */
export async function update(
  db: Executor,
  authorityId: string,
  area: Area,
  id: string,
  version: number,
  v: { name: string; area: string; description: string | null; kind?: PlaceKind },
): Promise<boolean> {
  const kind = area === 'places' && v.kind ? sql`, kind = ${v.kind}` : sql``;
  const r = await sql`
    UPDATE ${sql.table(area)} SET name = ${v.name}, area = ${v.area}, description = ${v.description} ${kind},
      version = version + 1, updated_at = now()
    WHERE id = ${id} AND authority_id = ${authorityId} AND version = ${version}`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function close(db: Executor, authorityId: string, area: Area, id: string, version: number, on: string) {
  const r = await sql`
    UPDATE ${sql.table(area)} SET closed_on = ${on}, version = version + 1, updated_at = now()
    WHERE id = ${id} AND authority_id = ${authorityId} AND version = ${version} AND closed_on IS NULL`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** The young people linked now, each with whether the viewer has a relationship with them. */
export async function linkedPeople(db: Executor, viewer: Viewer, area: Area, id: string) {
  const { table, column } = LINKS[area];
  return db
    .selectFrom('people as p')
    .innerJoin(`${table} as l` as 'place_people as l', 'l.person_id', 'p.id')
    .where(sql.ref(`l.${column}`), '=', id)
    .where('l.unlinked_at', 'is', null)
    .where('p.authority_id', '=', viewer.authorityId)
    .select((eb) => [
      'p.id',
      'p.given_name',
      'p.family_name',
      'l.note',
      // biome-ignore lint/suspicious/noExplicitAny: the builder has the join's scope; the rule reads only `p`
      eb.or(relationshipConditions(eb as any, viewer)).as('related'),
    ])
    .orderBy('p.family_name')
    .execute();
}

export function concernsLinked(db: Executor, authorityId: string, area: Area, id: string) {
  const column = LINKS[area].column;
  return db
    .selectFrom('concern_links as c')
    .innerJoin('persons_of_concern as k', 'k.id', 'c.person_of_concern_id')
    .where('c.authority_id', '=', authorityId)
    .where(sql.ref(`c.${column}`), '=', id)
    .select(['c.id as link_id', 'k.id', 'k.name', 'k.aliases', 'c.note'])
    .orderBy('k.name')
    .execute();
}

export async function linkConcern(
  db: Executor,
  authorityId: string,
  area: Area,
  id: string,
  v: { person_of_concern_id: string; note: string | null; linked_by: string },
) {
  const column = LINKS[area].column;
  await db
    .insertInto('concern_links')
    .values({ authority_id: authorityId, [column]: id, ...v })
    .execute();
}

/** Links (or links again) a young person to a place or group. */
export async function linkPerson(
  db: Executor,
  authorityId: string,
  area: Area,
  id: string,
  v: { person_id: string; note: string; linked_by: string },
) {
  const { table, column } = LINKS[area];
  await sql`
    INSERT INTO ${sql.table(table)} (authority_id, ${sql.ref(column)}, person_id, note, linked_by)
    VALUES (${authorityId}, ${id}, ${v.person_id}, ${v.note}, ${v.linked_by})
    ON CONFLICT (${sql.ref(column)}, person_id)
    DO UPDATE SET note = EXCLUDED.note, linked_by = EXCLUDED.linked_by, linked_at = now(), unlinked_at = NULL`.execute(
    db,
  );
}

export async function unlinkPerson(db: Executor, authorityId: string, area: Area, id: string, personId: string) {
  const { table, column } = LINKS[area];
  const r = await sql`
    UPDATE ${sql.table(table)} SET unlinked_at = now()
    WHERE authority_id = ${authorityId} AND ${sql.ref(column)} = ${id} AND person_id = ${personId}
      AND unlinked_at IS NULL`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** What a young person is linked to now (their record's section). */
export async function linksOfPerson(db: Executor, authorityId: string, personId: string) {
  const r = await sql<{ area: Area; id: string; name: string; area_name: string; note: string | null }>`
    SELECT 'places' AS area, a.id, a.name, a.area AS area_name, l.note FROM place_people l
      JOIN places a ON a.id = l.place_id
      WHERE l.person_id = ${personId} AND l.authority_id = ${authorityId} AND l.unlinked_at IS NULL
    UNION ALL
    SELECT 'peer_groups', a.id, a.name, a.area, l.note FROM peer_group_people l
      JOIN peer_groups a ON a.id = l.peer_group_id
      WHERE l.person_id = ${personId} AND l.authority_id = ${authorityId} AND l.unlinked_at IS NULL
    ORDER BY 1, 3`.execute(db);
  return r.rows;
}

export function listConcerns(db: Executor, authorityId: string) {
  return db
    .selectFrom('persons_of_concern as k')
    .where('k.authority_id', '=', authorityId)
    .select((eb) => [
      'k.id',
      'k.name',
      'k.aliases',
      'k.description',
      'k.version',
      eb
        .selectFrom('concern_links as c')
        .whereRef('c.person_of_concern_id', '=', 'k.id')
        .where((w) => w.or([w('c.place_id', 'is not', null), w('c.peer_group_id', 'is not', null)]))
        .select((s) => s.fn.countAll<number>().as('n'))
        .as('links'),
    ])
    .orderBy('k.name')
    .execute();
}

export function findConcern(db: Executor, authorityId: string, id: string) {
  return db
    .selectFrom('persons_of_concern')
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .select(['id', 'name', 'aliases', 'description', 'version'])
    .executeTakeFirst();
}

export async function insertConcern(
  db: Executor,
  v: { authority_id: string; name: string; aliases: string | null; description: string; created_by: string },
) {
  const r = await db.insertInto('persons_of_concern').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateConcern(
  db: Executor,
  authorityId: string,
  id: string,
  version: number,
  v: { name: string; aliases: string | null; description: string },
) {
  const r = await db
    .updateTable('persons_of_concern')
    .set((eb) => ({ ...v, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .where('authority_id', '=', authorityId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
