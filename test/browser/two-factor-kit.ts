// Two-factor sign-in in browser tests (issue 17): signs a browser context in as an account that needs a second
// factor, through the real forms over HTTP (the harness's `session({ as })` signs in with the password alone, which
// is all an account needs when TWO_FACTOR=off or it needs no second factor).
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { codeAt } from '../../src/modules/two-factor/codes.ts';
import { PASSWORD } from '../helpers.ts';
import { recoveryCodesOnPage, secretOnPage } from '../two-factor-kit.ts';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * Signs in with the password, then enrols (first sign-in: returns the secret and recovery codes) or gives the app's
 * code from `secret`, at the app's time `at` (a code is good once: move the clock on between sign-ins).
 */
export async function signInWithSecondFactor(
  context: BrowserContext,
  email: string,
  at: Date,
  secret?: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const form = await context.request.get('/login');
  const res = await context.request.post('/login', {
    form: { _csrf: csrfOf(await form.text()), email, password: PASSWORD },
    maxRedirects: 0,
  });
  assert.equal(res.status(), 303, `signing in as ${email}`);
  const next = res.headers().location;
  if (next === '/login/two-factor/set-up') {
    const page = await (await context.request.get(next)).text();
    const key = secretOnPage(page);
    const shown = await context.request.post(next, { form: { _csrf: csrfOf(page), code: codeAt(key, at) } });
    const html = await shown.text();
    assert.equal(shown.status(), 200, 'the first code is accepted');
    const done = await context.request.post('/login/two-factor/set-up/continue', {
      form: { _csrf: csrfOf(html) },
      maxRedirects: 0,
    });
    assert.equal(done.status(), 303);
    return { secret: key, recoveryCodes: recoveryCodesOnPage(html) };
  }
  assert.equal(next, '/login/two-factor', `${email} is asked for a code`);
  assert.ok(secret, `${email} has enrolled: pass their secret`);
  const page = await (await context.request.get(next)).text();
  const done = await context.request.post(next, {
    form: { _csrf: csrfOf(page), code: codeAt(secret, at) },
    maxRedirects: 0,
  });
  assert.equal(done.status(), 303, 'the code is accepted');
  return { secret, recoveryCodes: [] };
}
