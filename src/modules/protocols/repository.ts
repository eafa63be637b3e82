// SQL for the protocol lists (My work, managers' team view, a person's protocols). Nothing else.
import type { Executor } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';

/** Open steps owned by the user, or queued for a team, role or service of theirs. */
/** What a list of open steps shows: the step, its due date and owner, the protocol, and whose case it is. */
const STEP_ROW = [
  's.id',
  's.step_key',
  's.due_date',
  's.owner_label',
  's.owner_user_id',
  's.instance_id',
  's.person_id',
  'i.protocol_id',
  'i.protocol_version',
  'p.given_name',
  'p.family_name',
  'p.case_number',
] as const;

export async function stepsWaitingOn(db: Executor, user: AuthUser, service: string | null, limit: number) {
  return db
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .where('s.authority_id', '=', user.authorityId)
    .where('s.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('s.owner_user_id', '=', user.id),
        eb.and([
          eb('s.owner_user_id', 'is', null),
          user.teamIds.length
            ? eb.or([eb('s.owner_team_id', 'is', null), eb('s.owner_team_id', 'in', user.teamIds)])
            : eb('s.owner_team_id', 'is', null),
          user.roles.length
            ? eb.or([eb('s.owner_role', 'is', null), eb('s.owner_role', 'in', user.roles)])
            : eb('s.owner_role', 'is', null),
          service
            ? eb.or([eb('s.owner_service_id', 'is', null), eb('s.owner_service_id', '=', service)])
            : eb('s.owner_service_id', 'is', null),
          eb.or([
            eb('s.owner_team_id', 'is not', null),
            eb('s.owner_role', 'is not', null),
            eb('s.owner_service_id', 'is not', null),
          ]),
        ]),
      ]),
    )
    .orderBy('s.due_date', (ob) => ob.asc().nullsLast())
    .orderBy('s.entered_at')
    .limit(limit)
    .select([...STEP_ROW])
    .execute();
}

/** Open steps owned by people the user line-manages, or by members and queues of teams they manage. */
export async function stepsInManagedTeams(db: Executor, user: AuthUser, limit: number) {
  const managesTeams = user.roles.includes('team_manager') ? user.teamIds : [];
  return db
    .selectFrom('protocol_steps as s')
    .innerJoin('protocol_instances as i', 'i.id', 's.instance_id')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .leftJoin('users as o', 'o.id', 's.owner_user_id')
    .where('s.authority_id', '=', user.authorityId)
    .where('s.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('o.line_manager_id', '=', user.id),
        ...(managesTeams.length
          ? [
              eb('s.owner_team_id', 'in', managesTeams),
              eb.exists(
                eb
                  .selectFrom('team_members as m')
                  .whereRef('m.user_id', '=', 's.owner_user_id')
                  .where('m.team_id', 'in', managesTeams)
                  .select('m.user_id'),
              ),
            ]
          : []),
      ]),
    )
    .orderBy('s.due_date', (ob) => ob.asc().nullsLast())
    .limit(limit)
    .select([...STEP_ROW, 's.version'])
    .execute();
}

export async function instancesOfPerson(db: Executor, personId: string) {
  return db
    .selectFrom('protocol_instances')
    .where('person_id', '=', personId)
    .orderBy('started_at', 'desc')
    .select(['id', 'protocol_id', 'protocol_version', 'status', 'result', 'started_at'])
    .execute();
}

/** Active staff of the user's council, by name: the people a step can be passed to. */
export async function activeStaff(db: Executor, authorityId: string) {
  return db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('active', '=', true)
    .orderBy('display_name')
    .select(['id', 'display_name', 'job_title'])
    .execute();
}
