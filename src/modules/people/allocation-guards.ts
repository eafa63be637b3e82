// Checks other modules run before the people module changes who holds a case: a worker taken off an involvement,
// an involvement ended, a status started. A module registers its check at wiring time (src/services.ts), so the
// people module never imports it; each check runs inside the people module's transaction and refuses the change
// by throwing (a ValidationError naming the field). Kent's "never unallocated" rule is one (transfers/guard.ts).
import type { Tx } from '../../db/database.ts';

export interface AllocationGuard {
  /** Before an involvement loses its worker (`field` 'worker_id') or ends (`field` 'involvement'). */
  losingWorker?: (tx: Tx, personId: string, involvementId: string, field: string) => Promise<void>;
  /** Before a status (child in need, child protection plan, …) starts on a record. */
  statusStarting?: (tx: Tx, personId: string, status: string) => Promise<void>;
}

export class AllocationGuards {
  private readonly guards: AllocationGuard[] = [];

  register(guard: AllocationGuard): void {
    this.guards.push(guard);
  }

  async losingWorker(tx: Tx, personId: string, involvementId: string, field = 'worker_id'): Promise<void> {
    for (const g of this.guards) await g.losingWorker?.(tx, personId, involvementId, field);
  }

  async statusStarting(tx: Tx, personId: string, status: string): Promise<void> {
    for (const g of this.guards) await g.statusStarting?.(tx, personId, status);
  }
}
