// The mentoring scheme (issue 12 part 7): mentors and their checks, the scheme's overview, and (referrals.ts) a
// young person's referral, match, goals, sessions and ending. Every change writes its audit row (and, for a young
// person, a timeline line) through recordChange; every read of a young person's mentoring writes its access-log row.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit, logRead } from '../audit/repository.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import { driveMentoring, type MentoringCtx } from './flow.ts';
import { ReferralWork } from './referrals.ts';
import * as repo from './repository.ts';
import { checkStatuses, EXPIRY_WARNING_DAYS, expiryWarnings, matchProblem } from './rules.ts';
import type { CheckInput, MentorInput } from './schemas.ts';

export type Mentor = Awaited<ReturnType<typeof repo.listMentors>>[number];
type CheckRow = Awaited<ReturnType<typeof repo.checksOf>>[number];

/** Each mentor with their checks' states today, whether they can be matched, and any expiry warnings. */
export function withChecks(mentors: readonly Mentor[], checks: readonly CheckRow[], today: string) {
  return mentors.map((m) => {
    const own = checks.filter((c) => c.mentor_id === m.id);
    return {
      ...m,
      checks: own,
      statuses: checkStatuses(own, today),
      problem: matchProblem(m, own, today),
      warnings: expiryWarnings(m.name, own, today),
    };
  });
}

export class MentoringService {
  readonly ctx: MentoringCtx;
  readonly referrals: ReferralWork;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    this.ctx = driveMentoring(moduleContext({ db, config, now, protocols }));
    this.referrals = new ReferralWork(this.ctx);
  }

  today() {
    return { today: this.ctx.today() };
  }

  /** Every mentor with their checks, capacity and warnings. */
  async mentors(user: AuthUser) {
    const db = this.ctx.db;
    const mentors = await repo.listMentors(db, user.authorityId);
    const checks = await repo.checksOf(
      db,
      mentors.map((m) => m.id),
    );
    return withChecks(mentors, checks, this.ctx.today());
  }

  /** The scheme at a glance: referrals waiting, active matches, mentors and checks expiring within 30 days. The
   *  young people on it are named, so each gets an access-log row in the transaction that reads them. */
  async overview(user: AuthUser) {
    const mentors = await this.mentors(user);
    const open = await this.ctx.db.transaction().execute(async (tx) => {
      const rows = await repo.openReferrals(tx, user.authorityId);
      for (const personId of new Set(rows.map((r) => r.person_id)))
        await logRead(tx, user, { personId, breakGlassId: null }, 'page', 'mentoring-scheme');
      return rows;
    });
    return {
      mentors,
      waiting: open.filter((r) => r.status === 'waiting'),
      active: open.filter((r) => r.status === 'active'),
      expiring: mentors.flatMap((m) => m.warnings),
      expired: mentors.filter((m) => m.statuses.some((s) => s.state === 'expired' || s.state === 'missing')),
      warningDays: EXPIRY_WARNING_DAYS,
    };
  }

  async mentor(user: AuthUser, mentorId: string) {
    const m = await repo.findMentor(this.ctx.db, user.authorityId, mentorId);
    if (!m) throw new NotFound('No mentor with that reference.');
    const checks = await repo.checksOf(this.ctx.db, [m.id]);
    const [one] = withChecks([m], checks, this.ctx.today());
    return one as NonNullable<typeof one>;
  }

  /** Adds a mentor: a member of staff (named by their sign-in email) or a vetted volunteer. */
  addMentor(user: AuthUser, input: MentorInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      let userId: string | null = null;
      if (input.kind === 'staff') {
        const staff = await repo.userByEmail(tx, user.authorityId, input.user_email ?? '');
        if (!staff)
          throw new ValidationError({
            user_email: 'Staff email must be the Handover sign-in email of someone in this council',
          });
        if (await repo.mentorByUser(tx, staff.id))
          throw new ValidationError({ user_email: 'This member of staff is already a mentor: open their mentor page' });
        userId = staff.id;
      }
      const id = await repo.insertMentor(tx, {
        authority_id: user.authorityId,
        kind: input.kind,
        user_id: userId,
        name: input.name,
        contact: input.contact,
        organisation: input.organisation,
        capacity: input.capacity,
        areas: input.areas,
        interests: input.interests,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'mentor.added',
        entity: 'mentor',
        entityId: id,
        personId: null,
        detail: { kind: input.kind },
      });
      return id;
    });
  }

  /** Records a check (a new one of a type replaces the old as the one that counts). */
  addCheck(user: AuthUser, mentorId: string, input: CheckInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const m = await repo.findMentor(tx, user.authorityId, mentorId);
      if (!m) throw new NotFound('No mentor with that reference.');
      const id = await repo.insertCheck(tx, {
        authority_id: user.authorityId,
        mentor_id: mentorId,
        check_type: input.check_type,
        checked_on: input.checked_date,
        expires_on: input.expiry_date,
        reference: input.reference,
        recorded_by: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'mentor.check_recorded',
        entity: 'mentor',
        entityId: mentorId,
        personId: null,
        detail: { check_type: input.check_type, expires_on: input.expiry_date },
      });
      return id;
    });
  }
}
