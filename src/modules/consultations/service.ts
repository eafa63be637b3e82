// Consultation forums (issue 12 part 6): a professional books a consultation about a case, naming the young person
// (only with person:edit and a relationship to them; it then shows on their timeline) or not (nothing about a person
// is stored); the forum (holders of solutions:manage: the chair, the exploitation lead) records the advice, then
// follow-ups, each with an owner and a due date. A follow-up on a named consultation is chased by its own
// consultation-follow-up protocol instance (an instance belongs to a record); an unnamed consultation's follow-ups
// are listed, not chased (docs/decisions.md).
// Who sees what (repository.ts `scoped`): an unnamed consultation its booker, the owners of its follow-ups and the
// forum; a named one those with a relationship to the young person (or break-glass) and the forum, which reaches a
// named consultation without one as the Creative Solutions Board reaches a case (every read logged on the record).
// Lists name a young person only to those who work with them.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { consultationFollowUp } from '../../protocols/consultation-follow-up.ts';
import { findRelationship } from '../access/repository.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { type ModuleContext, moduleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import { staffInScope } from '../kit/staff.ts';
import { findPeople } from '../people/search.ts';
import type { Flow, ProtocolService } from '../protocols/service.ts';
import * as repo from './repository.ts';
import type { AdviceInput, BookInput, FollowUpInput } from './schemas.ts';

type Channel = 'page' | 'api';
const isForum = (user: AuthUser) => user.caps.has('solutions:manage');
/** At most this many young people are offered whole; more and the booking form asks for a search. */
const SHORT_LIST = 25;
/** Matches shown for a search. */
const MATCHES = 20;

/** What the booking form offers to name: the young people the booker works with (none without person:edit). */
export interface PersonPicker {
  canName: boolean;
  options: { id: string; name: string; caseNumber: string }[];
  searching: boolean;
  query: string;
  total: number;
  more: boolean;
}

