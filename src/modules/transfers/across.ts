// Transfers across authority boundaries on this installation (Kent 1.5): sharing the pack, the receiving
// authority's view and actions; completing the move with a copy of the record is in across-copy.ts.
import type { Tx } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../http/errors.ts';
import type { AuthUser } from '../../http/types.ts';
import { insertAccess } from '../audit/repository.ts';
import { type Ctx, isManagerOf, type Loaded, teamWorkers } from './context.ts';
import { buildPack, fileSharedPack } from './pack.ts';
import * as repo from './repository.ts';

/** The lawful basis recorded when a case moves between authorities (a local statement; councils adjust it). */
export const ACROSS_BASIS =
  'Children Act 1989 s.17 and s.47 (and s.20 for a child in care); UK GDPR Article 6(1)(e) and Article 9(2)(g) with DPA 2018 Schedule 1 paragraph 18';

/** Sending to another authority shares the pack with it: kept as a document, with an information-sharing record. */
export async function sharePackAcross(ctx: Ctx, tx: Tx, user: AuthUser, x: Loaded) {
  const pack = await buildPack(ctx, tx, x.person_id, x);
  const withWhom = `${x.to_authority_label}, ${x.to_team_name}`;
  await fileSharedPack(ctx, tx, {
    authorityId: x.authority_id,
    personId: x.person_id,
    transferId: x.id,
    userId: user.id,
    title: 'Transfer pack (sent to another authority)',
    pack,
    withWhom,
    purpose: 'The case is transferring to the other authority (Kent transfer protocol 1.5)',
    lawfulBasis: ACROSS_BASIS,
  });
}

/** A transfer into one of the user's teams from another authority on this installation, with its pack. */
export async function incoming(ctx: Ctx, user: AuthUser, transferId: string, channel: 'page' | 'api' = 'page') {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('transfers')
      .where('id', '=', transferId)
      .where('to_authority_id', '=', user.authorityId)
      .where('sent_at', 'is not', null)
      .select(['authority_id', 'person_id', 'to_team_id'])
      .executeTakeFirst();
    if (!row) throw new NotFound('No transfer into your authority with that reference.');
    if (!row.to_team_id || !isManagerOf(user, row.to_team_id))
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
      buildPack(ctx, tx, x.person_id, x),
      repo.tasksOfTransfer(tx, x.id),
      teamWorkers(tx, row.to_team_id),
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
export async function actOnIncoming(
  ctx: Ctx,
  user: AuthUser,
  transferId: string,
  act: (personId: string) => Promise<unknown>,
): Promise<{ personId: string; toPersonId: string | null; status: string; version: number }> {
  const row = await ctx.db
    .selectFrom('transfers')
    .where('id', '=', transferId)
    .where('to_authority_id', '=', user.authorityId)
    .select(['person_id'])
    .executeTakeFirst();
  if (!row) throw new NotFound('No transfer into your authority with that reference.');
  await act(row.person_id);
  const after = await ctx.db
    .selectFrom('transfers')
    .where('id', '=', transferId)
    .select(['to_person_id', 'status', 'version'])
    .executeTakeFirstOrThrow();
  return { personId: row.person_id, toPersonId: after.to_person_id, status: after.status, version: after.version };
}
