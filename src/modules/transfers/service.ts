// Transfers between teams under the Kent protocol: requested and decided by the team manager, the transfer
// standards completed by the originating team, accepted or returned by the receiving team, and completed only
// when the receiving worker is allocated, so a child is never left without a worker. Lifecycle: rules.ts.
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Tx } from '../../db/database.ts';
import { ageOn } from '../../domain/age.ts';
import { addDays, addWorkingDays, londonToday } from '../../domain/calendar.ts';
import { Conflict, Forbidden, NotFound } from '../../http/errors.ts';
import { type Body, dateInput, isRealDate, text, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser, PersonAccess } from '../../http/types.ts';
import { KENT_TRANSFER_ID } from '../../protocols/kent-team-transfer.ts';
import { insertAccess, insertAudit } from '../audit/repository.ts';
import { enqueueEmail, headersAreSafe, notifyUser } from '../notifications/outbox.ts';
import { identifierTaken, insertEvent, nextCaseNumber } from '../people/repository.ts';
import type { ProtocolService } from '../protocols/service.ts';
import type { Deadline } from '../timers/repository.ts';
import { cancelDeadlines, endOfLondonDay, scheduleDeadlines } from '../timers/repository.ts';
import { assertStaysAllocated } from './guard.ts';
import { TransferPointService } from './points.ts';
import * as repo from './repository.ts';
import {
  checklist,
  checklistComplete,
  LIVE,
  leavesRemitOn,
  outsideRemit,
  proposeTeam,
  quantile,
  SUSPENDABLE_PARTS,
  type SuspendablePart,
  type TransferEvent,
  type TransferStatus,
  transition,
} from './rules.ts';

export const ESCALATION_SUBJECT = 'capacity_escalation';
/** Cases leaving a team's age band within this many days are listed as about to be outside its remit. */
export const REMIT_HORIZON_DAYS = 90;
/** The service manager has this long to resolve a capacity block before it is chased (local choice). */
export const ESCALATION_WORKING_DAYS = 5;

type Loaded = NonNullable<Awaited<ReturnType<typeof repo.findTransfer>>>;

/** The lawful basis recorded when a case moves between authorities (a local statement; councils adjust it). */
export const ACROSS_BASIS =
  'Children Act 1989 s.17 and s.47 (and s.20 for a child in care); UK GDPR Article 6(1)(e) and Article 9(2)(g) with DPA 2018 Schedule 1 paragraph 18';

/** The checklist is not complete: the transfer cannot be sent (Kent protocol 5.1). */
export class TransferNotReady extends ValidationError {}

const MAX_TEXT = 5000;
const ref = (caseNumber: string) => `${caseNumber}/transfer`;

function longText(body: Body, field: string, label: string, errors: Record<string, string>, required = true) {
  const v = text(body, field);
  if (!v && required) errors[field] = `Enter ${label}`;
  else if (v.length > MAX_TEXT)
    errors[field] = `${label[0]?.toUpperCase()}${label.slice(1)} must be ${MAX_TEXT} characters or fewer`;
  return v;
}

