// Summaries written for a pseudonymised panel (Transitions Governance Group, SEND board): issue 9 finding 2.
// The panel sees structured facts and this text only. The identifier detector checks it when it is saved and again
// when the case is sent; each finding must be changed or confirmed as not identifying (recorded in the audit).
import type { Executor, Tx } from '../../db/database.ts';
import { detectIdentifiers, FINDING_LABELS, type Finding, findingKey } from '../../domain/identifier-detector.ts';
import { Conflict, NotFound } from '../../http/errors.ts';
import { ValidationError } from '../../http/forms.ts';
import type { AuthUser } from '../../http/types.ts';
import { type Ctx, record } from './context.ts';
import { PANEL_NAMES } from './panels.ts';
import type { AudienceSummaryInput } from './schemas.ts';

export type Audience = 'governance' | 'send_board';
export const AUDIENCES: readonly Audience[] = ['governance', 'send_board'];

export function isAudience(v: string): v is Audience {
  return (AUDIENCES as readonly string[]).includes(v);
}

/** Every name of a young person or contact of the authority, as distinct words. */
export async function knownNames(db: Executor, authorityId: string): Promise<string[]> {
  const [people, contacts] = await Promise.all([
    db
      .selectFrom('people')
      .where('authority_id', '=', authorityId)
      .select(['given_name', 'family_name', 'preferred_name'])
      .execute(),
    db.selectFrom('contacts').where('authority_id', '=', authorityId).select('name').execute(),
  ]);
  const out = new Set<string>();
  for (const p of people) for (const n of [p.given_name, p.family_name, p.preferred_name]) if (n) out.add(n);
  for (const c of contacts) out.add(c.name);
  return [...out];
}

/** The detector's findings that the writer has not confirmed, as field errors the page and API show. */
export function unconfirmedErrors(findings: Finding[], confirmed: ReadonlySet<string>): Record<string, string> {
  const errors: Record<string, string> = {};
  findings.forEach((f, i) => {
    if (confirmed.has(findingKey(f))) return;
    errors[`confirm-${i}`] =
      `“${f.excerpt}” may be ${FINDING_LABELS[f.kind]}: change the summary, or confirm it does not identify anyone (confirm value ${findingKey(f)})`;
  });
  return errors;
}

export async function audienceSummary(ctx: Ctx, user: AuthUser, personId: string, audience: Audience) {
  return ctx.db
    .selectFrom('audience_summaries')
    .where('person_id', '=', personId)
    .where('authority_id', '=', user.authorityId)
    .where('audience', '=', audience)
    .selectAll()
    .executeTakeFirst();
}

/** Saves the summary once every detector finding is changed or confirmed; the confirmations go in the audit. */
export async function saveAudienceSummary(
  ctx: Ctx,
  user: AuthUser,
  personId: string,
  audience: Audience,
  input: AudienceSummaryInput,
): Promise<{ findings: Finding[] }> {
  const version = input.version ?? null;
  return ctx.db.transaction().execute(async (tx) => {
    const findings = detectIdentifiers(input.summary, { names: await knownNames(tx, user.authorityId) });
    const errors = unconfirmedErrors(findings, new Set(input.confirm));
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const confirmed = findings.map((f) => ({ key: findingKey(f), kind: f.kind }));
    const values = {
      summary: input.summary,
      needs_categories: input.needs_categories,
      confirmed: JSON.stringify(confirmed),
      written_by: user.id,
    };
    const existing = await tx
      .selectFrom('audience_summaries')
      .where('person_id', '=', personId)
      .where('audience', '=', audience)
      .select(['id', 'version'])
      .forUpdate()
      .executeTakeFirst();
    if (existing && version !== null && version !== existing.version)
      throw new Conflict('Someone else changed this summary. Reload it and make your changes again.');
    const id = existing
      ? (
          await tx
            .updateTable('audience_summaries')
            .set({ ...values, version: existing.version + 1, updated_at: ctx.now() })
            .where('id', '=', existing.id)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      : (
          await tx
            .insertInto('audience_summaries')
            .values({ ...values, authority_id: user.authorityId, person_id: personId, audience })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
    await record(tx, user, personId, `Summary for the ${PANEL_NAMES[audience]} written (without personal details)`, {
      action: existing ? 'update' : 'create',
      entity: 'audience_summary',
      entityId: id,
      detail: {
        audience,
        findings: findings.length,
        // Who confirmed what: the writer, for each finding the detector raised.
        confirmed_not_identifying: findings.map((f) => ({ kind: f.kind, excerpt: f.excerpt, by: user.id })),
      },
    });
    return { findings };
  });
}

/**
 * Before a case goes to a pseudonymised panel: its summary for that panel exists and every finding of the detector
 * (run again: names may have been added since) was confirmed by the writer. Otherwise the step is refused.
 */
export async function checkedSummaryFor(tx: Tx, authorityId: string, personId: string, audience: Audience) {
  const row = await tx
    .selectFrom('audience_summaries')
    .where('person_id', '=', personId)
    .where('authority_id', '=', authorityId)
    .where('audience', '=', audience)
    .select(['summary', 'needs_categories', 'confirmed'])
    .executeTakeFirst();
  const where = `“Summary for the ${PANEL_NAMES[audience]}” on the plan`;
  if (!row)
    throw new ValidationError({
      outcome: `Write the ${where} before sending the case: the panel sees only that summary and the case’s structured facts`,
    });
  const findings = detectIdentifiers(row.summary, { names: await knownNames(tx, authorityId) });
  const errors = unconfirmedErrors(findings, new Set(row.confirmed.map((c) => c.key)));
  if (Object.keys(errors).length)
    throw new ValidationError({
      outcome: `The ${where} may identify someone (${Object.keys(errors).length} new finding(s)): check it again before sending the case`,
    });
  return row;
}

export function assertAudience(v: string): Audience {
  if (!isAudience(v)) throw new NotFound('No panel summary of that kind: use governance or send_board.');
  return v;
}

/** The detector's findings for a draft, for the page to list with a "confirm" box each. */
export async function findingsFor(ctx: Ctx, user: AuthUser, draft: string) {
  const findings = detectIdentifiers(draft, { names: await knownNames(ctx.db, user.authorityId) });
  return findings.map((f, i) => ({ ...f, id: `confirm-${i}`, key: findingKey(f), label: FINDING_LABELS[f.kind] }));
}
