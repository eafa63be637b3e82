// Render time of My work (R1) and the record page (R2), before (the Nunjucks template with the GOV.UK macros) and after (the body by the typed
// components of src/views/components/, inside the Nunjucks layout), median over many renders, as a ratio. Same
// process, same data (bench/render/my-work-sample.ts, record-sample.ts), variants taken in turn; the two pages are checked to be the
// same markup (normalised) before anything is timed. Target (issue 16 part 3): ≤ 0.2 ms for the page.
//   node --import tsx bench/render.ts [--renders 4000]
// `benchRender()` gives the figures to `npm run bench` (bench/run.ts).
import { isDeepStrictEqual } from 'node:util';
import { myWorkBody, myWorkTitle } from '../src/modules/home/views/my-work.ts';
import { recordBody, recordTitle } from '../src/modules/people/views/record.ts';
import { documentsPanel } from '../src/modules/people/views/record-panels.ts';
import { raw } from '../src/views/components/index.ts';
import { normalise } from '../test/html-normalise.ts';
import { pageSketch } from './render/layout-sketch.ts';
import { myWorkSample, nunjucksEnv } from './render/my-work-sample.ts';
import { recordSample } from './render/record-sample.ts';

export interface RenderResult {
  renders: number;
  /** Medians, in milliseconds per render. */
  beforePage: number;
  afterPage: number;
  afterBody: number;
  layoutOnly: number;
  /** beforePage − layoutOnly: what the macros' body cost. */
  beforeBody: number;
  /** afterPage / beforePage, and afterBody / beforeBody. */
  pageRatio: number;
  bodyRatio: number;
  bytes: number;
  /** The whole page with the layout by the components too (bench/render/layout-sketch.ts); null if its markup differs. */
  sketchPage: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

/** Median time of each variant over `renders` runs, the variants taken in turn in batches, after a warm-up. */
function timeVariants(variants: Record<string, () => string>, renders: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const batch = 100;
  for (let done = -5 * batch; done < renders; done += batch) {
    for (const [name, render] of Object.entries(variants)) {
      for (let i = 0; i < batch; i++) {
        const t0 = process.hrtime.bigint();
        render();
        const t = Number(process.hrtime.bigint() - t0) / 1e6;
        if (done >= 0) times[name]?.push(t);
      }
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, ts]) => [k, median(ts)]));
}

/** Times a page's four variants (and the layout sketch while it still matches), after checking before = after. */
function benchPage(
  page: string,
  variants: Record<'beforePage' | 'afterPage' | 'afterBody' | 'layoutOnly', () => string>,
  sketch: () => string,
  renders: number,
  extra: Record<string, () => string> = {},
): RenderResult & { extra: Record<string, number> } {
  const before = variants.beforePage();
  const after = variants.afterPage();
  if (!isDeepStrictEqual(normalise(before), normalise(after))) {
    throw new Error(`${page} rendered by the components is not the markup the Nunjucks template gives`);
  }
  const all: Record<string, () => string> = { ...variants, ...extra };
  // The layout sketch is timed only while it still gives the Nunjucks layout's markup (layout.njk changes often).
  if (isDeepStrictEqual(normalise(sketch()), normalise(after))) all.sketchPage = sketch;
  const m = timeVariants(all, renders);
  const at = (name: string) => m[name] ?? Number.NaN;
  const beforeBody = at('beforePage') - at('layoutOnly');
  return {
    renders,
    beforePage: at('beforePage'),
    afterPage: at('afterPage'),
    afterBody: at('afterBody'),
    layoutOnly: at('layoutOnly'),
    beforeBody,
    pageRatio: at('afterPage') / at('beforePage'),
    bodyRatio: at('afterBody') / beforeBody,
    bytes: after.length,
    sketchPage: all.sketchPage ? at('sketchPage') : null,
    extra: Object.fromEntries(Object.keys(extra).map((k) => [k, at(k)])),
  };
}

