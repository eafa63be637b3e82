// Who may act on an open step: its owner, anyone in its queue, and the owner's managers (line manager, team
// managers of the queue's team or of the owner's team). Managers, and service managers, may also reassign.
import type { Db } from '../../db/database.ts';
import type { AuthUser } from '../../http/types.ts';
import { isLineManagerOf, sharesTeam, userService } from './step-repository.ts';

export interface StepOwnership {
  owner_user_id: string | null;
  owner_team_id: string | null;
  owner_role: string | null;
  owner_service_id: string | null;
}

export async function mayAct(db: Db, user: AuthUser, s: StepOwnership, what: 'decide' | 'reassign'): Promise<boolean> {
  const managesOwner = s.owner_user_id ? await isLineManagerOf(db, user.id, s.owner_user_id) : false;
  const managesTeam =
    user.roles.includes('team_manager') &&
    ((s.owner_team_id && user.teamIds.includes(s.owner_team_id)) ||
      (s.owner_user_id && (await sharesTeam(db, user.teamIds, s.owner_user_id))));
  if (what === 'reassign') return managesOwner || Boolean(managesTeam) || user.roles.includes('service_manager');
  if (s.owner_user_id === user.id || managesOwner || managesTeam) return true;
  if (s.owner_user_id) return false;
  const inTeam = !s.owner_team_id || user.teamIds.includes(s.owner_team_id);
  const hasRole = !s.owner_role || user.roles.includes(s.owner_role);
  const inService = !s.owner_service_id || (await userService(db, user.id)) === s.owner_service_id;
  return inTeam && hasRole && inService && Boolean(s.owner_team_id || s.owner_role || s.owner_service_id);
}
