// What the SEND hubs tests share (issue 13): a council with its North hubs in use (src/modules/demo/seed-hubs.ts),
// the app on a fixed clock tests may move (Monday 23 November 2026, 10:00 in London), the hub's people (manager,
// Navigator, locality manager), two settings' accounts, an EHCP coordinator and the IT administrator, API tokens,
// signed-in browsers, and requests written through the module's own intake (src/modules/send-hubs/intake.ts).
import type { ApdrCycle, AreaOfNeed, Consent } from '../src/db/schema-send-hubs.ts';
import { submitRequest } from '../src/modules/send-hubs/intake.ts';
import { tokenFor } from './contextual-setup.ts';
import { Browser, fixedClock, seedOrganisation, testApp, testDatabase, userByRole } from './helpers.ts';

export const TWO_CYCLES: ApdrCycle[] = [
  {
    assess: 'Speech and language screen: understanding two-step instructions is well below age',
    plan: 'Visual timetable, pre-teaching vocabulary three times a week',
    do: 'Teaching assistant delivered the plan for 6 weeks',
    review: 'Some progress with routines; still cannot follow class instructions',
    from: '2026-04-20',
    to: '2026-06-01',
  },
  {
    assess: 'Classroom observation and parent carer meeting',
    plan: 'Small-group language sessions daily; Makaton signs for key words',
    do: 'Delivered for 8 weeks in the autumn term',
    review: 'Little change: falling further behind peers; distressed at transitions',
    from: '2026-09-07',
    to: '2026-11-02',
  },
];

export async function hubsSetup(label: string) {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, label);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const app = await testApp(db, { now: clock.now });
  const [hub1, hub2] = org.hubIds as [string, string];
  const users = {
    hubManager: userByRole(org, 'hub_manager'),
    navigator: userByRole(org, 'hub_practitioner'),
    localityManager: userByRole(org, 'locality_manager'),
    senco: org.users.find((u) => u.email.startsWith('senco@')) ?? userByRole(org, 'setting_user'),
    head: org.users.find((u) => u.email.startsWith('head.teacher@')) ?? userByRole(org, 'setting_user'),
    sencoRiverside: org.users.find((u) => u.email.startsWith('senco.riverside@')) ?? userByRole(org, 'setting_user'),
    coordinator: userByRole(org, 'ehcp_coordinator'),
    socialWorker: userByRole(org, 'social_worker'),
    admin: userByRole(org, 'admin'),
  };
  const api = {
    hubManager: await tokenFor(db, users.hubManager.id),
    navigator: await tokenFor(db, users.navigator.id),
    localityManager: await tokenFor(db, users.localityManager.id),
    senco: await tokenFor(db, users.senco.id),
    sencoRiverside: await tokenFor(db, users.sencoRiverside.id),
    admin: await tokenFor(db, users.admin.id),
  };
  const browser = async (email: string) => {
    const b = new Browser(app);
    await b.login(email);
    return b;
  };
  const ctx = app.services.sendHubs.ctx;
  let serial = 0;
  /** A request from a setting (Northgate by default), written through the module's intake. */
  async function newRequest(
    o: {
      setting?: 'northgate' | 'riverside';
      consent?: Consent;
      areas?: AreaOfNeed[];
      receivedOn?: string;
      given?: string;
      family?: string;
      dob?: string;
      by?: string;
    } = {},
  ) {
    serial++;
    return db.transaction().execute((tx) =>
      submitRequest(
        ctx,
        tx,
        { id: o.by ?? users.senco.id, authorityId: org.authorityId },
        {
          setting_id: org.settings[o.setting ?? 'northgate'],
          child: {
            given_name: o.given ?? `Child${serial}`,
            family_name: o.family ?? 'Testington',
            date_of_birth: o.dob ?? '2018-03-14',
            upn: null,
            gender: null,
          },
          received_on: o.receivedOn ?? '2026-11-23',
          received_via: 'online',
          contact_name: 'Sara SENCO',
          year_group: 'Year 3',
          areas_of_need: o.areas ?? ['communication_interaction'],
          apdr_cycles: TWO_CYCLES,
          sen_support_since: '2026-01-05',
          plan_review_date: '2026-12-14',
          current_plan: 'SEN support plan: language targets, visual supports, small-group sessions',
          asking_for: 'Advice from a specialist teacher and a speech and language assessment',
          parent_views: 'Worried about how upset he is at home after school',
          consent: o.consent ?? 'given',
          consent_on: (o.consent ?? 'given') === 'given' ? (o.receivedOn ?? '2026-11-23') : null,
        },
      ),
    );
  }
  return { db, app, org, clock, hub1, hub2, users, api, browser, ctx, newRequest };
}
