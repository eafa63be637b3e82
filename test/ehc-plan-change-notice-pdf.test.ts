// The notice of a decision to cease as a PDF: linked from the cessation page once the notice is sent, answers
// application/pdf, carries the decision, the SEN2 reason, the right of appeal to the First-tier Tribunal within 2
// months (with the day) and the mediation advice (text read out of the PDF's content streams), and its read is in the
// access log (channel export). Before a notice there is none (409).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { planChangesSetup } from './ehc-plan-changes-setup.ts';
import { Browser } from './helpers.ts';

const s = await planChangesSetup('pnp');
const { db, app, asCoordinator } = s;

/** The text pdfkit wrote: each content stream inflated, the hex strings of its TJ arrays decoded (WinAnsi). */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(m[1] as string, 'latin1')).toString('latin1');
    } catch {
      body = m[1] as string;
    }
    for (const tj of body.matchAll(/\[([^\]]*)\]\s*TJ/g))
      out.push(
        [...(tj[1] as string).matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((h) => Buffer.from(h[1] as string, 'hex').toString('latin1'))
          .join(''),
      );
  }
  return out.join(' ').replace(/\s+/g, ' ');
}

test('the notice PDF: linked, application/pdf, the appeal wording and 2 months, the read logged', async () => {
  const { planId, personId } = await s.withPlan('2008-04-04');
  const base = `/api/v1/ehc-plans/${planId}/cessations`;
  const id = (await asCoordinator('POST', base, { reason: '4' })).json().id as string;
  const b = new Browser(app);
  await b.login(s.coordinator.email);
  const url = `/ehc-plans/${planId}/cessation/${id}`;
  assert.equal((await b.get(`${url}/notice.pdf`)).statusCode, 409, 'no notice before the decision');
  assert.doesNotMatch((await b.get(url)).body, /notice\.pdf/);
  const c = (await asCoordinator('GET', `${base}/${id}`)).json().cessation;
  const decided = await asCoordinator('POST', `${base}/${id}/decision`, {
    decision: 'cease',
    parent_consulted_date: '2026-11-16',
    views: 'Agrees',
    notice_date: '2026-11-20',
    version: c.version,
  });
  assert.equal(decided.statusCode, 200, decided.body);
  const page = await b.get(url);
  assert.match(page.body, new RegExp(`href="${url}/notice\\.pdf"`), 'linked from the cessation page');
  const logged = async () =>
    (
      await db
        .selectFrom('access_log')
        .where('person_id', '=', personId)
        .where('channel', '=', 'export')
        .select('id')
        .execute()
    ).length;
  const before = await logged();
  const pdf = await b.get(`${url}/notice.pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.rawPayload.toString('latin1'), /\/StructTreeRoot/, 'tagged');
  const text = pdfText(pdf.rawPayload);
  assert.match(text, /the council has decided to cease to maintain the EHC plan/);
  assert.match(text, /Moved on to paid employment/, 'the SEN2 reason');
  assert.match(text, /appeal against this decision to the First-tier Tribunal/);
  assert.match(text, /within 2 months of the date of this notice, that is by 20 January 2027/);
  assert.match(text, /mediation adviser/);
  assert.equal(await logged(), before + 1, 'the read is in the access log');
});
