// Reading plans (issue 20 part 6): the plan page (status, versions, the current text, what is waiting and its
// clock), one version (the printable page, the PDF, the API), and the SEND manager's caseload. Every read of a
// young person's plan writes its access-log row in the same transaction (quality.md S6).
import { PLAN_SECTIONS, SEN_SETTINGS, SEN_TYPES } from '../../domain/ehc-plan.ts';
import { NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { logPlanRead, openPlan, type PlanDeps } from './context.ts';
import * as repo from './repository.ts';
import { type CaseloadFilter, MADE_BY, RESPONSES } from './schemas.ts';

export const PAGE_SIZE = 25;

const WAITING: Record<string, string> = {
  gather_advice: 'Serve the draft plan (16 weeks from the request, reg 10(1))',
  representations: 'Representations on the draft: at least 15 days beginning with the day served (reg 13(1))',
  issue_final_plan: 'Issue the final plan (20 weeks from the request, reg 13(2))',
};

/** Where the plan's assessment is on its statutory route (the engine's open step and its due date). */
async function assessmentStep(db: Parameters<typeof repo.findPlan>[0], assessmentId: string | null) {
  if (!assessmentId) return null;
  const r = await db
    .selectFrom('ehcp_assessments as a')
    .innerJoin('protocol_instances as i', 'i.id', 'a.protocol_instance_id')
    .leftJoin('protocol_steps as s', 's.id', 'i.current_step_id')
    .where('a.id', '=', assessmentId)
    .select(['a.request_date', 'i.status', 's.step_key', 's.due_date', 's.due_rule'])
    .executeTakeFirst();
  if (r?.status !== 'open' || !r.step_key) return null;
  return { key: r.step_key, label: WAITING[r.step_key] ?? r.step_key, due: r.due_date, rule: r.due_rule };
}

const needLabel = (code: string) => SEN_TYPES.find((t) => t.code === code)?.label ?? code;
const settingLabel = (code: string | null) =>
  code ? (SEN_SETTINGS.find((t) => t.code === code)?.label ?? code) : null;

/** A version as pages and the API show it: its sections in order, section I's placement, the needs ranked. */
export function shapeVersion(v: repo.VersionRow | NonNullable<Awaited<ReturnType<typeof repo.findVersion>>>) {
  return {
    id: v.id,
    number: v.number,
    kind: v.kind,
    state: v.state,
    issued_date: v.issued_date,
    version: v.version,
    setting_name: v.setting_name,
    setting_urn: v.setting_urn,
    sen_setting: v.sen_setting,
    sen_setting_label: settingLabel(v.sen_setting),
    sen_needs: v.sen_needs,
    sen_need_labels: v.sen_needs.map(needLabel),
    sections: PLAN_SECTIONS.map((s) => ({ ...s, text: v.sections[s.key] ?? '' })),
    /** The words printed across a copy: DRAFT or FINAL, and PROPOSED AMENDMENTS. */
    watermark: v.kind === 'final' ? 'FINAL' : v.kind === 'draft' ? 'DRAFT' : 'PROPOSED AMENDMENTS',
  };
}
export type ShapedVersion = ReturnType<typeof shapeVersion>;

/** Everything on the plan page (or the API's GET), with its access-log row. */
export async function planPage(d: PlanDeps, user: AuthUser, planId: string, channel: 'page' | 'api') {
  return d.db.transaction().execute(async (tx) => {
    const { plan, access } = await openPlan(d, tx, user, planId);
    await logPlanRead(tx, user, access, channel, 'ehc-plan');
    const [versions, representations, consultations, waiting] = await Promise.all([
      repo.versionsOf(tx, plan.id),
      repo.representationsOf(tx, plan.id),
      repo.consultationsOf(tx, plan.id),
      assessmentStep(tx, plan.assessment_id),
    ]);
    const today = d.today();
    const current = versions.find((v) => v.state === 'editing') ?? versions.find((v) => v.state === 'issued') ?? null;
    const served = versions.find((v) => v.kind === 'draft' && v.state === 'issued') ?? null;
    return {
      plan,
      today,
      versions: versions.map(shapeVersion),
      current: current ? shapeVersion(current) : null,
      editing: versions.find((v) => v.state === 'editing') ?? null,
      served,
      waiting: waiting ? { ...waiting, overdue: waiting.due !== null && waiting.due < today } : null,
      representations: representations.map((r) => ({ ...r, madeByLabel: MADE_BY[r.made_by] })),
      consultations: consultations.map((c) => ({
        ...c,
        responseLabel: c.response ? RESPONSES[c.response] : null,
        waiting: !c.response && c.instance_status === 'open',
        overdue: !c.response && c.instance_status === 'open' && c.due_date !== null && c.due_date < today,
      })),
    };
  });
}
export type PlanPage = Awaited<ReturnType<typeof planPage>>;

/** One version, for its edit page, the printable page, the PDF or the API; its read logged. */
export async function versionView(
  d: PlanDeps,
  user: AuthUser,
  planId: string,
  versionId: string,
  channel: 'page' | 'api' | 'print' | 'export',
) {
  return d.db.transaction().execute(async (tx) => {
    const { plan, access } = await openPlan(d, tx, user, planId);
    const v = await repo.findVersion(tx, plan.id, versionId);
    if (!v) throw new NotFound('No version of this plan with that reference.');
    await logPlanRead(tx, user, access, channel, 'ehc-plan-version');
    return { plan, version: shapeVersion(v) };
  });
}

/** The plans on the record page (which logs its own read). */
export function forPerson(d: PlanDeps, authorityId: string, personId: string) {
  return repo.planOfPerson(d.db, authorityId, personId);
}

/** The caseload: a SEND manager sees the council's plans, a coordinator theirs, their team's and their reports'. */
export async function caseload(d: PlanDeps, user: AuthUser, filter: CaseloadFilter, page: number) {
  const today = d.today();
  const { total, rows } = await repo.caseload(
    d.db,
    { id: user.id, authorityId: user.authorityId, teamIds: user.teamIds, wholeCouncil: user.caps.has('ehcp:report') },
    { filter, today, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
  );
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    today,
    rows: rows.map((r) => ({
      ...r,
      reviewOverdue:
        r.status === 'final' &&
        ((r.review_due_date !== null && r.review_due_date < today) || Boolean(r.review_step_overdue)),
      amendmentWaiting: Boolean(r.amendment_waiting),
    })),
  };
}
