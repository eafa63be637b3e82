// The council administrator's side of provisioning (/admin/provisioning): the secrets its directory calls with
// (made and shown once, only the hash kept; revoked at once), and which department goes to which team. Each change
// audited, one transaction each.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import { sha256 } from '../auth/service.ts';
import * as orgRepo from '../organisations/repository.ts';
import * as repo from './repository.ts';
import type { MappingInput, SecretInput } from './schemas.ts';

export class ProvisioningAdmin {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async overview(user: AuthUser) {
    const [secrets, mappings, teams, candidates] = await Promise.all([
      repo.listSecrets(this.db, user.authorityId),
      repo.listMappings(this.db, user.authorityId),
      orgRepo.listTeams(this.db, user.authorityId),
      repo.takeoverCandidates(this.db, user.authorityId),
    ]);
    return {
      secrets,
      mappings,
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      takeoverCount: candidates.length,
    };
  }

  /**
   * Lets the directory take over the council's existing staff accounts (F2 of the review), so that Entra's matching
   * by userName finds them and its first cycle links them by externalId. An administrator's decision, never the
   * secret's: administrators, settings' accounts, outside organisations' people, accounts already linked to single
   * sign-on or carrying a directory id are left out. Each account audited. How many were taken over.
   */
  async takeOverExistingStaff(user: AuthUser) {
    return this.db.transaction().execute(async (tx) => {
      const ids = await repo.takeoverCandidates(tx, user.authorityId);
      const at = this.now();
      for (const id of ids) {
        await repo.markManaged(tx, {
          user_id: id,
          authority_id: user.authorityId,
          reason: 'marked',
          marked_by: user.id,
          created_at: at,
        });
        await auditBy(tx, user, { action: 'directory_managed', entity: 'user', entityId: id, detail: { via: 'scim' } });
      }
      return ids.length;
    });
  }

  /** A new secret, returned this once (only its SHA-256 is stored: it is 256 random bits, so no slow hash is needed). */
  async createSecret(user: AuthUser, input: SecretInput): Promise<{ id: string; secret: string }> {
    const secret = `scim_${randomBytes(32).toString('base64url')}`;
    const id = await this.db.transaction().execute(async (tx) => {
      const secretId = await repo.insertSecret(tx, {
        authority_id: user.authorityId,
        label: input.label,
        secret_hash: sha256(secret),
        created_by: user.id,
        created_at: this.now(),
      });
      await auditBy(tx, user, {
        action: 'create',
        entity: 'scim_secret',
        entityId: secretId,
        detail: { label: input.label },
      });
      return secretId;
    });
    return { id, secret };
  }

  async revokeSecret(user: AuthUser, secretId: string) {
    await this.db.transaction().execute(async (tx) => {
      const found = await repo.findSecret(tx, user.authorityId, secretId);
      if (!found) throw new NotFound('No provisioning secret with that reference.');
      // Revoking twice is not an error: the secret is revoked either way (and audited once).
      if (await repo.revokeSecret(tx, user.authorityId, secretId, this.now()))
        await auditBy(tx, user, {
          action: 'revoke',
          entity: 'scim_secret',
          entityId: secretId,
          detail: { label: found.label },
        });
    });
  }

  async saveMapping(user: AuthUser, input: MappingInput) {
    await this.db.transaction().execute(async (tx) => {
      if (!(await orgRepo.findTeam(tx, user.authorityId, input.team_id)))
        throw new ValidationError({ team_id: 'Choose a team from the list' });
      await repo.saveMapping(tx, user.authorityId, input.department, input.team_id);
      await auditBy(tx, user, {
        action: 'map_department',
        entity: 'scim_department_team',
        detail: { department: input.department, team_id: input.team_id },
      });
    });
  }

  async deleteMapping(user: AuthUser, mappingId: string) {
    await this.db.transaction().execute(async (tx) => {
      const found = await repo.findMapping(tx, user.authorityId, mappingId);
      if (!found || !(await repo.deleteMapping(tx, user.authorityId, mappingId)))
        throw new NotFound('No department mapping with that reference.');
      await auditBy(tx, user, {
        action: 'unmap_department',
        entity: 'scim_department_team',
        entityId: mappingId,
        detail: { department: found.department, team_id: found.team_id },
      });
    });
  }
}
