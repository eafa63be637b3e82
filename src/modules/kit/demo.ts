// What a module's demo data is given by the demo orchestrator (src/modules/demo/seed.ts): the organisation it seeds
// into. Declared here so a module's demo.ts never imports the orchestrator (no import circles). Fake names, NHS
// numbers and dates for demo data are in fake.ts beside it.
import type { Executor } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';
import { insertEvent } from '../people/repository.ts';

export interface DemoUser {
  role: Role;
  email: string;
  name: string;
  id: string;
}

export interface DemoOrganisation {
  authorityId: string;
  localityIds: string[];
  teams: Record<string, string>;
  users: DemoUser[];
}

/** The first line of a demo record's timeline. */
export function demoRecordCreated(db: Executor, authorityId: string, personId: string) {
  return insertEvent(db, {
    authority_id: authorityId,
    person_id: personId,
    kind: 'record',
    title: 'Record created (demo data)',
    actor_id: null,
  });
}
