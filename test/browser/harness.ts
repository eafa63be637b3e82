// Browser test harness: the real app on 127.0.0.1 with a seeded database, one headless Chromium per test
// file, page objects that check they are on the right page, and axe-core on every page (style.md 16).
// Run one file: npm exec -- node --import tsx --test --test-global-setup=test/global-setup.ts test/browser/X.test.ts
// BROWSER_SCREENSHOTS=1 writes full-page screenshots to /tmp/handover-screenshots (never into the repository).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Locator, type Page, type Response } from 'playwright-core';
import { createApp, ROOT } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { DemoOrganisation } from '../../src/modules/demo/seed.ts';
import { fixedClock, PASSWORD, seedOrganisation, testConfig, testDatabase } from '../helpers.ts';
import { type Caseload, seedCaseload, TODAY } from './fixtures.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
/** WCAG 2.0, 2.1 and 2.2 at levels A and AA (quality.md: WCAG 2.2 AA). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
/** The W3C Nu HTML Checker (npm vnu-jar), run with the machine's Java (Debian's default-jre-headless in CI). */
const VNU_JAR = path.join(ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar');

/**
 * Console errors that are known bugs, each with a test marked `todo` that fails until it is fixed. Remove the
 * entry with the fix, so that any recurrence fails every journey.
 */
const KNOWN_ISSUES: { test: (problem: string, status: number) => boolean; note: string }[] = [];

export interface Harness {
  browser: Browser;
  baseUrl: string;
  app: FastifyInstance;
  db: Db;
  org: DemoOrganisation;
  people: Caseload;
  /** The app's clock (starts at TODAY): move it to run jobs and sweeps in-process as if later. */
  clock: ReturnType<typeof fixedClock>;
  /**
   * A new browser session (its own cookies) on a new page; with `as`, already signed in as that user (through
   * the real sign-in form over HTTP, without spending a page load on it). Close it with session.close().
   */
  session(opts?: { as?: { email: string } }): Promise<Session>;
}

/**
 * Starts everything a browser test file needs: a fresh database with a council and a small caseload, the
 * app listening on 127.0.0.1 (a random port) and Chromium. Call once, at the top of the file.
 */
export async function startHarness(config: Partial<Config> = {}): Promise<Harness> {
  const { db } = await testDatabase();
  const org = await seedOrganisation(db, 'browser');
  const people = await seedCaseload(db, org);
  const clock = fixedClock(TODAY);
  const app = await createApp({ db, config: testConfig(config), now: clock.now });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const sessions = new Set<Session>();
  after(async () => {
    for (const s of sessions) await s.context.close().catch(() => {});
    await browser.close();
    await app.close();
  });
  return {
    browser,
    baseUrl,
    app,
    db,
    org,
    people,
    clock,
    async session(opts = {}) {
      // The app's strict CSP stays on: axe is injected through the DevTools protocol, which CSP does not
      // govern, so the pages are tested exactly as users get them.
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', timezoneId: 'Europe/London' });
      // Long enough for a busy two-CPU CI machine; a missing element still fails in seconds, not minutes.
      context.setDefaultTimeout(15_000);
      if (opts.as) await signInOverHttp(context, opts.as.email);
      const s = new Session(context, await context.newPage());
      sessions.add(s);
      return s;
    },
  };
}

/**
 * Signs in with the sign-in form's own requests (its CSRF cookie and token, then the POST), sent through the
 * context's request API, which shares the browser's cookie jar.
 */
async function signInOverHttp(context: BrowserContext, email: string): Promise<void> {
  const form = await context.request.get('/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await context.request.post('/login', {
    form: { _csrf: token, email, password: PASSWORD },
    maxRedirects: 0,
  });
  if (res.status() !== 303) throw new Error(`signing in as ${email} failed: ${res.status()}`);
}

/**
 * One user's browser. Records every document it loads so that close() can prove each one was checked
 * with axe, and fails on any script error or console error (a CSP violation, a missing asset).
 */
