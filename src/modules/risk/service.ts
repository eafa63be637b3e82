// The single view of risk (issue 12 part 9): one page per young person across agencies, read from each module's
// tables in one transaction that writes one access-log row; and partner agencies' entries (police, health,
// education), written by whoever holds person:read with a relationship to the young person (docs/decisions.md).
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { logRead } from '../audit/repository.ts';
import { recordChange } from '../kit/record.ts';
import { type ChartPoint, screeningChart, trendWords } from './chart.ts';
import * as repo from './repository.ts';
import type { PartnerEntryInput } from './schemas.ts';

type Channel = 'page' | 'api';

export class RiskService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** Every section of the single view; one access-log row for the whole read. */
  view(user: AuthUser, access: PersonAccess, channel: Channel) {
    return this.db.transaction().execute(async (tx) => {
      const s = { authorityId: user.authorityId, personId: access.personId };
      const person = await repo.personHeader(tx, s.authorityId, s.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, channel, 'risk-view');
      const screenings = await repo.screenings(tx, s);
      const points: ChartPoint[] = screenings.map((x) => ({
        screened_on: x.screened_on,
        level: x.confirmed_level ?? x.proposed_level,
        rank: x.confirmed_rank ?? x.proposed_rank,
        confirmed: x.confirmed_level !== null,
      }));
      return {
        person,
        screenings,
        trend: trendWords(points),
        chart: screeningChart(points),
        events: await repo.riskEvents(tx, s),
        ...(await repo.contexts(tx, s)),
        meetings: await repo.meetings(tx, s),
        ...(await repo.send(tx, s)),
        health: await repo.healthInvolvements(tx, s),
        shares: await repo.shares(tx, s),
        partnerEntries: await repo.partnerEntries(tx, s),
      };
    });
  }

  /** The header for the partner-entry form (the read is logged). */
  entryForm(user: AuthUser, access: PersonAccess) {
    return this.db.transaction().execute(async (tx) => {
      const person = await repo.personHeader(tx, user.authorityId, access.personId);
      if (!person) throw new NotFound('No record with that reference.');
      await logRead(tx, user, access, 'page', 'risk-view');
      return { person, agency: await repo.agencyOf(tx, user.id) };
    });
  }

  /** A partner's entry, under the writer's own agency; one timeline line and one audit row (ids only). */
  addEntry(user: AuthUser, personId: string, input: PartnerEntryInput): Promise<string> {
    return this.db.transaction().execute(async (tx) => {
      const agency = await repo.agencyOf(tx, user.id);
      const id = await repo.insertPartnerEntry(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        agency,
        occurred_on: input.occurred_on,
        what: input.what,
        source: input.source,
        recorded_by: user.id,
      });
      await recordChange(tx, {
        actor: user,
        personId,
        kind: 'record',
        title: `Entry on the single view of risk from ${agency} (${input.source})`,
        audit: { action: 'create', entity: 'risk_partner_entry', entityId: id },
      });
      return id;
    });
  }
}
