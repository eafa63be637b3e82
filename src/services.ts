// Composition by hand, in one place: the database handle, then the services built on it.
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { HomeService } from './modules/home/service.ts';
import { NotificationsService } from './modules/notifications/service.ts';
import { OrganisationService } from './modules/organisations/service.ts';
import { PeopleService } from './modules/people/service.ts';
import type { ProtocolRegistry } from './modules/protocols/registry.ts';
import { ProtocolService } from './modules/protocols/service.ts';

export interface Services {
  people: PeopleService;
  home: HomeService;
  notifications: NotificationsService;
  organisations: OrganisationService;
  protocols: ProtocolService;
  health(): Promise<void>;
}

export function createServices(db: Db, config: Config, now: () => Date, registry: ProtocolRegistry): Services {
  return {
    people: new PeopleService(db, config, now),
    home: new HomeService(db, now),
    notifications: new NotificationsService(db, now),
    organisations: new OrganisationService(db, now),
    protocols: new ProtocolService(db, config, now, registry),
    health: async () => {
      await sql`SELECT 1`.execute(db);
    },
  };
}
