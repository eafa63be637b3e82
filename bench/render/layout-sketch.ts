// A sketch, for the bench only, of the layout (src/views/layout.njk + govuk template.njk) rendered by the typed
// components: what step 4 of the rendering decision (docs/decisions.md) would save. The app does not use it; the bench
// checks it gives the Nunjucks layout's markup for its sample user before timing it, and reports nothing if not.
import {
  govukPhaseBanner,
  govukServiceNavigation,
  govukSkipLink,
  h,
  type SafeHtml,
  type ServiceNavigationItem,
} from '../../src/views/components/index.ts';

export interface SketchLocals {
  user: { displayName: string; roles: string[]; caps: Set<string> };
  csrfToken: string;
  cspNonce: string;
  currentPath: string;
  demoMode: boolean;
  unreadNotifications: number;
}

function navigation(l: SketchLocals): ServiceNavigationItem[] {
  const { user, currentPath: p } = l;
  const n = l.unreadNotifications;
  const unread = n ? `Notifications (${n >= 100 ? '99+' : n} unread)` : 'Notifications';
  const items: ServiceNavigationItem[] = [
    { href: '/', text: 'My work', active: p === '/' },
    { href: '/people', text: 'Find a person', active: p.startsWith('/people') },
    { href: '/notifications', text: unread, active: p === '/notifications' },
  ];
  if (user.caps.has('support-request:submit') && !user.caps.has('person:read')) {
    items.splice(0, 2, { href: '/setting', text: 'Requests for support', active: p.startsWith('/setting') });
  }
  const add = (cap: boolean, href: string, text: string, active = p.startsWith(href)) => {
    if (cap) items.push({ href, text, active });
  };
  const has = (c: string) => user.caps.has(c);
  add(has('send-hub:work'), '/hubs', 'SEND hubs');
  add(has('panel:read'), '/panels', 'Panels');
  add(has('transfer:read'), '/transfers', 'Transfers');
  add(has('ehcp:manage'), '/ehcp', 'EHCP', /^\/(ehcp|ehc-plans|reports\/ehcp)/.test(p));
  add(has('radar:read'), '/radar', 'Transitions radar');
  const manager = ['team_manager', 'service_manager', 'send_manager'].some((r) => user.roles.includes(r));
  add(has('involvement:manage') && manager, '/caseload', 'Team caseloads');
  add(user.roles.includes('advice_giver'), '/advice', 'Advice requests');
  add(user.roles.includes('advice_giver'), '/organisation/inbox', 'My organisation', p.startsWith('/organisation'));
  add(has('person:read'), '/consultations', 'Consultations');
  add(has('subject-access:manage'), '/subject-access', 'Subject access');
  add(has('subject-access:manage'), '/sharing', 'Sharing register', p === '/sharing');
  add(has('org:admin'), '/admin', 'Set up');
  return items;
}

export function pageSketch(l: SketchLocals, title: string, head: SafeHtml, body: SafeHtml): string {
  const signOut = h`<form method="post" action="/logout" class="app-signout"><input type="hidden" name="_csrf" value="${l.csrfToken}"><a class="govuk-link govuk-body-s app-signout__name" href="/account">${l.user.displayName}<span class="govuk-visually-hidden">: your account and API tokens</span></a><button type="submit" class="govuk-button govuk-button--secondary app-signout__button" data-module="govuk-button">Sign out</button></form>`;
  const nav = govukServiceNavigation({
    serviceName: 'Handover',
    serviceUrl: '/',
    navigation: navigation(l),
    slots: { end: signOut },
  });
  const phase = govukPhaseBanner({
    tag: { text: l.demoMode ? 'Demo' : 'Beta' },
    text: l.demoMode ? 'Demonstration data only: every person shown is fictional.' : 'This is a new service.',
  });
  const a = '/assets';
  return h`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template"><head><meta charset="utf-8"><title>${title} – Handover</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><meta name="theme-color" content="#1d70b8"><link rel="stylesheet" href="/assets/dist/govuk-frontend.min.css"><link rel="stylesheet" href="/assets/dist/moj-frontend.min.css"><link rel="stylesheet" href="/assets/handover.css"><link rel="stylesheet" href="/assets/print.css">${head}<link rel="icon" sizes="48x48" href="${a}/images/favicon.ico"><link rel="icon" sizes="any" href="${a}/images/favicon.svg" type="image/svg+xml"><link rel="mask-icon" href="${a}/images/govuk-icon-mask.svg" color="#1d70b8"><link rel="apple-touch-icon" href="${a}/images/govuk-icon-180.png"><link rel="manifest" href="${a}/manifest.json"></head>
<body class="govuk-template__body"><script nonce="${l.cspNonce}">document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>${govukSkipLink({ href: '#main-content', text: 'Skip to main content' })}${nav}<div class="govuk-width-container">${phase}<main class="govuk-main-wrapper" id="main-content">${body}</main></div><footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><h2 class="govuk-visually-hidden">Support links</h2><ul class="govuk-footer__inline-list"><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/protocols">Protocols</a></li><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/api/docs">API documentation</a></li></ul><p class="govuk-body-s govuk-!-margin-bottom-0">Handover: open-source case and protocol software for councils and their partners.</p></div></div></div></footer><script type="module" src="/assets/dist/govuk-frontend.min.js" nonce="${l.cspNonce}"></script><script type="module" src="/assets/app.js" nonce="${l.cspNonce}"></script></body></html>`
    .html;
}
