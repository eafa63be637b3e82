// Transfer points as data (Kent protocol: remits, step up and step down): a case in one team moves to another at
// an age, or when a case type starts (step up) or ends (step down). Set up by the council's administrator; the
// proposals in service.ts read them (rules.ts proposeTeam). Every change is one transaction with its audit row.
import type { Db, Executor, Tx } from '../../db/database.ts';
import { PERSON_STATUSES, type PersonStatus } from '../../domain/roles.ts';
import { NotFound } from '../../http/errors.ts';
import { type FieldErrors, UUID, ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { checkVersion, requireVersion } from '../../http/versions.ts';
import { insertAudit } from '../audit/repository.ts';
import { CASE_TYPES } from './rules.ts';
import { DIRECTIONS, type PointInput, type PointUpdateInput } from './schemas.ts';

const caseTypeLabel = (t: string) => {
  const label = PERSON_STATUSES[t as PersonStatus] ?? t.replace(/_/g, ' ');
  return label[0]?.toLowerCase() + label.slice(1);
};

export const directionItems = Object.entries(DIRECTIONS).map(([value, text]) => ({ value, text }));
export const pointCaseTypeItems = CASE_TYPES.map((value) => ({
  value,
  text: PERSON_STATUSES[value as PersonStatus] ?? value,
}));

/** 'At 16', 'Step up: when a child protection plan starts', 'At 18, for a child in care' */
export function describePoint(p: { direction: string; at_age: number | null; case_type: string | null }) {
  if (p.direction === 'age') {
    const at = `At ${p.at_age}`;
    return p.case_type ? `${at}, for a ${caseTypeLabel(p.case_type)} case` : at;
  }
  const verb = p.direction === 'step_up' ? 'starts' : 'ends';
  const what = p.case_type ? caseTypeLabel(p.case_type) : 'case type';
  const base = `Step ${p.direction === 'step_up' ? 'up' : 'down'}: when ${what} ${verb}`;
  return p.at_age === null ? base : `${base}, aged ${p.at_age} or over`;
}

async function listPoints(db: Executor, authorityId: string) {
  const rows = await db
    .selectFrom('transfer_points as p')
    .innerJoin('teams as f', 'f.id', 'p.from_team_id')
    .innerJoin('teams as t', 't.id', 'p.to_team_id')
    .where('p.authority_id', '=', authorityId)
    .orderBy('f.name')
    .orderBy('p.at_age')
    .orderBy('t.name')
    .select([
      'p.id',
      'p.from_team_id',
      'f.name as from_team_name',
      'p.to_team_id',
      't.name as to_team_name',
      'p.direction',
      'p.at_age',
      'p.case_type',
      'p.note',
      'p.version',
    ])
    .execute();
  return rows.map((r) => ({ ...r, description: describePoint(r) }));
}

export type PointView = Awaited<ReturnType<typeof listPoints>>[number];

/** Refuses a second point for the same team and trigger (age, or case type starting or ending), naming the first. */
async function refuseDuplicate(tx: Tx, authorityId: string, input: PointInput, id: string | null) {
  let dup = tx
    .selectFrom('transfer_points')
    .where('authority_id', '=', authorityId)
    .where('from_team_id', '=', input.from_team_id)
    .where('direction', '=', input.direction)
    .where((eb) => (input.at_age === null ? eb('at_age', 'is', null) : eb('at_age', '=', input.at_age)))
    .where((eb) => (input.case_type === null ? eb('case_type', 'is', null) : eb('case_type', '=', input.case_type)))
    .select(['id', 'to_team_id']);
  if (id) dup = dup.where('id', '<>', id);
  const existing = await dup.executeTakeFirst();
  if (existing) {
    const to = await tx.selectFrom('teams').where('id', '=', existing.to_team_id).select('name').executeTakeFirst();
    const where = to?.name ?? 'another team';
    throw new ValidationError({
      [input.direction === 'age' ? 'at_age' : 'case_type']:
        `This team already has a transfer point ${describePoint(input).toLowerCase()} (to ${where}): change that one instead`,
    });
  }
}

/**
 * Checks a point against the council's teams and its other points, and writes it with its audit row. The team
 * a case moves from is locked first, so two administrators adding the same point at once cannot both succeed.
 */
async function writePoint(tx: Tx, actor: AuthUser, input: PointInput, id: string | null): Promise<string> {
  const teams = await tx
    .selectFrom('teams')
    .where('authority_id', '=', actor.authorityId)
    .where('id', 'in', [input.from_team_id, input.to_team_id])
    .forNoKeyUpdate()
    .select(['id', 'name'])
    .execute();
  const errors: FieldErrors = {};
  if (!teams.some((t) => t.id === input.from_team_id))
    errors.from_team_id = 'Choose the team the case moves from from the list of your council’s teams';
  if (!teams.some((t) => t.id === input.to_team_id))
    errors.to_team_id = 'Choose the team the case moves to from the list of your council’s teams';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await refuseDuplicate(tx, actor.authorityId, input, id);
  const values = {
    from_team_id: input.from_team_id,
    to_team_id: input.to_team_id,
    direction: input.direction,
    at_age: input.at_age,
    case_type: input.case_type,
    note: input.note,
  };
  let pointId: string;
  if (id) {
    await tx
      .updateTable('transfer_points')
      .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    pointId = id;
  } else {
    const row = await tx
      .insertInto('transfer_points')
      .values({ authority_id: actor.authorityId, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    pointId = row.id;
  }
  await insertAudit(tx, {
    authorityId: actor.authorityId,
    actorId: actor.id,
    action: id ? 'update' : 'create',
    entity: 'transfer_point',
    entityId: pointId,
    detail: values,
  });
  return pointId;
}

export class TransferPointService {
  constructor(private readonly db: Db) {}

  async list(actor: AuthUser) {
    return listPoints(this.db, actor.authorityId);
  }

  async get(actor: AuthUser, id: string) {
    if (!UUID.test(id)) throw new NotFound('No transfer point with that reference.');
    const point = (await listPoints(this.db, actor.authorityId)).find((p) => p.id === id);
    if (!point) throw new NotFound('No transfer point with that reference.');
    return point;
  }

  /** The council's teams to choose from, with their remits in words. */
  async teamOptions(actor: AuthUser) {
    const rows = await this.db
      .selectFrom('teams')
      .where('authority_id', '=', actor.authorityId)
      .orderBy('name')
      .select(['id', 'name', 'remit_min_age', 'remit_max_age'])
      .execute();
    return rows.map((t) => ({ value: t.id, text: `${t.name} (ages ${t.remit_min_age}–${t.remit_max_age})` }));
  }

  async create(actor: AuthUser, input: PointInput): Promise<string> {
    return this.db.transaction().execute((tx) => writePoint(tx, actor, input, null));
  }

  /** Version-checked (issue 15 item 8): the row is locked, and a stale version refused (409). */
  async update(actor: AuthUser, id: string, { version: sent, ...input }: PointUpdateInput): Promise<void> {
    await this.get(actor, id);
    const readAgain = `GET /api/v1/transfer-points/${id}`;
    const version = requireVersion(sent, readAgain);
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('transfer_points')
        .where('id', '=', id)
        .where('authority_id', '=', actor.authorityId)
        .forUpdate()
        .select(['id', 'version'])
        .executeTakeFirst();
      if (!row) throw new NotFound('No transfer point with that reference.');
      checkVersion('transfer point', row.version, version, readAgain);
      await writePoint(tx, actor, input, id);
    });
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    if (!UUID.test(id)) throw new NotFound('No transfer point with that reference.');
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .deleteFrom('transfer_points')
        .where('id', '=', id)
        .where('authority_id', '=', actor.authorityId)
        .returning(['from_team_id', 'to_team_id', 'direction', 'at_age', 'case_type'])
        .executeTakeFirst();
      if (!row) throw new NotFound('No transfer point with that reference.');
      await insertAudit(tx, {
        authorityId: actor.authorityId,
        actorId: actor.id,
        action: 'delete',
        entity: 'transfer_point',
        entityId: id,
        detail: row,
      });
    });
  }
}
