// The places of concern, peer groups and persons of concern a screening names: chosen from the council's, or added
// by name. Each link carries the screening's id; the contextual safeguarding pages (another part) add links by hand.
import type { Tx } from '../../db/database.ts';
import { ValidationError } from '../../http/forms.ts';
import type { ScreeningInput } from './schemas.ts';

interface LinkCtx {
  authorityId: string;
  userId: string;
  personId: string;
  screeningId: string;
}

async function ownIds(tx: Tx, table: 'places' | 'peer_groups' | 'persons_of_concern', c: LinkCtx, ids: string[]) {
  if (!ids.length) return [];
  const rows = await tx
    .selectFrom(table)
    .where('authority_id', '=', c.authorityId)
    .where('id', 'in', ids)
    .select('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Checks the chosen ids are the council's (before anything is written). */
export async function checkChosen(tx: Tx, authorityId: string, input: ScreeningInput) {
  const c = { authorityId, userId: '', personId: '', screeningId: '' };
  const errors: Record<string, string> = {};
  const pairs = [
    ['places', 'place_ids', 'Choose places of concern from the list'],
    ['peer_groups', 'peer_group_ids', 'Choose peer groups from the list'],
    ['persons_of_concern', 'person_of_concern_ids', 'Choose persons of concern from the list'],
  ] as const;
  for (const [table, field, message] of pairs) {
    const wanted = input[field] ?? [];
    if ((await ownIds(tx, table, c, wanted)).length !== wanted.length) errors[field] = message;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/** Adds the new records named and links all of them to the young person, with the screening's id. */
export async function writeLinks(tx: Tx, c: LinkCtx, input: ScreeningInput): Promise<number> {
  const placeIds = [...(input.place_ids ?? [])];
  const groupIds = [...(input.peer_group_ids ?? [])];
  const pocIds = [...(input.person_of_concern_ids ?? [])];
  const by = { authority_id: c.authorityId, created_by: c.userId };
  if (input.new_place_name && input.new_place_area && input.new_place_kind) {
    const r = await tx
      .insertInto('places')
      .values({ ...by, name: input.new_place_name, area: input.new_place_area, kind: input.new_place_kind })
      .returning('id')
      .executeTakeFirstOrThrow();
    placeIds.push(r.id);
  }
  if (input.new_group_name && input.new_group_area) {
    const r = await tx
      .insertInto('peer_groups')
      .values({ ...by, name: input.new_group_name, area: input.new_group_area })
      .returning('id')
      .executeTakeFirstOrThrow();
    groupIds.push(r.id);
  }
  if (input.new_person_name && input.new_person_description) {
    const r = await tx
      .insertInto('persons_of_concern')
      .values({ ...by, name: input.new_person_name, description: input.new_person_description })
      .returning('id')
      .executeTakeFirstOrThrow();
    pocIds.push(r.id);
  }
  const link = {
    authority_id: c.authorityId,
    person_id: c.personId,
    screening_id: c.screeningId,
    linked_by: c.userId,
  };
  for (const place_id of placeIds)
    await tx
      .insertInto('place_people')
      .values({ ...link, place_id })
      .onConflict((oc) =>
        oc.columns(['place_id', 'person_id']).doUpdateSet({ screening_id: c.screeningId, unlinked_at: null }),
      )
      .execute();
  for (const peer_group_id of groupIds)
    await tx
      .insertInto('peer_group_people')
      .values({ ...link, peer_group_id })
      .onConflict((oc) =>
        oc.columns(['peer_group_id', 'person_id']).doUpdateSet({ screening_id: c.screeningId, unlinked_at: null }),
      )
      .execute();
  for (const person_of_concern_id of pocIds)
    await tx
      .insertInto('concern_links')
      .values({ ...link, person_of_concern_id })
      .execute();
  return placeIds.length + groupIds.length + pocIds.length;
}

/** What a screening named, for its page. */
export async function namedBy(tx: Tx, authorityId: string, screeningId: string) {
  const [places, groups, persons] = await Promise.all([
    tx
      .selectFrom('place_people as l')
      .innerJoin('places as p', 'p.id', 'l.place_id')
      .where('l.screening_id', '=', screeningId)
      .where('l.authority_id', '=', authorityId)
      .select(['p.id', 'p.name', 'p.area'])
      .execute(),
    tx
      .selectFrom('peer_group_people as l')
      .innerJoin('peer_groups as g', 'g.id', 'l.peer_group_id')
      .where('l.screening_id', '=', screeningId)
      .where('l.authority_id', '=', authorityId)
      .select(['g.id', 'g.name', 'g.area'])
      .execute(),
    tx
      .selectFrom('concern_links as l')
      .innerJoin('persons_of_concern as c', 'c.id', 'l.person_of_concern_id')
      .where('l.screening_id', '=', screeningId)
      .where('l.authority_id', '=', authorityId)
      .select(['c.id', 'c.name'])
      .execute(),
  ]);
  return { places, groups, persons };
}

/** The council's open places, peer groups and persons of concern, for the screening form's lists. */
export async function choices(tx: Tx, authorityId: string) {
  const [places, groups, persons] = await Promise.all([
    tx
      .selectFrom('places')
      .where('authority_id', '=', authorityId)
      .where('closed_on', 'is', null)
      .select(['id', 'name', 'area'])
      .orderBy('name')
      .limit(200)
      .execute(),
    tx
      .selectFrom('peer_groups')
      .where('authority_id', '=', authorityId)
      .where('closed_on', 'is', null)
      .select(['id', 'name', 'area'])
      .orderBy('name')
      .limit(200)
      .execute(),
    tx
      .selectFrom('persons_of_concern')
      .where('authority_id', '=', authorityId)
      .select(['id', 'name'])
      .orderBy('name')
      .limit(200)
      .execute(),
  ]);
  return { places, groups, persons };
}