export class Session {
  private loads = 0;
  /** The HTTP status of the document on show. */
  private status = 0;
  /** The response that brought the document on show: its body is the HTML the server sent. */
  private document: Response | null = null;
  /** The HTML of every page checked with axe, as served, for the W3C checker at close(). */
  private readonly served: { where: string; html: string }[] = [];
  private readonly keptLoads = new Set<number>();
  private readonly checked = new Set<number>();
  private readonly visited: string[] = [];
  private readonly problems: string[] = [];
  /** Known, reported problems this session ran into (see KNOWN_ISSUES). */
  readonly knownIssues = new Set<string>();

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('load', () => {
      this.loads++;
      this.visited.push(new URL(page.url()).pathname);
    });
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) {
        this.status = r.status();
        this.document = r;
      }
    });
    page.on('pageerror', (e) => this.problems.push(`script error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chromium logs a document's own 4xx status (a 404 page, a 400 form) as an error: that is the page.
      if (m.location().url === page.url() && /^Failed to load resource: the server responded/.test(m.text())) return;
      const problem = `console error on ${new URL(page.url()).pathname}: ${m.text()}`;
      const known = KNOWN_ISSUES.find((k) => k.test(problem, this.status));
      if (known) this.knownIssues.add(known.note);
      else this.problems.push(problem);
    });
  }

  /** Opens a path and waits for the page to load. Returns the HTTP status. */
  async goto(pathname: string): Promise<number> {
    const res = await this.page.goto(pathname, { waitUntil: 'load' });
    return res?.status() ?? 0;
  }

  /** Runs an action that loads a new document (a link, a form) and waits until it has loaded. */
  async follow(action: () => Promise<unknown>): Promise<void> {
    const loaded = this.page.waitForEvent('load');
    await action();
    await loaded;
  }

  /** Clicks a link or button and waits for the next page. */
  async click(target: Locator): Promise<void> {
    await this.follow(() => target.click());
  }

  /** Runs axe-core on the current document with WCAG 2.0/2.1/2.2 A and AA rules; fails listing violations. */
  async checkAxe(): Promise<void> {
    await this.page.waitForLoadState('load');
    const where = new URL(this.page.url()).pathname;
    // evaluate() goes through the DevTools protocol, so the page's CSP (script nonces) does not block it.
    const hasAxe = await this.page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
    if (!hasAxe) await this.page.evaluate(AXE_SOURCE);
    const violations = await this.page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: AxeApi }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    }, AXE_TAGS);
    this.checked.add(this.loads);
    await this.keepServedHtml(where);
    if (violations.length) {
      const lines = violations.map(
        (v) => `- ${v.id} (${v.impact ?? 'unknown'}): ${v.help}\n    ${v.targets.slice(0, 5).join('\n    ')}`,
      );
      assert.fail(`axe found ${violations.length} accessibility violation(s) on ${where}:\n${lines.join('\n')}`);
    }
  }

  /** Keeps the HTML the server sent for the page on show (once per page), for the W3C checker. */
  private async keepServedHtml(where: string): Promise<void> {
    const doc = this.document;
    if (!doc || this.keptLoads.has(this.loads)) return;
    this.keptLoads.add(this.loads);
    const type = (await doc.allHeaders())['content-type'] ?? '';
    if (!type.startsWith('text/html')) return;
    // A redirect's body is gone; what is on show then came from the last response, which is `doc`.
    const html = await doc.text().catch(() => this.page.content());
    this.served.push({ where: `${where} (load ${this.loads})`, html });
  }

  /**
   * Fails unless every page this session loaded was checked with axe, nothing went wrong in the page, and the
   * W3C HTML checker finds no error in any page as the server sent it.
   */
  async close(): Promise<void> {
    const unchecked = this.visited.filter((_, i) => !this.checked.has(i + 1));
    await this.context.close();
    for (const note of this.knownIssues) console.log(`# known issue, not failing this test: ${note}`);
    assert.deepEqual(this.problems, [], 'the pages logged errors');
    assert.deepEqual(unchecked, [], 'every page visited must be checked with axe');
    assert.deepEqual(await htmlErrors(this.served), [], 'the W3C HTML checker (vnu) found errors');
  }

  /** Screenshots go to /tmp only: they show (fictional) personal data and never belong in the repository. */
  async screenshot(name: string): Promise<void> {
    if (!process.env.BROWSER_SCREENSHOTS) return;
    const dir = path.join('/tmp', 'handover-screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }

  /** The element that has keyboard focus, described by its tag, id and accessible text. */
  async focused(): Promise<{ tag: string; id: string; text: string; href: string | null }> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        id: el?.id ?? '',
        text: (el?.textContent || el?.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim(),
        href: el?.getAttribute('href') ?? null,
      };
    });
  }

  /** Presses Tab until the focused element matches, failing after `max` presses (keyboard-only journeys). */
  async tabTo(
    matches: (f: { tag: string; id: string; text: string; href: string | null }) => boolean,
    max = 60,
  ): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press('Tab');
      const f = await this.focused();
      if (matches(f)) return;
      seen.push(`${f.tag}${f.id ? `#${f.id}` : ''} "${f.text.slice(0, 30)}"`);
    }
    assert.fail(`not reached with ${max} presses of Tab; focus went through:\n${seen.join('\n')}`);
  }
}

