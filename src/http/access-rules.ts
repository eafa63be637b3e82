// Access rules that modules add at wiring time (src/services.ts), so the edge (policy.ts) enforces them without
// importing any module. A rule opens one item, and only to whom it is addressed; with no rule registered the
// item is not found (closed by default).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../db/database.ts';

/**
 * The kinds of item a route policy can open by addressee: Policy.adviceRequest (an EHCP advice request, opened by
 * whom it is addressed to) and Policy.settingRequest (a SEND support request, opened by the accounts of its setting).
 */
export interface AddresseeKinds {
  adviceRequest: { personId: string };
  settingRequest: { settingId: string };
}
export type AddresseeKind = keyof AddresseeKinds;

/** Whether the item is addressed to this user; what the route may know of it if so, else null. */
export type AddresseeRule<K extends AddresseeKind = AddresseeKind> = (
  db: Executor,
  user: { id: string; authorityId: string },
  itemId: string,
) => Promise<AddresseeKinds[K] | null>;

const rules = new Map<AddresseeKind, AddresseeRule>();

/** Called once per process by the module that owns the item (the last registration wins). */
export function registerAddresseeRule<K extends AddresseeKind>(kind: K, rule: AddresseeRule<K>): void {
  rules.set(kind, rule as AddresseeRule);
}

export function addresseeRule<K extends AddresseeKind>(kind: K): AddresseeRule<K> | undefined {
  return rules.get(kind) as AddresseeRule<K> | undefined;
}

/**
 * The provisioning policy's rule (Policy.provisioning), registered by the module that owns the secrets: it sets
 * request.provisioningAccess and returns nothing when the bearer secret is good, or answers the refusal itself (in
 * its protocol's error format) and returns the reply. With no rule registered the route is not found.
 */
export type ProvisioningRule = (db: Executor, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

let provisioning: ProvisioningRule | undefined;

export function registerProvisioningRule(rule: ProvisioningRule): void {
  provisioning = rule;
}

export function provisioningRule(): ProvisioningRule | undefined {
  return provisioning;
}
