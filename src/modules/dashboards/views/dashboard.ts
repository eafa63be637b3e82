// The dashboards' page bodies, written with the typed GOV.UK components (src/views/components/): the chooser and one
// dashboard. Each figure table is drawn as an accessible SVG bar chart (role="img", a title and a description, every
// count written as text) followed by a GOV.UK table of the same numbers and its CSV link; each trend as a stacked bar
// chart of its months with its table. Tables of more than two columns stack on a narrow screen (app-table--stack),
// the charts scale with their viewBox: nothing scrolls sideways at 320 px.
import { govukSummaryList, govukTable, h, type SafeHtml } from '../../../views/components/index.ts';
import { stackedBars } from '../../cohort/chart.ts';
import { barChart } from '../../send-hubs/charts.ts';
import type { Scope } from '../access.ts';
import type { FigureTable } from '../figures.ts';
import type { Dashboard, Headline, Trend } from '../service.ts';

type Choice = Omit<Scope, 'teams'>;

const KIND_TITLES: Record<Choice['kind'], string> = {
  council: 'The whole council',
  service: 'Services',
  hub: 'SEND hubs',
  team: 'Teams',
};

export function chooserBody(choices: Choice[]): SafeHtml {
  const groups = (['council', 'service', 'hub', 'team'] as const)
    .map((kind) => ({ kind, items: choices.filter((c) => c.kind === kind) }))
    .filter((g) => g.items.length > 0);
  return h`<h1 class="govuk-heading-l">Dashboards</h1>
<p class="govuk-body">Counts for governance: overdue steps, escalations, unallocated children, transfers, EHC needs assessments, referrals, gaps and system blocks, with their trends over the last 12 months. No young person is named on a dashboard.</p>
${
  groups.length
    ? groups.map(
        (g) => h`<h2 class="govuk-heading-m">${KIND_TITLES[g.kind]}</h2>
<ul class="govuk-list">${g.items.map((c) => h`<li><a class="govuk-link" href="${c.path}">${c.name}</a></li>`)}</ul>`,
      )
    : h`<p class="govuk-body">You have no dashboards: a team’s is for its managers, a service’s for its service manager, a hub’s for its hub and locality managers and the whole council’s for service leads.</p>`
}`;
}

function headlineList(items: Headline[]): SafeHtml {
  return govukSummaryList({
    rows: items.map((i) => ({
      key: { text: i.label },
      value:
        i.mustBeZero && i.count > 0
          ? { html: h`<strong class="govuk-tag govuk-tag--red">${i.count}: must be 0</strong>` }
          : { text: String(i.count) },
    })),
  });
}

function barSvg(id: string, t: FigureTable): SafeHtml {
  const chart = barChart(t.rows.map((r) => ({ label: r.label, count: r.values[0] ?? 0 })));
  const what = (t.columns[1] ?? 'Count').toLowerCase();
  return h`<svg viewBox="0 0 ${chart.width} ${chart.height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">
<title id="${id}-title">${t.title}</title>
<desc id="${id}-desc">A bar for each row of the table, its ${what} written after it; the largest is ${chart.max}. The table after the chart gives the same numbers.</desc>
${chart.bars.map(
  (b) =>
    h`<text x="0" y="${b.labelY}" font-size="14" fill="#0b0c0c">${b.label}</text>${
      b.barWidth
        ? h`<rect x="0" y="${b.barY}" width="${b.barWidth}" height="${chart.barHeight}" fill="#1d70b8"></rect>`
        : ''
    }<text x="${b.countX}" y="${b.countY}" font-size="14" fill="#0b0c0c">${b.count}</text>`,
)}
</svg>`;
}

function figureTable(t: FigureTable, id: string): SafeHtml {
  return govukTable({
    caption: `${t.title}: table`,
    captionClasses: 'govuk-table__caption--s',
    firstCellIsHeader: true,
    classes: t.columns.length > 2 ? 'app-table--stack' : null,
    attributes: { id: `${id}-table` },
    head: t.columns.map((c, i) => ({ text: c, format: i ? 'numeric' : null })),
    rows: t.rows.map((r) => [
      { text: r.label },
      ...r.values.map((v) => ({
        ...(r.mustBeZero && v > 0
          ? { html: h`<strong class="govuk-tag govuk-tag--red">${v}</strong>` }
          : { text: String(v) }),
        format: 'numeric',
      })),
    ]),
  });
}

