// What the contextual safeguarding, cohort and canary tests share (issue 12 parts 3 and 11): a council, the app on a
// fixed clock that tests may move (Monday 23 November 2026, 10:00 in London), the users who keep places and see the
// cohort, API tokens, signed-in browsers, young people in named teams, and a screening through the real API.
import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/database.ts';
import { sha256 } from '../src/modules/auth/service.ts';
import { childExploitation } from '../src/screening/child-exploitation.ts';
import { Browser, fixedClock, personInTeam, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

export const LOW = ['late_home'];
export const MEDIUM = ['older_associates', 'unexplained_items'];
export const HIGH = ['missing_repeat', 'owes_debt'];

/** Every indicator answered no, except `yes` (answered yes with evidence in the last 3 months). */
export function answers(yes: string[] = []) {
  const out: Record<string, unknown> = {};
  for (const d of childExploitation.domains)
    for (const i of d.indicators)
      out[i.id] = yes.includes(i.id)
        ? { answer: 'yes', evidence: 'Seen by the worker', basis: 'evidence', when: 'last_3_months' }
        : { answer: 'no' };
  return out;
}

export async function tokenFor(db: Db, userId: string) {
  const token = `hov_${randomBytes(16).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: sha256(token), label: 'test' })
    .execute();
  return { authorization: `Bearer ${token}` };
}

export async function contextualSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await testApp(db, { now: clock.now });
  // Sam: a social worker in the Disabled Children's Team North (safeguarding:read, no cohort).
  const sam = userByRole(org, 'social_worker');
  // The exploitation lead: in the Exploitation Hub; keeps places, groups and persons of concern; sees the cohort.
  const lead = userByRole(org, 'exploitation_lead');
  // A police partner: safeguarding:read and no relationship with anyone.
  const police = userByRole(org, 'panel_member');
  const manager = userByRole(org, 'team_manager');
  const api = {
    sam: await tokenFor(db, sam.id),
    lead: await tokenFor(db, lead.id),
    police: await tokenFor(db, police.id),
    manager: await tokenFor(db, manager.id),
  };
  const browser = async (email: string) => {
    const b = new Browser(app);
    await b.login(email);
    return b;
  };

  let serial = 0;
  /** A young person with an open involvement of the team, allocated to the worker. */
  function youngPerson(o: {
    team: 'dct-north' | 'ypt' | 'exploitation-hub';
    worker: string | null;
    given: string;
    family: string;
    dob: string;
    caseNumber?: string;
  }) {
    serial++;
    return personInTeam(db, {
      authorityId: org.authorityId,
      team: org.teams[o.team] as string,
      worker: o.worker,
      caseNumber: o.caseNumber ?? `CX-${serial}`,
      givenName: o.given,
      familyName: o.family,
      dateOfBirth: o.dob,
      start: '2025-01-06',
    });
  }

  /** Screens through the API as `headers` on the clock's day; returns the screening's id. */
  async function screen(personId: string, headers: Record<string, string>, over: Record<string, unknown> = {}) {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${personId}/screenings`,
      headers,
      payload: { instrument_id: 'child-exploitation', reason: 'first', answers: answers(), ...over },
    });
    if (r.statusCode !== 201) throw new Error(`screening refused: ${r.statusCode} ${r.body}`);
    return r.json().id as string;
  }

  const count = async (
    table: 'places' | 'peer_groups' | 'persons_of_concern' | 'place_people' | 'concern_links' | 'system_blocks',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  return { db, app, org, clock, sam, lead, police, manager, api, browser, youngPerson, screen, count };
}

/** The error summary's links (href and text) in a page. */
export function summaryLinks(html: string): { href: string; text: string }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({
    href: m[1] as string,
    text: (m[2] as string).replace(/&#39;|&rsquo;/g, '’'),
  }));
}
