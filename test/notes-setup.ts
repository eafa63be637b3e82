// What the case notes tests share: a council, the app on a fixed clock (Monday 23 November 2026, 10:00 in London),
// a worker with young people allocated to them, a worker with no relationship, API tokens and form bodies.
import { randomBytes } from 'node:crypto';
import { sha256 } from '../src/modules/auth/service.ts';
import { fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

export async function notesSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  // Monday 23 November 2026, 10:00 in London.
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await testApp(db, { now: clock.now });
  const worker = userByRole(org, 'social_worker');
  // Can read and edit records, but has no relationship with these young people.
  const stranger = userByRole(org, 'ehcp_coordinator');
  const team = org.teams['dct-north'] as string;

  let serial = 0;
  /** A young person allocated to the worker. */
  async function person() {
    serial++;
    return personInTeam(db, {
      authorityId: org.authorityId,
      team,
      worker: worker.id,
      caseNumber: `N-${serial}`,
      givenName: 'Nadia',
      familyName: `Notes${serial}`,
      dateOfBirth: '2011-04-02',
    });
  }

  async function tokenFor(userId: string) {
    const token = `hov_${randomBytes(16).toString('hex')}`;
    await db
      .insertInto('api_tokens')
      .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
      .execute();
    return { authorization: `Bearer ${token}` };
  }
  const workerApi = await tokenFor(worker.id);
  const strangerApi = await tokenFor(stranger.id);

  const noteForm = (over: Record<string, string> = {}) => ({
    note_type: 'visit',
    'contact_date-day': '20',
    'contact_date-month': '11',
    'contact_date-year': '2026',
    contact_time: '2:30pm',
    present: 'Mother, the young person',
    what_happened: 'Home visit. Saw Nadia in her bedroom; the room was tidy.',
    voice: 'Said she feels safer at home since the new routine.',
    significant: 'no',
    summary: '',
    ...over,
  });
  const noteBody = (over: Record<string, unknown> = {}) => ({
    note_type: 'phone_call',
    contact_date: '2026-11-21',
    contact_time: '09:15',
    present: null,
    what_happened: 'Phoned school about attendance.',
    voice: null,
    significant: false,
    summary: null,
    ...over,
  });

  const count = async (table: 'case_notes' | 'case_note_versions', personId: string) =>
    Number(
      (
        await db
          .selectFrom(table)
          .where('person_id', '=', personId)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const accessRows = (personId: string, purpose: string) =>
    db
      .selectFrom('access_log')
      .where('person_id', '=', personId)
      .where('purpose', '=', purpose)
      .select(['user_id', 'channel'])
      .execute();

  return {
    db,
    app,
    org,
    clock,
    worker,
    stranger,
    person,
    workerApi,
    strangerApi,
    noteForm,
    noteBody,
    count,
    accessRows,
  };
}
