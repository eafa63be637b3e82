// Access rules that modules add at wiring time (src/services.ts), so the edge (policy.ts) enforces them without
// importing any module. A rule opens one item, and only to whom it is addressed; with no rule registered the
// item is not found (closed by default).
import type { Executor } from '../db/database.ts';

/** The kinds of item a route policy can open by addressee (Policy.adviceRequest: an EHCP advice request). */
export type AddresseeKind = 'adviceRequest';

/** Whether the item is addressed to this user; the person it is about if so, else null. */
export type AddresseeRule = (
  db: Executor,
  user: { id: string; authorityId: string },
  itemId: string,
) => Promise<{ personId: string } | null>;

const rules = new Map<AddresseeKind, AddresseeRule>();

/** Called once per process by the module that owns the item (the last registration wins). */
export function registerAddresseeRule(kind: AddresseeKind, rule: AddresseeRule): void {
  rules.set(kind, rule);
}

export function addresseeRule(kind: AddresseeKind): AddresseeRule | undefined {
  return rules.get(kind);
}
