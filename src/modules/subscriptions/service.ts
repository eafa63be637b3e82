// Scheduled reports (issue 14 part 3): a user subscribes to a list or dashboard that a module offers
// (registry.ts), weekly or monthly, with its filters; the job (send.ts) emails the counts and a link. Here: what the
// user has, what a new one would be, subscribing and unsubscribing (each with an audit row, in one transaction).
import type { Db } from '../../db/database.ts';
import { londonToday } from '../../domain/calendar.ts';
import type { Capability } from '../../domain/roles.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { FREQUENCY_WORDS, type Frequency, nextSend, periodStart } from './periods.ts';
import { type Subscribable, subscribable } from './registry.ts';
import * as repo from './repository.ts';
import { NOT_FILTERS, SubscriptionInput } from './schemas.ts';
import { giveAllDefaults } from './send.ts';

const NO_SUCH = 'You have no subscription with that id: it may have been unsubscribed already.';

export interface Offer {
  list: Subscribable;
  filters: Record<string, string>;
  /** The filters in words. */
  described: string;
}

export interface MySubscription {
  id: string;
  listKey: string;
  title: string;
  filters: Record<string, string>;
  described: string;
  frequency: Frequency;
  frequencyWords: string;
  /** YYYY-MM-DD: today when this period's email is still owed (the next morning's run sends it). */
  nextSend: string;
  /** The page it links to (with the filters), or null when the list is no longer offered. */
  path: string | null;
}

/** A form's or the API's filters: every field that is not the list or how often. */
export function filtersOf(body: Body): Record<string, unknown> {
  const nested = body.filters;
  if (nested && typeof nested === 'object') return nested as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_FILTERS.has(k)));
}

export class SubscriptionsService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  today() {
    return { today: londonToday(this.now()) };
  }

  /** The user's subscriptions (after giving any default due to them, e.g. a new SEND manager's weekly report). */
  async mine(user: AuthUser): Promise<MySubscription[]> {
    await giveAllDefaults(this.db, this.now(), { authorityId: user.authorityId, userId: user.id });
    const { today } = this.today();
    const periods = { weekly: periodStart('weekly', today), monthly: periodStart('monthly', today) };
    const rows = await repo.mine(this.db, user.authorityId, user.id, periods);
    const out: MySubscription[] = [];
    for (const r of rows) {
      const list = subscribable(r.list_key);
      out.push({
        id: r.id,
        listKey: r.list_key,
        title: list?.title ?? 'A list no longer offered',
        filters: r.filters,
        described: list ? await list.describeFilters(this.db, user.authorityId, r.filters) : 'None',
        frequency: r.frequency,
        frequencyWords: FREQUENCY_WORDS[r.frequency],
        nextSend: nextSend(r.frequency, r.created_on, today, r.ran),
        path: list ? list.path(r.filters) : null,
      });
    }
    return out;
  }

  /** One of the user's own subscriptions; another user's (or none) is not found. */
  async one(user: AuthUser, id: string): Promise<MySubscription> {
    const found = UUID.test(id) ? (await this.mine(user)).find((s) => s.id === id) : undefined;
    if (!found) throw new NotFound(NO_SUCH);
    return found;
  }

  /** What subscribing to `key` with these filters would be; refuses an unknown list, a list not the user's, bad filters. */
  async offer(user: AuthUser, key: unknown, raw: Record<string, unknown>): Promise<Offer> {
    const list = typeof key === 'string' ? subscribable(key) : undefined;
    if (!list) throw new NotFound('There is no list or dashboard by that name to subscribe to.');
    if (!user.caps.has(list.capability as Capability))
      throw new Forbidden(`Your role does not give you the ${list.title}, so you cannot subscribe to it.`);
    const checked = await list.checkFilters(this.db, user.authorityId, raw, user);
    if (!checked.ok) throw new ValidationError(checked.errors);
    return {
      list,
      filters: checked.filters,
      described: await list.describeFilters(this.db, user.authorityId, checked.filters),
    };
  }

  /** Subscribes the user; refuses the same list, filters and frequency twice (it says the subscription exists). */
  async subscribe(user: AuthUser, body: Body): Promise<string> {
    const { input, errors } = SubscriptionInput.read(body, this.today());
    let offer: Offer | null = null;
    try {
      offer = await this.offer(user, body.list, filtersOf(body));
    } catch (e) {
      if (e instanceof ValidationError) Object.assign(errors, e.fields);
      else if (!(e instanceof NotFound)) throw e;
      else errors.list ??= 'Choose a list or dashboard that Handover offers: there is none by that name';
    }
    if (Object.keys(errors).length > 0 || !offer) throw new ValidationError(errors);
    const frequency = input.frequency as Frequency;
    const s = { authorityId: user.authorityId, userId: user.id, listKey: offer.list.key, filters: offer.filters };
    return this.db.transaction().execute(async (tx) => {
      const id = await repo.insert(tx, { ...s, frequency, at: this.now() });
      if (!id)
        throw new ValidationError({
          frequency: `You already get the ${offer.list.title} (${offer.described}) ${frequency}: choose the other frequency, or keep the one you have`,
        });
      await auditBy(tx, user, {
        action: 'create',
        entity: 'subscription',
        entityId: id,
        detail: { list: offer.list.key, frequency, filters: offer.filters },
      });
      return id;
    });
  }

  /** Ends one of the user's own subscriptions; another user's is not found. */
  async unsubscribe(user: AuthUser, id: string): Promise<{ title: string }> {
    return this.db.transaction().execute(async (tx) => {
      const gone = UUID.test(id) ? await repo.remove(tx, user.authorityId, user.id, id) : null;
      if (!gone) throw new NotFound(NO_SUCH);
      await auditBy(tx, user, { action: 'delete', entity: 'subscription', entityId: id, detail: gone });
      return { title: subscribable(gone.list_key)?.title ?? 'list' };
    });
  }
}
