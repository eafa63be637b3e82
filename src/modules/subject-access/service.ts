// Subject access requests (quality.md R9): logged against a young person with the ICO's one-month clock, reviewed
// (each piece of third parties' data included, redacted or withheld, with a reason), then released as one export of
// everything held about them; the released zip is kept and downloaded as it was released. Every step writes an audit
// row (ids and counts only, never names); the release also writes the access-log row of its read of the record.
import { createHash } from 'node:crypto';
import type { DocumentsConfig } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy, insertAccess } from '../audit/repository.ts';
import { DocumentStore } from '../documents/storage.ts';
import { icoClock } from './clock.ts';
import { buildExport } from './export.ts';
import * as repo from './repository.ts';
import { type ExtensionInput, fieldOf, type RequestInput, type ReviewItemDecision } from './schemas.ts';

const NOT_FOUND = 'No subject access request with that reference.';
const entity = 'subject_access_request';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export class SubjectAccessService {
  private readonly store: DocumentStore;
  constructor(
    private readonly db: Db,
    documents: Pick<DocumentsConfig, 'dir'>,
    private readonly now: () => Date,
  ) {
    this.store = new DocumentStore(documents.dir);
  }

  today(): string {
    return londonToday(this.now());
  }

  /** The council's requests with their clocks, open ones first. */
  async list(user: AuthUser) {
    const rows = await repo.listRequests(this.db, user.authorityId);
    return rows.map((r) => ({ ...r, clock: icoClock(r, this.now()) }));
  }

  private async request(db: Executor, user: AuthUser, id: string) {
    const r = await repo.findRequest(db, user.authorityId, id);
    if (!r) throw new NotFound(NOT_FOUND);
    return r;
  }

  /** One request: its clock, and every item to review with the decision taken (if any). */
  async get(user: AuthUser, id: string) {
    const r = await this.request(this.db, user, id);
    const [items, decisions] = await Promise.all([
      repo.reviewItems(this.db, r.person_id),
      repo.decisionsOf(this.db, r.id),
    ]);
    const byKey = new Map(decisions.map((d) => [`${d.item_table}:${d.item_id}`, d]));
    const review = items.map((i) => ({
      ...i,
      fields: fieldOf(i.item_table, i.item_id),
      decided: byKey.get(`${i.item_table}:${i.item_id}`) ?? null,
    }));
    const undecided = review.filter((i) => !i.decided).length;
    const exported = r.released_at ? await repo.exportOf(this.db, r.id) : undefined;
    return {
      request: r,
      clock: icoClock(r, this.now()),
      review,
      undecided,
      export: exported ? { sha256: exported.sha256, size_bytes: exported.size_bytes } : null,
    };
  }

  /** Logs a request against the young person with that case number in the user's council. */
  async create(user: AuthUser, input: RequestInput): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personByCaseNumber(tx, user.authorityId, input.case_number);
      if (!person)
        throw new ValidationError({
          case_number: 'No young person in this council has that case number: check it on their record',
        });
      const id = await repo.insertRequest(tx, {
        authority_id: user.authorityId,
        person_id: person.id,
        requester_name: input.requester_name,
        requester_relationship: input.requester_relationship,
        received_on: input.received_date,
        logged_by: user.id,
        logged_at: this.now(),
      });
      await auditBy(tx, user, {
        action: 'subject_access.logged',
        entity,
        entityId: id,
        personId: person.id,
        detail: { relationship: input.requester_relationship, received_on: input.received_date },
      });
      return id;
    });
  }

  /** Extends the clock of a complex request by one or two months (the ICO's most), with the reason. */
  async extend(user: AuthUser, id: string, input: ExtensionInput): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const r = await this.request(tx, user, id);
      if (r.released_at) throw new Conflict('This request’s export has been released: its clock has stopped.');
      const ok = await repo.extend(tx, id, input);
      if (!ok) throw new Conflict('Someone else changed this request since you opened it: open it again.');
      await auditBy(tx, user, {
        action: 'subject_access.extended',
        entity,
        entityId: id,
        personId: r.person_id,
        detail: { months: input.months },
      });
    });
  }

  /** Records decisions on items listed for review; an item not on the list is refused by name. */
  async review(user: AuthUser, id: string, decisions: ReviewItemDecision[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const r = await this.request(tx, user, id);
      if (r.released_at) throw new Conflict('This request’s export has been released: its review is closed.');
      const listed = new Set((await repo.reviewItems(tx, r.person_id)).map((i) => `${i.item_table}:${i.item_id}`));
      const errors: Record<string, string> = {};
      decisions.forEach((d, i) => {
        if (!listed.has(`${d.item_table}:${d.item_id}`))
          errors[`decisions[${i}].item_id`] =
            `decisions[${i}].item_id is not an item to review on this request: read the request's review list`;
      });
      if (Object.keys(errors).length) throw new ValidationError(errors);
      // The same item twice in one body: the last decision stands (one upsert may not touch a row twice).
      const unique = [...new Map(decisions.map((d) => [`${d.item_table}:${d.item_id}`, d])).values()];
      await repo.saveDecisions(tx, id, user.id, this.now(), unique);
      const count = (d: string) => decisions.filter((x) => x.decision === d).length;
      await auditBy(tx, user, {
        action: 'subject_access.reviewed',
        entity,
        entityId: id,
        personId: r.person_id,
        detail: { include: count('include'), redact: count('redact'), withhold: count('withhold') },
      });
    });
  }

  /**
   * Builds the export of everything held about the young person, with the review decisions applied, keeps it, and
   * marks the request released: refused while any item is undecided. One transaction, read in one snapshot.
   */
  async release(user: AuthUser, id: string): Promise<void> {
    try {
      await this.releaseOnce(user, id);
    } catch (e) {
      // Two releases at once: the second finds the first's export (23505) or its snapshot overtaken (40001).
      const code = (e as { code?: string }).code;
      if (code === '23505' || code === '40001') throw new Conflict('This request’s export has already been released.');
      throw e;
    }
  }

  private async releaseOnce(user: AuthUser, id: string): Promise<void> {
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        const r = await this.request(tx, user, id);
        if (r.released_at) throw new Conflict('This request’s export has already been released.');
        const items = await repo.reviewItems(tx, r.person_id);
        const decided = await repo.decisionsOf(tx, id);
        const decisions = new Map(decided.map((d) => [`${d.item_table}:${d.item_id}`, d]));
        const undecided = items.filter((i) => !decisions.has(`${i.item_table}:${i.item_id}`)).length;
        if (undecided > 0)
          throw new ValidationError({
            review: `Review the ${undecided} item${undecided === 1 ? '' : 's'} of other people’s data not yet decided: include, redact or withhold each`,
          });
        const at = this.now();
        const { zip, sections } = await this.build(tx, user, r, decisions, at);
        const hash = sha256(zip);
        await repo.insertExport(tx, {
          request_id: id,
          bytes: zip,
          sha256: hash,
          size_bytes: zip.length,
          created_at: at,
        });
        if (!(await repo.markReleased(tx, id, user.id, at))) throw new Conflict('This request changed: open it again.');
        await insertAccess(tx, {
          authorityId: user.authorityId,
          personId: r.person_id,
          userId: user.id,
          channel: 'export',
          purpose: 'subject-access',
          breakGlassId: null,
        });
        await auditBy(tx, user, {
          action: 'subject_access.released',
          entity,
          entityId: id,
          personId: r.person_id,
          detail: { sha256: hash, size_bytes: zip.length, rows: sections },
        });
      });
  }

  private async build(
    tx: Executor,
    user: AuthUser,
    r: repo.RequestRow,
    decisions: Map<string, { decision: 'include' | 'redact' | 'withhold'; reason: string | null }>,
    at: Date,
  ) {
    const rows = await repo.sectionRows(tx, r.person_id);
    const [meetings, panelDecisions] = await Promise.all([
      repo.meetingsOf(tx, r.person_id),
      repo.panelDecisionsOf(tx, r.person_id),
    ]);
    const ids = new Set<string>();
    for (const list of Object.values(rows))
      for (const row of list)
        for (const [k, v] of Object.entries(row))
          if (typeof v === 'string' && k !== 'id' && /(_id|_by)$/.test(k) && UUID.test(v)) ids.add(v);
    const names = await repo.namesOf(tx, user.authorityId, [...ids]);
    const files = new Map<string, Buffer>();
    for (const doc of rows.documents ?? []) {
      const docId = String(doc.id);
      if ((decisions.get(`documents:${docId}`)?.decision ?? 'include') !== 'include') continue;
      files.set(
        docId,
        await this.store.get(tx, {
          id: docId,
          storage: doc.storage as 'database' | 'directory',
          sha256: String(doc.sha256),
        }),
      );
    }
    const { zip } = buildExport({
      request: {
        id: r.id,
        requester_name: r.requester_name,
        requester_relationship: r.requester_relationship,
        received_on: r.received_on,
        young_person: `${r.given_name} ${r.family_name}`,
        case_number: r.case_number,
      },
      sections: repo.SECTIONS.map((s) => ({ table: s.table, title: s.title, rows: rows[s.table] ?? [] })),
      meetings,
      panelDecisions,
      decisions,
      names,
      files,
      generatedAt: at,
    });
    return { zip, sections: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length])) };
  }

  /** The released export, as released; each download is audited. */
  async download(user: AuthUser, id: string) {
    return this.db.transaction().execute(async (tx) => {
      const r = await this.request(tx, user, id);
      const e = r.released_at ? await repo.exportOf(tx, id) : undefined;
      if (!e) throw new NotFound('This request’s export has not been released yet: review it, then release it.');
      await auditBy(tx, user, {
        action: 'subject_access.downloaded',
        entity,
        entityId: id,
        personId: r.person_id,
        detail: { sha256: e.sha256 },
      });
      return { bytes: e.bytes, sha256: e.sha256, caseNumber: r.case_number };
    });
  }
}
