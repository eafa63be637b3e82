// The rules a team must meet that only the database can check (a unique name; a service, locality and hub of this
// council), for the organisations service's create and change of a team.
import type { Tx } from '../../db/database.ts';
import { type FieldErrors, ValidationError } from '../../http/forms.ts';
import type { Reading } from '../../http/schema-input.ts';
import type { AuthUser } from '../../http/types.ts';
import * as repo from './repository.ts';
import type { TeamInput } from './schemas.ts';

export const TEAM_NAME_TAKEN: FieldErrors = { name: 'A team with this name already exists: choose a different name' };

export function throwIfAny(errors: FieldErrors) {
  if (Object.keys(errors).length) throw new ValidationError(errors);
}

/**
 * The rules a team must meet beyond its own fields: a unique name, and a service, locality and hub of
 * this council. Adds to the field errors already found, so the user sees every problem at once.
 */
export async function checkTeam(
  tx: Tx,
  actor: AuthUser,
  team: Reading<TeamInput>,
  exceptId?: string,
): Promise<TeamInput> {
  const { input } = team;
  const errors: FieldErrors = { ...team.errors };
  if (!errors.name && (await repo.nameTaken(tx, 'teams', actor.authorityId, input.name, exceptId)))
    Object.assign(errors, TEAM_NAME_TAKEN);
  if (!errors.service_id && !(await repo.findService(tx, actor.authorityId, input.service_id)))
    errors.service_id = 'Choose the service the team belongs to';
  const locality =
    input.locality_id && !errors.locality_id ? await repo.findLocality(tx, actor.authorityId, input.locality_id) : null;
  if (input.locality_id && !locality) errors.locality_id ??= 'Choose a locality from the list';
  const hub = input.hub_id && !errors.hub_id ? await repo.findHub(tx, actor.authorityId, input.hub_id) : null;
  if (input.hub_id && !hub) errors.hub_id ??= 'Choose a SEND hub from the list';
  if (hub && locality && hub.locality_id !== locality.id) {
    const hubLocality = await repo.findLocality(tx, actor.authorityId, hub.locality_id);
    errors.hub_id = `${hub.name} is in ${hubLocality?.name ?? 'another locality'}, not ${locality.name}: choose a hub in ${locality.name}, or change the locality`;
  }
  throwIfAny(errors);
  // A hub sits in one locality, so a hub team is in that locality too.
  return { ...input, locality_id: input.locality_id ?? hub?.locality_id ?? null };
}
