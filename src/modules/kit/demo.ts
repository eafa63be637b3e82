// What a module's demo data is given by the demo orchestrator (src/modules/demo/seed.ts): the organisation it seeds
// into. Declared here so a module's demo.ts never imports the orchestrator (no import circles). Fake names, NHS
// numbers and dates for demo data are in fake.ts beside it.
import type { Db, Executor } from '../../db/database.ts';
import type { Role } from '../../domain/roles.ts';
import type { AuthUser } from '../../http/types.ts';
import { authUserById } from '../auth/service.ts';
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
  /** The SEND hubs (issue 13), and the two demo settings with organisation accounts. */
  hubIds: string[];
  settings: Record<'northgate' | 'riverside', string>;
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

/** The demo's clock as a module's demo uses it (src/modules/demo/journeys.ts DemoClock): move to a past day, come back. */
export interface DemoDayClock {
  now(): Date;
  on(day: string): void;
  reset(): void;
}

/** A demo user of the council by the part of their email before the @ (e.g. `exploitation.lead`). */
export async function demoUserByEmail(db: Db, authorityId: string, local: string): Promise<AuthUser | null> {
  const u = await db
    .selectFrom('users')
    .where('authority_id', '=', authorityId)
    .where('email', 'like', `${local}@%`)
    .select('id')
    .executeTakeFirst();
  return u ? authUserById(db, u.id) : null;
}
