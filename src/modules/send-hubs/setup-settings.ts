// SEND hubs (issue 13 part 1): the settings (early years, schools, special schools, FE) each hub serves, and their
// organisation accounts. A setting has a team inbox, its address for notices, so it keeps working when one person
// leaves. An account for a SENCO, head or other is made as an invitation: an account with the setting_user role and
// no password, and a one-time emailed link to set one (the council's existing /invite/:token page); or an existing
// setting account is added to the setting too; or an account is taken off it (it no longer sees the setting's
// requests; the user itself is kept, to deactivate in Users if the person has left). Every change is audited.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/database.ts';
import type { SettingKind } from '../../db/schema-send-hubs.ts';
import { NotFound } from '../../http/errors.ts';
import { type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { StaleVersion, versionMissing } from '../../http/versions.ts';
import { auditBy } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { HubCtx } from './flow.ts';
import * as repo from './repository-setup.ts';
import {
  SETTING_KINDS,
  SETTING_POSITIONS,
  type SetupAccountInput,
  type SetupLinkAccountInput,
  type SetupSettingInput,
  type SetupSettingUpdateInput,
} from './schemas-setup.ts';
import { throwIfAny, write } from './setup.ts';

/** How long the emailed set-password link works (as the EHCP advice givers' invitations). */
export const ACCOUNT_INVITE_HOURS = 72;

const NAME_TAKEN = { name: 'A setting with this name already exists: choose a different name' };

const settingView = (s: NonNullable<Awaited<ReturnType<typeof repo.findSetting>>>) => ({
  ...s,
  kind_label: SETTING_KINDS[s.kind as SettingKind] ?? s.kind,
  accounts_count: Number(s.accounts_count ?? 0),
});
export type SettingSetupView = ReturnType<typeof settingView>;

/** The council's settings, all or one hub's. */
export async function settingsList(ctx: HubCtx, actor: AuthUser, hubId: string | null) {
  return (await repo.listSettings(ctx.db, actor.authorityId, hubId)).map(settingView);
}

async function requireSetting(db: HubCtx['db'] | Tx, actor: AuthUser, id: string) {
  const s = await repo.findSetting(db, actor.authorityId, id);
  if (!s) throw new NotFound('No setting with that reference.');
  return s;
}

/** A setting with its accounts, and the setting accounts not yet on it (to add one). */
export async function settingSetup(ctx: HubCtx, actor: AuthUser, settingId: string) {
  const setting = settingView(await requireSetting(ctx.db, actor, settingId));
  const [accounts, linkable] = await Promise.all([
    repo.settingMembers(ctx.db, setting.id),
    repo.linkableAccounts(ctx.db, actor.authorityId, setting.id),
  ]);
  return {
    setting,
    accounts: accounts.map((a) => ({ ...a, position_label: SETTING_POSITIONS[a.position] ?? a.position })),
    linkable,
  };
}

async function checkSetting(tx: Tx, actor: AuthUser, input: SetupSettingInput, errors: FieldErrors, id?: string) {
  if (input.hub_id && !errors.hub_id && !(await repo.findHub(tx, actor.authorityId, input.hub_id)))
    errors.hub_id = 'Choose the SEND hub from the list';
  if (input.name && !errors.name && (await repo.settingNameTaken(tx, actor.authorityId, input.name, id)))
    Object.assign(errors, NAME_TAKEN);
  throwIfAny(errors);
}

export async function createSetting(
  ctx: HubCtx,
  actor: AuthUser,
  r: { input: SetupSettingInput; errors: FieldErrors },
): Promise<string> {
  return write(ctx.db, async (tx) => {
    await checkSetting(tx, actor, r.input, { ...r.errors });
    const id = await repo.insertSetting(tx, actor.authorityId, r.input);
    await auditBy(tx, actor, {
      action: 'create',
      entity: 'setting',
      entityId: id,
      detail: { hub_id: r.input.hub_id, kind: r.input.kind },
    });
    return id;
  });
}

/**
 * Saves a setting (version-checked: 409 when stale). A new hub takes the setting's new requests; the requests it
 * already made stay with the hub that has them.
 */
export async function updateSetting(
  ctx: HubCtx,
  actor: AuthUser,
  settingId: string,
  r: { input: SetupSettingUpdateInput; errors: FieldErrors },
): Promise<void> {
  const readAgain = `GET /api/v1/send/settings/${settingId}`;
  const { version, ...input } = r.input;
  const errors: FieldErrors = { ...r.errors };
  if (version == null && !errors.version) errors.version = versionMissing(readAgain);
  await write(ctx.db, async (tx) => {
    const before = await requireSetting(tx, actor, settingId);
    await checkSetting(tx, actor, input, errors, settingId);
    if (!(await repo.updateSetting(tx, actor.authorityId, settingId, input, version as number)))
      throw new StaleVersion('setting', version as number, readAgain);
    const changed = (Object.keys(input) as (keyof typeof input)[]).filter((k) => before[k] !== input[k]);
    await auditBy(tx, actor, { action: 'update', entity: 'setting', entityId: settingId, detail: { changed } });
  });
}

/**
 * A new account for the setting: a user with the setting_user role and no password, a member of the setting, and an
 * email with a one-time link to set their password (only its hash is stored). An address that already has an
 * account is refused, naming the fix (add the existing account instead).
 */
export async function addSettingAccount(
  ctx: HubCtx,
  actor: AuthUser,
  settingId: string,
  r: { input: SetupAccountInput; errors: FieldErrors },
): Promise<string> {
  return write(ctx.db, async (tx) => {
    const setting = await requireSetting(tx, actor, settingId);
    const errors: FieldErrors = { ...r.errors };
    if (r.input.email && !errors.email) {
      const existing = await repo.findUserByEmail(tx, r.input.email);
      if (existing)
        errors.email =
          existing.authority_id === actor.authorityId && existing.active && existing.roles.includes('setting_user')
            ? 'That email address already has a setting account: add it from the existing accounts instead'
            : 'That email address already has an account that cannot be a setting account: use another address';
    }
    throwIfAny(errors);
    const { display_name: name, email, position } = r.input;
    const userId = await repo.insertSettingAccountUser(tx, {
      authority_id: actor.authorityId,
      email,
      display_name: name,
      job_title: `${SETTING_POSITIONS[position]}, ${setting.name}`,
    });
    await repo.insertMember(tx, settingId, userId, position);
    const token = randomBytes(32).toString('base64url');
    await repo.insertInvite(tx, {
      authority_id: actor.authorityId,
      user_id: userId,
      token_hash: sha256(token),
      expires_at: new Date(ctx.now().getTime() + ACCOUNT_INVITE_HOURS * 3_600_000),
      created_by: actor.id,
    });
    await enqueueEmail(tx, {
      authorityId: actor.authorityId,
      reference: `invite-${userId.slice(0, 8)}`,
      to: [email],
      subject: 'Your Handover account for requests for SEND support',
      body: `Hello ${name},\n\nThe council has given you an account on Handover, to send requests for SEND support to your SEND Support Hub and follow their status.\n\nSet your password to sign in (this link works once, only for this email address, and expires in ${ACCOUNT_INVITE_HOURS} hours):\n${ctx.config.baseUrl}/invite/${token}\n\nThis email does not contain personal details. Do not reply to it.`,
      at: ctx.now(),
    });
    await auditBy(tx, actor, {
      action: 'invite',
      entity: 'user',
      entityId: userId,
      detail: { roles: ['setting_user'], setting_id: settingId, position },
    });
    await auditBy(tx, actor, {
      action: 'add-account',
      entity: 'setting',
      entityId: settingId,
      detail: { user_id: userId, position },
    });
    return userId;
  });
}

/** Adds an existing setting account (of this council, active) to the setting too. */
export async function linkSettingAccount(
  ctx: HubCtx,
  actor: AuthUser,
  settingId: string,
  input: SetupLinkAccountInput,
): Promise<void> {
  await write(ctx.db, async (tx) => {
    await requireSetting(tx, actor, settingId);
    if (!(await repo.findSettingAccount(tx, actor.authorityId, input.user_id)))
      throw new ValidationError({ user_id: 'Choose the account from the list of setting accounts' });
    if (await repo.isMember(tx, settingId, input.user_id))
      throw new ValidationError({ user_id: 'That account is already one of this setting’s accounts' });
    await repo.insertMember(tx, settingId, input.user_id, input.position);
    await auditBy(tx, actor, {
      action: 'add-account',
      entity: 'setting',
      entityId: settingId,
      detail: { user_id: input.user_id, position: input.position },
    });
  });
}

/** Takes an account off the setting: at once it no longer sees the setting's requests. */
export async function removeSettingAccount(ctx: HubCtx, actor: AuthUser, settingId: string, userId: string) {
  await write(ctx.db, async (tx) => {
    await requireSetting(tx, actor, settingId);
    if (!(await repo.deleteMember(tx, settingId, userId)))
      throw new NotFound('No account of this setting with that reference.');
    await auditBy(tx, actor, {
      action: 'remove-account',
      entity: 'setting',
      entityId: settingId,
      detail: { user_id: userId },
    });
  });
}

/** The kinds of setting and positions, for the forms. */
export const settingLists = {
  kinds: Object.entries(SETTING_KINDS).map(([value, text]) => ({ value, text })),
  positions: Object.entries(SETTING_POSITIONS).map(([value, text]) => ({ value, text })),
};
