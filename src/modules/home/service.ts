import type { Db } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { AuthUser } from '../../http/types.ts';

export class HomeService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** "My work": cases allocated to me, my teams' unallocated cases (longest waiting first), my alerts. */
  async myWork(user: AuthUser) {
    const today = londonToday(this.now());
    const base = this.db
      .selectFrom('involvements as i')
      .innerJoin('people as p', 'p.id', 'i.person_id')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .where('i.authority_id', '=', user.authorityId)
      .where('i.end_date', 'is', null)
      .select([
        'p.id as person_id',
        'p.given_name',
        'p.family_name',
        'p.date_of_birth',
        'p.case_number',
        't.name as team_name',
        'i.start_date',
        'i.reason',
      ]);
    const [mine, unallocated, alerts] = await Promise.all([
      base.where('i.worker_id', '=', user.id).orderBy('p.family_name').limit(200).execute(),
      user.teamIds.length
        ? base
            .where('i.worker_id', 'is', null)
            .where('i.team_id', 'in', user.teamIds)
            .orderBy('i.start_date')
            .limit(200)
            .execute()
        : Promise.resolve([]),
      user.caps.has('alert:read')
        ? this.db
            .selectFrom('alerts')
            .where('authority_id', '=', user.authorityId)
            .where('role', 'in', user.roles)
            .where('acknowledged_at', 'is', null)
            .orderBy('created_at', 'desc')
            .limit(50)
            .select(['id', 'kind', 'message', 'link', 'created_at'])
            .execute()
        : Promise.resolve([]),
    ]);
    const withAge = <T extends { date_of_birth: string; start_date: string }>(rows: T[]) =>
      rows.map((r) => ({ ...r, age: ageOn(r.date_of_birth, today), daysWaiting: daysBetween(r.start_date, today) }));
    return { mine: withAge(mine), unallocated: withAge(unallocated), alerts };
  }

  async acknowledgeAlert(user: AuthUser, alertId: string): Promise<boolean> {
    const res = await this.db
      .updateTable('alerts')
      .set({ acknowledged_by: user.id, acknowledged_at: this.now() })
      .where('id', '=', alertId)
      .where('authority_id', '=', user.authorityId)
      .where('role', 'in', user.roles)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
