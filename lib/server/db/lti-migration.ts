/**
 * Migration 0002: LTI 1.3 platforms the tool trusts (registrations and their deployments) and
 * the login states between an OIDC login initiation and its launch.
 */
import type { Kysely } from 'kysely';

// Kysely's migrations take Kysely<any>: the schema they build is not yet the typed Schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Creates the LTI tables. */
export async function ltiTables(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('lti_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('auth_login_url', 'text', (c) => c.notNull())
    .addColumn('auth_token_url', 'text', (c) => c.notNull())
    .addColumn('jwks_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('lti_registrations_issuer_client', ['issuer', 'client_id'])
    .execute();
  await db.schema
    .createTable('lti_deployments')
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('lti_registrations.id').onDelete('cascade'),
    )
    .addColumn('deployment_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lti_deployments_pk', ['registration_id', 'deployment_id'])
    .execute();
  await db.schema
    .createTable('lti_logins')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('registration_id', 'text', (c) =>
      c.notNull().references('lti_registrations.id').onDelete('cascade'),
    )
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lti_logins_expires_idx')
    .on('lti_logins')
    .column('expires_at')
    .execute();
}
