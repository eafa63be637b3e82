import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';
import * as core from './migrations/2026_11_22_0001_core.ts';
import * as protocols from './migrations/2026_11_22_0010_protocols.ts';
import * as ehcp from './migrations/2026_11_22_0020_ehcp.ts';
import * as transfers from './migrations/2026_11_22_0030_transfers.ts';
import * as plans from './migrations/2026_11_22_0040_plans.ts';
import * as transfersEngine from './migrations/2026_11_22_0045_transfers_engine.ts';
import * as appRoleGrants from './migrations/2026_12_05_0110_app_role_grants.ts';
import * as audienceSummaries from './migrations/2026_12_05_0120_audience_summaries.ts';
import * as tokenLifecycle from './migrations/2026_12_05_0130_token_lifecycle.ts';
import * as loginThrottle from './migrations/2026_12_05_0140_login_throttle.ts';
import * as transfersFlow from './migrations/2026_12_05_0150_transfers_flow.ts';
import * as referralFlow from './migrations/2026_12_05_0160_referral_flow.ts';
import * as ehcpFlow from './migrations/2026_12_05_0170_ehcp_flow.ts';
import * as statusEndReason from './migrations/2026_12_05_0180_status_end_reason.ts';
import * as caseNotes from './migrations/2026_12_05_0190_case_notes.ts';
import * as notificationSubjects from './migrations/2026_12_06_0100_notification_subjects.ts';
import * as documents from './migrations/2026_12_06_0200_documents.ts';
import * as findAndImport from './migrations/2026_12_06_0300_find_and_import.ts';
import * as auditBulkLinear from './migrations/2026_12_06_0310_audit_bulk_linear.ts';
import * as auditBulkInline from './migrations/2026_12_06_0320_audit_bulk_inline.ts';
import * as transferSummaryWriter from './migrations/2026_12_06_0400_transfer_summary_writer.ts';
import * as caseNoteDrafts from './migrations/2026_12_06_0600_case_note_drafts.ts';
import * as adviceDocuments from './migrations/2026_12_07_0100_advice_documents.ts';
import * as auditBulkForeach from './migrations/2026_12_07_0200_audit_bulk_foreach.ts';
import * as recordVersions from './migrations/2026_12_08_0400_record_versions.ts';
import * as retention from './migrations/2026_12_08_0500_retention.ts';
import * as subjectAccess from './migrations/2026_12_08_0600_subject_access.ts';
import * as sharingRecords from './migrations/2026_12_08_0700_sharing_records.ts';
import * as safeguardingCore from './migrations/2026_12_09_0100_safeguarding_core.ts';
import * as systemBlocks from './migrations/2026_12_09_1200_system_blocks.ts';
import * as exploitationMeetings from './migrations/2026_12_09_1300_exploitation_meetings.ts';
import * as solutionsConsultations from './migrations/2026_12_09_1400_solutions_consultations.ts';
import * as mentoring from './migrations/2026_12_09_1500_mentoring.ts';
import * as transitionPlans from './migrations/2026_12_09_1600_transition_plans.ts';
import * as riskAndSharingSources from './migrations/2026_12_09_1700_risk_and_sharing_sources.ts';
import * as sendHubs from './migrations/2026_12_10_0100_send_hubs.ts';
import * as sendRequestChildName from './migrations/2026_12_10_0300_send_request_child_name.ts';
import * as directoryIds from './migrations/2026_12_11_0100_directory_ids.ts';
import * as ssoTables from './migrations/2026_12_11_0200_sso.ts';
import * as scimTables from './migrations/2026_12_11_0300_scim.ts';
import * as twoFactorTables from './migrations/2026_12_11_0400_two_factor.ts';
import * as partnerInboxes from './migrations/2026_12_11_0500_partner_inboxes.ts';
import * as ehcPlans from './migrations/2026_12_12_0100_ehc_plans.ts';
import * as ehcPlanRepresentations from './migrations/2026_12_12_0110_ehc_plan_representations.ts';
import * as ehcReviews from './migrations/2026_12_12_0200_ehc_reviews.ts';
import * as ehcPlanChanges from './migrations/2026_12_12_0300_ehc_plan_changes.ts';
import * as citusReadiness from './migrations/2026_12_12_0500_citus_readiness.ts';
import * as ehcPlanWithdrawal from './migrations/2026_12_13_0100_ehc_plan_withdrawal.ts';
import * as workListIndexes from './migrations/2026_12_13_0400_work_list_indexes.ts';
import * as auditChainStatement from './migrations/2026_12_13_0500_audit_chain_statement.ts';
import * as unallocatedAndNameIndexes from './migrations/2026_12_14_0100_unallocated_and_name_indexes.ts';
import * as radarReviewIndex from './migrations/2026_12_14_0300_radar_review_index.ts';
import * as peopleUpnUnknown from './migrations/2026_12_15_0100_people_upn_unknown.ts';
import * as subscriptions from './migrations/2026_12_15_0200_subscriptions.ts';
import * as p3Indexes from './migrations/2026_12_15_0400_p3_indexes.ts';
import * as dashboardIndexes from './migrations/2026_12_16_0300_dashboard_indexes.ts';
import type { Database } from './schema.ts';

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone, and a JS Date would invent one.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint (counts, bigserial ids) as strings would surprise callers doing arithmetic; our counts fit in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: repositories take this first, the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export class DatabaseUnavailable extends Error {}

