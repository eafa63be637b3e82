import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { ageOn, schoolYear } from '../../domain/age.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { DeferredSession } from '../../http/session.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { formatDate } from '../../http/views.ts';
import { accessRowsForPerson, auditBy, insertAccess } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { UPN_UNKNOWN, UPN_UNKNOWN_CODES } from '../sen2/codes.ts';
import { AllocationGuards } from './allocation-guards.ts';
import { LikelyDuplicates, likelyDuplicates } from './duplicates.ts';
import * as involvements from './involvements.ts';
import { readRecordPage } from './record-read.ts';
import * as repo from './repository.ts';
import type {
  AllocateInput,
  BreakGlassInput,
  ContactInput,
  FilterInput,
  InvolvementInput,
  NewPersonInput,
  PersonInput,
  PersonUpdateInput,
  SearchInput,
  StatusEndInput,
  StatusInput,
} from './schemas.ts';
import * as search from './search.ts';
import * as statuses from './statuses.ts';
import { type TimelineQuery, timelinePage } from './timeline.ts';

type Channel = 'page' | 'api' | 'export' | 'print';

/**
 * The timeline page asked for, as a whole number from 1 to 100,000: anything else (an address's "Infinity", "1e19",
 * "-3", "x") is page 1, so no address can make an offset the database refuses.
 */
export function timelinePageNumber(asked: number): number {
  const n = Math.floor(asked);
  return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, 100_000) : 1;
}

/** Timeline events on one page of the record (newest first). */
export const TIMELINE_PAGE = 25;

/** 'Year 9', 'Reception', 'Early years' or 'Left school age' for a child's computed national-curriculum year. */
export function yearLabel(year: number | null): string {
  if (year === null) return 'Early years (below Reception)';
  if (year === 0) return 'Reception';
  if (year > 13) return 'Past school age';
  return `Year ${year}`;
}

/** The record as its pages and API show it: ages, school year, current statuses and the timeline's pages. */
export function shapeRecord(
  read: ReturnType<typeof repo.recordFromRow>,
  access: PersonAccess,
  page: number,
  today: string,
) {
  const { person, statuses } = read;
  const year = schoolYear(person.date_of_birth, today);
  return {
    ...read,
    age: ageOn(person.date_of_birth, today),
    schoolYear: year,
    schoolYearLabel: yearLabel(year),
    // A status ended today is no longer current: the worker has just ended it (only an end date ahead keeps it).
    currentStatuses: statuses.filter((s) => !s.end_date || s.end_date > today),
    breakGlass: Boolean(access.breakGlassId),
    timeline: { page, pages: Math.max(1, Math.ceil(read.eventCount / TIMELINE_PAGE)), total: read.eventCount },
  };
}

