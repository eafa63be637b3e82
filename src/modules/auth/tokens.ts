// API tokens over their life (issue 9, finding 9): each has a name, an expiry and a last-used time; the user sees
// theirs on /account (and an administrator on the user's Set up page) and can revoke them one at a time. Revoked
// or expired tokens get a 401 on the next request (AuthService.resolveToken). Tokens are made on the command line
// (`npx handover token create --user EMAIL [--name N] [--days D]`), printed once, and stored only as a hash.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { NotFound } from '../../http/errors.ts';
import { type FieldErrors, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { auditBy } from '../audit/repository.ts';
import * as repo from './repository.ts';

const NO_TOKEN = 'No API token with that reference: it may belong to someone else. Go back to the list and try again.';

/** A token's name and lifetime, checked: the name is required and short; days a whole number up to the maximum. */
export function readTokenRequest(
  raw: { name: unknown; days: unknown },
  config: Pick<Config, 'apiTokenDays' | 'apiTokenMaxDays'>,
): { name: string; days: number } {
  const errors: FieldErrors = {};
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name) errors.name = 'Enter a name for the token, saying what it is for, like "Nightly case export"';
  else if (name.length > 100) errors.name = 'The token name must be 100 characters or fewer';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  else if (/[\u0000-\u001f\u007f]/.test(name)) errors.name = 'The token name must be plain text on one line';
  let days = config.apiTokenDays;
  if (raw.days !== undefined && raw.days !== null && raw.days !== '') {
    const text = String(raw.days).trim();
    days = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
    if (!(days >= 1 && days <= config.apiTokenMaxDays))
      errors.days = `The number of days must be a whole number from 1 to ${config.apiTokenMaxDays} (API_TOKEN_MAX_DAYS)`;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { name, days };
}

export type TokenView = Awaited<ReturnType<TokenService['list']>>[number];

export class TokenService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** A user's tokens, newest first, each with its status at this moment. */
  async list(userId: string) {
    const at = this.now().getTime();
    const rows = await repo.listTokensOfUser(this.db, userId);
    return rows.map((t) => ({
      ...t,
      status: t.revoked_at
        ? ('revoked' as const)
        : t.expires_at.getTime() <= at
          ? ('expired' as const)
          : ('active' as const),
    }));
  }

  /**
   * Revokes one token of `ownerId`: the actor's own, or, for an administrator, a user's of their own council.
   * Audited; a token that is unknown, someone else's or already revoked is a 404 and nothing is written.
   */
  async revoke(actor: AuthUser, ownerId: string, tokenId: string): Promise<void> {
    if (!UUID.test(tokenId) || !UUID.test(ownerId)) throw new NotFound(NO_TOKEN);
    await this.db.transaction().execute(async (tx) => {
      const owner = await tx
        .selectFrom('users')
        .where('id', '=', ownerId)
        .where('authority_id', '=', actor.authorityId)
        .select('id')
        .executeTakeFirst();
      if (!owner || !(await repo.revokeToken(tx, ownerId, tokenId, this.now()))) throw new NotFound(NO_TOKEN);
      await auditBy(tx, actor, {
        action: 'revoke',
        entity: 'api_token',
        entityId: tokenId,
        detail: { user_id: ownerId },
      });
    });
  }
}
