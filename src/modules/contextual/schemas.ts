// Contextual safeguarding's inputs (issue 12 part 3), declared once: the API validates and documents them with
// `.schema`, the pages and the API read them with `.read`/`.parse` (one message per field, naming it and the fix).
import type { PlaceKind } from '../../db/schema.ts';
import { f, type InputOf, input } from '../../http/schema-input.ts';

export const PLACE_KINDS: Record<PlaceKind, string> = {
  public_space: 'Public space (park, street, car park)',
  shop_or_takeaway: 'Shop or takeaway',
  transport: 'Transport (station, bus route)',
  address: 'Address (a flat or house)',
  school_or_college: 'School or college',
  leisure: 'Leisure (gym, arcade, shopping centre)',
  online: 'Online (a platform or group)',
  other: 'Other',
};
const KIND_KEYS = Object.keys(PLACE_KINDS) as PlaceKind[];

const name = (what: string) =>
  f.text('Name', 200, { required: true, missing: `Enter the name of the ${what}, as staff know it` });
const area = f.text('Area', 200, {
  required: true,
  missing: 'Enter the area, for example the town or the neighbourhood',
});
const description = f.text('Description', 4000);
const version = f.integer('Version', 1, 2_000_000_000, {
  required: true,
  missing: 'Version is missing: open the form again and make the change',
  invalid: 'Version is missing: open the form again and make the change',
});

export const PlaceInput = input({
  name: name('place'),
  area,
  kind: f.choice('Kind of place', KIND_KEYS, {
    required: true,
    missing: 'Choose the kind of place',
    invalid: 'Choose the kind of place from the list',
  }),
  description,
});
export type PlaceInput = InputOf<typeof PlaceInput>;
export const PlaceEdit = input({ ...PlaceInput.fields, version });
export type PlaceEdit = InputOf<typeof PlaceEdit>;

export const GroupInput = input({ name: name('peer group'), area, description });
export type GroupInput = InputOf<typeof GroupInput>;
export const GroupEdit = input({ ...GroupInput.fields, version });
export type GroupEdit = InputOf<typeof GroupEdit>;

export const CloseInput = input({ version });

export const ConcernInput = input({
  name: f.text('Name', 200, {
    required: true,
    missing: 'Enter the name of the person of concern, or how they are known',
  }),
  aliases: f.text('Other names', 400),
  description: f.text('Why they are a concern', 4000, {
    required: true,
    missing: 'Enter why they are a concern: what is known and where it comes from',
  }),
});
export type ConcernInput = InputOf<typeof ConcernInput>;
export const ConcernEdit = input({ ...ConcernInput.fields, version });
export type ConcernEdit = InputOf<typeof ConcernEdit>;

/** A person of concern linked to a place or a peer group. */
export const ConcernLinkInput = input({
  person_of_concern_id: f.id('Person of concern', {
    required: true,
    missing: 'Choose the person of concern to link',
    invalid: 'Choose the person of concern from the list',
  }),
  note: f.text('Note', 1000),
});
export type ConcernLinkInput = InputOf<typeof ConcernLinkInput>;

/** A young person linked to a place or a peer group, from their record. */
export const PersonLinkInput = input({
  target: f.choice('Link to', ['place', 'peer_group'] as const, {
    required: true,
    missing: 'Choose whether to link a place or a peer group',
    invalid: 'Choose whether to link a place or a peer group',
  }),
  target_id: f.id('Place or peer group', {
    required: true,
    missing: 'Choose the place or peer group',
    invalid: 'Choose the place or peer group from the list',
  }),
  note: f.text('Why they are linked', 1000, {
    required: true,
    missing: 'Enter why the young person is linked, for example what was seen or reported',
  }),
});
export type PersonLinkInput = InputOf<typeof PersonLinkInput>;
