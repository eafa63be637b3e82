import type { Db } from '../../db/database.ts';

export class OrganisationService {
  constructor(private readonly db: Db) {}

  async authorityOf(authorityId: string) {
    return this.db.selectFrom('authorities').where('id', '=', authorityId).selectAll().executeTakeFirst();
  }
}
