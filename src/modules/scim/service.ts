// Provisioning (issue 17 part 3): the council's directory creates, changes and closes staff accounts through SCIM,
// always inside the council its secret belongs to. A joiner gets no roles and no password (roles come from single
// sign-on's app roles or an administrator); a mover's department moves them between the mapped teams; a leaver's
// account is closed exactly as an administrator closes one (applyUserChange: sessions ended, tokens revoked at once)
// and their managers are told what work to move. Every change is audited with no actor and `{ via: 'scim' }`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { FieldErrors } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAudit } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import { applyUserChange, checkLineManager } from '../organisations/accounts.ts';
import { type AlertSettings, recordAccessChange } from '../organisations/grants.ts';
import * as orgRepo from '../organisations/repository.ts';
import type { UserChangeInput } from '../organisations/schemas.ts';
import { tellAboutLeaver } from './leavers.ts';
import { alertReactivated } from './reactivation.ts';
import * as repo from './repository.ts';
import { displayNameOf, SCIM_TYPE, ScimError, type UserFields, userNameOf } from './resource.ts';

export const VIA = { via: 'scim' } as const;

/**
 * Who "did" a provisioning change, for the rules and audit helpers shared with the administrator's pages: no member
 * of staff (the audit rows' actor is null), named as the directory in an access alert's words.
 */
