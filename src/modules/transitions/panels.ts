// The three panels of the Devon 16-17 transitions protocol (16-17 forum, Transitions Governance Group, SEND board):
// setting them up, the list, a panel's page and its members. Meetings and agendas are in meetings.ts.
import { sql } from 'kysely';
import type { Db, Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { type Ctx, checkStaff } from './context.ts';
import * as repo from './repository.ts';
import type { MemberInput } from './schemas.ts';

export const PANEL_NAMES = {
  forum: '16-17 Transitions Forum',
  governance: 'Transitions Governance Group',
  send_board: 'SEND Board',
} as const;
export type PanelKind = keyof typeof PANEL_NAMES;
/** The kinds this module runs. The panels table also holds other modules' panels (the exploitation meetings), which
 *  their own module guards: this module's pages and capability (panel:manage) must never reach them. */
export const PANEL_KINDS = Object.keys(PANEL_NAMES) as PanelKind[];

/** The three panels of the protocol, created the first time they are needed. */
export async function ensurePanels(tx: Tx | Db, authorityId: string): Promise<Record<PanelKind, string>> {
  await tx
    .insertInto('panels')
    .values(
      (Object.keys(PANEL_NAMES) as PanelKind[]).map((kind) => ({
        authority_id: authorityId,
        kind,
        name: PANEL_NAMES[kind],
        pseudonymised: kind !== 'forum',
      })),
    )
    .onConflict((oc) => oc.columns(['authority_id', 'kind']).doNothing())
    .execute();
  const rows = await tx
    .selectFrom('panels')
    .where('authority_id', '=', authorityId)
    .where('kind', 'in', PANEL_KINDS)
    .select(['id', 'kind'])
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, r.id])) as Record<PanelKind, string>;
}

/** The next planned meeting of a panel, on or after today. */
export async function nextMeeting(ctx: Ctx, tx: Tx, panelId: string) {
  return tx
    .selectFrom('panel_meetings')
    .where('panel_id', '=', panelId)
    .where('status', '=', 'planned')
    .where('meeting_date', '>=', ctx.today())
    .orderBy('meeting_date')
    .select('id')
    .executeTakeFirst();
}

/** Sets up the three panels for the council (they are also created the first time a case reaches one). */
export async function setUpPanels(ctx: Ctx, user: AuthUser): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await ensurePanels(tx, user.authorityId);
    await insertAudit(tx, { authorityId: user.authorityId, actorId: user.id, action: 'set-up', entity: 'panels' });
  });
}

export async function panels(ctx: Ctx, user: AuthUser) {
  return ctx.db
    .selectFrom('panels as p')
    .where('p.authority_id', '=', user.authorityId)
    .where('p.kind', 'in', PANEL_KINDS)
    .orderBy(sql`array_position(ARRAY['forum','governance','send_board'], p.kind)`)
    .select((eb) => [
      'p.id',
      'p.name',
      'p.kind',
      'p.pseudonymised',
      eb
        .exists(
          eb
            .selectFrom('panel_members as m')
            .whereRef('m.panel_id', '=', 'p.id')
            .where('m.user_id', '=', user.id)
            .select('m.user_id'),
        )
        .as('member'),
      eb
        .selectFrom('panel_items as i')
        .whereRef('i.panel_id', '=', 'p.id')
        .where('i.status', '=', 'open')
        .select((x) => x.fn.countAll<number>().as('n'))
        .as('open_items'),
      eb
        .selectFrom('panel_meetings as m')
        .whereRef('m.panel_id', '=', 'p.id')
        .where('m.status', '=', 'planned')
        .where('m.meeting_date', '>=', ctx.today())
        .orderBy('m.meeting_date')
        .limit(1)
        .select('m.meeting_date')
        .as('next_meeting'),
    ])
    .execute();
}

/** Members, chairs (panel:manage) and the people who refer (service managers and leads) may see a panel. */
export async function mayView(ctx: Ctx, user: AuthUser, panelId: string) {
  return user.caps.has('panel:manage') || (await repo.isPanelMember(ctx.db, panelId, user.id));
}

export async function panelRow(ctx: Ctx, user: AuthUser, panelId: string) {
  const p = await ctx.db
    .selectFrom('panels')
    .where('id', '=', panelId)
    .where('authority_id', '=', user.authorityId)
    .where('kind', 'in', PANEL_KINDS)
    .selectAll()
    .executeTakeFirst();
  if (!p) throw new NotFound('No panel with that reference.');
  return p;
}

export async function panel(ctx: Ctx, user: AuthUser, panelId: string) {
  const p = await panelRow(ctx, user, panelId);
  if (!(await mayView(ctx, user, p.id))) throw new Forbidden('Only the panel’s members can see it.');
  const [members, meetings, awaiting] = await Promise.all([
    repo.membersOf(ctx.db, p.id),
    ctx.db
      .selectFrom('panel_meetings as m')
      .where('m.panel_id', '=', p.id)
      .orderBy('m.meeting_date', 'desc')
      .select((eb) => [
        'm.id',
        'm.meeting_date',
        'm.status',
        eb
          .selectFrom('panel_items as i')
          .whereRef('i.meeting_id', '=', 'm.id')
          .select((x) => x.fn.countAll<number>().as('n'))
          .as('items'),
      ])
      .execute(),
    ctx.db
      .selectFrom('panel_items')
      .where('panel_id', '=', p.id)
      .where('meeting_id', 'is', null)
      .where('status', '=', 'open')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const staff = user.caps.has('panel:manage')
    ? await ctx.db
        .selectFrom('users')
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .orderBy('display_name')
        .select(['id', 'display_name', 'job_title'])
        .execute()
    : [];
  return {
    panel: p,
    members,
    meetings,
    awaiting: Number(awaiting.n),
    staff,
    canManage: user.caps.has('panel:manage'),
  };
}

export async function addMember(ctx: Ctx, user: AuthUser, panelId: string, input: MemberInput) {
  await ctx.db.transaction().execute(async (tx) => {
    const p = await panelRow(ctx, user, panelId);
    await checkStaff(tx, user.authorityId, input.user_id, 'user_id');
    await tx
      .insertInto('panel_members')
      .values({ panel_id: p.id, ...input })
      .onConflict((oc) => oc.columns(['panel_id', 'user_id']).doUpdateSet({ area: input.area, chair: input.chair }))
      .execute();
    await insertAudit(tx, {
      authorityId: user.authorityId,
      actorId: user.id,
      action: 'add-member',
      entity: 'panel',
      entityId: p.id,
      detail: { user_id: input.user_id, area: input.area, chair: input.chair },
    });
  });
}
