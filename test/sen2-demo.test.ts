// Issue 14's Done, on the demo council as `npm start` makes it: the SEND manager builds the SEN2 return for the
// census on 21 January 2027 and sees the validation report — only the three young people the demo leaves with
// neither a UPN nor a reason (every other rule passes); follows a problem's link to the form with the field, enters a
// UPN (then, for another, why it is not known), saves and sees the banner; rebuilds with one fewer problem each time;
// with all three fixed the report says no record would fail and the downloads carry the UPNs and the reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upnCheckLetter } from '../src/domain/identifiers.ts';
import { DEMO_PASSWORD, ensureDemo } from '../src/modules/demo/seed.ts';
import { DEMO_NO_UPN } from '../src/modules/ehc-plans/demo.ts';
import { Browser, fixedClock, testApp, testConfig, testDatabase } from './helpers.ts';

const { db } = await testDatabase({ demo: true });
const clock = fixedClock('2026-12-07T10:00:00Z');
const demo = await ensureDemo(db, { config: testConfig(), now: clock.now });
const app = await testApp(db, { now: clock.now });
const manager = demo.users.find((u) => u.role === 'send_manager');
const authority = await db.selectFrom('authorities').where('code', '=', 'DEMO').select('id').executeTakeFirstOrThrow();
const CENSUS = '2027-01-21';
const REPORT = `/reports/sen2?census=${CENSUS}`;
const caseNumbers = DEMO_NO_UPN.map((i) => `HO${110001 + i}`);

/** The problems the report page lists: [case reference, module, item, fix link]. */
function problemsOn(html: string) {
  const rows = [...html.matchAll(/<a class="govuk-link" href="([^"]+)">Fix (\S+) for (\S+)<\/a>/g)];
  return rows.map((m) => ({ href: m[1] as string, item: m[2] as string, caseNumber: m[3] as string }));
}

/** What a form would send as it stands: its inputs, chosen options and text areas (no buttons). */
function formOf(html: string): Record<string, string> {
  const form =
    [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].find((m) => /name="upn"/.test(m[1] as string))?.[1] ?? '';
  const out: Record<string, string> = {};
  const text = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(m[1] as string)?.[1];
    if (name && name !== '_csrf') out[name] = text(/value="([^"]*)"/.exec(m[1] as string)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
    out[m[1] as string] = /<option value="([^"]*)"[^>]*selected/.exec(m[2] as string)?.[1] ?? '';
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    out[m[1] as string] = text((m[2] as string).trim());
  return out;
}

test('the demo return lists only the young people with neither a UPN nor a reason; every other rule passes', async () => {
  assert.ok(manager, 'the demo has a SEND manager');
  const { problems, ret } = await app.services.sen2.build({ id: manager.id, authorityId: authority.id }, CENSUS);
  assert.ok(ret.persons.length >= 150, `the return holds the demo's plans: ${ret.persons.length}`);
  assert.deepEqual(
    problems.map((p) => [p.caseNumber, p.module, p.item]),
    caseNumbers.map((c) => [c, 'Person', 'UPN']),
  );
  const reasons = ret.persons.filter((p) => p.upnUnknown);
  assert.ok(
    reasons.every((p) => p.upn === null && p.upnUnknown === 'UN1'),
    'the under-fours: UN1, no UPN',
  );
  assert.equal(new Set(ret.persons.map((p) => p.upn).filter(Boolean)).size, ret.persons.length - 3 - reasons.length);
});

test('the SEND manager fixes each problem from its link, rebuilding with one fewer each time, until it is clean', async () => {
  assert.ok(manager);
  const b = new Browser(app);
  await b.login(manager.email, DEMO_PASSWORD);
  let page = await b.get(REPORT);
  assert.equal(page.statusCode, 200);
  let problems = problemsOn(page.body);
  assert.deepEqual(
    problems.map((p) => p.caseNumber),
    caseNumbers,
  );
  const fixes: Record<string, string>[] = [
    { upn: `${upnCheckLetter('999880099001')}999880099001` },
    { upn_unknown: 'UN2' },
    { upn: `${upnCheckLetter('999880099002')}999880099002` },
  ];
  for (const [n, fix] of fixes.entries()) {
    const link = problems[0];
    assert.ok(link);
    assert.match(link.href, /^\/people\/[0-9a-f-]{36}\/edit#upn$/);
    const form = await b.get(link.href.replace(/#.*/, ''));
    assert.equal(form.statusCode, 200, 'the SEND manager may change the record (person:edit, SEND statutory team)');
    assert.match(form.body, /id="upn" name="upn"/, 'the link lands on the form with the UPN field');
    assert.match(form.body, /<select class="govuk-select[^"]*" id="upn_unknown" name="upn_unknown"/);
    const values = formOf(form.body);
    assert.equal(values.upn, '');
    // Both at once is refused on the reason, saying how to fix it; nothing is saved.
    const both = await b.post(link.href.replace(/#.*/, ''), {
      ...values,
      upn: `${upnCheckLetter('999880099003')}999880099003`,
      upn_unknown: 'UN2',
    });
    assert.equal(both.statusCode, 400);
    assert.match(both.body, /Give a UPN or why it is not known, not both/);
    const saved = await b.post(link.href.replace(/#.*/, ''), { ...values, ...fix });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
    const record = await b.get(saved.headers.location as string);
    assert.match(record.body, /govuk-notification-banner--success/);
    assert.match(record.body, /Details saved/);
    // The record's identifiers say why the UPN is not known, in words with its code.
    if (fix.upn_unknown)
      assert.match(record.body, /Not known: Child has never attended a state-funded school in England \(UN2\)/);
    page = await b.get(REPORT);
    problems = problemsOn(page.body);
    assert.equal(problems.length, caseNumbers.length - n - 1, 'one fewer problem after each fix');
  }
  assert.match(page.body, /No record would fail validation/);
  const xml = await b.get(`/reports/sen2/download/xml?census=${CENSUS}`);
  assert.equal(xml.statusCode, 200);
  assert.match(xml.body, /<UPN>[A-Z]999880099001<\/UPN>/);
  assert.match(xml.body, /<UPNunknown>UN2<\/UPNunknown>/);
  const csv = await b.get(`/reports/sen2/download/Person?census=${CENSUS}`);
  assert.equal(csv.statusCode, 200);
  assert.match(csv.body, /,"?UN2"?\r\n/);
});
