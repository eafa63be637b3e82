// SEND hubs (issue 13 part 1): what the Set up pages share: the success banners, the policy and the form POST that
// shows the page again on bad input (400) or on a record someone else saved first (409).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { postForm, type Shown, formValues as shownValues } from '../../http/form-post.ts';
import type { Body } from '../../http/forms.ts';
import { staleForm } from '../../http/versions.ts';

export const SETUP_SAVED: Record<string, string> = {
  hub: 'Hub saved. New targets apply to requests received or triaged from now on',
  service: 'Service added',
  'service-off': 'Service deactivated: triage no longer offers it',
  'service-on': 'Service reactivated',
  locality: 'Locality saved',
  'setting-new': 'Setting added',
  setting: 'Setting saved',
  account: 'Account added: an email with a link to set their password has gone to them',
  linked: 'Account added to the setting',
  removed: 'Account removed from the setting: it no longer sees the setting’s requests',
};
export const savedText = (req: FastifyRequest) =>
  SETUP_SAVED[String((req.query as Record<string, unknown> | undefined)?.saved ?? '')];
export const hide = { hide: true };
export const org = { policy: { capability: 'org:admin' as const } };

/**
 * A form's POST: on bad input the page again (400); when the record was saved by someone else first, the page again
 * (409) saying to reload.
 */
export async function formPost(
  reply: FastifyReply,
  body: Body,
  run: () => Promise<string>,
  again: (shown: Shown) => Promise<unknown>,
  reload: string,
) {
  try {
    return await postForm(reply, body, run, again);
  } catch (e) {
    return staleForm(reply, e, reload, (shown) => again({ ...shown, values: shownValues(body) }));
  }
}
