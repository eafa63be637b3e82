// The Creative Solutions Board (issue 12 part 5): a professional refers a complex case with what has been tried;
// the board (chair: the exploitation lead, solutions:manage) considers it, chooses a new solution to test with an
// owner and a review date, records the result and learning at review, then tests another or closes. The route is
// the creative-solutions-case protocol, driven here; `status` on the case is the hooks' projection. The register
// of solutions tried across cases is pseudonymised: the board writes each solution and its learning for it.
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { SolutionCaseStatus } from '../../db/schema.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import { creativeSolutionsCase } from '../../protocols/creative-solutions-case.ts';
import { auditBy, logRead } from '../audit/repository.ts';
import { type ModuleContext, moduleContext } from '../kit/context.ts';
import { recordChange } from '../kit/record.ts';
import { staffInScope } from '../kit/staff.ts';
import type { Flow, ProtocolService } from '../protocols/service.ts';
import * as repo from './repository.ts';
import type { ConsiderInput, ReferInput, RegisterFilter, ReviewInput } from './schemas.ts';

type Channel = 'page' | 'api';
const STATUS: Record<string, SolutionCaseStatus> = { consider: 'referred', test_solution: 'testing' };

export class SolutionsService {
  readonly ctx: ModuleContext;
  readonly flow: Flow<typeof creativeSolutionsCase>;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    this.ctx = moduleContext({ db, config, now, protocols });
    this.flow = protocols.drive(creativeSolutionsCase, {
      where: 'the board records its decisions on the board case page (Creative Solutions Board).',
      hooks: {
        entered: async (e) => repo.setStatus(e.tx, e.instanceId, STATUS[e.step] ?? 'referred'),
        ended: async (e) => repo.setStatus(e.tx, e.instanceId, e.result === 'declined' ? 'declined' : 'closed'),
      },
    });
  }

  today() {
    return { today: this.ctx.today() };
  }

  /** A young person's board cases with their tests (people who work with them); the read is logged. */
  forPerson(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'solutions-board');
      const cases = await repo.casesForPerson(tx, user.authorityId, access.personId);
      return { person, cases: await this.withTests(tx, cases) };
    });
  }

  /** One case for the board (reached by solutions:manage, not a relationship); the read is logged. */
  boardCase(user: AuthUser, access: PersonAccess, caseId: string, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await repo.findCase(tx, user.authorityId, access.personId, caseId);
      if (!c) throw new NotFound('No board case with that reference.');
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      await logRead(tx, user, access, channel, 'solutions-board');
      const [withTests] = await this.withTests(tx, [c]);
      const state = c.protocol_instance_id ? await this.flow.state(tx, c.protocol_instance_id) : null;
      return { person, case: withTests, state };
    });
  }

  /** The board's list of cases: case numbers, where each is, never names. */
  board(user: AuthUser) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const cases = await repo.boardCases(tx, user.authorityId);
      const ids = cases.map((c) => c.protocol_instance_id).filter((x): x is string => Boolean(x));
      const states = await this.flow.states(tx, ids);
      return cases.map((c) => ({
        ...c,
        state: c.protocol_instance_id ? states.get(c.protocol_instance_id) : undefined,
      }));
    });
  }

  private async withTests<C extends { id: string }>(tx: Tx, cases: C[]) {
    const tests = await repo.testsOf(
      tx,
      cases.map((c) => c.id),
    );
    return cases.map((c) => ({ ...c, tests: tests.filter((t) => t.case_id === c.id) }));
  }

  /** Refers a case to the board and starts its protocol; returns the case id. */
  refer(user: AuthUser, personId: string, input: ReferInput): Promise<string> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const tried = ([1, 2, 3] as const)
        .filter((n) => input[`tried_${n}_what`])
        .map((n) => ({
          what: input[`tried_${n}_what`],
          when: input[`tried_${n}_when`],
          result: input[`tried_${n}_result`],
        }));
      const id = await repo.insertCase(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        referred_by: user.id,
        problem: input.problem,
        tried: JSON.stringify(tried),
        why_stuck: input.why_stuck,
        referred_at: this.ctx.now(),
      });
      const instanceId = await this.flow.start(tx, user, personId, { data: { case_id: id } });
      await repo.setInstance(tx, id, instanceId);
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: 'Referred to the Creative Solutions Board',
        audit: { action: 'create', entity: 'solution_case', entityId: id },
      });
      return id;
    });
  }

  private async locked(tx: Tx, user: AuthUser, personId: string, caseId: string, version: number | null | undefined) {
    const c = await repo.findCase(tx, user.authorityId, personId, caseId, true);
    if (!c?.protocol_instance_id) throw new NotFound('No board case with that reference.');
    checkVersion('board case', c.version, requireVersion(version, 'the board case page'), 'the board case page');
    return { ...c, instanceId: c.protocol_instance_id };
  }

  private async startTest(
    tx: Tx,
    user: AuthUser,
    c: { id: string; person_id: string; instanceId: string },
    v: {
      solution: string | null;
      owner_user_id: string | null;
      review_date: string | null;
    },
  ) {
    const owner = v.owner_user_id
      ? await staffInScope(tx, user.authorityId, { council: true }, v.owner_user_id)
      : undefined;
    if (!owner || !v.solution || !v.review_date)
      throw new ValidationError({ owner_user_id: 'Choose the owner of the solution from the list' });
    await repo.insertTest(tx, {
      authority_id: user.authorityId,
      person_id: c.person_id,
      case_id: c.id,
      register_text: v.solution,
      owner_user_id: owner.id,
      started_on: this.ctx.today(),
      review_date: v.review_date,
      recorded_by: user.id,
    });
    await this.flow.update(tx, c.instanceId, { data: { owner_user_id: owner.id }, anchors: { review: v.review_date } });
    return owner;
  }

  /** The board considers the case: a solution to test (owner, review date) or declined. */
  consider(user: AuthUser, personId: string, caseId: string, input: ConsiderInput) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.locked(tx, user, personId, caseId, input.version);
      await repo.updateCase(tx, c.id, {
        category: input.category,
        board_problem: input.board_problem,
        meeting_date: input.meeting_date,
        closing_note: input.decision === 'decline' ? input.decline_reason : null,
      });
      if (input.decision === 'test') {
        const owner = await this.startTest(tx, user, c, input);
        await this.flow.advance(tx, c.instanceId, 'solution_chosen', user.id, { at: ['consider'] });
        await this.note(
          tx,
          user,
          c,
          `Creative Solutions Board chose a solution to test, owned by ${owner.display_name}`,
          'consider',
        );
      } else {
        await this.flow.advance(tx, c.instanceId, 'declined', user.id, { at: ['consider'] });
        await this.note(tx, user, c, 'Creative Solutions Board declined the case', 'decline');
      }
    });
  }

  /** The review: the result and learning of the solution under test, then another test or close. */
  review(user: AuthUser, personId: string, caseId: string, input: ReviewInput) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await this.locked(tx, user, personId, caseId, input.version);
      const test = await repo.openTest(tx, c.id);
      if (!test) throw new ValidationError({ result: 'There is no solution under test on this case to review' });
      await repo.recordResult(tx, test.id, {
        result: input.result,
        learning: input.learning,
        reviewed_on: this.ctx.today(),
      });
      await repo.updateCase(tx, c.id, { closing_note: input.next === 'closed' ? input.closing_note : null });
      if (input.next === 'test_another') await this.startTest(tx, user, c, input);
      await this.flow.advance(tx, c.instanceId, input.next, user.id, { at: ['test_solution'] });
      const then = input.next === 'closed' ? 'case closed' : 'testing another solution';
      await this.note(
        tx,
        user,
        c,
        `Creative Solutions Board reviewed a solution: ${input.result.replace(/_/g, ' ')}; ${then}`,
        'review',
      );
    });
  }

  private note(tx: Tx, user: AuthUser, c: { id: string; person_id: string }, title: string, action: string) {
    return recordChange(tx, {
      actor: user,
      personId: c.person_id,
      kind: 'record',
      title,
      audit: { action, entity: 'solution_case', entityId: c.id },
    });
  }

  /** The pseudonymised register of solutions tried across cases; the read is audited (no person). */
  register(user: AuthUser, filter: Partial<RegisterFilter>, channel: Channel | 'csv') {
    return this.ctx.db.transaction().execute(async (tx) => {
      const rows = await repo.register(tx, user.authorityId, filter);
      await auditBy(tx, user, {
        action: 'read',
        entity: 'solutions_register',
        entityId: null,
        personId: null,
        detail: { channel, rows: rows.length },
      });
      return rows;
    });
  }
}
