// Consultation forums (issue 12 part 6): a professional books a consultation about a case, naming the young person
// (only with person:edit and a relationship to them; it then shows on their record) or not; the forum (holders of
// solutions:manage: the chair, the exploitation lead) records the advice and follow-ups, each with an owner and a
// due date. A follow-up on a named consultation is chased by its own consultation-follow-up protocol instance (an
// instance belongs to a record); an unnamed consultation's follow-ups are listed, not chased (docs/decisions.md).
// An unnamed consultation is visible to its booker and the forum only.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { consultationFollowUp } from '../../protocols/consultation-follow-up.ts';
import { findRelationship } from '../access/repository.ts';
import { auditBy, insertAccess } from '../audit/repository.ts';
import { type ModuleContext, moduleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import { staffInScope } from '../kit/staff.ts';
import type { Flow, ProtocolService } from '../protocols/service.ts';
import * as repo from './repository.ts';
import type { AdviceInput, BookInput } from './schemas.ts';

type Channel = 'page' | 'api';
const isForum = (user: AuthUser) => user.caps.has('solutions:manage');

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

  list(user: AuthUser) {
    return repo.visible(this.ctx.db, user, isForum(user));
  }

  /** One consultation for its booker or the forum (else not found); a named one's read is logged on the record. */
  show(user: AuthUser, id: string, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id);
      if (c.person_id)
        await insertAccess(tx, {
          authorityId: user.authorityId,
          personId: c.person_id,
          userId: user.id,
          channel,
          purpose: 'consultation',
          breakGlassId: null,
        });
      return { consultation: c, followUps: await repo.followUps(tx, id), forum: isForum(user) };
    });
  }

  private async visibleOne(tx: Tx, user: AuthUser, id: string, lock = false) {
    const c = await repo.find(tx, user.authorityId, id, lock);
    if (!c || (c.booked_by !== user.id && !isForum(user))) throw new NotFound('No consultation with that reference.');
    return c;
  }

  /** Books a consultation; a case number names the young person (person:edit and a relationship needed). */
  book(user: AuthUser, input: BookInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      let personId: string | null = null;
      if (input.case_number) {
        const p = await repo.personByCase(tx, user.authorityId, input.case_number);
        const rel = p ? await findRelationship(tx, user, p.id, this.ctx.now()) : null;
        if (!p || !rel?.related || !user.caps.has('person:edit'))
          throw new ValidationError({
            case_number:
              'Case number must be of a young person you work with, or leave it empty to ask without naming them',
          });
        personId = p.id;
      }
      const id = await repo.insertConsultation(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        booked_by: user.id,
        forum: input.forum,
        forum_date: input.forum_date,
        question: input.question,
      });
      await this.changed(tx, user, personId, id, 'create', 'Consultation booked with a forum');
      return id;
    });
  }

  /** The forum records its advice and follow-ups (each owned, each due; chased when the young person is named). */
  advise(user: AuthUser, id: string, input: AdviceInput) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.visibleOne(tx, user, id, true);
      if (c.advice) throw new ValidationError({ advice: 'The advice on this consultation is already recorded' });
      await repo.recordAdvice(tx, id, input.advice, user.id, this.ctx.now());
      for (const n of [1, 2] as const) {
        const action = input[`follow_up_${n}_action`] as string | null;
        const ownerId = input[`follow_up_${n}_owner`] as string | null;
        const due = input[`follow_up_${n}_due`] as string | null;
        if (!action || !ownerId || !due) continue;
        const owner = await staffInScope(tx, user.authorityId, { council: true }, ownerId);
        if (!owner)
          throw new ValidationError({ [`follow_up_${n}_owner`]: `Choose the owner of follow-up (${n}) from the list` });
        const fid = await repo.insertFollowUp(tx, {
          authority_id: user.authorityId,
          person_id: c.person_id,
          consultation_id: id,
          action,
          owner_user_id: owner.id,
          due_on: due,
          recorded_by: user.id,
        });
        if (c.person_id) {
          const inst = await this.flow.start(tx, user, c.person_id, {
            data: { owner_user_id: owner.id, follow_up_id: fid },
            anchors: { due },
          });
          await repo.setFollowUpInstance(tx, fid, inst);
        }
      }
      await this.changed(tx, user, c.person_id, id, 'advise', 'Consultation forum gave its advice');
    });
  }

  /** The follow-up's owner (or the forum) marks it done; its chase ends. */
  done(user: AuthUser, id: string, followUpId: string) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await repo.find(tx, user.authorityId, id);
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