function trendSvg(id: string, t: Trend): SafeHtml {
  const chart = stackedBars(t.series, t.months);
  return h`<svg viewBox="0 0 ${chart.width} ${chart.height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">
<title id="${id}-title">${t.title}</title>
<desc id="${id}-desc">A bar for each of the last 12 months, the most recent on the right, the tallest ${chart.max}${
    t.series.length > 1 ? `, each split into ${t.series.join(' and ')}` : ''
  }. The table after the chart gives the same numbers.</desc>
<line x1="${chart.left}" y1="${chart.baseline}" x2="${chart.width}" y2="${chart.baseline}" stroke="#0b0c0c"/>
<text x="2" y="20" font-size="14" fill="#0b0c0c">${chart.max}</text>
${chart.bars.map(
  (b) =>
    h`${b.segments.map(
      (s) =>
        h`<rect x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" fill="${s.colour}" stroke="#ffffff"><title>${s.label}</title></rect>`,
    )}<text x="${b.labelX}" y="${chart.height - 8}" font-size="12" text-anchor="middle" fill="#0b0c0c">${b.month.slice(5)}</text>`,
)}
</svg>
${
  t.series.length > 1
    ? h`<ul class="govuk-list govuk-body-s">${chart.legend.map(
        (g) =>
          h`<li><svg width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${g.colour}"/></svg> ${g.level}</li>`,
      )}</ul>`
    : ''
}`;
}

/** A trend as a figure table: a row a month, a column a series (the page's table and the CSV). */
export function trendTable(t: Trend): {
  title: string;
  columns: string[];
  rows: { label: string; values: number[] }[];
} {
  return {
    title: t.title,
    columns: ['Month', ...t.series],
    rows: t.months.map((m) => ({ label: m.month, values: t.series.map((s) => m.counts[s] ?? 0) })),
  };
}

/** A title's first letter in lower case after "Download", unless it starts an abbreviation ("EHC"). */
const inSentence = (title: string) =>
  /^[A-Z][a-z]/.test(title) ? `${title.charAt(0).toLowerCase()}${title.slice(1)}` : title;

const csvLink = (base: string, key: string, title: string) =>
  h`<p class="govuk-body"><a class="govuk-link" href="${base}/${key}.csv" download>Download ${inSentence(title)} (CSV)</a></p>`;

export function dashboardBody(d: Dashboard, subscribeHref: string): SafeHtml {
  const base = d.scope.path;
  return h`<span class="govuk-caption-l">Dashboard</span>
<h1 class="govuk-heading-l">${d.scope.name}</h1>
<p class="govuk-body">Figures on ${d.today}; trends over the 12 months from ${d.from}. Counts only: no young person is named. <a class="govuk-link" href="/dashboards">Choose another dashboard</a>.</p>
<p class="govuk-body"><a class="govuk-link" href="${subscribeHref}">Subscribe to this dashboard by email</a></p>
<h2 class="govuk-heading-m">Headline figures</h2>
${headlineList(d.headline)}
${d.tables.map(
  (t) => h`<section class="govuk-!-margin-bottom-8" aria-labelledby="${t.key}-heading">
<h2 class="govuk-heading-m" id="${t.key}-heading">${t.title}</h2>
<p class="govuk-body-s">${t.rule}</p>
${barSvg(`chart-${t.key}`, t)}
${figureTable(t, t.key)}
${csvLink(base, t.key, t.title)}
</section>`,
)}
<h2 class="govuk-heading-l">Trends over the last 12 months</h2>
${d.trends.map((t) => {
  const table = trendTable(t);
  return h`<section class="govuk-!-margin-bottom-8" aria-labelledby="trend-${t.key}-heading">
<h3 class="govuk-heading-m" id="trend-${t.key}-heading">${t.title}</h3>
<p class="govuk-body-s">${t.rule}</p>
${trendSvg(`trend-${t.key}`, t)}
${govukTable({
  caption: `${t.title}: table`,
  captionClasses: 'govuk-table__caption--s',
  firstCellIsHeader: true,
  classes: 'govuk-table--small-text-until-tablet',
  attributes: { id: `trend-${t.key}-table` },
  head: table.columns.map((c, i) => ({ text: c, format: i ? 'numeric' : null })),
  rows: table.rows.map((r) => [{ text: r.label }, ...r.values.map((v) => ({ text: String(v), format: 'numeric' }))]),
})}
${csvLink(base, `trend-${t.key}`, t.title)}
</section>`;
})}
<h3 class="govuk-heading-m">Figures with no trend</h3>
<p class="govuk-body">The record does not hold the history of these figures, so no trend is drawn rather than one guessed:</p>
<ul class="govuk-list govuk-list--bullet">${d.noHistory.map((n) => h`<li><strong>${n.title}</strong>: ${n.why}</li>`)}</ul>`;
}