function directoryActor(authorityId: string): AuthUser {
  return {
    id: null as unknown as string,
    authorityId,
    email: '',
    displayName: 'The council’s directory (provisioning)',
    roles: [],
    caps: new Set(),
    teamIds: [],
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** A unique index refused the write (two calls at once for the same address or directory id). */
function uniqueViolation(e: unknown) {
  return (e as { code?: string } | null)?.code === '23505';
}

export class ScimService {
  private readonly alerts: AlertSettings;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'baseUrl' | 'securityAlertRole'>,
    private readonly now: () => Date,
  ) {
    this.alerts = { securityAlertRole: config.securityAlertRole, baseUrl: config.baseUrl };
  }

  get baseUrl() {
    return this.config.baseUrl;
  }

  /**
   * The provisioning policy's check (registered in src/services.ts): a live secret's council, or 401 in SCIM's
   * format. The secret is never logged or echoed.
   */
  readonly rule = async (_db: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const found = m ? await repo.useSecret(this.db, sha256(m[1] as string), this.now()) : null;
    if (found) {
      request.provisioningAccess = { authorityId: found.authorityId, secretId: found.id };
      return;
    }
    const refusal = new ScimError(
      401,
      'Send the provisioning secret as "Authorization: Bearer <secret>": this one is unknown or revoked. An administrator makes a new one at /admin/provisioning.',
    );
    return reply.code(401).header('WWW-Authenticate', 'Bearer').type(SCIM_TYPE).send(refusal.body());
  };

  async find(authorityId: string, id: string) {
    const row = await repo.findScimUser(this.db, authorityId, id);
    if (!row)
      throw new ScimError(
        404,
        `No user with id ${id} in this council: look it up with GET /Users?filter=userName eq "…"`,
      );
    return row;
  }

  list(authorityId: string, filter: repo.UserFilter, page: { offset: number; limit: number }) {
    return repo.listScimUsers(this.db, authorityId, filter, page);
  }

  /** POST /Users: a joiner. */
  async create(authorityId: string, fields: UserFields) {
    const userName = userNameOf(fields.userName);
    const display = displayNameOf(fields);
    if (!display)
      throw new ScimError(
        400,
        'displayName is required: send displayName, or name.givenName and name.familyName',
        'invalidValue',
      );
    const at = this.now();
    return this.write(async (tx) => {
      if (await repo.emailHolder(tx, userName))
        throw new ScimError(
          409,
          `userName: an account with ${userName} already exists. If GET /Users?filter=userName eq "${userName}" does not find it, the directory does not manage it: an administrator lets the directory take over existing staff at /admin/provisioning`,
          'uniqueness',
        );
      await this.checkExternalId(tx, authorityId, null, fields.externalId);
      const actor = directoryActor(authorityId);
      await this.checkManager(tx, actor, null, fields.managerId);
      const id = await repo.insertProvisionedUser(tx, {
        authority_id: authorityId,
        email: userName,
        display_name: display,
        job_title: fields.title ?? null,
        external_id: fields.externalId ?? null,
        department: fields.department ?? null,
        line_manager_id: fields.managerId ?? null,
        active: fields.active ?? true,
        created_at: at,
      });
      await repo.markManaged(tx, {
        user_id: id,
        authority_id: authorityId,
        reason: 'created',
        marked_by: null,
        created_at: at,
      });
      const team = await repo.teamOfDepartment(tx, authorityId, fields.department ?? null);
      if (team) {
        await repo.addTeamMember(tx, team, id);
        const none = { roles: [], team_ids: [] };
        await recordAccessChange(
          tx,
          this.alerts,
          actor,
          { id, display_name: display },
          none,
          { roles: [], team_ids: [team] },
          at,
          VIA,
        );
      }
      await insertAudit(tx, {
        authorityId,
        actorId: null,
        action: 'create',
        entity: 'user',
        entityId: id,
        detail: { ...VIA, roles: [], team_ids: team ? [team] : [], line_manager_id: fields.managerId ?? null },
      });
      return id;
    });
  }

  /** PUT /Users/:id: the attributes Handover keeps, replaced (those not sent are cleared; active only if sent). */
  replace(authorityId: string, id: string, fields: UserFields) {
    userNameOf(fields.userName);
    // externalId not sent is kept: once set, only an administrator changes it (F2 of the review).
    const whole: UserFields = {
      title: null,
      department: null,
      managerId: null,
      ...fields,
    };
    return this.change(authorityId, id, whole);
  }

  /** PATCH and DELETE: the fields given, changed in one transaction (nothing is written on any refusal). */
  change(authorityId: string, id: string, fields: UserFields) {
    const at = this.now();
    return this.write(async (tx) => {
      const before = await orgRepo.findUser(tx, authorityId, id, { lock: true });
      const row = await repo.findScimUser(tx, authorityId, id);
      if (!before || !row) throw new ScimError(404, `No user with id ${id} in this council`);
      const actor = directoryActor(authorityId);
      const directory = await this.directoryChange(tx, authorityId, row, fields);
      const input: Mutable<UserChangeInput> = {};
      const display = displayNameOf(fields, row.display_name);
      if (display !== undefined && display !== row.display_name) input.display_name = display;
      if (fields.title !== undefined && fields.title !== row.job_title) input.job_title = fields.title;
      if (fields.managerId !== undefined && fields.managerId !== row.line_manager_id) {
        await this.checkManager(tx, actor, before, fields.managerId);
        input.line_manager_id = fields.managerId;
      }
      if (fields.active !== undefined && fields.active !== row.active) input.active = fields.active;
      if (input.active === true) await this.checkReactivation(tx, authorityId, id);
      const current = await repo.teamsOfUser(tx, id);
      if (directory.department !== undefined) {
        const teams = await this.movedTeams(tx, authorityId, current, row.department, directory.department);
        if (!sameSet(teams, current)) input.team_ids = teams;
      }
      // Entra repeats PATCHes that change nothing: those write nothing, not even an audit row.
      if (!Object.keys(directory).length && !Object.keys(input).length) return id;

      await repo.updateDirectoryFields(tx, authorityId, id, directory);
      const extra = { ...VIA, ...(Object.keys(directory).length ? { directory: Object.keys(directory) } : {}) };
      await applyUserChange(tx, { alerts: this.alerts, at }, actor, before, current, input, extra);
      if (input.active === true) await alertReactivated(tx, this.alerts, authorityId, before, at);
      if (input.active === false) {
        const managerId = input.line_manager_id !== undefined ? input.line_manager_id : before.line_manager_id;
        const leaver = { ...before, line_manager_id: managerId };
        const work = await tellAboutLeaver(tx, { authorityId, baseUrl: this.config.baseUrl, at, leaver });
        await insertAudit(tx, {
          authorityId,
          actorId: null,
          action: 'leaver_work_listed',
          entity: 'user',
          entityId: id,
          detail: { ...VIA, teams: work },
        });
      }
      return id;
    });
  }

  /** The directory's own fields that change (email, externalId, department), each checked for uniqueness. */
  private async directoryChange(tx: Tx, authorityId: string, row: NonNullable<repo.ScimRow>, fields: UserFields) {
    const directory: { email?: string; external_id?: string | null; department?: string | null } = {};
    if (fields.userName !== undefined && fields.userName !== row.email) {
      const holder = await repo.emailHolder(tx, fields.userName);
      if (holder && holder.id !== row.id)
        throw new ScimError(409, `userName: another account already signs in as ${fields.userName}`, 'uniqueness');
      directory.email = fields.userName;
    }
    if (fields.externalId !== undefined && fields.externalId !== row.external_id) {
      await this.checkExternalIdChange(tx, row);
      await this.checkExternalId(tx, authorityId, row.id, fields.externalId);
      directory.external_id = fields.externalId;
    }
    if (fields.department !== undefined && fields.department !== row.department)
      directory.department = fields.department;
    return directory;
  }

  /** Out of the old department's team (unless it is also the new one's) and into the new one's; others stay. */
  private async movedTeams(tx: Tx, authorityId: string, current: string[], from: string | null, to: string | null) {
    const oldTeam = await repo.teamOfDepartment(tx, authorityId, from);
    const newTeam = await repo.teamOfDepartment(tx, authorityId, to);
    const teams = current.filter((t) => t !== oldTeam || t === newTeam);
    if (newTeam && !teams.includes(newTeam)) teams.push(newTeam);
    return teams;
  }

  /**
   * The directory sets an account's externalId once (F2 of the review): never over another one, and never on an
   * account already linked to a single sign-on identity, since single sign-on matches a first sign-in by it.
   */
  private async checkExternalIdChange(tx: Tx, row: NonNullable<repo.ScimRow>) {
    if (row.external_id !== null)
      throw new ScimError(
        400,
        'externalId: this account already has a directory id, and the directory cannot change it. If the person’s directory account really changed, an administrator must relink them in Handover',
        'mutability',
      );
    if (await repo.hasIdentity(tx, row.id))
      throw new ScimError(
        400,
        'externalId: this account is already linked to a single sign-on identity, so the directory cannot set its directory id. An administrator must relink it in Handover',
        'mutability',
      );
  }

  /**
   * The directory reopens only an account it closed itself (F3 of the review): one a person closed (an
   * administrator, or an organisation's lead) stays closed until an administrator reopens it.
   */
  private async checkReactivation(tx: Tx, authorityId: string, id: string) {
    const by = await repo.lastDeactivation(tx, authorityId, id);
    // Never closed by anyone: only an account the directory created closed (active: false) is the directory's to open.
    const ok = by === 'scim' || (by === null && (await repo.managedReason(tx, id)) === 'created');
    if (!ok)
      throw new ScimError(
        400,
        'active: this account was deactivated by a person in Handover, not by the directory, so the directory cannot reactivate it. An administrator must reactivate it in Handover',
        'mutability',
      );
  }

  private async checkExternalId(tx: Tx, authorityId: string, id: string | null, externalId: string | null | undefined) {
    if (!externalId) return;
    const holder = await repo.externalIdHolder(tx, authorityId, externalId);
    if (holder && holder.id !== id)
      throw new ScimError(
        409,
        `externalId: another user of this council already has externalId ${externalId}`,
        'uniqueness',
      );
  }

  /** The line manager rules of the administrator's form (active, in this council, never a loop), in SCIM's words. */
  private async checkManager(
    tx: Tx,
    actor: AuthUser,
    user: { id: string; display_name: string; line_manager_id: string | null } | null,
    managerId: string | null | undefined,
  ) {
    const errors: FieldErrors = {};
    await checkLineManager(tx, actor, user, managerId ?? null, errors);
    const message = errors.line_manager_id;
    if (!message) return;
    throw new ScimError(
      400,
      message.startsWith('Choose a line manager from the list')
        ? 'manager: the value must be the SCIM id of an active user of this council (provision the manager first)'
        : `manager: ${message}`,
      'invalidValue',
    );
  }

  /** One transaction; a unique index's refusal (a race) is SCIM's uniqueness error. */
  private async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn);
    } catch (e) {
      if (uniqueViolation(e))
        throw new ScimError(409, 'userName or externalId: another account already has this value', 'uniqueness');
      throw e;
    }
  }
}