/**
 * Runs the W3C Nu HTML Checker once over the given pages; returns its errors as "page line N: message" lines
 * (warnings and notes are not errors and are left out).
 */
export async function htmlErrors(pages: { where: string; html: string }[]): Promise<string[]> {
  if (!pages.length) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handover-vnu-'));
  try {
    const files = pages.map((p, i) => {
      const file = path.join(dir, `page-${i}.html`);
      fs.writeFileSync(file, p.html);
      return file;
    });
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(
        'java',
        ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...files],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, err) =>
          error ? reject(new Error(`vnu could not run: ${error.message}\n${err}`)) : resolve(err),
      );
    });
    const messages = (JSON.parse(stderr) as { messages: VnuMessage[] }).messages;
    return messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => {
        const i = files.indexOf(decodeURIComponent(new URL(m.url ?? 'file:///').pathname));
        return `${pages[i]?.where ?? m.url} line ${m.lastLine ?? '?'}: ${m.message} [${(m.extract ?? '').trim().slice(0, 80)}]`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface VnuMessage {
  type: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

interface AxeApi {
  run(
    context: Document,
    options: object,
  ): Promise<{
    violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
  }>;
}

// ---------------------------------------------------------------------------------------------------------
// Page objects. Each is made with `await XPage.on(session)`, which checks the <h1> and the <title> (so a test
// knows it is on the page it thinks it is) and runs axe on it. They find things by role and label only.

async function expectPage(s: Session, h1: string | RegExp, title: string): Promise<void> {
  const heading = s.page.getByRole('heading', { level: 1 });
  await heading.first().waitFor();
  const headings = await heading.allInnerTexts();
  assert.equal(headings.length, 1, `a page has exactly one h1; found ${JSON.stringify(headings)}`);
  const text = (headings[0] ?? '').replace(/\s+/g, ' ').trim();
  if (typeof h1 === 'string') assert.equal(text, h1, `the h1 on ${s.page.url()}`);
  else assert.match(text, h1, `the h1 on ${s.page.url()}`);
  assert.equal(await s.page.title(), `${title} – Handover`, `the title on ${s.page.url()}`);
  await s.checkAxe();
}

abstract class PageObject {
  constructor(readonly s: Session) {}
  get page(): Page {
    return this.s.page;
  }

  /** The GOV.UK error summary: its messages and where each links to. */
  async errorSummary(): Promise<{ text: string; href: string }[]> {
    const summary = this.page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    const links = summary.getByRole('link');
    const out: { text: string; href: string }[] = [];
    for (const link of await links.all()) {
      out.push({ text: await textOf(link), href: (await link.getAttribute('href')) ?? '' });
    }
    return out;
  }

  /** The inline error message shown under a field, found through the field's accessible description. */
  async inlineError(field: Locator): Promise<string> {
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    for (const id of describedBy.split(/\s+/).filter(Boolean)) {
      const el = this.page.locator(`[id="${id}"]`);
      if ((await el.getAttribute('class'))?.includes('govuk-error-message')) {
        return (await textOf(el)).replace(/^Error:\s*/, '');
      }
    }
    return '';
  }

  /** The navigation links in the service header. */
  nav(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name });
  }

  async signOut(): Promise<LoginPage> {
    await this.s.click(this.page.getByRole('button', { name: 'Sign out' }));
    return LoginPage.on(this.s);
  }
}

