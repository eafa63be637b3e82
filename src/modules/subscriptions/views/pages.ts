// The pages of scheduled reports, rendered by the typed GOV.UK components (src/views/components/): my subscriptions
// (a summary card each), the form to subscribe, and the confirmation to unsubscribe. The layout stays Nunjucks
// (page.njk).
import { formatDate } from '../../../http/views.ts';
import {
  govukBackLink,
  govukButton,
  govukErrorSummary,
  govukNotificationBanner,
  govukRadios,
  govukSummaryList,
  h,
  type SafeHtml,
} from '../../../views/components/index.ts';
import { FREQUENCIES, FREQUENCY_WORDS } from '../periods.ts';
import type { MySubscription, Offer } from '../service.ts';

export interface Rendered {
  pageTitle: string;
  body: string;
}

const csrf = (token: string) => h`<input type="hidden" name="_csrf" value="${token}">`;

function nextWords(s: MySubscription, today: string): string {
  return s.nextSend === today
    ? 'At the next morning’s run (this period’s email has not gone yet)'
    : formatDate(s.nextSend);
}

function card(s: MySubscription, today: string, withActions = true): SafeHtml {
  return govukSummaryList({
    card: {
      title: { text: s.title, headingLevel: 2 },
      actions: withActions
        ? {
            items: [
              ...(s.path ? [{ href: s.path, text: 'Open', visuallyHiddenText: 'the list' }] : []),
              { href: `/subscriptions/${s.id}/unsubscribe`, text: 'Unsubscribe' },
            ],
          }
        : null,
      attributes: { id: `subscription-${s.id}` },
    },
    rows: [
      { key: { text: 'Filters' }, value: { text: s.described } },
      { key: { text: 'How often' }, value: { text: s.frequencyWords } },
      { key: { text: 'Next email' }, value: { text: nextWords(s, today) } },
    ],
  });
}

export function listPage(v: { subs: MySubscription[]; today: string; savedText: string | null }): Rendered {
  const banner = v.savedText ? govukNotificationBanner({ type: 'success', text: v.savedText }) : '';
  const cards = v.subs.length
    ? v.subs.map((s) => card(s, v.today))
    : h`<p class="govuk-body" id="no-subscriptions">You have no subscriptions.</p>`;
  const body = h`${banner}<h1 class="govuk-heading-l">Your email subscriptions</h1>
<p class="govuk-body">Each one emails you the counts of a list or dashboard, and a link to it, weekly on Mondays or monthly on the 1st. The emails never name a young person: sign in to see who is on the list.</p>
${cards}
<p class="govuk-body">To subscribe to a list, open it (for example the <a class="govuk-link" href="/radar">transitions radar</a>) and choose “Subscribe to this list by email”.</p>`;
  return { pageTitle: 'Your email subscriptions', body: body.html };
}

export function newPage(v: {
  offer: Offer;
  values: { frequency?: unknown };
  errors: Record<string, string>;
  errorList: { text: string; href: string }[] | null;
  csrfToken: string;
}): Rendered {
  const { offer } = v;
  const hidden = Object.entries(offer.filters).map(
    ([k, value]) => h`<input type="hidden" name="${k}" value="${value}">`,
  );
  const radios = govukRadios({
    name: 'frequency',
    idPrefix: 'frequency',
    fieldset: { legend: { text: 'How often', classes: 'govuk-fieldset__legend--m' } },
    value: typeof v.values.frequency === 'string' ? v.values.frequency : null,
    errorMessage: v.errors.frequency ? { text: v.errors.frequency } : null,
    items: FREQUENCIES.map((f) => ({ value: f, text: FREQUENCY_WORDS[f] })),
  });
  const problems = v.errorList ? govukErrorSummary({ titleText: 'There is a problem', errorList: v.errorList }) : '';
  const body = h`${govukBackLink({ href: offer.list.path(offer.filters), text: 'Back' })}${problems}
<h1 class="govuk-heading-l">Subscribe to the ${offer.list.title} by email</h1>
${govukSummaryList({
  rows: [
    { key: { text: 'List' }, value: { text: offer.list.title } },
    { key: { text: 'Filters' }, value: { text: offer.described } },
  ],
})}
<p class="govuk-body">The email gives the list’s counts and a link to it. It never names a young person.</p>
<form method="post" action="/subscriptions" novalidate>${csrf(v.csrfToken)}
<input type="hidden" name="list" value="${offer.list.key}">${hidden}
${radios}
${govukButton({ text: 'Subscribe' })}
</form>`;
  return { pageTitle: `${v.errorList ? 'Error: ' : ''}Subscribe to the ${offer.list.title}`, body: body.html };
}

export function unsubscribePage(v: { sub: MySubscription; today: string; csrfToken: string }): Rendered {
  const body = h`${govukBackLink({ href: '/subscriptions', text: 'Back' })}
<h1 class="govuk-heading-l">Unsubscribe from the ${v.sub.title}?</h1>
${card(v.sub, v.today, false)}
<p class="govuk-body">You will get no more of these emails. You can subscribe again from the list.</p>
<form method="post" action="/subscriptions/${v.sub.id}/unsubscribe" novalidate>${csrf(v.csrfToken)}
<div class="govuk-button-group">${govukButton({ text: 'Unsubscribe', classes: 'govuk-button--warning' })}
<a class="govuk-link" href="/subscriptions">Keep it</a></div>
</form>`;
  return { pageTitle: `Unsubscribe from the ${v.sub.title}`, body: body.html };
}

/** A link to subscribe that the list refuses (filters changed by hand, an area no longer the council's). */
export function refusedPage(v: { errorList: { text: string; href: string }[]; back: string }): Rendered {
  const body = h`${govukBackLink({ href: v.back, text: 'Back' })}
${govukErrorSummary({ titleText: 'There is a problem', errorList: v.errorList.map(({ text }) => ({ text })) })}
<h1 class="govuk-heading-l">You cannot subscribe to this list as it is</h1>
<p class="govuk-body">Go back to the list, choose its filters again, and then choose “Subscribe to this list by email”.</p>`;
  return { pageTitle: 'Error: You cannot subscribe to this list as it is', body: body.html };
}
