// Transfers between teams under the Kent protocol: requested and decided by the team manager, the transfer
// standards completed by the originating team, accepted or returned by the receiving team, and completed only
// when the receiving worker is allocated, so a child is never left without a worker. The lifecycle is the
// kent-team-transfer protocol and a capacity block the kent-capacity-escalation one, both driven in flow.ts.
// This class is the surface the rest of the app uses; the work is in the files it delegates to.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { moduleContext } from '../kit/context.ts';
import type { ProtocolService } from '../protocols/service.ts';
import * as across from './across.ts';
import * as capacity from './capacity.ts';
import * as checklist from './checklist.ts';
import type { AcrossListener, Ctx } from './context.ts';
import * as contingency from './contingency.ts';
import { driveTransfers } from './flow.ts';
import * as lifecycle from './lifecycle.ts';
import * as notices from './notices.ts';
import * as lists from './overview.ts';
import * as pack from './pack.ts';
import { TransferPointService } from './points.ts';
import * as receiving from './receiving.ts';
import type {
  Allocate,
  Assessment,
  Escalate,
  Meeting,
  Quality,
  Return,
  Share,
  Summary,
  Suspension,
  SuspensionDecision,
  TransferRequest,
} from './schemas.ts';

export { ACROSS_BASIS } from './across.ts';
export { TransferNotReady } from './lifecycle.ts';
export { REMIT_HORIZON_DAYS } from './overview.ts';

type Channel = 'page' | 'api';
/** The version of the transfer the user read (pages and the API send it): a stale one is refused (409). */
type Version = number | null;

export class TransferService {
  /** The council's transfer points (set up by its administrator; read by the proposals below). */
  readonly points: TransferPointService;
  private readonly ctx: Ctx;

  constructor(db: Db, config: Config, now: () => Date, protocols: ProtocolService) {
    // The transfer and its capacity escalations are protocols this module drives (flow.ts).
    this.ctx = driveTransfers(moduleContext({ db, config, now, protocols }));
    this.points = new TransferPointService(db);
  }

  today() {
    return this.ctx.today();
  }

  /** Runs `listener` inside the transaction that completes each transfer to another council (across-copy.ts). */
  onCompletedAcross(listener: AcrossListener): void {
    this.ctx.acrossCompleted.push(listener);
  }

  // ---- remits, proposals, lists and timeliness (overview.ts) ----------------------------------------------

  remitList(user: AuthUser) {
    return lists.remitList(this.ctx, user);
  }

  unallocated(user: AuthUser) {
    return lists.unallocated(this.ctx, user);
  }

  overview(user: AuthUser) {
    return lists.overview(this.ctx, user);
  }

  activeSuspensions(authorityId: string, teamIds: readonly string[]) {
    return lists.activeSuspensions(this.ctx, authorityId, teamIds);
  }

  timeliness(user: AuthUser) {
    return lists.timeliness(this.ctx, user);
  }

  // ---- the core lifecycle (lifecycle.ts, receiving.ts) ----------------------------------------------------
  // Each step takes the typed input of schemas.ts and, optionally, the version the user read (409 if stale).

  requestForm(user: AuthUser, access: PersonAccess, involvementId: string | null) {
    return lifecycle.requestForm(this.ctx, user, access, involvementId);
  }

  request(user: AuthUser, personId: string, input: TransferRequest): Promise<string> {
    return lifecycle.request(this.ctx, user, personId, input);
  }

  view(user: AuthUser, access: PersonAccess, transferId: string, channel: Channel = 'page') {
    return lifecycle.view(this.ctx, user, access, transferId, channel);
  }

  send(user: AuthUser, personId: string, transferId: string, version?: Version) {
    return lifecycle.send(this.ctx, user, { personId, transferId, version });
  }

  cancel(user: AuthUser, personId: string, transferId: string, version?: Version) {
    return lifecycle.cancel(this.ctx, user, { personId, transferId, version });
  }

  accept(user: AuthUser, personId: string, transferId: string, version?: Version) {
    return receiving.accept(this.ctx, user, { personId, transferId, version });
  }

  returnTransfer(user: AuthUser, personId: string, transferId: string, input: Return, version?: Version) {
    return receiving.returnTransfer(this.ctx, user, { personId, transferId, version }, input);
  }

  completeTask(user: AuthUser, personId: string, taskId: string) {
    return receiving.completeTask(this.ctx, user, personId, taskId);
  }

  allocate(user: AuthUser, personId: string, transferId: string, input: Allocate, version?: Version) {
    return receiving.allocate(this.ctx, user, { personId, transferId, version }, input);
  }

  // ---- the checklist and notices (checklist.ts, notices.ts) -----------------------------------------------

  recordAssessment(user: AuthUser, personId: string, input: Assessment) {
    return checklist.recordAssessment(this.ctx, user, personId, input);
  }

  writeSummary(user: AuthUser, personId: string, transferId: string, input: Summary, version?: Version) {
    return checklist.writeSummary(this.ctx, user, { personId, transferId, version }, input);
  }

  signOff(user: AuthUser, personId: string, transferId: string, version?: Version) {
    return checklist.signOff(this.ctx, user, { personId, transferId, version });
  }

  qualityAssure(user: AuthUser, personId: string, transferId: string, input: Quality, version?: Version) {
    return checklist.qualityAssure(this.ctx, user, { personId, transferId, version }, input);
  }

  recordMeeting(user: AuthUser, personId: string, transferId: string, input: Meeting, version?: Version) {
    return checklist.recordMeeting(this.ctx, user, { personId, transferId, version }, input);
  }

  sendNotices(user: AuthUser, personId: string, transferId: string, version?: Version) {
    return notices.sendNotices(this.ctx, user, { personId, transferId, version });
  }

  // ---- capacity blocks (capacity.ts) ----------------------------------------------------------------------

  escalateCapacity(user: AuthUser, personId: string, transferId: string, input: Escalate, version?: Version) {
    return capacity.escalateCapacity(this.ctx, user, { personId, transferId, version }, input);
  }

  teamLeaderManages(user: AuthUser, personId: string, involvementId: string) {
    return capacity.teamLeaderManages(this.ctx, user, personId, involvementId);
  }

  // ---- across authority boundaries (across.ts) ------------------------------------------------------------

  incoming(user: AuthUser, transferId: string, channel: Channel = 'page') {
    return across.incoming(this.ctx, user, transferId, channel);
  }

  actOnIncoming(user: AuthUser, transferId: string, act: (personId: string) => Promise<unknown>) {
    return across.actOnIncoming(this.ctx, user, transferId, act);
  }

  // ---- the transfer pack (pack.ts) ------------------------------------------------------------------------

  pack(user: AuthUser, access: PersonAccess, transferId: string) {
    return pack.readPack(this.ctx, user, access, transferId);
  }

  sharePack(user: AuthUser, access: PersonAccess, transferId: string, input: Share) {
    return pack.sharePack(this.ctx, user, access, transferId, input);
  }

  document(user: AuthUser, access: PersonAccess, documentId: string) {
    return pack.readDocument(this.ctx, user, access, documentId);
  }

  // ---- contingency planning (contingency.ts) --------------------------------------------------------------

  suspensions(user: AuthUser) {
    return contingency.suspensions(this.ctx, user);
  }

  requestSuspension(user: AuthUser, input: Suspension) {
    return contingency.requestSuspension(this.ctx, user, input);
  }

  decideSuspension(user: AuthUser, id: string, input: SuspensionDecision) {
    return contingency.decideSuspension(this.ctx, user, id, input);
  }
}
