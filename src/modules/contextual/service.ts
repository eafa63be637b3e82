// Contextual safeguarding (issue 12 part 3): places and peer groups of concern and persons of concern are the
// council's records; young people are linked to them from their own record (person:edit and a relationship). A place
// or group page names a linked young person only when the viewer has a relationship with them (the one rule in
// modules/access); the rest are a count. Changes to a place, group or person of concern write an audit row (ids
// only); a young person's link or unlink writes a timeline line and an audit row; reading a record's links is logged.
import type { Db, Executor } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import { UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { StaleVersion } from '../../http/versions.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { personHeader } from '../kit/person-header.ts';
import { recordChange } from '../kit/record.ts';
import { refuseIdentifiers } from './identifiers.ts';
import type { Area } from './repository.ts';
import * as repo from './repository.ts';
import type {
  ConcernEdit,
  ConcernInput,
  ConcernLinkInput,
  GroupEdit,
  GroupInput,
  PersonLinkInput,
  PlaceEdit,
  PlaceInput,
} from './schemas.ts';

type Channel = 'page' | 'api';
export const AREA_WORDS: Record<Area, { one: string; entity: string; path: string }> = {
  places: { one: 'place of concern', entity: 'place', path: '/places' },
  peer_groups: { one: 'peer group', entity: 'peer_group', path: '/peer-groups' },
};
/** Someone else saved the place or group since the caller read it (a 409; the page shows its form again). */
const stale = (area: Area, id: string, version: number) =>
  new StaleVersion(AREA_WORDS[area].one, version, `${AREA_WORDS[area].path}/${id}`);

export class ContextualService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  list(user: AuthUser, area: Area) {
    return repo.list(this.db, user.authorityId, area);
  }

  /** A place or group with its persons of concern, the linked young people the viewer works with by name, and a
   *  count of the others (never their names). */
  async show(user: AuthUser, area: Area, id: string) {
    return this.db.transaction().execute(async (tx) => {
      const item = await this.find(tx, user, area, id);
      const people = await repo.linkedPeople(tx, user, area, id);
      const known = people.filter((p) => p.related);
      const concerns = await repo.concernsLinked(tx, user.authorityId, area, id);
      await auditBy(tx, user, {
        action: 'read',
        entity: AREA_WORDS[area].entity,
        entityId: id,
        detail: { named: known.map((p) => p.id) },
      });
      for (const p of known)
        await logRead(tx, user, { personId: p.id, breakGlassId: null }, 'page', `contextual:${area}`);
      return {
        item,
        known: known.map((p) => ({ id: p.id, name: `${p.given_name} ${p.family_name}`, note: p.note })),
        others: people.length - known.length,
        concerns,
      };
    });
  }

  async add(user: AuthUser, area: Area, input: PlaceInput | GroupInput) {
    return this.db.transaction().execute(async (tx) => {
      this.checkDescription(area, input.description);
      const base = {
        authority_id: user.authorityId,
        name: input.name,
        area: input.area,
        description: input.description,
        created_by: user.id,
      };
      const id =
        area === 'places' && 'kind' in input
          ? await repo.insertPlace(tx, { ...base, kind: input.kind })
          : await repo.insertGroup(tx, base);
      await auditBy(tx, user, { action: 'create', entity: AREA_WORDS[area].entity, entityId: id });
      return id;
    });
  }

  async edit(user: AuthUser, area: Area, id: string, input: PlaceEdit | GroupEdit) {
    return this.db.transaction().execute(async (tx) => {
      await this.find(tx, user, area, id);
      this.checkDescription(area, input.description);
      const kind = 'kind' in input ? input.kind : undefined;
      const values = { name: input.name, area: input.area, description: input.description, kind };
      if (!(await repo.update(tx, user.authorityId, area, id, input.version, values)))
        throw stale(area, id, input.version);
      await auditBy(tx, user, { action: 'update', entity: AREA_WORDS[area].entity, entityId: id });
    });
  }

  async close(user: AuthUser, area: Area, id: string, version: number) {
    return this.db.transaction().execute(async (tx) => {
      const item = await this.find(tx, user, area, id);
      if (item.closed_on) throw new ValidationError({ version: `This ${AREA_WORDS[area].one} is already closed` });
      if (!(await repo.close(tx, user.authorityId, area, id, version, this.today().today)))
        throw stale(area, id, version);
      await auditBy(tx, user, { action: 'close', entity: AREA_WORDS[area].entity, entityId: id });
    });
  }

  async linkConcern(user: AuthUser, area: Area, id: string, input: ConcernLinkInput) {
    return this.db.transaction().execute(async (tx) => {
      await this.find(tx, user, area, id);
      if (!(await repo.findConcern(tx, user.authorityId, input.person_of_concern_id)))
        throw new ValidationError({ person_of_concern_id: 'Choose the person of concern from the list' });
      refuseIdentifiers({ note: { label: 'The note', text: input.note } });
      await repo.linkConcern(tx, user.authorityId, area, id, { ...input, linked_by: user.id });
      await auditBy(tx, user, {
        action: 'link',
        entity: AREA_WORDS[area].entity,
        entityId: id,
        detail: { person_of_concern_id: input.person_of_concern_id },
      });
    });
  }

  /** The young person's links (their record's section) and what can be linked; the read is logged. */
  personLinks(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const person = await personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'contextual-links');
      const links = await repo.linksOfPerson(tx, user.authorityId, access.personId);
      const places = (await repo.list(tx, user.authorityId, 'places')).filter((p) => !p.closed_on);
      const groups = (await repo.list(tx, user.authorityId, 'peer_groups')).filter((p) => !p.closed_on);
      return { person, links, places, groups };
    });
  }

  async linkPerson(user: AuthUser, personId: string, input: PersonLinkInput) {
    const area: Area = input.target === 'place' ? 'places' : 'peer_groups';
    return this.db.transaction().execute(async (tx) => {
      const item = await repo.find(tx, user.authorityId, area, input.target_id);
      if (!item || item.closed_on)
        throw new ValidationError({ target_id: `Choose an open ${AREA_WORDS[area].one} from the list` });
      await repo.linkPerson(tx, user.authorityId, area, item.id, {
        person_id: personId,
        note: input.note,
        linked_by: user.id,
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: `Linked to a ${AREA_WORDS[area].one}: ${item.name}`,
        audit: { action: 'link', entity: AREA_WORDS[area].entity, entityId: item.id },
      });
      return item.id;
    });
  }

  async unlinkPerson(user: AuthUser, personId: string, area: Area, id: string) {
    return this.db.transaction().execute(async (tx) => {
      const item = UUID.test(id) ? await repo.find(tx, user.authorityId, area, id) : undefined;
      if (!item || !(await repo.unlinkPerson(tx, user.authorityId, area, id, personId)))
        throw new NotFound(`This young person is not linked to that ${AREA_WORDS[area].one}.`);
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: `No longer linked to a ${AREA_WORDS[area].one}: ${item.name}`,
        audit: { action: 'unlink', entity: AREA_WORDS[area].entity, entityId: id },
      });
    });
  }

  concerns(user: AuthUser) {
    return repo.listConcerns(this.db, user.authorityId);
  }

  async concern(user: AuthUser, id: string) {
    const row = UUID.test(id) ? await repo.findConcern(this.db, user.authorityId, id) : undefined;
    if (!row) throw new NotFound('No person of concern with that reference.');
    return row;
  }

  addConcern(user: AuthUser, input: ConcernInput) {
    return this.db.transaction().execute(async (tx) => {
      const id = await repo.insertConcern(tx, { ...input, authority_id: user.authorityId, created_by: user.id });
      await auditBy(tx, user, { action: 'create', entity: 'person_of_concern', entityId: id });
      return id;
    });
  }

  editConcern(user: AuthUser, id: string, input: ConcernEdit) {
    return this.db.transaction().execute(async (tx) => {
      const { version, ...values } = input;
      if (!UUID.test(id) || !(await repo.findConcern(tx, user.authorityId, id)))
        throw new NotFound('No person of concern with that reference.');
      if (!(await repo.updateConcern(tx, user.authorityId, id, version, values)))
        throw new StaleVersion('person of concern', version, `/persons-of-concern/${id}/edit`);
      await auditBy(tx, user, { action: 'update', entity: 'person_of_concern', entityId: id });
    });
  }

  /** A place's or group's description is read by everyone with safeguarding:read: no young person in it (a place
   *  may be an address). */
  private checkDescription(area: Area, description: string | null) {
    refuseIdentifiers(
      { description: { label: 'The description', text: description } },
      area === 'places' ? ['address', 'postcode'] : [],
    );
  }

  private async find(tx: Executor, user: AuthUser, area: Area, id: string) {
    const item = UUID.test(id) ? await repo.find(tx, user.authorityId, area, id) : undefined;
    if (!item) throw new NotFound(`No ${AREA_WORDS[area].one} with that reference.`);
    return item;
  }
}
