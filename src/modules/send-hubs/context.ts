// Needs in context (issue 13 part 6): what Handover already knows of a young person's wider situation, shown to the
// hub's triage within the viewer's own access. The hub itself holds the young person's requests to hubs, so their
// previous requests and outcomes are always shown. The rest (family situation from the record's contacts, other
// agencies from open involvements, care and other statuses) is the record's, shown only to a viewer with a
// relationship that opens it (src/modules/access/repository.ts) or a break-glass grant. Owning the hub team's
// triage step gives no relationship: a team-owned step has no owner user, and the relationship rule counts only a
// step's named owner. The Navigator, who owns the support and review steps by name, has one. Every read is logged.
import type { Executor, Tx } from '../../db/database.ts';
import { PERSON_STATUSES } from '../../domain/roles.ts';
import type { AuthUser } from '../../http/types.ts';
import { findRelationship } from '../access/repository.ts';
import { logRead } from '../audit/repository.ts';
import { requireHub } from './access.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-triage.ts';

const STATUS_WORDS: Record<string, string> = PERSON_STATUSES;

/** The context of one request's young person, within `user`'s access (the caller logs the read). */
export async function contextSummary(
  ctx: HubCtx,
  db: Executor,
  user: AuthUser,
  request: { id: string; person_id: string },
) {
  const rel = await findRelationship(db, user, request.person_id, ctx.now());
  const opens = rel.related || rel.breakGlassId !== null;
  const previous = await repo.previousRequests(db, request.person_id, request.id);
  if (!opens) return { opens, breakGlassId: null, previous, family: [], agencies: [], statuses: [] };
  const statuses = (await repo.statusesOf(db, request.person_id)).map((s) => ({
    ...s,
    label: STATUS_WORDS[s.status] ?? s.status,
    current: s.end_date === null,
  }));
  return {
    opens,
    breakGlassId: rel.related ? null : rel.breakGlassId,
    previous,
    family: await repo.familyOf(db, request.person_id),
    agencies: await repo.agenciesOf(db, request.person_id),
    statuses,
    inCare: statuses.some((s) => s.current && s.status === 'child_in_care'),
  };
}
export type ContextSummary = Awaited<ReturnType<typeof contextSummary>>;

/** The needs-in-context page (or API answer) of a request of the hub, its read logged in the same transaction. */
export async function needsInContext(
  ctx: HubCtx,
  user: AuthUser,
  hubId: string,
  requestId: string,
  channel: 'page' | 'api',
) {
  return ctx.db.transaction().execute(async (tx: Tx) => {
    const hub = await requireHub(tx, user, hubId);
    const request = await repo.requestOfHub(tx, hub.id, requestId);
    const context = await contextSummary(ctx, tx, user, request);
    await logRead(
      tx,
      user,
      { personId: request.person_id, breakGlassId: context.breakGlassId },
      channel,
      'send-hub-needs-in-context',
    );
    return { hub, request, context };
  });
}
