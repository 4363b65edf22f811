/**
 * Migration 0003: what LTI launches link to in Handshake (an LMS course to a class, a platform
 * user to a learner or an instructor account), single-use sign-in hand-offs, platform-storage
 * logins, and the grades on their way back (line items per lesson, a retried queue of scores).
 */
import type { Kysely } from 'kysely';

// Kysely's migrations take Kysely<any>: the schema they build is not yet the typed Schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Creates the LTI link, hand-off and grade tables. */
export async function ltiLinkTables(db: AnyDb): Promise<void> {
  await contextTables(db);
  await userTables(db);
  await gradeTables(db);
  // A login started inside the LMS's frame keeps its state in the platform's storage instead of
  // a cookie: the frame to talk to, and the hash of the secret stored there.
  await db.schema.alterTable('lti_logins').addColumn('storage_target', 'text').execute();
  await db.schema.alterTable('lti_logins').addColumn('binding_hash', 'text').execute();
}

async function contextTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('lti_contexts')
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('lti_registrations.id').onDelete('cascade'),
    )
    .addColumn('deployment_id', 'text', (c) => c.notNull())
    .addColumn('context_id', 'text', (c) => c.notNull())
    .addColumn('class_id', 'text', (c) =>
      c.notNull().unique().references('classes.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('lineitems_url', 'text')
    .addColumn('ags_scopes', 'text')
    .addColumn('memberships_url', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lti_contexts_pk', ['registration_id', 'deployment_id', 'context_id'])
    .execute();
  await db.schema
    .createTable('lti_handoffs')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('learner_id', 'text', (c) => c.references('learners.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

async function userTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('lti_users')
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('lti_registrations.id').onDelete('cascade'),
    )
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('lti_users_pk', ['registration_id', 'subject'])
    .execute();
  await db.schema
    .createTable('lti_learners')
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('lti_registrations.id').onDelete('cascade'),
    )
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('learner_id', 'text', (c) =>
      c.notNull().unique().references('learners.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('lti_learners_pk', ['registration_id', 'subject', 'class_id'])
    .execute();
}

async function gradeTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('lti_line_items')
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id').onDelete('cascade'))
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lti_line_items_pk', ['class_id', 'lesson_id'])
    .execute();
  await db.schema
    .createTable('lti_grade_queue')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('learner_id', 'text', (c) =>
      c.notNull().references('learners.id').onDelete('cascade'),
    )
    .addColumn('class_id', 'text', (c) => c.notNull())
    .addColumn('lesson_id', 'text', (c) => c.notNull())
    .addColumn('score_given', 'real', (c) => c.notNull())
    .addColumn('score_maximum', 'real', (c) => c.notNull())
    .addColumn('activity_progress', 'text', (c) => c.notNull())
    .addColumn('grading_progress', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addUniqueConstraint('lti_grade_queue_learner_lesson', ['learner_id', 'lesson_id'])
    .execute();
  await db.schema
    .createIndex('lti_grade_queue_due_idx')
    .on('lti_grade_queue')
    .column('next_attempt_at')
    .execute();
}