export class TransferService {
  /** The council's transfer points (set up by its administrator; read by the proposals below). */
  readonly points: TransferPointService;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly now: () => Date,
    private readonly protocols: ProtocolService,
  ) {
    this.points = new TransferPointService(db);
    protocols.drivenBy(KENT_TRANSFER_ID, 'it follows the transfer, so act on the transfer page of this record.');
  }

  today() {
    return londonToday(this.now());
  }

  // ---- remits, proposals and lists ------------------------------------------------------------------------

  /** Teams whose caseloads the user answers for: their own teams. */
  private scopeTeams(user: AuthUser) {
    return user.teamIds;
  }

  async remitList(user: AuthUser) {
    const today = this.today();
    const [teams, points, cases] = await Promise.all([
      repo.remitsOf(this.db, user.authorityId),
      repo.pointsOf(this.db, user.authorityId),
      repo.openCases(this.db, user.authorityId, this.scopeTeams(user)),
    ]);
    const byId = new Map(teams.map((t) => [t.id, t]));
    const rows = [];
    for (const c of cases) {
      const team = byId.get(c.team_id);
      if (!team) continue;
      const facts = { dateOfBirth: c.date_of_birth, statuses: c.statuses, localityId: c.locality_id };
      const why = outsideRemit(team, facts, today);
      const leaves = why ? null : leavesRemitOn(team, facts, today, REMIT_HORIZON_DAYS);
      if (!why && !leaves) continue;
      const proposed = proposeTeam(teams, points, team.id, facts, leaves ?? today);
      rows.push({
        personId: c.person_id,
        involvementId: c.involvement_id,
        caseNumber: c.case_number,
        name: `${c.given_name} ${c.family_name}`,
        age: ageOn(c.date_of_birth, today),
        teamName: c.team_name,
        reason: why ?? `leaves the team's age band on ${leaves}`,
        leavesOn: leaves,
        proposedTeam: proposed?.name ?? null,
        liveTransferId: c.live_transfer_id,
      });
    }
    return { rows, teams, points, horizonDays: REMIT_HORIZON_DAYS };
  }

  /** Children waiting for a worker in the user's teams, longest wait first. */
  async unallocated(user: AuthUser) {
    const today = this.today();
    const now = this.now().getTime();
    const cases = await repo.openCases(this.db, user.authorityId, this.scopeTeams(user));
    const openTasks = await this.db
      .selectFrom('case_tasks')
      .where('authority_id', '=', user.authorityId)
      .where('done_at', 'is', null)
      .where('kind', 'in', ['visit', 'review', 'oversight'])
      .select(['involvement_id'])
      .execute();
    const managed = new Set(openTasks.map((t) => t.involvement_id));
    return cases
      .filter((c) => c.worker_id === null)
      .map((c) => {
        const since = c.unallocated_since ?? new Date(`${c.start_date}T00:00:00Z`);
        return {
          personId: c.person_id,
          involvementId: c.involvement_id,
          caseNumber: c.case_number,
          name: `${c.given_name} ${c.family_name}`,
          teamName: c.team_name,
          statuses: c.statuses,
          protected: c.statuses.includes('child_protection_plan') || c.statuses.includes('child_in_care'),
          since,
          daysWaiting: Math.max(0, Math.floor((now - since.getTime()) / 86_400_000)),
          teamLeaderManaged: managed.has(c.involvement_id),
          age: ageOn(c.date_of_birth, today),
        };
      })
      .sort((a, b) => b.daysWaiting - a.daysWaiting);
  }

  async overview(user: AuthUser) {
    const teams = this.scopeTeams(user);
    const [live, done, escalations, suspensions] = await Promise.all([
      repo.transfersOfTeams(this.db, user.authorityId, teams, true),
      repo.transfersOfTeams(this.db, user.authorityId, teams, false),
      repo.openEscalationsOwnedBy(this.db, user.id),
      repo.activeSuspensions(this.db, user.authorityId, this.today()),
    ]);
    const mine = new Set(teams);
    // A transfer from another authority opens on the incoming page; once completed, on this authority's record.
    const withHref = <T extends { id: string; person_id: string; authority_id: string; to_person_id: string | null }>(
      x: T,
    ) => ({
      ...x,
      href:
        x.authority_id === user.authorityId
          ? `/people/${x.person_id}/transfers/${x.id}`
          : x.to_person_id
            ? `/people/${x.to_person_id}`
            : `/transfers/incoming/${x.id}`,
    });
    return {
      incoming: live.filter((x) => x.to_team_id && mine.has(x.to_team_id)).map(withHref),
      outgoing: live.filter((x) => mine.has(x.from_team_id)).map(withHref),
      finished: done.slice(0, 50).map(withHref),
      escalations,
      suspensions,
    };
  }

  async activeSuspensions(authorityId: string, teamIds: readonly string[]) {
    const all = await repo.activeSuspensions(this.db, authorityId, this.today());
    return all
      .filter((s) => s.team_id === null || teamIds.includes(s.team_id))
      .map((s) => ({ ...s, partLabel: SUSPENDABLE_PARTS[s.part as SuspendablePart] ?? s.part }));
  }

  // ---- requesting -----------------------------------------------------------------------------------------

  /** What the request form needs: the open involvements and, for each, the team the remits propose. */
  async requestForm(user: AuthUser, access: PersonAccess, involvementId: string | null) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.readPerson(tx, user, access, 'transfer-request');
      const [teams, points, statuses, involvements] = await Promise.all([
        repo.remitsOf(tx, user.authorityId),
        repo.pointsOf(tx, user.authorityId),
        tx
          .selectFrom('person_statuses')
          .where('person_id', '=', person.id)
          .where('end_date', 'is', null)
          .select('status')
          .execute(),
        tx
          .selectFrom('involvements as i')
          .innerJoin('teams as t', 't.id', 'i.team_id')
          .where('i.person_id', '=', person.id)
          .where('i.end_date', 'is', null)
          .select(['i.id', 'i.team_id', 't.name as team_name'])
          .execute(),
      ]);
      const facts = {
        dateOfBirth: person.date_of_birth,
        statuses: statuses.map((s) => s.status),
        localityId: person.locality_id,
      };
      const chosen = involvements.find((i) => i.id === involvementId) ?? involvements[0] ?? null;
      const proposed = chosen ? proposeTeam(teams, points, chosen.team_id, facts, this.today()) : null;
      // Teams of the other authorities on this installation: a case moving across a boundary (Kent 1.5).
      const elsewhere = await tx
        .selectFrom('teams as t')
        .innerJoin('authorities as a', 'a.id', 't.authority_id')
        .where('t.authority_id', '<>', user.authorityId)
        .orderBy('a.name')
        .orderBy('t.name')
        .limit(500)
        .select(['t.id', 't.name', 'a.name as authority_name'])
        .execute();
      return { person, teams, involvements, chosen, proposed, elsewhere };
    });
  }

  private async readPerson(
    tx: Tx,
    user: AuthUser,
    access: PersonAccess,
    purpose: string,
    channel: 'page' | 'api' | 'export' | 'print' = 'page',
  ) {
    const person = await tx
      .selectFrom('people')
      .where('id', '=', access.personId)
      .where('authority_id', '=', user.authorityId)
      .select(['id', 'case_number', 'given_name', 'family_name', 'date_of_birth', 'locality_id', 'address', 'postcode'])
      .executeTakeFirst();
    if (!person) throw new NotFound('No record with that reference.');
    await insertAccess(tx, {
      authorityId: user.authorityId,
      personId: person.id,
      userId: user.id,
      channel,
      purpose: access.breakGlassId ? 'break-glass' : purpose,
      breakGlassId: access.breakGlassId,
    });
    return person;
  }

  private isManagerOf(user: AuthUser, teamId: string) {
    return user.caps.has('transfer:manage') && user.teamIds.includes(teamId);
  }

  async request(user: AuthUser, personId: string, body: Body): Promise<string> {
    const errors: Record<string, string> = {};
    const involvementId = text(body, 'involvement_id');
    if (!UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement that is transferring';
    const toTeamId = text(body, 'to_team_id');
    if (!UUID.test(toTeamId)) errors.to_team_id = 'Choose the receiving team';
    const reason = longText(body, 'reason', 'why the case is transferring', errors);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const inv = await tx
        .selectFrom('involvements as i')
        .innerJoin('people as p', 'p.id', 'i.person_id')
        .where('i.id', '=', involvementId)
        .where('i.person_id', '=', personId)
        .where('i.authority_id', '=', user.authorityId)
        .where('i.end_date', 'is', null)
        .select(['i.id', 'i.team_id', 'p.case_number', 'p.date_of_birth', 'p.locality_id'])
        .executeTakeFirst();
      if (!inv) throw new ValidationError({ involvement_id: 'Choose one of the open involvements on this record' });
      if (!this.isManagerOf(user, inv.team_id))
        throw new Forbidden('The decision to transfer is taken by a team manager of the team holding the case.');
      const to = await tx
        .selectFrom('teams as t')
        .innerJoin('authorities as a', 'a.id', 't.authority_id')
        .where('t.id', '=', toTeamId)
        .select(['t.id', 't.name', 't.authority_id', 'a.name as authority_name'])
        .executeTakeFirst();
      if (!to) throw new ValidationError({ to_team_id: 'Choose the receiving team from the list' });
      const across = to.authority_id !== user.authorityId;
      if (to.id === inv.team_id)
        throw new ValidationError({ to_team_id: 'Choose a team other than the one holding the case' });
      const open = across
        ? undefined
        : await tx
            .selectFrom('involvements')
            .where('person_id', '=', personId)
            .where('team_id', '=', to.id)
            .where('end_date', 'is', null)
            .select('id')
            .executeTakeFirst();
      if (open) throw new ValidationError({ to_team_id: `${to.name} is already involved with this case` });
      const live = await tx
        .selectFrom('transfers')
        .where('from_involvement_id', '=', inv.id)
        .where('status', 'in', LIVE)
        .select('id')
        .executeTakeFirst();
      if (live) throw new ValidationError({ involvement_id: 'This involvement already has a transfer in progress' });
      const [teams, points, statuses] = await Promise.all([
        repo.remitsOf(tx, user.authorityId),
        repo.pointsOf(tx, user.authorityId),
        tx
          .selectFrom('person_statuses')
          .where('person_id', '=', personId)
          .where('end_date', 'is', null)
          .select('status')
          .execute(),
      ]);
      const proposed = proposeTeam(
        teams,
        points,
        inv.team_id,
        { dateOfBirth: inv.date_of_birth, statuses: statuses.map((s) => s.status), localityId: inv.locality_id },
        this.today(),
      );
      const row = await tx
        .insertInto('transfers')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          from_involvement_id: inv.id,
          from_team_id: inv.team_id,
          to_team_id: to.id,
          to_authority_id: across ? to.authority_id : null,
          reason,
          proposed_by_remit: proposed?.id === to.id,
          requested_by: user.id,
          requested_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The protocol engine tracks the steps: started and moved past the decision in this transaction.
      const instanceId = await this.protocols.startIn(tx, user, personId, KENT_TRANSFER_ID, {
        involvementId: inv.id,
        data: { receiving_team_id: to.id, transfer_id: row.id },
      });
      await tx.updateTable('transfers').set({ protocol_instance_id: instanceId }).where('id', '=', row.id).execute();
      await this.protocols.advanceIn(tx, instanceId, 'decided', user.id);
      await this.syncEngine(tx, row.id, user.id);
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        kind: 'transfer',
        title: `Transfer to ${to.name}${across ? ` (${to.authority_name})` : ''} decided by the team manager`,
        detail: reason,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'transfer',
        entityId: row.id,
        personId,
        detail: {
          from_team_id: inv.team_id,
          to_team_id: to.id,
          to_authority_id: across ? to.authority_id : null,
          proposed_by_remit: proposed?.id === to.id,
        },
      });
      return row.id;
    });
  }

  // ---- the transfer and its checklist ---------------------------------------------------------------------

  private async load(tx: Tx, user: AuthUser, personId: string, transferId: string) {
    const x = await repo.findTransfer(tx, user.authorityId, personId, transferId);
    if (!x) throw new NotFound('No transfer with that reference on this record.');
    return x;
  }

  private async facts(tx: Tx, x: NonNullable<Awaited<ReturnType<typeof repo.findTransfer>>>) {
    const [latest, tasks, suspensions] = await Promise.all([
      repo.latestAssessment(tx, x.from_involvement_id),
      repo.tasksOfTransfer(tx, x.id),
      this.activeSuspensions(x.authority_id, [x.from_team_id]),
    ]);
    const tasksOpen = tasks.filter((t) => t.kind === 'remedial' && !t.done_at).length;
    const list = checklist({
      today: this.today(),
      latestAssessment: latest?.completed_on ?? null,
      summaryWritten: Boolean(x.summary_updated_information),
      summarySignedOff: Boolean(x.summary_signed_off_at),
      qualityAssured: Boolean(x.qa_at),
      noticesSent: Boolean(x.notices_sent_at),
      meetingRecorded: Boolean(x.meeting_date || x.meeting_not_possible_reason),
      openRemedialTasks: tasksOpen,
      suspended: suspensions.map((s) => s.part),
    });
    return { latest, tasks, suspensions, checklist: list, complete: checklistComplete(list) };
  }

  async view(user: AuthUser, access: PersonAccess, transferId: string, channel: 'page' | 'api' = 'page') {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.readPerson(tx, user, access, 'transfer', channel);
      const x = await this.load(tx, user, person.id, transferId);
      const f = await this.facts(tx, x);
      const [notices, escalations, workers, documents] = await Promise.all([
        repo.noticesOf(tx, x.id),
        repo.escalationsOf(tx, x.id),
        x.to_team_id ? this.teamWorkers(tx, x.to_team_id) : Promise.resolve([]),
        tx
          .selectFrom('generated_documents')
          .where('transfer_id', '=', x.id)
          .orderBy('created_at')
          .select(['id', 'kind', 'recipient', 'title', 'created_at'])
          .execute(),
      ]);
      const status = x.status as TransferStatus;
      const originating = this.isManagerOf(user, x.from_team_id);
      const receiving = x.to_team_id ? this.isManagerOf(user, x.to_team_id) : false;
      return {
        person,
        transfer: x,
        ...f,
        notices,
        escalations,
        workers,
        documents,
        may: {
          edit:
            LIVE.includes(status) &&
            (status === 'requested' || status === 'returned') &&
            user.teamIds.includes(x.from_team_id),
          signOff: originating && (status === 'requested' || status === 'returned'),
          send: originating && Boolean(transition(status, status === 'returned' ? 'resend' : 'send')),
          cancel: originating && Boolean(transition(status, 'cancel')),
          accept: receiving && status === 'sent',
          allocate: receiving && status === 'accepted',
        },
      };
    });
  }

  private async teamWorkers(db: Tx | Db, teamId: string) {
    return db
      .selectFrom('team_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('m.team_id', '=', teamId)
      .where('u.active', '=', true)
      .orderBy('u.display_name')
      .select(['u.id', 'u.display_name'])
      .execute();
  }

  /** Locks the transfer, checks its version and that it is being prepared, and returns it. */
  private async forChange(
    tx: Tx,
    user: AuthUser,
    personId: string,
    transferId: string,
    body: Body,
    statuses: readonly TransferStatus[],
  ) {
    const locked = await repo.lockTransfer(tx, transferId);
    // The receiving authority of a transfer across a boundary acts on it too (its own checks follow).
    const mine =
      locked?.authority_id === user.authorityId ||
      (locked?.to_authority_id === user.authorityId && locked.sent_at !== null);
    if (!locked || locked.person_id !== personId || !mine)
      throw new NotFound('No transfer with that reference on this record.');
    const version = Number(body.version);
    if (body.version !== undefined && Number.isInteger(version) && version !== locked.version)
      throw new Conflict(
        'Someone else changed this transfer while you were looking at it. Reload the page and try again.',
      );
    if (!statuses.includes(locked.status as TransferStatus))
      throw new Conflict(
        `This transfer is ${locked.status.replace(/_/g, ' ')}, so that cannot be done now. Reload the page to see where it is.`,
      );
    const x = await repo.findTransfer(tx, locked.authority_id, personId, transferId);
    if (!x) throw new NotFound('No transfer with that reference on this record.');
    return x;
  }

  // ---- the protocol engine --------------------------------------------------------------------------------

  /** Moves the transfer's protocol instance on with `outcome`, in the caller's transaction. */
  private async advance(tx: Tx, x: { protocol_instance_id: string | null }, outcome: string, actorId: string) {
    if (x.protocol_instance_id) await this.protocols.advanceIn(tx, x.protocol_instance_id, outcome, actorId);
  }

  /**
   * Brings the instance's checklist steps level with the facts on the case: each step whose task is done (or not
   * needed) is moved on, and a changed summary sends it back to the sign-off. Called in every transaction that
   * changes a fact the checklist reads, while the transfer is being prepared.
   */
  private async syncEngine(tx: Tx, transferId: string, actorId: string | null) {
    const row = await tx
      .selectFrom('transfers')
      .where('id', '=', transferId)
      .select(['authority_id', 'person_id', 'protocol_instance_id', 'status'])
      .executeTakeFirst();
    if (!row?.protocol_instance_id || (row.status !== 'requested' && row.status !== 'returned')) return;
    const x = await repo.findTransfer(tx, row.authority_id, row.person_id, transferId);
    if (!x) return;
    const f = await this.facts(tx, x);
    const st = Object.fromEntries(f.checklist.map((t) => [t.key, t.status])) as Record<string, string | undefined>;
    const regress = st.sign_off === 'incomplete' || st.sign_off === 'cannot_start';
    const passed = (key: string, done: string, notNeeded: string | null) =>
      st[key] === 'completed' ? done : st[key] === 'not_needed' ? notNeeded : null;
    for (let i = 0; i < 12; i++) {
      const key = await this.protocols.openStepKey(tx, row.protocol_instance_id);
      let outcome: string | null = null;
      if (key === 'summary') outcome = passed('summary', 'written', 'not_needed');
      else if (key === 'sign_off') outcome = passed('sign_off', 'signed_off', 'not_needed');
      else if (key === 'quality_assurance')
        outcome = regress ? 'summary_changed' : passed('quality_assurance', 'assured', 'not_needed');
      else if (key === 'notices') outcome = regress ? 'summary_changed' : passed('notices', 'sent', null);
      else if (key === 'handover_meeting')
        outcome = regress ? 'summary_changed' : passed('handover_meeting', 'recorded', 'not_needed');
      else if (key === 'send') outcome = regress ? 'summary_changed' : null;
      else if (key === 'remedial_work') outcome = st.remedial_work ? null : 'done';
      if (!outcome) return;
      await this.protocols.advanceIn(tx, row.protocol_instance_id, outcome, actorId);
    }
  }

  private async touch(tx: Tx, transferId: string, set: Record<string, unknown>) {
    await tx
      .updateTable('transfers')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', transferId)
      .execute();
  }

  private async record(
    tx: Tx,
    user: AuthUser,
    personId: string,
    transferId: string,
    title: string,
    action: string,
    detail: Record<string, unknown> = {},
    eventDetail: string | null = null,
  ) {
    const owner = (
      await tx.selectFrom('people').where('id', '=', personId).select('authority_id').executeTakeFirstOrThrow()
    ).authority_id;
    await insertEvent(tx, {
      authority_id: owner,
      person_id: personId,
      kind: 'transfer',
      title,
      detail: eventDetail,
      actor_id: user.id,
    });
    await insertAudit(tx, {
      authorityId: owner,
      actorId: user.id,
      action,
      entity: 'transfer',
      entityId: transferId,
      personId,
      detail,
    });
    // A receiving authority acting on another authority's record keeps its own audit row too.
    if (owner !== user.authorityId)
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action,
        entity: 'incoming_transfer',
        entityId: transferId,
        detail: { ...detail, from_authority_id: owner },
      });
    await this.syncEngine(tx, transferId, user.id);
  }

  async recordAssessment(user: AuthUser, personId: string, body: Body) {
    const errors: Record<string, string> = {};
    const involvementId = text(body, 'involvement_id');
    if (!UUID.test(involvementId)) errors.involvement_id = 'Choose the involvement the assessment belongs to';
    const kind = text(body, 'kind');
    if (!kind) errors.kind = 'Enter the kind of assessment, for example Child and family assessment';
    else if (kind.length > 200) errors.kind = 'Kind of assessment must be 200 characters or fewer';
    const completed = dateInput(body, 'completed_date').value;
    if (!completed) errors.completed_date = 'Enter the date the assessment was completed';
    else if (!isRealDate(completed))
      errors.completed_date = 'The date the assessment was completed must be a real date';
    else if (completed > this.today())
      errors.completed_date = 'The date the assessment was completed must be today or in the past';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      const inv = await tx
        .selectFrom('involvements')
        .where('id', '=', involvementId)
        .where('person_id', '=', personId)
        .where('authority_id', '=', user.authorityId)
        .select('id')
        .executeTakeFirst();
      if (!inv) throw new ValidationError({ involvement_id: 'Choose one of the involvements on this record' });
      const row = await tx
        .insertInto('assessments')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          involvement_id: inv.id,
          kind,
          completed_on: completed,
          recorded_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const live = await tx
        .selectFrom('transfers')
        .where('from_involvement_id', '=', inv.id)
        .where('status', 'in', LIVE)
        .select('id')
        .execute();
      for (const l of live) await this.syncEngine(tx, l.id, user.id);
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        kind: 'assessment',
        title: `${kind} completed`,
        detail: `Completed ${completed}`,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'create',
        entity: 'assessment',
        entityId: row.id,
        personId,
      });
      return row.id;
    });
  }

  async writeSummary(user: AuthUser, personId: string, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const info = longText(body, 'summary_updated_information', 'the updated case information', errors);
    const dates = longText(body, 'summary_important_dates', 'the important dates', errors);
    const urgent = longText(body, 'summary_urgent_actions', 'the urgent actions to follow up, or "None"', errors);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (!user.teamIds.includes(x.from_team_id))
        throw new Forbidden('The originating team writes the transfer summary.');
      // A changed summary needs signing off again.
      await this.touch(tx, x.id, {
        summary_updated_information: info,
        summary_important_dates: dates,
        summary_urgent_actions: urgent,
        summary_signed_off_by: null,
        summary_signed_off_at: null,
      });
      await this.record(tx, user, personId, x.id, 'Transfer summary written', 'summary');
    });
  }

  async signOff(user: AuthUser, personId: string, transferId: string, body: Body) {
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (
        !this.isManagerOf(user, x.from_team_id) ||
        !user.roles.some((r) => r === 'team_manager' || r === 'service_manager')
      )
        throw new Forbidden('Transfer summaries are signed off by the team manager.');
      if (!x.summary_updated_information)
        throw new ValidationError({ sign_off: 'Write the transfer summary before signing it off' });
      await this.touch(tx, x.id, { summary_signed_off_by: user.id, summary_signed_off_at: this.now() });
      await this.record(tx, user, personId, x.id, 'Transfer summary signed off by the team manager', 'sign-off');
    });
  }

  async qualityAssure(user: AuthUser, personId: string, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const notes = longText(body, 'qa_notes', 'what you checked in the file', errors);
    if (text(body, 'qa_confirm') !== 'yes')
      errors.qa_confirm = 'Confirm that the records are up to date and the case meets the practice standards';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      const supervises = x.from_worker_line_manager_id === user.id || this.isManagerOf(user, x.from_team_id);
      if (!supervises) throw new Forbidden('The file is quality-assured by the supervising manager.');
      if (x.from_worker_id === user.id)
        throw new Forbidden('The allocated worker cannot quality-assure their own file.');
      await this.touch(tx, x.id, { qa_by: user.id, qa_at: this.now(), qa_notes: notes });
      await this.record(tx, user, personId, x.id, 'File quality-assured by the supervising manager', 'quality-assure');
    });
  }

  async recordMeeting(user: AuthUser, personId: string, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const held = text(body, 'meeting_held');
    let date: string | null = null;
    let why: string | null = null;
    if (held === 'yes') {
      const d = dateInput(body, 'meeting_date').value;
      if (!d) errors.meeting_date = 'Enter the date of the handover meeting';
      else if (!isRealDate(d)) errors.meeting_date = 'The date of the handover meeting must be a real date';
      else date = d;
    } else if (held === 'no') {
      why = longText(body, 'meeting_not_possible_reason', 'why a handover meeting is not possible', errors);
    } else errors.meeting_held = 'Say whether a handover meeting with the child and carer is taking place';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (!user.teamIds.includes(x.from_team_id))
        throw new Forbidden('The originating team arranges the handover meeting.');
      await this.touch(tx, x.id, { meeting_date: date, meeting_not_possible_reason: why });
      await this.record(
        tx,
        user,
        personId,
        x.id,
        date ? `Handover meeting on ${date}` : 'Handover meeting not possible',
        'meeting',
        {},
        why,
      );
    });
  }

  /**
   * Tells every actively involved family member, professional and agency in writing: an email through the outbox
   * where there is an address (a reference and the new team's contact details, never the child's name), otherwise
   * a letter kept as a generated document. Each notice is recorded.
   */
  async sendNotices(user: AuthUser, personId: string, transferId: string, body: Body) {
    return this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (!user.teamIds.includes(x.from_team_id))
        throw new Forbidden('The originating team sends the written notices.');
      const n = await this.writeNotices(tx, user, x, 'transfer');
      await this.touch(tx, x.id, { notices_sent_at: this.now() });
      await this.record(tx, user, personId, x.id, `Written notice of the transfer sent to ${n} recipients`, 'notices', {
        count: n,
      });
      return n;
    });
  }

  private async contactDetails(tx: Tx, teamId: string, workerId: string | null) {
    const team = await tx.selectFrom('teams').where('id', '=', teamId).select(['name']).executeTakeFirstOrThrow();
    const who = workerId
      ? await tx
          .selectFrom('users')
          .where('id', '=', workerId)
          .select(['display_name', 'email', 'phone', 'job_title'])
          .executeTakeFirst()
      : await tx
          .selectFrom('users as u')
          .innerJoin('team_members as m', 'm.user_id', 'u.id')
          .where('m.team_id', '=', teamId)
          .where('u.active', '=', true)
          .where((eb) =>
            eb.or([
              sql<boolean>`u.roles @> ARRAY['team_manager']::text[]`,
              sql<boolean>`u.roles @> ARRAY['service_manager']::text[]`,
            ]),
          )
          .orderBy('u.display_name')
          .select(['u.display_name', 'u.email', 'u.phone', 'u.job_title'])
          .executeTakeFirst();
    const contact = who
      ? `${who.display_name}${who.job_title ? `, ${who.job_title}` : ''} — ${[who.phone, who.email].filter(Boolean).join(', ')}`
      : 'the team duty line';
    return { teamName: team.name, contact, workerName: workerId ? (who?.display_name ?? null) : null };
  }

  private async writeNotices(
    tx: Tx,
    user: AuthUser,
    x: NonNullable<Awaited<ReturnType<typeof repo.findTransfer>>>,
    stage: 'transfer' | 'allocated',
  ) {
    const person = await tx
      .selectFrom('people')
      .where('id', '=', x.person_id)
      .select(['case_number', 'given_name', 'family_name'])
      .executeTakeFirstOrThrow();
    const to = await this.contactDetails(
      tx,
      x.to_team_id as string,
      stage === 'allocated' ? x.allocated_worker_id : null,
    );
    const reference = ref(person.case_number);
    const news =
      stage === 'transfer'
        ? `The team working with this case is changing to ${to.teamName}. Until a worker there is allocated, ${x.from_worker_name ?? x.from_team_name} remains the point of contact. Contact at ${to.teamName}: ${to.contact}.`
        : `${to.workerName ?? 'A worker'} in ${to.teamName} is now the allocated worker for this case. Contact: ${to.contact}.`;
    const recipients: {
      kind: 'family' | 'professional' | 'agency';
      name: string;
      email: string | null;
      address: string | null;
    }[] = [];
    const contacts = await tx
      .selectFrom('contacts')
      .where('person_id', '=', x.person_id)
      .select(['name', 'relationship', 'email', 'address'])
      .execute();
    for (const c of contacts)
      recipients.push({ kind: 'family', name: `${c.name} (${c.relationship})`, email: c.email, address: c.address });
    const others = await tx
      .selectFrom('involvements as i')
      .innerJoin('teams as t', 't.id', 'i.team_id')
      .innerJoin('services as s', 's.id', 't.service_id')
      .leftJoin('users as w', 'w.id', 'i.worker_id')
      .where('i.person_id', '=', x.person_id)
      .where('i.end_date', 'is', null)
      .where('i.id', '<>', x.from_involvement_id)
      .where('i.team_id', '<>', x.to_team_id as string)
      .select([
        't.name as team_name',
        's.name as service_name',
        's.external',
        'w.display_name as worker_name',
        'w.email as worker_email',
      ])
      .execute();
    for (const o of others)
      recipients.push({
        kind: o.external ? 'agency' : 'professional',
        name: o.worker_name ? `${o.worker_name}, ${o.team_name}` : `${o.team_name} (${o.service_name})`,
        email: o.worker_email,
        address: null,
      });
    let count = 0;
    for (const r of recipients) {
      if (r.email && headersAreSafe('', [r.email])) {
        const outboxId = await enqueueEmail(tx, {
          authorityId: x.authority_id,
          reference,
          to: [r.email],
          subject: `Change of team for case reference ${reference}`,
          body: `Dear ${r.name.replace(/[\r\n]/g, ' ')},\n\n${news}\n\nReference: ${reference}\n\nThis email does not contain personal details. Quote the reference if you contact us.`,
        });
        await tx
          .insertInto('transfer_notices')
          .values({
            authority_id: x.authority_id,
            transfer_id: x.id,
            recipient_kind: r.kind,
            recipient_name: r.name,
            channel: 'email',
            outbox_id: outboxId,
          })
          .execute();
      } else {
        const letter = await tx
          .insertInto('generated_documents')
          .values({
            authority_id: x.authority_id,
            person_id: x.person_id,
            transfer_id: x.id,
            kind: 'letter',
            recipient: r.name,
            title: `Letter: change of team (${stage === 'transfer' ? 'transfer' : 'new worker'})`,
            body: `${r.name}\n${r.address ?? ''}\n\nDear ${r.name},\n\nRe: ${person.given_name} ${person.family_name} (reference ${reference})\n\n${news}\n\nYours sincerely,\n\n${user.displayName}\n${x.from_team_name}`,
            created_by: user.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('transfer_notices')
          .values({
            authority_id: x.authority_id,
            transfer_id: x.id,
            recipient_kind: r.kind,
            recipient_name: r.name,
            channel: 'letter',
            document_id: letter.id,
          })
          .execute();
      }
      count++;
    }
    return count;
  }

  // ---- moving through the lifecycle -----------------------------------------------------------------------

  private move(x: { id: string; status: string }, event: TransferEvent): TransferStatus {
    const t = transition(x.status as TransferStatus, event);
    if (!t) throw new Conflict(`A ${x.status} transfer cannot be moved that way. Reload the page to see where it is.`);
    return t.to;
  }

  async send(user: AuthUser, personId: string, transferId: string, body: Body) {
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (!this.isManagerOf(user, x.from_team_id))
        throw new Forbidden('A team manager of the originating team sends the transfer.');
      const f = await this.facts(tx, x);
      if (!f.complete) {
        const missing = f.checklist.filter((t) => t.status === 'incomplete' || t.status === 'cannot_start');
        throw new TransferNotReady(Object.fromEntries(missing.map((t) => [t.key, `${t.title}: not done yet`])));
      }
      const to = this.move(x, x.status === 'returned' ? 'resend' : 'send');
      await this.syncEngine(tx, x.id, user.id);
      await this.advance(tx, x, 'sent', user.id);
      await this.touch(tx, x.id, { status: to, sent_at: this.now() });
      const across = x.to_authority_id !== null && x.to_authority_id !== x.authority_id;
      await this.record(
        tx,
        user,
        personId,
        x.id,
        `Transfer sent to ${x.to_team_name}${across ? ` (${x.to_authority_label})` : ''}`,
        'send',
      );
      if (across) await this.sharePackAcross(tx, user, x);
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .select('case_number')
        .executeTakeFirstOrThrow();
      for (const m of await this.managersOf(tx, x.to_team_id as string))
        await notifyUser(tx, {
          authorityId: x.to_authority_id ?? user.authorityId,
          userId: m,
          message: `A transfer is waiting for your team to accept or return`,
          link: x.to_authority_id ? `/transfers/incoming/${x.id}` : `/people/${personId}/transfers/${x.id}`,
          reference: ref(person.case_number),
          baseUrl: this.config.baseUrl,
        });
    });
  }

  private async managersOf(tx: Tx, teamId: string) {
    const rows = await tx
      .selectFrom('users as u')
      .innerJoin('team_members as m', 'm.user_id', 'u.id')
      .where('m.team_id', '=', teamId)
      .where('u.active', '=', true)
      .where(sql<boolean>`u.roles @> ARRAY['team_manager']::text[]`)
      .select('u.id')
      .execute();
    return rows.map((r) => r.id);
  }

  async cancel(user: AuthUser, personId: string, transferId: string, body: Body) {
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['requested', 'returned']);
      if (!this.isManagerOf(user, x.from_team_id))
        throw new Forbidden('A team manager of the originating team cancels the transfer.');
      const to = this.move(x, 'cancel');
      await this.advance(tx, x, 'cancelled', user.id);
      await this.touch(tx, x.id, { status: to });
      await tx
        .updateTable('case_tasks')
        .set({ done_at: this.now(), done_by: user.id })
        .where('transfer_id', '=', x.id)
        .where('done_at', 'is', null)
        .execute();
      await this.record(tx, user, personId, x.id, 'Transfer cancelled', 'cancel');
    });
  }

  /** The receiving team accepts: it becomes involved, and the current worker keeps the case until allocation. */
  async accept(user: AuthUser, personId: string, transferId: string, body: Body) {
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['sent']);
      if (!x.to_team_id || !this.isManagerOf(user, x.to_team_id))
        throw new Forbidden('A team manager of the receiving team accepts the transfer.');
      const to = this.move(x, 'accept');
      await this.advance(tx, x, 'accepted', user.id);
      // Across a boundary the receiving authority's record is made at allocation, with the whole history.
      const inv = x.to_authority_id
        ? null
        : await tx
            .insertInto('involvements')
            .values({
              authority_id: user.authorityId,
              person_id: personId,
              team_id: x.to_team_id,
              worker_id: null,
              reason: `Transfer from ${x.from_team_name}`,
              start_date: this.today(),
              unallocated_since: this.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
      await this.touch(tx, x.id, {
        status: to,
        accepted_by: user.id,
        accepted_at: this.now(),
        to_involvement_id: inv?.id ?? null,
      });
      await this.record(
        tx,
        user,
        personId,
        x.id,
        `Transfer accepted by ${x.to_team_name}`,
        'accept',
        {},
        `${x.from_worker_name ?? x.from_team_name} keeps the case until a worker in ${x.to_team_name} is allocated`,
      );
    });
  }

  /** The receiving team returns the transfer listing the missing work, which becomes owned actions for the originating team. */
  async returnTransfer(user: AuthUser, personId: string, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const missing = longText(body, 'missing_work', 'the missing work, one item a line', errors)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (!errors.missing_work && missing.length === 0) errors.missing_work = 'Enter the missing work, one item a line';
    if (missing.length > 30) errors.missing_work = 'List at most 30 items of missing work';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['sent']);
      if (!x.to_team_id || !this.isManagerOf(user, x.to_team_id))
        throw new Forbidden('A team manager of the receiving team returns the transfer.');
      const to = this.move(x, 'return');
      const owner = x.from_worker_id ?? x.requested_by;
      await this.advance(tx, x, 'returned', user.id);
      const due = addWorkingDays(this.today(), 5);
      for (const m of missing)
        await tx
          .insertInto('case_tasks')
          .values({
            authority_id: x.authority_id,
            person_id: personId,
            transfer_id: x.id,
            involvement_id: x.from_involvement_id,
            kind: 'remedial',
            description: m.slice(0, 1000),
            owner_user_id: owner,
            due_date: due,
          })
          .execute();
      await this.touch(tx, x.id, { status: to, returned_at: this.now(), returns: x.returns + 1 });
      await this.record(
        tx,
        user,
        personId,
        x.id,
        `Transfer returned by ${x.to_team_name}: ${missing.length} item${missing.length === 1 ? '' : 's'} of missing work`,
        'return',
        { items: missing.length },
        missing.join('; '),
      );
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .select('case_number')
        .executeTakeFirstOrThrow();
      await notifyUser(tx, {
        authorityId: x.authority_id,
        userId: owner,
        message: 'A transfer was returned with missing work for you to do',
        link: `/people/${personId}/transfers/${x.id}`,
        reference: ref(person.case_number),
        baseUrl: this.config.baseUrl,
      });
    });
  }

  async completeTask(user: AuthUser, personId: string, taskId: string) {
    await this.db.transaction().execute(async (tx) => {
      const t = await tx
        .updateTable('case_tasks')
        .set({ done_at: this.now(), done_by: user.id })
        .where('id', '=', taskId)
        .where('person_id', '=', personId)
        .where('authority_id', '=', user.authorityId)
        .where('done_at', 'is', null)
        .returning(['transfer_id', 'description', 'owner_user_id', 'kind'])
        .executeTakeFirst();
      if (!t) throw new NotFound('That action is not open on this record.');
      if (t.transfer_id) await this.syncEngine(tx, t.transfer_id, user.id);
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        kind: 'task',
        title: `Done: ${t.description.slice(0, 200)}`,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'complete',
        entity: 'case_task',
        entityId: taskId,
        personId,
      });
    });
  }

  /**
   * The receiving team allocates its worker, and in the same transaction the originating involvement ends: the
   * current worker keeps the case until this moment (Kent 2.5), and the database checks it at commit.
   */
  async allocate(user: AuthUser, personId: string, transferId: string, body: Body) {
    const workerId = text(body, 'worker_id');
    if (!UUID.test(workerId)) throw new ValidationError({ worker_id: 'Choose the worker to allocate' });
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['accepted']);
      if (!x.to_team_id || !this.isManagerOf(user, x.to_team_id))
        throw new Forbidden('A team manager of the receiving team allocates the worker.');
      const member = await tx
        .selectFrom('team_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .where('m.team_id', '=', x.to_team_id)
        .where('m.user_id', '=', workerId)
        .where('u.active', '=', true)
        .select('u.display_name')
        .executeTakeFirst();
      if (!member) throw new ValidationError({ worker_id: `Choose a worker who is a member of ${x.to_team_name}` });
      const to = this.move(x, 'allocate');
      await this.advance(tx, x, 'allocated', user.id);
      if (x.to_authority_id && x.to_authority_id !== x.authority_id) {
        await this.completeAcross(tx, user, x, workerId, member.display_name);
        await this.resolveEscalations(tx, x.id);
        return;
      }
      if (!x.to_involvement_id) throw new Conflict('This transfer has no receiving involvement. Reload the page.');
      const today = this.today();
      const receiving = await tx
        .updateTable('involvements')
        .set((eb) => ({ worker_id: workerId, version: eb('version', '+', 1) }))
        .where('id', '=', x.to_involvement_id)
        .where('end_date', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!receiving)
        throw new Conflict(
          `${x.to_team_name}'s involvement has ended since it accepted the transfer. Cancel this transfer and request a new one.`,
        );
      await assertStaysAllocated(tx, personId, x.from_involvement_id);
      await tx
        .updateTable('involvements')
        .set((eb) => ({ end_date: today, version: eb('version', '+', 1) }))
        .where('id', '=', x.from_involvement_id)
        .where('end_date', 'is', null)
        .execute();
      await this.touch(tx, x.id, { status: to, allocated_worker_id: workerId, completed_at: this.now() });
      await this.resolveEscalations(tx, x.id);
      await this.record(
        tx,
        user,
        personId,
        x.id,
        `Allocated to ${member.display_name} in ${x.to_team_name}; ${x.from_team_name} involvement ended`,
        'allocate',
        { worker_id: workerId, from: x.from_worker_id },
      );
      await this.writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
    });
  }

  /** The receiving team cannot allocate: the block goes to the service manager with an owner and a deadline. */
  async escalateCapacity(user: AuthUser, personId: string, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const reason = longText(body, 'reason', 'why the team cannot allocate', errors);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const x = await this.forChange(tx, user, personId, transferId, body, ['accepted']);
      if (!x.to_team_id || !this.isManagerOf(user, x.to_team_id))
        throw new Forbidden('A team manager of the receiving team escalates a capacity block.');
      const team = await tx
        .selectFrom('teams')
        .where('id', '=', x.to_team_id)
        .select(['service_id', 'name'])
        .executeTakeFirstOrThrow();
      const managers = await tx
        .selectFrom('users')
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .where(sql<boolean>`roles @> ARRAY['service_manager']::text[]`)
        .orderBy(sqlServiceFirst(team.service_id))
        .select(['id', 'display_name', 'service_id'])
        .execute();
      const owner = managers[0] ?? null;
      const due = addWorkingDays(this.today(), ESCALATION_WORKING_DAYS);
      const rule = `${ESCALATION_WORKING_DAYS} working days from the escalation (Kent protocol 2.5: the service manager is accountable for smooth transition; the time is a local choice)`;
      const row = await tx
        .insertInto('capacity_escalations')
        .values({
          authority_id: user.authorityId,
          person_id: personId,
          transfer_id: x.id,
          team_id: x.to_team_id,
          owner_user_id: owner?.id ?? null,
          owner_label: owner ? `${owner.display_name} (Service manager)` : 'Service managers',
          reason,
          due_date: due,
          due_rule: rule,
          raised_by: user.id,
          raised_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await scheduleDeadlines(tx, [
        {
          authorityId: user.authorityId,
          subjectType: ESCALATION_SUBJECT,
          subjectId: row.id,
          rung: 0,
          dueAt: endOfLondonDay(due),
          action: { chase: 'assistant_director' },
        },
      ]);
      const person = await tx
        .selectFrom('people')
        .where('id', '=', personId)
        .select('case_number')
        .executeTakeFirstOrThrow();
      if (owner)
        await notifyUser(tx, {
          authorityId: user.authorityId,
          userId: owner.id,
          message: `${team.name} cannot allocate a transferred case: a capacity block needs your decision by ${due}`,
          link: '/transfers',
          reference: ref(person.case_number),
          baseUrl: this.config.baseUrl,
        });
      else
        await tx
          .insertInto('alerts')
          .values({
            authority_id: user.authorityId,
            role: 'service_manager',
            kind: 'capacity',
            message: `Capacity block in ${team.name} on case ${person.case_number}: decide by ${due}`,
            link: '/transfers',
          })
          .execute();
      await this.record(
        tx,
        user,
        personId,
        x.id,
        `Capacity block escalated to ${owner?.display_name ?? 'the service managers'}, due ${due}`,
        'escalate',
        { escalation_id: row.id },
        reason,
      );
    });
  }

  /** Deadline handler: an unresolved capacity block past its date is chased and raised to senior managers. */
  async fireEscalation(tx: Tx, row: Deadline): Promise<void> {
    const e = await tx
      .selectFrom('capacity_escalations as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .where('e.id', '=', row.subject_id)
      .select([
        'e.id',
        'e.resolved_at',
        'e.owner_user_id',
        'e.authority_id',
        'e.person_id',
        'e.transfer_id',
        'p.case_number',
      ])
      .executeTakeFirst();
    if (!e || e.resolved_at) return;
    await tx
      .updateTable('capacity_escalations')
      .set((eb) => ({ chased: eb('chased', '+', 1) }))
      .where('id', '=', e.id)
      .execute();
    for (const role of ['service_manager', 'ifs_manager', 'assistant_director'])
      await tx
        .insertInto('alerts')
        .values({
          authority_id: e.authority_id,
          role,
          kind: 'capacity-overdue',
          message: `A capacity block on case ${e.case_number} is past its date and the child is still waiting for a worker in the receiving team`,
          link: '/transfers',
        })
        .execute();
    if (e.owner_user_id)
      await notifyUser(tx, {
        authorityId: e.authority_id,
        userId: e.owner_user_id,
        message: 'A capacity block you own is overdue',
        link: '/transfers',
        reference: ref(e.case_number),
        baseUrl: this.config.baseUrl,
      });
    await insertEvent(tx, {
      authority_id: e.authority_id,
      person_id: e.person_id,
      kind: 'transfer',
      title: 'Capacity block overdue: raised to senior managers',
      actor_id: null,
    });
    await insertAudit(tx, {
      authorityId: e.authority_id,
      actorId: null,
      action: 'chase',
      entity: 'capacity_escalation',
      entityId: e.id,
      personId: e.person_id,
    });
  }

  /** A child in need who cannot be allocated: the team leader manages the case with visiting, review and oversight. */
  async teamLeaderManages(user: AuthUser, personId: string, involvementId: string) {
    await this.db.transaction().execute(async (tx) => {
      const inv = await tx
        .selectFrom('involvements as i')
        .innerJoin('teams as t', 't.id', 'i.team_id')
        .where('i.id', '=', involvementId)
        .where('i.person_id', '=', personId)
        .where('i.authority_id', '=', user.authorityId)
        .where('i.end_date', 'is', null)
        .select(['i.id', 'i.team_id', 'i.worker_id', 't.name'])
        .executeTakeFirst();
      if (!inv) throw new NotFound('That involvement is not open on this record.');
      if (inv.worker_id) throw new ValidationError({ involvement: 'This case has an allocated worker' });
      if (!this.isManagerOf(user, inv.team_id))
        throw new Forbidden('The team leader of the team holding the case takes it on.');
      const existing = await tx
        .selectFrom('case_tasks')
        .where('involvement_id', '=', inv.id)
        .where('done_at', 'is', null)
        .where('kind', 'in', ['visit', 'review', 'oversight'])
        .select('id')
        .executeTakeFirst();
      if (existing) throw new ValidationError({ involvement: 'The team leader is already managing this case' });
      const today = this.today();
      const tasks = [
        {
          kind: 'visit' as const,
          description: 'Visit the child while the case waits for allocation',
          due: addWorkingDays(today, 10),
        },
        { kind: 'review' as const, description: 'Review the child in need plan', due: addWorkingDays(today, 20) },
        {
          kind: 'oversight' as const,
          description: 'Record management oversight and try again to allocate',
          due: addDays(today, 28),
        },
      ];
      for (const t of tasks)
        await tx
          .insertInto('case_tasks')
          .values({
            authority_id: user.authorityId,
            person_id: personId,
            involvement_id: inv.id,
            kind: t.kind,
            description: t.description,
            owner_user_id: user.id,
            due_date: t.due,
          })
          .execute();
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: personId,
        kind: 'allocation',
        title: `${user.displayName} (team leader) manages the case until allocation`,
        detail: 'Visiting, review and oversight tasks set',
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'team-leader-manages',
        entity: 'involvement',
        entityId: inv.id,
        personId,
      });
    });
  }

  private async resolveEscalations(tx: Tx, transferId: string) {
    const open = await tx
      .selectFrom('capacity_escalations')
      .where('transfer_id', '=', transferId)
      .where('resolved_at', 'is', null)
      .select('id')
      .execute();
    for (const e of open) {
      await tx.updateTable('capacity_escalations').set({ resolved_at: this.now() }).where('id', '=', e.id).execute();
      await cancelDeadlines(tx, ESCALATION_SUBJECT, e.id, this.now());
    }
  }

  // ---- across authority boundaries (Kent 1.5) --------------------------------------------------------------

  /** Sending to another authority shares the pack with it: kept as a document, with an information-sharing record. */
  private async sharePackAcross(tx: Tx, user: AuthUser, x: Loaded) {
    const pack = await this.buildPack(tx, x.person_id, x);
    const withWhom = `${x.to_authority_label}, ${x.to_team_name}`;
    const doc = await tx
      .insertInto('generated_documents')
      .values({
        authority_id: x.authority_id,
        person_id: x.person_id,
        transfer_id: x.id,
        kind: 'transfer_pack',
        recipient: withWhom,
        title: 'Transfer pack (sent to another authority)',
        body: JSON.stringify(pack, null, 2),
        created_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('information_sharing')
      .values({
        authority_id: x.authority_id,
        person_id: x.person_id,
        what: 'Transfer pack: summary, statuses, involvements, contacts, key dates and history',
        with_whom: withWhom,
        purpose: 'The case is transferring to the other authority (Kent transfer protocol 1.5)',
        lawful_basis: ACROSS_BASIS,
        shared_by: user.id,
        shared_at: this.now(),
        document_id: doc.id,
      })
      .execute();
  }

  /**
   * Completes a transfer to another authority on this installation: the receiving authority gets its own record of
   * the child (a copy, with the whole history) and its worker is allocated on it; in the same transaction the
   * sending record is closed as transferred out (its involvement and open statuses end), so the sending worker holds
   * the case until the receiving worker is allocated. The sharing and the audit are recorded in both authorities.
   */
  private async completeAcross(tx: Tx, user: AuthUser, x: Loaded, workerId: string, workerName: string) {
    const from = x.authority_id;
    const to = x.to_authority_id as string;
    const fromName = x.from_authority_label ?? 'the sending authority';
    const now = this.now();
    const today = this.today();
    const p = await tx.selectFrom('people').where('id', '=', x.person_id).selectAll().executeTakeFirstOrThrow();
    const caseNumber = await nextCaseNumber(tx, to);
    const clash = {
      nhs: p.nhs_number ? await identifierTaken(tx, to, 'nhs_number', p.nhs_number) : false,
      upn: p.upn ? await identifierTaken(tx, to, 'upn', p.upn) : false,
    };
    const copy = await tx
      .insertInto('people')
      .values({
        authority_id: to,
        case_number: caseNumber,
        given_name: p.given_name,
        family_name: p.family_name,
        preferred_name: p.preferred_name,
        date_of_birth: p.date_of_birth,
        gender: p.gender,
        nhs_number: clash.nhs ? null : p.nhs_number,
        upn: clash.upn ? null : p.upn,
        address: p.address,
        postcode: p.postcode,
        school: p.school,
        locality_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The receiving worker first: from here the child has a worker in the receiving authority.
    const inv = await tx
      .insertInto('involvements')
      .values({
        authority_id: to,
        person_id: copy.id,
        team_id: x.to_team_id as string,
        worker_id: workerId,
        reason: `Transfer from ${fromName}, ${x.from_team_name}`,
        start_date: today,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [statuses, contacts, assessments, events, involvements] = await Promise.all([
      tx.selectFrom('person_statuses').where('person_id', '=', p.id).selectAll().execute(),
      tx.selectFrom('contacts').where('person_id', '=', p.id).selectAll().execute(),
      tx.selectFrom('assessments').where('person_id', '=', p.id).selectAll().execute(),
      tx.selectFrom('events').where('person_id', '=', p.id).orderBy('at').orderBy('id').selectAll().execute(),
      tx
        .selectFrom('involvements as i')
        .innerJoin('teams as t', 't.id', 'i.team_id')
        .leftJoin('users as w', 'w.id', 'i.worker_id')
        .where('i.person_id', '=', p.id)
        .orderBy('i.start_date')
        .select(['t.name as team', 'w.display_name as worker', 'i.reason', 'i.start_date', 'i.end_date'])
        .execute(),
    ]);
    for (const st of statuses)
      await tx
        .insertInto('person_statuses')
        .values({
          authority_id: to,
          person_id: copy.id,
          status: st.status,
          start_date: st.start_date,
          end_date: st.end_date,
        })
        .execute();
    for (const c of contacts)
      await tx
        .insertInto('contacts')
        .values({
          authority_id: to,
          person_id: copy.id,
          name: c.name,
          relationship: c.relationship,
          phone: c.phone,
          email: c.email,
          address: c.address,
          parental_responsibility: c.parental_responsibility,
        })
        .execute();
    for (const a of assessments)
      await tx
        .insertInto('assessments')
        .values({
          authority_id: to,
          person_id: copy.id,
          involvement_id: inv.id,
          kind: `${a.kind} (${fromName})`,
          completed_on: a.completed_on,
          summary: a.summary,
        })
        .execute();
    const note = `from the ${fromName} record`;
    for (const e of events)
      await tx
        .insertInto('events')
        .values({
          authority_id: to,
          person_id: copy.id,
          at: e.at,
          kind: e.kind,
          title: e.title,
          detail: e.detail ? `${e.detail} (${note})` : `(${note})`,
          actor_id: null,
        })
        .execute();
    for (const i of involvements)
      await tx
        .insertInto('events')
        .values({
          authority_id: to,
          person_id: copy.id,
          at: new Date(`${i.start_date}T00:00:00Z`),
          kind: 'involvement',
          title: `${fromName}: ${i.team} involved`,
          detail: `${i.worker ?? 'Unallocated'}; ${i.reason}; ${i.start_date} to ${i.end_date ?? today}`,
          actor_id: null,
        })
        .execute();
    await insertEvent(tx, {
      authority_id: to,
      person_id: copy.id,
      kind: 'transfer',
      title: `Transferred in from ${fromName} (their case ${p.case_number}); allocated to ${workerName} in ${x.to_team_name}`,
      detail:
        [
          clash.nhs ? `NHS number ${p.nhs_number} is already on another record here: check for a duplicate` : '',
          clash.upn ? `UPN ${p.upn} is already on another record here: check for a duplicate` : '',
        ]
          .filter(Boolean)
          .join('. ') || null,
      actor_id: user.id,
    });
    // The sending record closes: the transferring involvement and the statuses it held end today, together.
    await tx
      .updateTable('involvements')
      .set((eb) => ({ end_date: today, version: eb('version', '+', 1) }))
      .where('id', '=', x.from_involvement_id)
      .where('end_date', 'is', null)
      .execute();
    await tx
      .updateTable('person_statuses')
      .set({ end_date: today })
      .where('person_id', '=', p.id)
      .where('end_date', 'is', null)
      .execute();
    await this.touch(tx, x.id, {
      status: 'completed',
      allocated_worker_id: workerId,
      completed_at: now,
      to_person_id: copy.id,
      to_involvement_id: inv.id,
    });
    await insertEvent(tx, {
      authority_id: from,
      person_id: p.id,
      kind: 'transfer',
      title: `Transferred out to ${x.to_authority_label}: allocated to ${workerName} in ${x.to_team_name}`,
      detail: `${x.from_team_name} involvement and the open statuses ended; ${x.to_authority_label} holds the case from today`,
      actor_id: user.id,
    });
    await tx
      .insertInto('information_sharing')
      .values([
        {
          authority_id: from,
          person_id: p.id,
          what: 'The case record: person, statuses, contacts, assessments, involvements and timeline',
          with_whom: `${x.to_authority_label}, ${x.to_team_name}`,
          purpose: 'The case transferred to the other authority (Kent transfer protocol 1.5)',
          lawful_basis: ACROSS_BASIS,
          shared_by: user.id,
          shared_at: now,
        },
        {
          authority_id: to,
          person_id: copy.id,
          what: `The case record received from ${fromName} (their case ${p.case_number})`,
          with_whom: `${fromName} (received from)`,
          purpose: 'The case transferred to this authority (Kent transfer protocol 1.5)',
          lawful_basis: ACROSS_BASIS,
          shared_by: user.id,
          shared_at: now,
        },
      ])
      .execute();
    await insertAudit(tx, {
      authorityId: from,
      actorId: user.id,
      action: 'transfer-out',
      entity: 'person',
      entityId: p.id,
      personId: p.id,
      detail: { transfer_id: x.id, to_authority_id: to, to_person_id: copy.id },
    });
    await insertAudit(tx, {
      authorityId: to,
      actorId: user.id,
      action: 'transfer-in',
      entity: 'person',
      entityId: copy.id,
      personId: copy.id,
      detail: { transfer_id: x.id, from_authority_id: from, from_person_id: p.id, worker_id: workerId },
    });
    await this.writeNotices(tx, user, { ...x, allocated_worker_id: workerId }, 'allocated');
  }

  /** A transfer into one of the user's teams from another authority on this installation, with its pack. */
  async incoming(user: AuthUser, transferId: string, channel: 'page' | 'api' = 'page') {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('transfers')
        .where('id', '=', transferId)
        .where('to_authority_id', '=', user.authorityId)
        .where('sent_at', 'is not', null)
        .select(['authority_id', 'person_id', 'to_team_id'])
        .executeTakeFirst();
      if (!row) throw new NotFound('No transfer into your authority with that reference.');
      if (!row.to_team_id || !this.isManagerOf(user, row.to_team_id))
        throw new Forbidden('A team manager of the receiving team sees a transfer from another authority.');
      const x = (await repo.findTransfer(tx, row.authority_id, row.person_id, transferId)) as Loaded;
      // Read in the sending authority's record: its access log shows who in the receiving authority read it.
      await insertAccess(tx, {
        authorityId: x.authority_id,
        personId: x.person_id,
        userId: user.id,
        channel,
        purpose: 'incoming-transfer',
        breakGlassId: null,
      });
      const [pack, tasks, workers] = await Promise.all([
        this.buildPack(tx, x.person_id, x),
        repo.tasksOfTransfer(tx, x.id),
        this.teamWorkers(tx, row.to_team_id),
      ]);
      return {
        transfer: x,
        pack,
        tasks,
        workers,
        may: { accept: x.status === 'sent', allocate: x.status === 'accepted' },
      };
    });
  }

  /** Runs `act` on an incoming transfer (accept, return, allocate) with its person. */
  async actOnIncoming(
    user: AuthUser,
    transferId: string,
    act: (personId: string) => Promise<unknown>,
  ): Promise<{ personId: string; toPersonId: string | null; status: string; version: number }> {
    const row = await this.db
      .selectFrom('transfers')
      .where('id', '=', transferId)
      .where('to_authority_id', '=', user.authorityId)
      .select(['person_id'])
      .executeTakeFirst();
    if (!row) throw new NotFound('No transfer into your authority with that reference.');
    await act(row.person_id);
    const after = await this.db
      .selectFrom('transfers')
      .where('id', '=', transferId)
      .select(['to_person_id', 'status', 'version'])
      .executeTakeFirstOrThrow();
    return { personId: row.person_id, toPersonId: after.to_person_id, status: after.status, version: after.version };
  }

  // ---- the transfer pack ----------------------------------------------------------------------------------

  /** Everything a receiving team or authority needs: summary, statuses, involvements, contacts, key dates, history. */
  async pack(user: AuthUser, access: PersonAccess, transferId: string) {
    return this.db.transaction().execute(async (tx) => {
      const person = await this.readPerson(tx, user, access, 'transfer-pack', 'export');
      const x = await this.load(tx, user, person.id, transferId);
      return this.buildPack(tx, person.id, x);
    });
  }

  private async buildPack(tx: Tx, personId: string, x: Loaded) {
    const person = { id: personId };
    {
      const full = await tx
        .selectFrom('people')
        .where('id', '=', person.id)
        .select([
          'case_number',
          'given_name',
          'family_name',
          'date_of_birth',
          'nhs_number',
          'upn',
          'address',
          'postcode',
          'school',
        ])
        .executeTakeFirstOrThrow();
      const [statuses, involvements, contacts, assessments, history] = await Promise.all([
        tx
          .selectFrom('person_statuses')
          .where('person_id', '=', person.id)
          .orderBy('start_date')
          .select(['status', 'start_date', 'end_date'])
          .execute(),
        tx
          .selectFrom('involvements as i')
          .innerJoin('teams as t', 't.id', 'i.team_id')
          .leftJoin('users as w', 'w.id', 'i.worker_id')
          .where('i.person_id', '=', person.id)
          .orderBy('i.start_date')
          .select(['t.name as team', 'w.display_name as worker', 'i.reason', 'i.start_date', 'i.end_date'])
          .execute(),
        tx
          .selectFrom('contacts')
          .where('person_id', '=', person.id)
          .select(['name', 'relationship', 'phone', 'email', 'address', 'parental_responsibility'])
          .execute(),
        tx
          .selectFrom('assessments')
          .where('person_id', '=', person.id)
          .orderBy('completed_on', 'desc')
          .select(['kind', 'completed_on'])
          .execute(),
        tx
          .selectFrom('events')
          .where('person_id', '=', person.id)
          .orderBy('at')
          .orderBy('id')
          .limit(1000)
          .select(['at', 'kind', 'title', 'detail'])
          .execute(),
      ]);
      return {
        generated_at: this.now().toISOString(),
        transfer: {
          from_team: x.from_team_name,
          to_team: x.to_team_name,
          from_authority: x.from_authority_label,
          to_authority: x.to_authority_label,
          status: x.status,
          reason: x.reason,
          requested_at: x.requested_at.toISOString(),
        },
        person: full,
        summary: {
          updated_information: x.summary_updated_information,
          important_dates: x.summary_important_dates,
          urgent_actions: x.summary_urgent_actions,
          signed_off_by: x.signed_off_by_name,
        },
        statuses,
        involvements,
        contacts,
        key_dates: [
          { what: 'Date of birth', date: full.date_of_birth },
          {
            what: '18th birthday',
            date: `${Number(full.date_of_birth.slice(0, 4)) + 18}${full.date_of_birth.slice(4)}`,
          },
          ...statuses.map((s) => ({ what: `${s.status.replace(/_/g, ' ')} started`, date: s.start_date })),
          ...assessments.map((a) => ({ what: `${a.kind} completed`, date: a.completed_on })),
          ...(x.meeting_date ? [{ what: 'Handover meeting', date: x.meeting_date }] : []),
        ],
        history: history.map((e) => ({ at: e.at.toISOString(), kind: e.kind, title: e.title, detail: e.detail })),
      };
    }
  }

  /** Shares the pack with another organisation: the document and an information-sharing record, together. */
  async sharePack(user: AuthUser, access: PersonAccess, transferId: string, body: Body) {
    const errors: Record<string, string> = {};
    const withWhom = longText(body, 'with_whom', 'who receives the pack', errors);
    const purpose = longText(body, 'purpose', 'why it is shared', errors);
    const basis = longText(
      body,
      'lawful_basis',
      'the lawful basis, for example Children Act 1989 s.17 and UK GDPR Article 6(1)(e)',
      errors,
    );
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const pack = await this.pack(user, access, transferId);
    return this.db.transaction().execute(async (tx) => {
      const doc = await tx
        .insertInto('generated_documents')
        .values({
          authority_id: user.authorityId,
          person_id: access.personId,
          transfer_id: transferId,
          kind: 'transfer_pack',
          recipient: withWhom,
          title: 'Transfer pack',
          body: JSON.stringify(pack, null, 2),
          created_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('information_sharing')
        .values({
          authority_id: user.authorityId,
          person_id: access.personId,
          what: 'Transfer pack: summary, statuses, involvements, contacts, key dates and history',
          with_whom: withWhom,
          purpose,
          lawful_basis: basis,
          shared_by: user.id,
          shared_at: this.now(),
          document_id: doc.id,
        })
        .execute();
      await insertEvent(tx, {
        authority_id: user.authorityId,
        person_id: access.personId,
        kind: 'sharing',
        title: `Transfer pack shared with ${withWhom}`,
        detail: `Purpose: ${purpose}. Lawful basis: ${basis}`,
        actor_id: user.id,
      });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'share',
        entity: 'transfer_pack',
        entityId: doc.id,
        personId: access.personId,
      });
      return doc.id;
    });
  }

  async document(user: AuthUser, access: PersonAccess, documentId: string) {
    return this.db.transaction().execute(async (tx) => {
      await this.readPerson(tx, user, access, 'document', 'print');
      const d = await tx
        .selectFrom('generated_documents')
        .where('id', '=', documentId)
        .where('person_id', '=', access.personId)
        .where('authority_id', '=', user.authorityId)
        .selectAll()
        .executeTakeFirst();
      if (!d) throw new NotFound('No document with that reference on this record.');
      return d;
    });
  }

  // ---- timeliness -----------------------------------------------------------------------------------------

  async timeliness(user: AuthUser) {
    const rows = await repo.completedTimings(this.db, user.authorityId);
    const days = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 86_400_000;
    const byTeam = new Map<string, { team: string; toAccept: number[]; toAllocate: number[]; total: number[] }>();
    for (const r of rows) {
      const t = byTeam.get(r.team_id) ?? { team: r.team_name, toAccept: [], toAllocate: [], total: [] };
      if (r.accepted_at) t.toAccept.push(days(r.requested_at, r.accepted_at));
      if (r.accepted_at && r.completed_at) {
        t.toAllocate.push(days(r.accepted_at, r.completed_at));
        t.total.push(days(r.requested_at, r.completed_at));
      }
      byTeam.set(r.team_id, t);
    }
    const fmt = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return [...byTeam.values()]
      .sort((a, b) => a.team.localeCompare(b.team))
      .map((t) => ({
        team: t.team,
        count: t.toAccept.length,
        acceptMedian: fmt(quantile(t.toAccept, 0.5)),
        acceptP90: fmt(quantile(t.toAccept, 0.9)),
        allocateMedian: fmt(quantile(t.toAllocate, 0.5)),
        allocateP90: fmt(quantile(t.toAllocate, 0.9)),
        totalMedian: fmt(quantile(t.total, 0.5)),
        totalP90: fmt(quantile(t.total, 0.9)),
      }));
  }

  // ---- contingency planning -------------------------------------------------------------------------------

  async suspensions(user: AuthUser) {
    return repo.suspensionsOf(this.db, user.authorityId);
  }

  async requestSuspension(user: AuthUser, body: Body) {
    const errors: Record<string, string> = {};
    const part = text(body, 'part');
    if (!Object.hasOwn(SUSPENDABLE_PARTS, part)) errors.part = 'Choose the part of the protocol to suspend';
    const teamId = text(body, 'team_id');
    if (teamId && !UUID.test(teamId)) errors.team_id = 'Choose a team from the list';
    const reason = longText(body, 'reason', 'the local pressure behind the request', errors);
    const impact = longText(body, 'impact', 'how it will affect the transfer protocol', errors);
    const mitigations = longText(body, 'mitigations', 'the actions in place to reduce the risk', errors);
    const starts = dateInput(body, 'starts_date').value;
    const ends = dateInput(body, 'ends_date').value;
    if (!starts || !isRealDate(starts))
      errors.starts_date = 'Enter the date the suspension starts, for example 1 12 2026';
    if (!ends || !isRealDate(ends)) errors.ends_date = 'Enter the date the suspension ends, for example 31 12 2026';
    else if (starts && isRealDate(starts) && (ends < starts || ends > addDays(starts, 90)))
      errors.ends_date = 'The suspension must end on or after its start, and within 90 days of it';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.db.transaction().execute(async (tx) => {
      if (
        teamId &&
        !(await tx
          .selectFrom('teams')
          .where('id', '=', teamId)
          .where('authority_id', '=', user.authorityId)
          .select('id')
          .executeTakeFirst())
      )
        throw new ValidationError({ team_id: 'Choose a team from the list' });
      const row = await tx
        .insertInto('protocol_suspensions')
        .values({
          authority_id: user.authorityId,
          team_id: teamId || null,
          part,
          reason,
          impact,
          mitigations,
          starts_on: starts,
          ends_on: ends,
          requested_by: user.id,
          requested_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const toTell = await tx
        .selectFrom('users')
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .where((eb) =>
          eb.or([
            sql<boolean>`roles @> ARRAY['ifs_manager']::text[]`,
            sql<boolean>`roles @> ARRAY['assistant_director']::text[]`,
          ]),
        )
        .select(['id', 'roles'])
        .execute();
      for (const u of toTell)
        await notifyUser(tx, {
          authorityId: user.authorityId,
          userId: u.id,
          message: u.roles.includes('ifs_manager')
            ? 'A request to suspend part of the transfer protocol needs your decision'
            : 'For your attention: a request to suspend part of the transfer protocol',
          link: '/transfers/contingency',
          reference: `suspension/${row.id.slice(0, 8)}`,
          baseUrl: this.config.baseUrl,
        });
      if (!toTell.some((u) => u.roles.includes('ifs_manager')))
        await tx
          .insertInto('alerts')
          .values({
            authority_id: user.authorityId,
            role: 'ifs_manager',
            kind: 'contingency',
            message: 'A request to suspend part of the transfer protocol needs a decision',
            link: '/transfers/contingency',
          })
          .execute();
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: 'request',
        entity: 'protocol_suspension',
        entityId: row.id,
        detail: { part, starts, ends },
      });
      return row.id;
    });
  }

  async decideSuspension(user: AuthUser, id: string, body: Body) {
    const decision = text(body, 'decision');
    const errors: Record<string, string> = {};
    if (decision !== 'approved' && decision !== 'refused')
      errors.decision = 'Choose whether to approve or refuse the suspension';
    const note = longText(body, 'decision_note', 'the reason for your decision', errors);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    await this.db.transaction().execute(async (tx) => {
      const s = await tx
        .selectFrom('protocol_suspensions')
        .where('id', '=', id)
        .where('authority_id', '=', user.authorityId)
        .forUpdate()
        .selectAll()
        .executeTakeFirst();
      if (!s) throw new NotFound('No suspension request with that reference.');
      if (s.status !== 'requested') throw new Conflict('This request has already been decided.');
      await tx
        .updateTable('protocol_suspensions')
        .set((eb) => ({
          status: decision as 'approved' | 'refused',
          decided_by: user.id,
          decided_at: this.now(),
          decision_note: note,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
      const ad = await tx
        .selectFrom('users')
        .where('authority_id', '=', user.authorityId)
        .where('active', '=', true)
        .where(sql<boolean>`roles @> ARRAY['assistant_director']::text[]`)
        .select('id')
        .execute();
      for (const u of [...ad.map((a) => a.id), s.requested_by])
        await notifyUser(tx, {
          authorityId: user.authorityId,
          userId: u,
          message: `A transfer protocol suspension was ${decision}`,
          link: '/transfers/contingency',
          reference: `suspension/${id.slice(0, 8)}`,
          baseUrl: this.config.baseUrl,
        });
      await insertAudit(tx, {
        authorityId: user.authorityId,
        actorId: user.id,
        action: decision,
        entity: 'protocol_suspension',
        entityId: id,
      });
    });
  }
}

/** Service managers of the team's own service first. */
function sqlServiceFirst(serviceId: string) {
  return (eb: import('kysely').ExpressionBuilder<import('../../db/schema.ts').Database, 'users'>) =>
    eb.case().when('service_id', '=', serviceId).then(0).else(1).end();
}