export function benchRender(renders = 4000): RenderResult {
  const env = nunjucksEnv();
  const { view, locals, nunjucksContext } = myWorkSample();
  const pageTitle = myWorkTitle(view);
  const head = raw('<link rel="stylesheet" href="/assets/my-work.css">');
  const { extra: _none, ...r } = benchPage(
    'My work',
    {
      beforePage: () => env.render('my-work-nunjucks.njk', nunjucksContext),
      afterPage: () => env.render('home/views/my-work.njk', { ...locals, pageTitle, body: myWorkBody(view).html }),
      afterBody: () => myWorkBody(view).html,
      layoutOnly: () => env.render('home/views/my-work.njk', { ...locals, pageTitle, body: '' }),
    },
    () => pageSketch(locals, pageTitle, head, myWorkBody(view)),
    renders,
  );
  return r;
}

export interface RecordRenderResult extends RenderResult {
  /** The documents panel alone: its Nunjucks partial (documents/views/_record-panel.njk) and its TypeScript. */
  documentsNunjucks: number;
  documentsComponents: number;
}

/** R2: the record page (bench/render/record-sample.ts: every panel filled, page 2 of a 5-page timeline). */
export function benchRecordRender(renders = 4000): RecordRenderResult {
  const env = nunjucksEnv();
  const { view, locals, nunjucksContext } = recordSample();
  const pageTitle = recordTitle(view);
  const r = benchPage(
    'The record page',
    {
      beforePage: () => env.render('record-nunjucks.njk', nunjucksContext),
      afterPage: () => env.render('people/views/record.njk', { ...locals, pageTitle, body: recordBody(view).html }),
      afterBody: () => recordBody(view).html,
      layoutOnly: () => env.render('people/views/record.njk', { ...locals, pageTitle, body: '' }),
    },
    () => pageSketch(locals, pageTitle, raw(''), recordBody(view)),
    renders,
    {
      documentsNunjucks: () =>
        env.render('documents/views/_record-panel.njk', { ...nunjucksContext, p: nunjucksContext.r.person }),
      documentsComponents: () => documentsPanel(view).html,
    },
  );
  const { extra, ...rest } = r;
  return {
    ...rest,
    documentsNunjucks: extra.documentsNunjucks ?? 0,
    documentsComponents: extra.documentsComponents ?? 0,
  };
}

function report(name: string, r: RenderResult) {
  const f = (x: number) => `${x.toFixed(3)} ms`;
  console.log(`${name} render, median of ${r.renders} renders each (page ${r.bytes} bytes):`);
  console.log(`  whole page, before (Nunjucks + macros):        ${f(r.beforePage)}`);
  console.log(`  whole page, after (components in the layout):  ${f(r.afterPage)}   ratio ${r.pageRatio.toFixed(2)}`);
  console.log(`  the layout alone (Nunjucks):                    ${f(r.layoutOnly)}`);
  console.log(`  body, before (page − layout):                   ${f(r.beforeBody)}`);
  console.log(`  body, after (components):                       ${f(r.afterBody)}   ratio ${r.bodyRatio.toFixed(2)}`);
  console.log(
    r.sketchPage === null
      ? '  whole page, layout by components too: not timed (the sketch no longer matches layout.njk)'
      : `  whole page, layout by components too (sketch): ${f(r.sketchPage)}   ratio ${(r.sketchPage / r.beforePage).toFixed(2)}`,
  );
  console.log(
    `  target ≤ 0.200 ms for the page: ${r.afterPage <= 0.2 ? 'met' : 'not met'} (body alone: ${r.afterBody <= 0.2 ? 'met' : 'not met'})`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const i = process.argv.indexOf('--renders');
  const renders = i > 0 ? Number(process.argv[i + 1]) : 4000;
  report('My work (R1)', benchRender(renders));
  const rec = benchRecordRender(renders);
  report('The record page (R2)', rec);
  console.log(
    `  documents panel alone: Nunjucks partial ${rec.documentsNunjucks.toFixed(3)} ms, components ${rec.documentsComponents.toFixed(3)} ms`,
  );
}