export class PeopleService {
  /** Checks other modules register to run before a change to who holds a case (allocation-guards.ts). */
  readonly guards = new AllocationGuards();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
  ) {}

  today(): string {
    return londonToday(this.now());
  }

  /** The people the user works with who match the search form (any of its fields): the first page, 50 of them. */
  async find(user: AuthUser, s: SearchInput) {
    return (await this.list(user, { ...s, page: 1 }, 50)).items;
  }

  /** A page of the people the user works with, filtered, searched and sorted (issue 11 capability 11). */
  async list(user: AuthUser, s: Partial<SearchInput> & FilterInput, pageSize = search.PEOPLE_PAGE) {
    const today = this.today();
    const criteria: search.Criteria = {
      name: s.name,
      dateOfBirth: s.date_of_birth,
      nhsNumber: s.nhs_number,
      upn: s.upn,
      caseNumber: s.case_number,
      teamId: s.team_id,
      worker: s.worker,
      status: s.status,
      age: s.age,
    };
    const { rows, total } = await search.findPeople(this.db, user, criteria, {
      today,
      sort: s.sort,
      page: s.page,
      pageSize,
    });
    return {
      items: rows.map((r) => ({ ...r, age: ageOn(r.date_of_birth, today) })),
      total,
      page: s.page,
      pages: Math.max(1, Math.ceil(total / pageSize)),
    };
  }

  /**
   * The people the user works with who match `criteria`, by name, up to `limit`: the same query as the list, used by
   * the scoping tests (quality.md S3).
   */
  async search(user: AuthUser, criteria: search.Criteria, limit = 50) {
    const today = this.today();
    const { rows } = await search.findPeople(this.db, user, criteria, {
      today,
      sort: 'name',
      page: 1,
      pageSize: limit,
    });
    return rows.map((r) => ({ ...r, age: ageOn(r.date_of_birth, today) }));
  }

  /** The people the user opened most recently and may still open. */
  async recentlyViewed(user: AuthUser) {
    const today = this.today();
    const rows = await search.recentlyViewed(this.db, user);
    return rows.map((r) => ({ ...r, age: ageOn(r.date_of_birth, today) }));
  }

  /** The choices of the list's filters. */
  filterOptions(user: AuthUser) {
    return search.filterOptions(this.db, user);
  }

  /** The whole record, read in one transaction with its access-log row (quality.md S6). */
  async record(user: AuthUser, access: PersonAccess, channel: Channel, timelinePage = 1) {
    const page = channel === 'page' ? timelinePageNumber(timelinePage) : 1;
    const read = await repo.readRecordLogged(this.db, {
      authorityId: user.authorityId,
      personId: access.personId,
      userId: user.id,
      channel,
      purpose: access.breakGlassId ? 'break-glass' : 'record',
      breakGlassId: access.breakGlassId,
      events: channel === 'page' ? TIMELINE_PAGE : 100,
      eventsOffset: channel === 'page' ? (page - 1) * TIMELINE_PAGE : 0,
    });
    if (!read) throw new NotFound('No record with that reference.');
    return shapeRecord(read, access, page, this.today());
  }

  /**
   * The record page's one statement (record-read.ts): the session, the access check's facts, the access-log row, the
   * record and its protocol instances. The route hands the facts to the access policy (completeDeferredAccess).
   */
  recordPage(deferred: DeferredSession, personId: string, capable: readonly string[], timelinePage: number) {
    const page = timelinePageNumber(timelinePage);
    const { idHash, now, idleSince, createdSince } = deferred;
    return readRecordPage(this.db, {
      ...{ idHash, now, idleSince, createdSince, personId, capable },
      events: TIMELINE_PAGE,
      offset: (page - 1) * TIMELINE_PAGE,
    });
  }

  /** A page of the timeline, older than `before`, its read logged (timeline.ts). */
  async timelinePage(user: AuthUser, access: PersonAccess, q: TimelineQuery) {
    const page = await timelinePage(this.db, { authorityId: user.authorityId, userId: user.id, ...access, ...q });
    if (!page) throw new NotFound('No record with that reference.');
    return page;
  }

  /** Who viewed this record: itself a read of the record, so it is logged too. */
  async whoViewed(user: AuthUser, access: PersonAccess) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.findPerson(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await insertAccess(tx, {
        authorityId: user.authorityId,
        personId: person.id,
        userId: user.id,
        channel: 'page',
        purpose: 'who-viewed',
        breakGlassId: access.breakGlassId,
      });
      const rows = await accessRowsForPerson(tx, user.authorityId, person.id, 500);
      return { person, rows };
    });
  }

  private async checkIdentifiersFree(
    tx: Tx,
    authorityId: string,
    input: { nhs_number: string | null; upn: string | null },
    exceptId?: string,
  ) {
    const errors: Record<string, string> = {};
    if (input.nhs_number && (await repo.identifierTaken(tx, authorityId, 'nhs_number', input.nhs_number, exceptId))) {
      errors.nhs_number = 'Another record already has this NHS number: search for it instead of creating a new one';
    }
    if (input.upn && (await repo.identifierTaken(tx, authorityId, 'upn', input.upn, exceptId))) {
      errors.upn = 'Another record already has this UPN: search for it instead of creating a new one';
    }
    if (Object.keys(errors).length) throw new ValidationError(errors);
  }

  private async checkLocality(tx: Tx, authorityId: string, localityId: string | null) {
    if (!localityId) return;
    const found = await tx
      .selectFrom('localities')
      .where('id', '=', localityId)
      .where('authority_id', '=', authorityId)
      .select('id')
      .executeTakeFirst();
    if (!found) throw new ValidationError({ locality_id: 'Choose a locality from the list' });
  }

  /**
   * Creates a person with an involvement of one of the creator's teams, so somebody always works
   * with them (and the creator keeps access through the relationship).
   */
  async create(user: AuthUser, nw: NewPersonInput): Promise<string> {
    const { team_id } = nw;
    if (!user.teamIds.includes(team_id)) {
      throw new ValidationError({
        team_id: user.teamIds.length
          ? 'Choose one of your teams'
          : 'You are not in a team yet: ask your administrator to add you to one',
      });
    }
    let outside: string[] = [];
    try {
      return await this.createChecked(user, nw, (ids) => {
        outside = ids;
      });
    } catch (e) {
      // Whatever refused the record (the warning, or an NHS number or UPN already held, past the warning), an answer
      // drawn from records outside the user's access is audited (their ids only, no search terms), so the form cannot
      // be used quietly to look people up; the transaction that found them was rolled back.
      if (outside.length)
        await auditBy(this.db, user, {
          action: 'duplicate-warning',
          entity: 'person',
          detail: { outside_access: outside },
        });
      throw e;
    }
  }

  private async createChecked(
    user: AuthUser,
    nw: NewPersonInput,
    found: (outsideAccess: string[]) => void,
  ): Promise<string> {
    const { team_id, reason, allocate_to_me, create_anyway, ...input } = nw;
    const today = this.today();
    const inv = { input: { team_id, reason } };
    const allocateToMe = allocate_to_me === true;
    return this.db.transaction().execute(async (tx) => {
      // Likely duplicates first: a warning the user may go past (recorded), then the identifiers that must be unique.
      const duplicates = await likelyDuplicates(tx, user, input);
      found(duplicates.outside);
      if (duplicates.ids.length && create_anyway !== true) throw new LikelyDuplicates(duplicates);
      await this.checkIdentifiersFree(tx, user.authorityId, input);
      await this.checkLocality(tx, user.authorityId, input.locality_id);
      const caseNumber = await repo.nextCaseNumber(tx, user.authorityId);
      const { id } = await repo.insertPerson(tx, { ...input, authority_id: user.authorityId, case_number: caseNumber });
      const involvement = await tx
        .insertInto('involvements')
        .values({
          authority_id: user.authorityId,
          person_id: id,
          team_id: inv.input.team_id,
          worker_id: allocateToMe ? user.id : null,
          reason: inv.input.reason,
          start_date: today,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordChange(tx, {
        actor: user,
        personId: id,
        kind: 'record',
        title: 'Record created',
        detail: duplicates.ids.length ? 'Created after a warning that a record may already exist' : null,
        audit: {
          action: 'create',
          entity: 'person',
          entityId: id,
          detail: {
            fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== null),
            ...(duplicates.ids.length ? { created_anyway: true, likely_duplicates: duplicates.ids } : {}),
          },
        },
      });
      await auditBy(tx, user, {
        action: 'create',
        entity: 'involvement',
        entityId: involvement.id,
        personId: id,
        detail: { team_id: inv.input.team_id, worker_id: allocateToMe ? user.id : null },
      });
      return id;
    });
  }

  /** Optimistic lock on version: a stale edit gets a Conflict, never a silent overwrite (R3). */
  async update(user: AuthUser, personId: string, change: PersonUpdateInput): Promise<void> {
    const { version, ...input } = change;
    await this.db.transaction().execute(async (tx) => {
      const before = await repo.findPerson(tx, user.authorityId, personId);
      if (!before) throw new NotFound('No record with that reference.');
      await this.checkIdentifiersFree(tx, user.authorityId, input, personId);
      await this.checkLocality(tx, user.authorityId, input.locality_id);
      const res = await tx
        .updateTable('people')
        .set({ ...input, version: before.version + 1, updated_at: this.now() })
        .where('id', '=', personId)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) {
        throw new Conflict(
          'Someone else changed this record while you were editing it. Reload it to see their changes, then make yours again.',
        );
      }
      const changed = (Object.keys(input) as (keyof PersonInput)[]).filter((k) => before[k] !== input[k]);
      await recordChange(tx, {
        actor: user,
        personId: personId,
        kind: 'record',
        title: 'Details updated',
        detail: changed.length ? `Changed: ${changed.map((c) => c.replace(/_/g, ' ')).join(', ')}` : null,
        audit: { action: 'update', entity: 'person', entityId: personId, detail: { changed, version: version + 1 } },
      });
    });
  }

  addStatus(user: AuthUser, personId: string, input: StatusInput) {
    return statuses.add(this.db, this.guards, user, personId, input);
  }

  /** An open status on the record, for the page that asks to confirm its end. */
  openStatus(user: AuthUser, personId: string, statusId: string) {
    return statuses.open(this.db, user, personId, statusId);
  }

  /** Ends an open status on a date (not before it started) with a reason; never leaves a protected child unallocated. */
  endStatus(user: AuthUser, personId: string, statusId: string, input: StatusEndInput) {
    return statuses.end(this.db, user, personId, statusId, input);
  }

  async addContact(user: AuthUser, personId: string, contact: ContactInput) {
    const input = { ...contact, parental_responsibility: contact.parental_responsibility === true };
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('contacts')
        .values({ authority_id: user.authorityId, person_id: personId, ...input })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'contact',
        title: `Contact added: ${input.relationship}`,
        audit: { action: 'create', entity: 'contact', entityId: row.id },
      });
      return row.id;
    });
  }

  addInvolvement(user: AuthUser, personId: string, input: InvolvementInput) {
    return involvements.add(this.db, user, personId, input);
  }

  /** Allocates, re-allocates or (explicitly, with a reason) removes the worker on an open involvement. */
  allocate(user: AuthUser, personId: string, involvementId: string, input: AllocateInput) {
    return involvements.allocate(this.db, this.guards, user, personId, involvementId, input);
  }

  endInvolvement(user: AuthUser, personId: string, involvementId: string) {
    return involvements.end(this.db, this.guards, user, personId, involvementId, this.today());
  }

  /** Emergency access: a reason, an expiry, an alert to a named role, an audit row (quality.md S5). */
  async breakGlass(user: AuthUser, personId: string, { reason }: BreakGlassInput) {
    return this.db.transaction().execute(async (tx) => {
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .where('authority_id', '=', user.authorityId)
        .select(['id', 'case_number'])
        .executeTakeFirst();
      if (!person) throw new NotFound('No record with that reference.');
      const now = this.now();
      const expires = new Date(now.getTime() + this.config.breakGlassMinutes * 60_000);
      const grant = await tx
        .insertInto('break_glass')
        .values({
          authority_id: user.authorityId,
          user_id: user.id,
          person_id: personId,
          reason,
          created_at: now,
          expires_at: expires,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The alert names the case reference, never the young person.
      await tx
        .insertInto('alerts')
        .values({
          authority_id: user.authorityId,
          role: this.config.breakGlassAlertRole,
          kind: 'break-glass',
          message: `${user.displayName} used break-glass access to case ${person.case_number}`,
          link: null,
        })
        .execute();
      await recordChange(tx, {
        actor: user,
        personId: personId,
        kind: 'break-glass',
        title: 'Break-glass access used',
        detail: `Reason recorded; access until ${formatDate(expires)}`,
        audit: {
          action: 'break-glass',
          entity: 'person',
          entityId: personId,
          detail: {
            grant_id: grant.id,
            expires_at: expires.toISOString(),
            alerted_role: this.config.breakGlassAlertRole,
          },
        },
      });
      return { grantId: grant.id, expiresAt: expires };
    });
  }

  async formOptions(user: AuthUser) {
    const [teams, localities] = await Promise.all([
      this.db
        .selectFrom('teams')
        .where('authority_id', '=', user.authorityId)
        .orderBy('name')
        .select(['id', 'name'])
        .execute(),
      this.db
        .selectFrom('localities')
        .where('authority_id', '=', user.authorityId)
        .orderBy('name')
        .select(['id', 'name'])
        .execute(),
    ]);
    const upnUnknown = UPN_UNKNOWN_CODES.map((code) => ({ code, text: `${code}: ${UPN_UNKNOWN[code]}` }));
    return { teams, myTeams: teams.filter((t) => user.teamIds.includes(t.id)), localities, upnUnknown };
  }

  async teamWorkers(user: AuthUser, teamId: string) {
    return this.db
      .selectFrom('team_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .where('m.team_id', '=', teamId)
      .where('t.authority_id', '=', user.authorityId)
      .where('u.active', '=', true)
      .orderBy('u.display_name')
      .select(['u.id', 'u.display_name'])
      .execute();
  }
}
