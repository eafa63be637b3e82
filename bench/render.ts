// Render time of My work, before (the Nunjucks template with the GOV.UK macros) and after (the body by the typed
// components of src/views/components/, inside the Nunjucks layout), median over many renders, as a ratio. Same
// process, same data (bench/render/my-work-sample.ts), variants taken in turn; the two pages are checked to be the
// same markup (normalised) before anything is timed. Target (issue 16 part 3): ≤ 0.2 ms for the page.
//   node --import tsx bench/render.ts [--renders 4000]
// `benchRender()` gives the figures to `npm run bench` (bench/run.ts).
import { isDeepStrictEqual } from 'node:util';
import { myWorkBody, myWorkTitle } from '../src/modules/home/views/my-work.ts';
import { raw } from '../src/views/components/index.ts';
import { normalise } from '../test/html-normalise.ts';
import { pageSketch } from './render/layout-sketch.ts';
import { myWorkSample, nunjucksEnv } from './render/my-work-sample.ts';

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

export function benchRender(renders = 4000): RenderResult {
  const env = nunjucksEnv();
  const { view, locals, nunjucksContext } = myWorkSample();
  const pageTitle = myWorkTitle(view);
  const variants: Record<string, () => string> = {
    beforePage: () => env.render('my-work-nunjucks.njk', nunjucksContext),
    afterPage: () => env.render('home/views/my-work.njk', { ...locals, pageTitle, body: myWorkBody(view).html }),
    afterBody: () => myWorkBody(view).html,
    layoutOnly: () => env.render('home/views/my-work.njk', { ...locals, pageTitle, body: '' }),
  };
  const head = raw('<link rel="stylesheet" href="/assets/my-work.css">');
  const sketch = () => pageSketch(locals, pageTitle, head, myWorkBody(view));
  const before = variants.beforePage?.() ?? '';
  const after = variants.afterPage?.() ?? '';
  if (!isDeepStrictEqual(normalise(before), normalise(after))) {
    throw new Error('My work rendered by the components is not the markup the Nunjucks template gives');
  }
  // The layout sketch is timed only while it still gives the Nunjucks layout's markup (layout.njk changes often).
  if (isDeepStrictEqual(normalise(sketch()), normalise(after))) variants.sketchPage = sketch;
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
  const m = (name: string) => median(times[name] ?? []);
  const beforePage = m('beforePage');
  const afterPage = m('afterPage');
  const afterBody = m('afterBody');
  const layoutOnly = m('layoutOnly');
  const beforeBody = beforePage - layoutOnly;
  return {
    renders,
    beforePage,
    afterPage,
    afterBody,
    layoutOnly,
    beforeBody,
    pageRatio: afterPage / beforePage,
    bodyRatio: afterBody / beforeBody,
    bytes: after.length,
    sketchPage: variants.sketchPage ? m('sketchPage') : null,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const i = process.argv.indexOf('--renders');
  const r = benchRender(i > 0 ? Number(process.argv[i + 1]) : 4000);
  const f = (x: number) => `${x.toFixed(3)} ms`;
  console.log(`My work render, median of ${r.renders} renders each (page ${r.bytes} bytes):`);
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
