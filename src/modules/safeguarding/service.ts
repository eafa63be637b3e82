// Exploitation screenings (issue 12 part 2): screen a young person with an instrument, propose a level, a manager
// or a meeting confirms it, the screener reviews it, and a missing episode, placement move or new intelligence
// calls for an early re-screen. The route is the exploitation-screening protocol, driven in flow.ts. This class is
// the surface the rest of the app uses; the work is in the files it delegates to. Every read of a young person's
// data writes its access-log row in the same transaction.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { ageProblem } from '../../domain/screening/rules.ts';
import { NotFound } from '../../http/errors.ts';
import type { Body } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { logRead } from '../audit/repository.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import { type ConfirmLevel, confirmScreeningLevel } from './confirm.ts';
import type { SafeguardingCtx } from './context.ts';
import { closeScreening, recordReferral, recordRiskEvent } from './events.ts';
import { driveSafeguarding } from './flow.ts';
import { choices } from './links.ts';
import { listForPerson, oneScreening, panel } from './read.ts';
import * as repo from './repository.ts';
import type { ReferralInput, RiskEventInput } from './schemas.ts';
import { checkScreening, createScreening, personFacts } from './screen.ts';

type Channel = 'page' | 'api';

export class SafeguardingService {
  /** Other modules (meetings, the cohort) pass this to the functions they call inside their transactions. */
  readonly ctx: SafeguardingCtx;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    this.ctx = driveSafeguarding(moduleContext({ db, config, now, protocols }));
  }

  today() {
    return this.ctx.today();
  }

  /** The instruments to choose from (newest version of each). */
  async instruments() {
    return (await this.ctx.instruments()).list().map((e) => e.definition);
  }

  /** What the new screening form needs; the read is logged. `instrumentId`: the one chosen (default: the first). */
  async form(user: AuthUser, access: PersonAccess, instrumentId?: string) {
    const instruments = await this.instruments();
    const instrument = instruments.find((i) => i.id === instrumentId) ?? instruments[0];
    if (!instrument) throw new NotFound('No screening instrument is loaded.');
    return this.ctx.db.transaction().execute(async (tx) => {
      const facts = await personFacts(tx, user.authorityId, access.personId, this.today());
      await logRead(tx, user, access, 'page', 'screening-form');
      const events = (await repo.listRiskEvents(tx, user.authorityId, access.personId)).slice(0, 10);
      return {
        ...facts,
        instruments,
        instrument,
        refused: ageProblem(instrument, facts.age),
        choices: await choices(tx, user.authorityId),
        events,
      };
    });
  }

  /** Checks a screening and works out the proposal (the check answers page); writes only the access-log row. */
  check(user: AuthUser, access: PersonAccess, body: Body) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const checked = await checkScreening(tx, this.ctx, user, access.personId, body);
      await logRead(tx, user, access, 'page', 'screening-check');
      return checked;
    });
  }

  /** Saves a screening (form or API body); returns its id. */
  create(user: AuthUser, personId: string, body: Body) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const checked = await checkScreening(tx, this.ctx, user, personId, body);
      return createScreening(tx, this.ctx, user, personId, checked);
    });
  }

  /** A record's screenings and events; the read is logged. */
  list(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const { person } = await personFacts(tx, user.authorityId, access.personId, this.today());
      await logRead(tx, user, access, channel, 'screenings');
      return {
        person,
        screenings: await listForPerson(tx, this.ctx, user.authorityId, access.personId),
        events: await repo.listRiskEvents(tx, user.authorityId, access.personId),
      };
    });
  }

  /** One screening; the read is logged. */
  get(user: AuthUser, access: PersonAccess, screeningId: string, channel: Channel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      const { person } = await personFacts(tx, user.authorityId, access.personId, this.today());
      const found = await oneScreening(tx, this.ctx, user.authorityId, access.personId, screeningId);
      await logRead(tx, user, access, channel, 'screening');
      return { person, ...found };
    });
  }

  /** The record page's panel (the record page logs its own read). */
  panel(user: AuthUser, personId: string) {
    return panel(this.ctx.db, this.ctx, user.authorityId, personId);
  }

  /** Confirms or changes a screening's level on this record, in its own transaction. */
  confirm(user: AuthUser, personId: string, screeningId: string, input: ConfirmLevel) {
    return this.ctx.db.transaction().execute(async (tx) => {
      if (!(await repo.findScreening(tx, user.authorityId, personId, screeningId)))
        throw new NotFound('No screening with that reference on this record.');
      return confirmScreeningLevel(tx, this.ctx, user, screeningId, input);
    });
  }

  recordEvent(user: AuthUser, personId: string, input: RiskEventInput) {
    return this.ctx.db.transaction().execute((tx) => recordRiskEvent(tx, this.ctx, user, personId, input));
  }

  close(user: AuthUser, personId: string, screeningId: string, reason: string) {
    return this.ctx.db.transaction().execute((tx) => closeScreening(tx, this.ctx, user, personId, screeningId, reason));
  }

  referral(user: AuthUser, personId: string, screeningId: string, input: ReferralInput) {
    return this.ctx.db.transaction().execute((tx) => recordReferral(tx, this.ctx, user, personId, screeningId, input));
  }
}
