// Composition by hand, in one place: the database handle, then the services built on it.
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { HomeService } from './modules/home/service.ts';
import { OrganisationService } from './modules/organisations/service.ts';
import { PeopleService } from './modules/people/service.ts';

export interface Services {
  people: PeopleService;
  home: HomeService;
  organisations: OrganisationService;
  health(): Promise<void>;
}

export function createServices(db: Db, config: Config, now: () => Date): Services {
  return {
    people: new PeopleService(db, config, now),
    home: new HomeService(db, now),
    organisations: new OrganisationService(db),
    health: async () => {
      await sql`SELECT 1`.execute(db);
    },
  };
}
