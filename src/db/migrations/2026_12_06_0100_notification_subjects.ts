// Frozen once landed: add a new migration rather than editing this one.
// Issue 11 (defect 3): a notification says where (a reference with the case number, never a name), points at what it
// is about (a protocol step), and is resolved when that moves on, so stale ones stop counting as unread.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE notifications
      ADD COLUMN reference text,
      ADD COLUMN subject_type text,
      ADD COLUMN subject_id uuid,
      ADD COLUMN resolved_at timestamptz,
      ADD CONSTRAINT notifications_subject_check CHECK ((subject_type IS NULL) = (subject_id IS NULL))
  `.execute(db);
  // Resolving looks up what still points at a step that has just moved on.
  await sql`
    CREATE INDEX notifications_subject_idx ON notifications(subject_type, subject_id) WHERE resolved_at IS NULL
  `.execute(db);
  // My notifications, newest first, a page at a time.
  await sql`CREATE INDEX notifications_user_idx ON notifications(user_id, created_at DESC, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX notifications_user_idx`.execute(db);
  await sql`DROP INDEX notifications_subject_idx`.execute(db);
  await sql`
    ALTER TABLE notifications DROP CONSTRAINT notifications_subject_check,
      DROP COLUMN resolved_at, DROP COLUMN subject_id, DROP COLUMN subject_type, DROP COLUMN reference
  `.execute(db);
}