export class ConsultationsService {
  readonly ctx: ModuleContext;
  readonly flow: Flow<typeof consultationFollowUp>;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    this.ctx = moduleContext({ db, config, now, protocols });
    this.flow = protocols.drive(consultationFollowUp, {
      where: 'mark the follow-up done on its consultation page (Consultations).',
    });
  }

  today() {
    return { today: this.ctx.today() };
  }

  /** The forum's list as the user may see it: booked and awaiting advice (soonest first), advice given, and the
   *  follow-ups not yet done. */
  async list(user: AuthUser) {
    const forum = isForum(user);
    const [all, followUps] = await Promise.all([
      repo.visible(this.ctx.db, user, forum),
      repo.openFollowUps(this.ctx.db, user, forum),
    ]);
    const awaiting = all.filter((c) => !c.advice).reverse();
    const advised = all.filter((c) => c.advice);
    return { forum, awaiting, advised, followUps, today: this.ctx.today() };
  }

  /** Who the booking form offers to name: the young people the user works with, all of them when few, else the
   *  matches of a search by name or case number; `chosen` (a prefilled or chosen id) is kept if the user may. */
  async personPicker(user: AuthUser, query = '', chosen: string | null = null): Promise<PersonPicker> {
    const q = query.trim().slice(0, 100);
    const none = { canName: false, options: [], searching: false, query: q, total: 0, more: false };
    if (!user.caps.has('person:edit')) return none;
    const today = this.ctx.today();
    const look = (c: { name?: string; caseNumber?: string }, size: number) =>
      findPeople(this.ctx.db, user, c, { today, sort: 'name', page: 1, pageSize: size });
    const all = await look({}, SHORT_LIST);
    const searching = all.total > SHORT_LIST;
    let rows = all.rows;
    let more = false;
    if (searching) {
      rows = [];
      if (q) {
        const byCase = await look({ caseNumber: q }, 1);
        const byName = byCase.rows.length ? byCase : await look({ name: q }, MATCHES + 1);
        rows = byName.rows.slice(0, MATCHES);
        more = byName.rows.length > MATCHES;
      }
    }
    const options = rows.map((p) => ({
      id: p.id,
      name: `${p.given_name} ${p.family_name}`,
      caseNumber: p.case_number,
    }));
    if (chosen && !options.some((o) => o.id === chosen)) {
      const rel = await findRelationship(this.ctx.db, user, chosen, this.ctx.now());
      if (rel.related) {
        const p = await this.ctx.db
          .selectFrom('people')
          .where('id', '=', chosen)
          .select(['id', 'given_name', 'family_name', 'case_number'])
          .executeTakeFirstOrThrow();
        options.unshift({ id: p.id, name: `${p.given_name} ${p.family_name}`, caseNumber: p.case_number });
      }
    }
    return { canName: true, options, searching, query: q, total: all.total, more };
  }

  /** One consultation for those who may see it (else not found); a named one's read is logged on the record. */
  show(user: AuthUser, id: string, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id, channel);
      return { consultation: c, followUps: await repo.followUps(tx, id), forum: isForum(user) };
    });
  }

  private async visibleOne(tx: Tx, user: AuthUser, id: string, channel: Channel | null, lock = false) {
    const c = await repo.find(tx, user, id, lock);
    const missing = () => new NotFound('No consultation with that reference.');
    if (!c) throw missing();
    const forum = isForum(user);
    let breakGlassId: string | null = null;
    if (c.person_id) {
      if (!forum && !c.related) {
        const rel = await findRelationship(tx, user, c.person_id, this.ctx.now());
        if (!rel.breakGlassId) throw missing();
        breakGlassId = rel.breakGlassId;
      }
      if (channel) await logRead(tx, user, { personId: c.person_id, breakGlassId }, channel, 'consultation');
    } else if (!forum && c.booked_by !== user.id && !c.owns_follow_up) throw missing();
    const { given_name, family_name, case_number, related: _r, owns_follow_up: _o, ...rest } = c;
    const person = c.person_id
      ? { id: c.person_id, name: `${given_name} ${family_name}`, caseNumber: case_number ?? '' }
      : null;
    return { ...rest, person };
  }

  /** Books a consultation; `person_id` names a young person the booker works with (person:edit needed). */
  book(user: AuthUser, input: BookInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      let personId: string | null = null;
      if (input.person_id) {
        const rel = await findRelationship(tx, user, input.person_id, this.ctx.now());
        if (!rel.related || !user.caps.has('person:edit'))
          throw new ValidationError({
            person_id: 'Choose a young person you work with, or choose to ask without naming them',
          });
        personId = input.person_id;
      }
      const id = await repo.insertConsultation(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        booked_by: user.id,
        booked_at: this.ctx.now(),
        forum: input.forum,
        forum_date: input.forum_date,
        question: input.question,
      });
      await this.changed(tx, user, personId, id, 'create', 'Consultation booked with a forum');
      return id;
    });
  }

  /** The forum records its advice (once). */
  advise(user: AuthUser, id: string, input: AdviceInput) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id, null, true);
      if (!isForum(user)) throw new NotFound('No consultation with that reference.');
      if (c.advice) throw new ValidationError({ advice: 'The advice on this consultation is already recorded' });
      await repo.recordAdvice(tx, id, input.advice, user.id, this.ctx.now());
      await this.changed(tx, user, c.person_id, id, 'advise', 'Consultation forum gave its advice');
    });
  }

  /** The forum adds a follow-up with its owner and due date; chased by its protocol when the young person is
   *  named. Returns the follow-up's id. */
  addFollowUp(user: AuthUser, id: string, input: FollowUpInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id, null, true);
      if (!isForum(user)) throw new NotFound('No consultation with that reference.');
      if (!c.advice) throw new ValidationError({ action: 'Record the forum’s advice before adding follow-ups to it' });
      const owner = await staffInScope(tx, user.authorityId, { council: true }, input.owner_user_id);
      if (!owner) throw new ValidationError({ owner_user_id: 'Choose the owner of the follow-up from the list' });
      const fid = await repo.insertFollowUp(tx, {
        authority_id: user.authorityId,
        person_id: c.person_id,
        consultation_id: id,
        action: input.action,
        owner_user_id: owner.id,
        due_on: input.due_date,
        recorded_by: user.id,
      });
      if (c.person_id) {
        const inst = await this.flow.start(tx, user, c.person_id, {
          data: { owner_user_id: owner.id, follow_up_id: fid },
          anchors: { due: input.due_date },
        });
        await repo.setFollowUpInstance(tx, fid, inst);
      }
      await this.changed(tx, user, c.person_id, id, 'follow-up', `Consultation follow-up for ${owner.display_name}`);
      return fid;
    });
  }

  /** The follow-up's owner (or the forum) marks it done; its chase ends. */
  done(user: AuthUser, id: string, followUpId: string) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id, null).catch(() => null);
      const f = c ? await repo.followUp(tx, id, followUpId) : undefined;
      if (!c || !f || (f.owner_user_id !== user.id && !isForum(user)))
        throw new NotFound('No follow-up with that reference.');
      if (f.done_on) return;
      await repo.markDone(tx, f.id, this.ctx.today());
      if (f.protocol_instance_id)
        await this.flow.advance(tx, f.protocol_instance_id, 'done', user.id, { ifOpen: true });
      await this.changed(tx, user, c.person_id, id, 'follow-up-done', 'Consultation follow-up done');
    });
  }

  /** A timeline line and an audit row when the young person is named; an audit row only when not. */
  private async changed(tx: Tx, user: AuthUser, personId: string | null, id: string, action: string, title: string) {
    const audit = { action, entity: 'consultation', entityId: id };
    if (personId) await recordChange(tx, { actor: user, personId, kind: 'record', title, audit });
    else await auditBy(tx, user, { ...audit, personId: null, detail: {} });
  }
}
