// A young person's mentoring: the referral (by a professional who works with them), the match (by whoever runs
// the scheme, only with a mentor who has capacity and in-date checks), the goals and their progress, the sessions,
// the 3-monthly review and the ending with an outcome, or a declined referral with a reason. Each change moves the
// referral's protocol instance in the same transaction (flow.ts); the instance is where the referral is.
import type { Executor, Tx } from '../../db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import type { MentoringCtx } from './flow.ts';
import * as repo from './repository.ts';
import { matchProblem } from './rules.ts';
import {
  type DeclineInput,
  type EndInput,
  type GoalInput,
  goalLines,
  type MatchInput,
  OUTCOMES,
  type ReferralInput,
  type SessionInput,
} from './schemas.ts';

type Channel = 'page' | 'api';
export type Referral = NonNullable<Awaited<ReturnType<typeof repo.findReferral>>>;

const NO_REFERRAL = 'No mentoring referral with that reference on this record.';
const STALE = 'Someone changed this mentoring referral since you opened it. Reload the page and try again.';

export class ReferralWork {
  constructor(private readonly ctx: MentoringCtx) {}

  /** A young person's referrals with their mentor, goals, sessions and where each is; the read is logged. */
  forPerson(user: AuthUser, access: PersonAccess, channel: Channel, purpose = 'mentoring') {
    return this.ctx.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, purpose);
      return {
        person,
        referrals: await this.details(tx, await repo.referralsForPerson(tx, user.authorityId, person.id)),
      };
    });
  }

  /** One referral with the same details, for the scheme's page or the sessions form; the read is logged. */
  one(user: AuthUser, access: PersonAccess, referralId: string, channel: Channel, who: 'manage' | 'session') {
    return this.ctx.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      const r = await repo.findReferral(tx, user.authorityId, person.id, referralId);
      if (!r) throw new NotFound(NO_REFERRAL);
      if (who === 'session') await this.mayRecord(tx, user, r);
      await logRead(tx, user, access, channel, 'mentoring');
      const [referral] = await this.details(tx, [r]);
      return { person, referral: referral as NonNullable<typeof referral> };
    });
  }

  private async details(tx: Executor, referrals: Referral[]) {
    const ids = referrals.map((r) => r.id);
    const [goals, sessions, states] = await Promise.all([
      repo.goalsOf(tx, ids),
      repo.sessionsOf(tx, ids),
      this.ctx.flow.states(
        tx,
        referrals.flatMap((r) => (r.protocol_instance_id ? [r.protocol_instance_id] : [])),
      ),
    ]);
    return referrals.map((r) => ({
      ...r,
      goals: goals.filter((g) => g.referral_id === r.id),
      sessions: sessions.filter((s) => s.referral_id === r.id),
      state: r.protocol_instance_id ? (states.get(r.protocol_instance_id) ?? null) : null,
    }));
  }

  /** The mentor (if a member of staff) records sessions for their mentee; others need the scheme or a relationship. */
  private async mayRecord(tx: Executor, user: AuthUser, r: Referral) {
    if (r.mentor_user_id === user.id && r.status === 'active') return;
    if (user.caps.has('mentoring:manage')) return;
    const rel = await findRelationship(tx, user, r.person_id, this.ctx.now());
    if (rel.related) return;
    throw new Forbidden(
      'Only the young person’s mentor, the mentoring scheme or someone who works with them can do this.',
    );
  }

  /** A professional refers the young person: the referral, its goals, and its protocol instance (the match step). */
  refer(user: AuthUser, personId: string, input: ReferralInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, personId);
      if (!person) throw new NotFound('No record with that reference.');
      const goals = goalLines(input.goals);
      if (!goals.length) throw new ValidationError({ goals: 'Enter at least one goal, one a line' });
      const today = this.ctx.today();
      const id = await repo.insertReferral(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        referred_by: user.id,
        referred_on: today,
        reason: input.reason,
        hopes: input.hopes,
      });
      await repo.insertGoals(tx, { authority_id: user.authorityId, person_id: personId, referral_id: id }, goals);
      await recordChange(tx, {
        actor: { id: user.id, authorityId: user.authorityId },
        personId,
        kind: 'mentoring',
        title: 'Referred for a mentor',
        audit: {
          action: 'mentoring.referred',
          entity: 'mentoring_referral',
          entityId: id,
          detail: { goals: goals.length },
        },
      });
      const instanceId = await this.ctx.flow.start(tx, user, personId, {
        anchors: { referred: today },
        data: { referral_id: id },
      });
      await repo.updateReferral(tx, id, 1, { protocol_instance_id: instanceId });
      return id;
    });
  }

  /** Locks the referral and checks it is at the version the caller read. */
  private async locked(tx: Tx, user: AuthUser, personId: string, referralId: string, version: number) {
    const r = await repo.findReferral(tx, user.authorityId, personId, referralId, true);
    if (!r) throw new NotFound(NO_REFERRAL);
    if (r.version !== version) throw new Conflict(STALE);
    if (!r.protocol_instance_id) throw new Conflict('This referral has no workflow. Ask your administrator.');
    return r as Referral & { protocol_instance_id: string };
  }

  private async change(tx: Tx, r: Referral, set: Parameters<typeof repo.updateReferral>[3]) {
    if (!(await repo.updateReferral(tx, r.id, r.version, set))) throw new Conflict(STALE);
  }

  private record(tx: Tx, user: AuthUser, r: Referral, title: string, action: string, detail = {}) {
    return recordChange(tx, {
      actor: { id: user.id, authorityId: user.authorityId },
      personId: r.person_id,
      kind: 'mentoring',
      title,
      audit: { action, entity: 'mentoring_referral', entityId: r.id, detail },
    });
  }

  /** Matches the young person with a mentor who has capacity and whose checks are in date on the match date. */
  match(user: AuthUser, personId: string, referralId: string, input: MatchInput): Promise<void> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await this.locked(tx, user, personId, referralId, input.version);
      if (r.status !== 'waiting') throw new Conflict('This referral is not waiting for a match. Reload the page.');
      if (input.match_date < r.referred_on)
        throw new ValidationError({ match_date: 'Match date must be on or after the date of the referral' });
      const mentor = await repo.findMentor(tx, user.authorityId, input.mentor_id, true);
      if (!mentor) throw new ValidationError({ mentor_id: 'Choose a mentor from the list' });
      const checks = await repo.checksOf(tx, [mentor.id]);
      const problem = matchProblem(
        mentor,
        checks,
        // checks must be in date on the match date, and today
        [input.match_date, this.ctx.today()].sort()[1] as string,
      );
      if (problem) throw new ValidationError({ mentor_id: problem });
      await this.change(tx, r, { mentor_id: mentor.id, matched_on: input.match_date });
      await this.record(tx, user, r, `Matched with a mentor: ${mentor.name}`, 'mentoring.matched', {
        mentor_id: mentor.id,
      });
      await this.ctx.flow.advance(tx, r.protocol_instance_id, 'matched', user.id, { at: ['match'] });
    });
  }

  decline(user: AuthUser, personId: string, referralId: string, input: DeclineInput): Promise<void> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await this.locked(tx, user, personId, referralId, input.version);
      if (r.status !== 'waiting')
        throw new Conflict('Only a referral waiting for a match can be declined. Reload the page.');
      await this.change(tx, r, { declined_reason: input.reason, ended_on: this.ctx.today() });
      await this.record(tx, user, r, 'Mentoring referral declined', 'mentoring.declined');
      await this.ctx.flow.advance(tx, r.protocol_instance_id, 'declined', user.id, { at: ['match'] });
    });
  }

  /** The 3-monthly review: the mentoring continues and the next review is due in 3 months. */
  review(user: AuthUser, personId: string, referralId: string, version: number): Promise<void> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await this.locked(tx, user, personId, referralId, version);
      if (r.status !== 'active') throw new Conflict('Only active mentoring can be reviewed. Reload the page.');
      await this.change(tx, r, {});
      await this.record(tx, user, r, 'Mentoring reviewed: it continues', 'mentoring.reviewed');
      await this.ctx.flow.advance(tx, r.protocol_instance_id, 'reviewed', user.id, { at: ['mentoring'] });
    });
  }

  end(user: AuthUser, personId: string, referralId: string, input: EndInput): Promise<void> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await this.locked(tx, user, personId, referralId, input.version);
      if (r.status !== 'active') throw new Conflict('Only active mentoring can be ended. Reload the page.');
      if (r.matched_on && input.end_date < r.matched_on)
        throw new ValidationError({ end_date: 'End date must be on or after the match date' });
      await this.change(tx, r, { outcome: input.outcome, outcome_notes: input.notes, ended_on: input.end_date });
      await this.record(tx, user, r, `Mentoring ended: ${OUTCOMES[input.outcome].toLowerCase()}`, 'mentoring.ended', {
        outcome: input.outcome,
      });
      await this.ctx.flow.advance(tx, r.protocol_instance_id, input.outcome, user.id, { at: ['mentoring'] });
    });
  }

  /** A session, recorded by the mentor, the scheme or someone who works with the young person. */
  addSession(user: AuthUser, personId: string, referralId: string, input: SessionInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await repo.findReferral(tx, user.authorityId, personId, referralId, true);
      if (!r) throw new NotFound(NO_REFERRAL);
      await this.mayRecord(tx, user, r);
      if (r.status !== 'active') throw new Conflict('Sessions are recorded while mentoring is active.');
      if (r.matched_on && input.session_date < r.matched_on)
        throw new ValidationError({ session_date: 'Session date must be on or after the match date' });
      const id = await repo.insertSession(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        referral_id: r.id,
        held_on: input.session_date,
        attended: input.attended,
        not_attended_reason: input.attended ? null : input.not_attended_reason,
        notes: input.notes,
        recorded_by: user.id,
      });
      await this.record(
        tx,
        user,
        r,
        input.attended ? 'Mentoring session' : 'Mentoring session missed',
        'mentoring.session',
        {
          session_id: id,
        },
      );
      return id;
    });
  }

  updateGoal(user: AuthUser, personId: string, referralId: string, goalId: string, input: GoalInput): Promise<void> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const r = await repo.findReferral(tx, user.authorityId, personId, referralId, true);
      if (!r) throw new NotFound(NO_REFERRAL);
      await this.mayRecord(tx, user, r);
      const set = { progress: input.progress, progress_note: input.progress_note };
      const done = await repo.updateGoal(tx, r.id, goalId, input.version, set);
      if (done === 'missing') throw new NotFound('No goal with that reference on this referral.');
      if (done === 'stale') throw new Conflict(STALE);
      await this.record(tx, user, r, 'Mentoring goal progress updated', 'mentoring.goal', {
        goal_id: goalId,
        progress: input.progress,
      });
    });
  }
}