export class LoginPage extends PageObject {
  static async open(s: Session): Promise<LoginPage> {
    await s.goto('/login');
    return LoginPage.on(s);
  }
  static async on(s: Session, opts: { error?: boolean } = {}): Promise<LoginPage> {
    await expectPage(s, 'Sign in to Handover', `${opts.error ? 'Error: ' : ''}Sign in`);
    return new LoginPage(s);
  }
  email(): Locator {
    return this.page.getByLabel('Email address');
  }
  password(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }
  async submit(email: string, password: string): Promise<void> {
    await this.email().fill(email);
    await this.password().fill(password);
    await this.s.click(this.page.getByRole('button', { name: 'Sign in' }));
  }
  async signIn(email: string, password: string): Promise<MyWorkPage> {
    await this.submit(email, password);
    return MyWorkPage.on(this.s);
  }
}

export class MyWorkPage extends PageObject {
  static async open(s: Session): Promise<MyWorkPage> {
    await s.goto('/');
    return MyWorkPage.on(s);
  }
  static async on(s: Session): Promise<MyWorkPage> {
    await expectPage(s, 'My work', 'My work');
    return new MyWorkPage(s);
  }
  /** Names on the rows "Case allocated to me", by family name. */
  async allocatedToMe(): Promise<string[]> {
    return this.namesOfKind('Case allocated to me');
  }
  /** Names on the rows "Case waiting for a worker" (my teams' unallocated cases), by family name. */
  async waiting(): Promise<string[]> {
    return this.namesOfKind('Case waiting for a worker');
  }
  private async namesOfKind(kind: string): Promise<string[]> {
    const rows = this.page.locator('.app-work__item').filter({ hasText: kind });
    const names = (await rows.locator('.app-work__who a').allInnerTexts()).map((t) => t.trim());
    const family = (n: string) => n.split(' ').slice(-1)[0] ?? n;
    return names.sort((a, b) => family(a).localeCompare(family(b)));
  }
  /** The alert banners for the user's role. */
  alerts(): Locator {
    return this.page.getByRole('region').filter({ has: this.page.getByRole('button', { name: 'Mark as seen' }) });
  }
  async openPerson(fullName: string): Promise<PersonRecordPage> {
    await this.s.click(this.page.getByRole('link', { name: fullName, exact: true }));
    return PersonRecordPage.on(this.s, fullName);
  }
  async findAPerson(): Promise<SearchPage> {
    await this.s.click(this.nav('Find a person'));
    return SearchPage.on(this.s);
  }
}

export interface SearchInput {
  name?: string;
  dateOfBirth?: string;
  nhsNumber?: string;
  upn?: string;
}

export class SearchPage extends PageObject {
  static async open(s: Session): Promise<SearchPage> {
    await s.goto('/people');
    return SearchPage.on(s);
  }
  static async on(s: Session, opts: { error?: boolean } = {}): Promise<SearchPage> {
    await expectPage(s, 'Find a person', `${opts.error ? 'Error: ' : ''}Find a person`);
    return new SearchPage(s);
  }
  async search(q: SearchInput, opts: { error?: boolean } = {}): Promise<SearchPage> {
    const form = this.page.locator('form').filter({ has: this.page.getByRole('button', { name: 'Search' }) });
    await form.getByLabel('Name', { exact: true }).fill(q.name ?? '');
    const [y = '', m = '', d = ''] = q.dateOfBirth ? q.dateOfBirth.split('-') : [];
    const dob = this.page.getByRole('group', { name: 'Date of birth' });
    await dob.getByLabel('Day').fill(d);
    await dob.getByLabel('Month').fill(m);
    await dob.getByLabel('Year').fill(y);
    await form.getByLabel('NHS number').fill(q.nhsNumber ?? '');
    await form.getByLabel('UPN').fill(q.upn ?? '');
    await this.s.click(this.page.getByRole('button', { name: 'Search' }));
    return SearchPage.on(this.s, opts);
  }
  /** The heading over the results, e.g. "1 person found". */
  async resultsHeading(): Promise<string> {
    return textOf(this.page.getByRole('heading', { level: 2 }).first());
  }
  /** Names of the people found. */
  async results(): Promise<string[]> {
    const table = this.page.getByRole('table', { name: 'Search results' });
    if (!(await table.count())) return [];
    return (await table.getByRole('link').allInnerTexts()).map((t) => t.trim());
  }
  async openResult(fullName: string): Promise<PersonRecordPage> {
    await this.s.click(this.page.getByRole('table', { name: 'Search results' }).getByRole('link', { name: fullName }));
    return PersonRecordPage.on(this.s, fullName);
  }
}

