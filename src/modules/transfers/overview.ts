// Lists across the user's teams: cases outside or leaving a remit, children waiting for a worker, the transfers
// in and out, active protocol suspensions, and how long completed transfers took.
import type { Executor } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import type { AuthUser } from '../../http/types.ts';
import type { BaseCtx, Ctx } from './context.ts';
import * as repo from './repository.ts';
import {
  leavesRemitOn,
  outsideRemit,
  proposeTeam,
  quantile,
  SUSPENDABLE_PARTS,
  type SuspendablePart,
} from './rules.ts';

/** Cases leaving a team's age band within this many days are listed as about to be outside its remit. */
export const REMIT_HORIZON_DAYS = 90;

/** Teams whose caseloads the user answers for: their own teams. */
export function scopeTeams(user: AuthUser) {
  return user.teamIds;
}

export async function remitList(ctx: Ctx, user: AuthUser) {
  const today = ctx.today();
  const [teams, points, cases] = await Promise.all([
    repo.remitsOf(ctx.db, user.authorityId),
    repo.pointsOf(ctx.db, user.authorityId),
    repo.openCases(ctx.db, user.authorityId, scopeTeams(user)),
  ]);
  const byId = new Map(teams.map((t) => [t.id, t]));
  const rows = [];
  for (const c of cases) {
    const team = byId.get(c.team_id);
    if (!team) continue;
    const facts = { dateOfBirth: c.date_of_birth, statuses: c.statuses, localityId: c.locality_id };
    const why = outsideRemit(team, facts, today);
    const leaves = why ? null : leavesRemitOn(team, facts, today, REMIT_HORIZON_DAYS);
    if (!why && !leaves) continue;
    const proposed = proposeTeam(teams, points, team.id, facts, leaves ?? today);
    rows.push({
      personId: c.person_id,
      involvementId: c.involvement_id,
      caseNumber: c.case_number,
      name: `${c.given_name} ${c.family_name}`,
      age: ageOn(c.date_of_birth, today),
      teamName: c.team_name,
      reason: why ?? `leaves the team's age band on ${leaves}`,
      leavesOn: leaves,
      proposedTeam: proposed?.name ?? null,
      liveTransferId: c.live_transfer_id,
    });
  }
  return { rows, teams, points, horizonDays: REMIT_HORIZON_DAYS };
}

/** Children waiting for a worker in the user's teams, longest wait first. */
export async function unallocated(ctx: Ctx, user: AuthUser) {
  const today = ctx.today();
  const now = ctx.now().getTime();
  const cases = await repo.openCases(ctx.db, user.authorityId, scopeTeams(user));
  const openTasks = await ctx.db
    .selectFrom('case_tasks')
    .where('authority_id', '=', user.authorityId)
    .where('done_at', 'is', null)
    .where('kind', 'in', ['visit', 'review', 'oversight'])
    .select(['involvement_id'])
    .execute();
  const managed = new Set(openTasks.map((t) => t.involvement_id));
  return cases
    .filter((c) => c.worker_id === null)
    .map((c) => {
      const since = c.unallocated_since ?? new Date(`${c.start_date}T00:00:00Z`);
      return {
        personId: c.person_id,
        involvementId: c.involvement_id,
        caseNumber: c.case_number,
        name: `${c.given_name} ${c.family_name}`,
        teamName: c.team_name,
        statuses: c.statuses,
        protected: c.statuses.includes('child_protection_plan') || c.statuses.includes('child_in_care'),
        since,
        daysWaiting: Math.max(0, Math.floor((now - since.getTime()) / 86_400_000)),
        teamLeaderManaged: managed.has(c.involvement_id),
        age: ageOn(c.date_of_birth, today),
      };
    })
    .sort((a, b) => b.daysWaiting - a.daysWaiting);
}

export async function overview(ctx: Ctx, user: AuthUser) {
  const teams = scopeTeams(user);
  const [live, done, escalations, suspensions] = await Promise.all([
    repo.transfersOfTeams(ctx.db, user.authorityId, teams, true),
    repo.transfersOfTeams(ctx.db, user.authorityId, teams, false),
    repo.openEscalationsOwnedBy(ctx.db, user.id),
    repo.activeSuspensions(ctx.db, user.authorityId, ctx.today()),
  ]);
  const mine = new Set(teams);
  // A transfer from another authority opens on the incoming page; once completed, on this authority's record.
  const withHref = <T extends { id: string; person_id: string; authority_id: string; to_person_id: string | null }>(
    x: T,
  ) => ({
    ...x,
    href:
      x.authority_id === user.authorityId
        ? `/people/${x.person_id}/transfers/${x.id}`
        : x.to_person_id
          ? `/people/${x.to_person_id}`
          : `/transfers/incoming/${x.id}`,
  });
  return {
    incoming: live.filter((x) => x.to_team_id && mine.has(x.to_team_id)).map(withHref),
    outgoing: live.filter((x) => mine.has(x.from_team_id)).map(withHref),
    finished: done.slice(0, 50).map(withHref),
    escalations,
    suspensions,
  };
}

/** Suspensions in force today for these teams; `db`: a transaction, to see a decision it has just made. */
export async function activeSuspensions(
  ctx: BaseCtx,
  authorityId: string,
  teamIds: readonly string[],
  db: Executor = ctx.db,
) {
  const all = await repo.activeSuspensions(db, authorityId, ctx.today());
  return all
    .filter((s) => s.team_id === null || teamIds.includes(s.team_id))
    .map((s) => ({ ...s, partLabel: SUSPENDABLE_PARTS[s.part as SuspendablePart] ?? s.part }));
}

export async function timeliness(ctx: Ctx, user: AuthUser) {
  const rows = await repo.completedTimings(ctx.db, user.authorityId);
  const days = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 86_400_000;
  const byTeam = new Map<string, { team: string; toAccept: number[]; toAllocate: number[]; total: number[] }>();
  for (const r of rows) {
    const t = byTeam.get(r.team_id) ?? { team: r.team_name, toAccept: [], toAllocate: [], total: [] };
    if (r.accepted_at) t.toAccept.push(days(r.requested_at, r.accepted_at));
    if (r.accepted_at && r.completed_at) {
      t.toAllocate.push(days(r.accepted_at, r.completed_at));
      t.total.push(days(r.requested_at, r.completed_at));
    }
    byTeam.set(r.team_id, t);
  }
  const fmt = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return [...byTeam.values()]
    .sort((a, b) => a.team.localeCompare(b.team))
    .map((t) => ({
      team: t.team,
      count: t.toAccept.length,
      acceptMedian: fmt(quantile(t.toAccept, 0.5)),
      acceptP90: fmt(quantile(t.toAccept, 0.9)),
      allocateMedian: fmt(quantile(t.toAllocate, 0.5)),
      allocateP90: fmt(quantile(t.toAllocate, 0.9)),
      totalMedian: fmt(quantile(t.total, 0.5)),
      totalP90: fmt(quantile(t.total, 0.9)),
    }));
}