/**
 * A client that runs every parameterised query as a named prepared statement: PostgreSQL parses and plans it
 * once per connection instead of on every request (the session and relationship checks run on every page).
 * The name is a hash of the text, so the same query shape always reuses its statement. Queries without
 * parameters (migrations, BEGIN/COMMIT) are sent as they are: a prepared statement holds only one command.
 */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; this passes every form through.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      return super.query(
        { name: `h${createHash('sha1').update(config).digest('base64url')}`, text: config, values },
        callback,
      );
    }
    return super.query(config, values, callback);
  }
}

export function createDb(url: string, poolSize = 20): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    Client: PreparingClient,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // A connection dropped mid-transaction (failover, admin kill) errors on the client; the query fails, the
  // process must not.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Fails fast with one line when the database cannot be reached. */
export async function checkConnection(url: string, variable = 'DATABASE_URL'): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    const where = (() => {
      try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || 5432}${u.pathname}`;
      } catch {
        return variable;
      }
    })();
    throw new DatabaseUnavailable(
      `Cannot connect to PostgreSQL at ${where}: ${(e as Error).message}. Check ${variable}.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

// Migrations are listed here (not discovered on disk) so the bundle is explicit and ordered.
const migrations: Record<string, Migration> = {
  '2026_11_22_0001_core': core,
  '2026_11_22_0010_protocols': protocols,
  '2026_11_22_0020_ehcp': ehcp,
  '2026_11_22_0030_transfers': transfers,
  '2026_11_22_0040_plans': plans,
  '2026_11_22_0045_transfers_engine': transfersEngine,
  '2026_12_05_0110_app_role_grants': appRoleGrants,
  '2026_12_05_0120_audience_summaries': audienceSummaries,
  '2026_12_05_0130_token_lifecycle': tokenLifecycle,
  '2026_12_05_0140_login_throttle': loginThrottle,
  '2026_12_05_0150_transfers_flow': transfersFlow,
  '2026_12_05_0160_referral_flow': referralFlow,
  '2026_12_05_0170_ehcp_flow': ehcpFlow,
  '2026_12_05_0180_status_end_reason': statusEndReason,
  '2026_12_05_0190_case_notes': caseNotes,
  '2026_12_06_0100_notification_subjects': notificationSubjects,
  '2026_12_06_0200_documents': documents,
  '2026_12_06_0300_find_and_import': findAndImport,
  '2026_12_06_0310_audit_bulk_linear': auditBulkLinear,
  '2026_12_06_0320_audit_bulk_inline': auditBulkInline,
  '2026_12_06_0400_transfer_summary_writer': transferSummaryWriter,
  '2026_12_06_0600_case_note_drafts': caseNoteDrafts,
  '2026_12_07_0100_advice_documents': adviceDocuments,
  '2026_12_07_0200_audit_bulk_foreach': auditBulkForeach,
  '2026_12_08_0400_record_versions': recordVersions,
  '2026_12_08_0500_retention': retention,
  '2026_12_08_0600_subject_access': subjectAccess,
  '2026_12_08_0700_sharing_records': sharingRecords,
  '2026_12_09_0100_safeguarding_core': safeguardingCore,
  '2026_12_09_1600_transition_plans': transitionPlans,
  '2026_12_09_1700_risk_and_sharing_sources': riskAndSharingSources,
  '2026_12_09_1400_solutions_consultations': solutionsConsultations,
  '2026_12_09_1300_exploitation_meetings': exploitationMeetings,
  '2026_12_09_1500_mentoring': mentoring,
  '2026_12_09_1200_system_blocks': systemBlocks,
  '2026_12_10_0100_send_hubs': sendHubs,
  '2026_12_10_0300_send_request_child_name': sendRequestChildName,
  '2026_12_11_0100_directory_ids': directoryIds,
  '2026_12_11_0200_sso': ssoTables,
  '2026_12_11_0300_scim': scimTables,
  '2026_12_11_0400_two_factor': twoFactorTables,
  '2026_12_11_0500_partner_inboxes': partnerInboxes,
  '2026_12_12_0100_ehc_plans': ehcPlans,
  '2026_12_12_0110_ehc_plan_representations': ehcPlanRepresentations,
  '2026_12_12_0200_ehc_reviews': ehcReviews,
  '2026_12_12_0300_ehc_plan_changes': ehcPlanChanges,
  '2026_12_12_0500_citus_readiness': citusReadiness,
  '2026_12_13_0100_ehc_plan_withdrawal': ehcPlanWithdrawal,
  '2026_12_13_0400_work_list_indexes': workListIndexes,
  '2026_12_13_0500_audit_chain_statement': auditChainStatement,
  '2026_12_14_0100_unallocated_and_name_indexes': unallocatedAndNameIndexes,
  '2026_12_14_0300_radar_review_index': radarReviewIndex,
  '2026_12_15_0100_people_upn_unknown': peopleUpnUnknown,
  '2026_12_15_0200_subscriptions': subscriptions,
  '2026_12_15_0400_p3_indexes': p3Indexes,
  '2026_12_16_0300_dashboard_indexes': dashboardIndexes,
};

/** The names of the migrations the app runs (test/migrations-listed.test.ts checks every file is one). */
export function migrationNames(): string[] {
  return Object.keys(migrations);
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Unordered: work landing the same day in parallel (issue 11) adds migrations that sort before ones a database may
  // already have run; each is applied once all the same (docs/decisions.md).
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const denied = (error as { code?: string }).code === '42501';
    const hint = denied
      ? ' Migrations run as the role that owns the tables: set DATABASE_OWNER_URL (docs/database-roles.md).'
      : '';
    throw new Error(`Migration ${failed} failed: ${(error as Error).message}.${hint}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
