// The gap vs capacity register.
import type { AuthUser } from '../../http/types.ts';
import type { Ctx } from './context.ts';
import * as repo from './repository.ts';

/** Gap vs capacity across all cases, by service and commissioning area (counts only: no personal data). */
export async function register(ctx: Ctx, user: AuthUser) {
  const rows = await repo.register(ctx.db, user.authorityId, ctx.today());
  return rows.map((r) => ({
    ...r,
    total: Number(r.total),
    open: Number(r.open),
    overdue: Number(r.overdue),
    people: Number(r.people),
  }));
}