export class PersonRecordPage extends PageObject {
  static async open(s: Session, id: string, fullName: string): Promise<PersonRecordPage> {
    await s.goto(`/people/${id}`);
    return PersonRecordPage.on(s, fullName);
  }
  static async on(s: Session, fullName: string, opts: { error?: boolean } = {}): Promise<PersonRecordPage> {
    await expectPage(
      s,
      new RegExp(`^${escapeRegExp(fullName)}( \\(known as .+\\))?$`),
      `${opts.error ? 'Error: ' : ''}${fullName}`,
    );
    return new PersonRecordPage(s);
  }
  /** A summary list (Summary, Identifiers) as key → value. */
  async summaryList(heading: 'Summary' | 'Identifiers'): Promise<Record<string, string>> {
    const list = this.page.locator(`h2:text-is("${heading}") + dl`);
    const keys = await list.locator('dt').allInnerTexts();
    const values = await list.locator('dd').allInnerTexts();
    return Object.fromEntries(keys.map((k, i) => [k.trim(), (values[i] ?? '').trim()]));
  }
  async currentStatuses(): Promise<string[]> {
    return (await this.page.getByRole('list', { name: 'Current statuses' }).getByRole('listitem').allInnerTexts()).map(
      (t) => t.trim(),
    );
  }
  /** Rows of a table (caption given) as arrays of cell texts. */
  async tableRows(caption: string | RegExp): Promise<string[][]> {
    const table = this.page.getByRole('table', { name: caption });
    const rows: string[][] = [];
    for (const row of await table.locator('tbody tr').all()) {
      rows.push((await row.locator('td, th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()));
    }
    return rows;
  }
  /** Labels of the timeline entries, newest first. */
  async timeline(): Promise<string[]> {
    return (await this.page.locator('.moj-timeline__title').allInnerTexts()).map((t) => t.trim());
  }
  warning(): Locator {
    return this.page.locator('.govuk-warning-text');
  }
  async addStatus(label: string): Promise<PersonRecordPage> {
    const title = await this.page.title();
    await this.page.getByLabel('Add a status').selectOption({ label });
    await this.s.click(this.page.getByRole('button', { name: 'Add status' }));
    return PersonRecordPage.on(this.s, title.replace(/^Error: /, '').replace(/ – Handover$/, ''));
  }
  async whoHasViewed(): Promise<WhoViewedPage> {
    await this.s.click(this.page.getByRole('link', { name: 'Who has viewed this record' }));
    return WhoViewedPage.on(this.s);
  }
  async allocate(teamName: string): Promise<AllocatePage> {
    await this.s.click(this.page.getByRole('link', { name: new RegExp(`^(Allocate|Change) worker for ${teamName}$`) }));
    return AllocatePage.on(this.s);
  }
  /** The GOV.UK success banner after a save: its text, and whether it has the focus (GOV.UK's script moves it). */
  async successBanner(): Promise<{ text: string; focused: boolean }> {
    const banner = this.page.locator('.govuk-notification-banner--success');
    await banner.waitFor();
    const text = (await textOf(banner.locator('.govuk-notification-banner__content'))).trim();
    const focused = await this.page
      .waitForFunction(() => document.activeElement?.classList.contains('govuk-notification-banner--success'), null, {
        timeout: 2000,
      })
      .then(
        () => true,
        () => false,
      );
    return { text, focused };
  }
  /** Follows a status's End link to the page that asks when and why it ends. */
  async endStatus(label: string): Promise<StatusEndPage> {
    await this.s.click(this.page.getByRole('link', { name: `End ${label}`, exact: true }));
    return StatusEndPage.on(this.s, label);
  }
}

/** Ending a status: the date (three boxes, today already in them) and the reason. */
export class StatusEndPage extends PageObject {
  static async on(s: Session, label: string, opts: { error?: boolean } = {}): Promise<StatusEndPage> {
    await expectPage(s, `End a status: ${label}`, `${opts.error ? 'Error: ' : ''}End a status: ${label}`);
    return new StatusEndPage(s);
  }
  async dateShown(): Promise<string[]> {
    return Promise.all(['Day', 'Month', 'Year'].map((l) => this.page.getByLabel(l, { exact: true }).inputValue()));
  }
  async submit(reason: string): Promise<void> {
    await this.page.getByLabel('Why is it ending?').fill(reason);
    await this.s.click(this.page.getByRole('button', { name: 'End status' }));
  }
}

export class WhoViewedPage extends PageObject {
  static async on(s: Session): Promise<WhoViewedPage> {
    await expectPage(s, 'Who has viewed this record', 'Who has viewed this record');
    return new WhoViewedPage(s);
  }
  /** Rows of the access log, newest first: [when, who, how, purpose]. */
  async rows(): Promise<string[][]> {
    const table = this.page.getByRole('table', { name: 'Views of this record, newest first' });
    const rows: string[][] = [];
    for (const row of await table.locator('tbody tr').all()) {
      rows.push((await row.locator('td, th').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()));
    }
    return rows;
  }
}

export class ForbiddenPage extends PageObject {
  static async on(s: Session): Promise<ForbiddenPage> {
    await expectPage(s, 'You do not have access to this page', 'You do not have access to this page');
    return new ForbiddenPage(s);
  }
  breakGlassLink(): Locator {
    return this.page.getByRole('link', { name: 'use emergency (break-glass) access' });
  }
  async useBreakGlass(): Promise<BreakGlassPage> {
    await this.s.click(this.breakGlassLink());
    return BreakGlassPage.on(this.s);
  }
}

export class BreakGlassPage extends PageObject {
  static async on(s: Session, opts: { error?: boolean } = {}): Promise<BreakGlassPage> {
    await expectPage(s, 'Emergency access to a record', `${opts.error ? 'Error: ' : ''}Emergency access to a record`);
    return new BreakGlassPage(s);
  }
  reason(): Locator {
    return this.page.getByLabel('Why do you need this record now?');
  }
  async submit(reason: string): Promise<void> {
    await this.reason().fill(reason);
    await this.s.click(this.page.getByRole('button', { name: 'Open the record' }));
  }
}

export class NewPersonPage extends PageObject {
  static async on(s: Session, opts: { error?: boolean } = {}): Promise<NewPersonPage> {
    await expectPage(s, 'Add a new person', `${opts.error ? 'Error: ' : ''}Add a new person`);
    return new NewPersonPage(s);
  }
  async fill(p: { givenName: string; familyName: string; day: string; month: string; year: string; reason: string }) {
    await this.page.getByLabel('First name').fill(p.givenName);
    await this.page.getByLabel('Last name').fill(p.familyName);
    const dob = this.page.getByRole('group', { name: 'Date of birth' });
    await dob.getByLabel('Day').fill(p.day);
    await dob.getByLabel('Month').fill(p.month);
    await dob.getByLabel('Year').fill(p.year);
    await this.page.getByLabel('Why the team is involved').fill(p.reason);
  }
  async submit(): Promise<void> {
    await this.s.click(this.page.getByRole('button', { name: 'Create record' }));
  }
}

export class AllocatePage extends PageObject {
  static async on(s: Session): Promise<AllocatePage> {
    await expectPage(s, 'Who is the allocated worker?', 'Allocate a worker');
    return new AllocatePage(s);
  }
  async choose(workerName: string): Promise<void> {
    await this.page.getByRole('radio', { name: workerName }).check();
    await this.s.click(this.page.getByRole('button', { name: 'Save allocation' }));
  }
}

export class ErrorPage extends PageObject {
  static async on(s: Session, title: string): Promise<ErrorPage> {
    await expectPage(s, title, title);
    return new ErrorPage(s);
  }
}

/** An element's text with runs of white space made single spaces. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
