// Signing in through the second factor in HTTP tests (issue 17): the Browser helper's `login` is unchanged for
// TWO_FACTOR=off and for accounts that need no second factor; these siblings pass the second step for those that do.
import assert from 'node:assert/strict';
import { codeAt } from '../src/modules/two-factor/codes.ts';
import { type Browser, PASSWORD } from './helpers.ts';

export interface Enrolment {
  secret: string;
  recoveryCodes: string[];
}

/** The key printed on the set-up page, without its spaces: what a person types into their app. */
export function secretOnPage(html: string): string {
  const m = /id="secret-key">([^<]+)</.exec(html);
  assert.ok(m, 'the set-up page shows the secret key');
  return (m[1] as string).replace(/\s+/g, '');
}

export function recoveryCodesOnPage(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] as string);
}

/** The password step: a 303 to the second factor, and no session. */
export async function passwordStep(b: Browser, email: string, password = PASSWORD) {
  await b.get('/login');
  return b.post('/login', { email, password });
}

/** First sign-in of an account that needs a second factor: enrols with the app's code at `at`, and lands signed in. */
export async function enrol(b: Browser, email: string, at: Date): Promise<Enrolment> {
  const res = await passwordStep(b, email);
  assert.equal(res.headers.location, '/login/two-factor/set-up', `${email} is sent to set up a second factor`);
  const page = await b.get('/login/two-factor/set-up');
  assert.equal(page.statusCode, 200);
  const secret = secretOnPage(page.body);
  const shown = await b.post('/login/two-factor/set-up', { code: codeAt(secret, at) });
  assert.equal(shown.statusCode, 200, shown.body);
  const recoveryCodes = recoveryCodesOnPage(shown.body);
  const done = await b.post('/login/two-factor/set-up/continue', {});
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/');
  await b.get('/');
  return { secret, recoveryCodes };
}

/** A later sign-in: password, then the app's code at `at` (a code is good once: move the clock on between). */
export async function loginWithCode(b: Browser, email: string, secret: string, at: Date) {
  const res = await passwordStep(b, email);
  assert.equal(res.headers.location, '/login/two-factor', `${email} is asked for a code`);
  const done = await b.post('/login/two-factor', { code: codeAt(secret, at) });
  assert.equal(done.statusCode, 303, done.body);
  await b.get('/');
  return done;
}
