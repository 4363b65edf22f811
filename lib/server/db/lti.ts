/**
 * LTI 1.3 registrations (the platforms the tool trusts, with their deployments) and login states
 * (each used by exactly one launch).
 */
import type { Kysely } from 'kysely';
import { hashToken, newId } from './ids.ts';
import type { Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** A platform registration: where its endpoints are and which client id it gave the tool. */
export interface LtiRegistration {
  id: string;
  issuer: string;
  clientId: string;
  authLoginUrl: string;
  authTokenUrl: string;
  jwksUrl: string;
}

/** What a login initiation remembers until its launch. */
export interface LtiLogin {
  nonce: string;
  registrationId: string;
  /** When the state is kept in the platform's storage (no cookie): its frame and secret's hash. */
  storage?: { target: string; bindingHash: string } | undefined;
}

type RegistrationRow = Schema['lti_registrations'];

function fromRow(row: RegistrationRow): LtiRegistration {
  return {
    id: row.id,
    issuer: row.issuer,
    clientId: row.client_id,
    authLoginUrl: row.auth_login_url,
    authTokenUrl: row.auth_token_url,
    jwksUrl: row.jwks_url,
  };
}

/** Registers a platform with its deployment ids; throws when issuer + client id is taken. */
export async function createLtiRegistration(
  db: Kysely<Schema>,
  input: Omit<LtiRegistration, 'id'> & { deploymentIds: string[] },
): Promise<LtiRegistration> {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('lti_registrations')
      .values({
        id,
        issuer: input.issuer,
        client_id: input.clientId,
        auth_login_url: input.authLoginUrl,
        auth_token_url: input.authTokenUrl,
        jwks_url: input.jwksUrl,
        created_at: isoTime(),
      })
      .execute();
    for (const deploymentId of new Set(input.deploymentIds))
      await tx
        .insertInto('lti_deployments')
        .values({ registration_id: id, deployment_id: deploymentId })
        .execute();
  });
  const { deploymentIds: _, ...registration } = input;
  return { id, ...registration };
}

/** Adds a deployment id to a registration (no-op when it is there already). */
export async function addLtiDeployment(
  db: Kysely<Schema>,
  registrationId: string,
  deploymentId: string,
): Promise<void> {
  await db
    .insertInto('lti_deployments')
    .values({ registration_id: registrationId, deployment_id: deploymentId })
    .onConflict((oc) => oc.columns(['registration_id', 'deployment_id']).doNothing())
    .execute();
}

/**
 * The registration of `issuer`: the one with `clientId` when given, else the issuer's only one
 * (null when there is none, or several and no client id tells them apart).
 */
export async function findLtiRegistration(
  db: Kysely<Schema>,
  issuer: string,
  clientId?: string,
): Promise<LtiRegistration | null> {
  let query = db.selectFrom('lti_registrations').selectAll().where('issuer', '=', issuer);
  if (clientId !== undefined) query = query.where('client_id', '=', clientId);
  const rows = await query.limit(2).execute();
  return rows.length === 1 ? fromRow(rows[0]!) : null;
}

/** The registration with id `id`, or null. */
export async function ltiRegistrationById(
  db: Kysely<Schema>,
  id: string,
): Promise<LtiRegistration | null> {
  const row = await db
    .selectFrom('lti_registrations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Whether `deploymentId` is registered for the registration `registrationId`. */
export async function isLtiDeployment(
  db: Kysely<Schema>,
  registrationId: string,
  deploymentId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('lti_deployments')
    .select('deployment_id')
    .where('registration_id', '=', registrationId)
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Remembers a login initiation's state (stored hashed) and nonce until `expiresAt`. */
export async function saveLtiLogin(
  db: Kysely<Schema>,
  state: string,
  login: LtiLogin,
  expiresAt: Date,
): Promise<void> {
  await db.deleteFrom('lti_logins').where('expires_at', '<', isoTime()).execute();
  await db
    .insertInto('lti_logins')
    .values({
      state_hash: hashToken(state),
      nonce: login.nonce,
      registration_id: login.registrationId,
      expires_at: isoTime(expiresAt),
      storage_target: login.storage?.target ?? null,
      binding_hash: login.storage?.bindingHash ?? null,
    })
    .execute();
}

/**
 * The login of `state` without using it up (the launch first checks how the state is bound to
 * the browser); null when unknown or expired.
 */
export async function peekLtiLogin(db: Kysely<Schema>, state: string): Promise<LtiLogin | null> {
  const row = await db
    .selectFrom('lti_logins')
    .selectAll()
    .where('state_hash', '=', hashToken(state))
    .executeTakeFirst();
  if (!row || row.expires_at < isoTime()) return null;
  return {
    nonce: row.nonce,
    registrationId: row.registration_id,
    storage:
      row.storage_target !== null && row.binding_hash !== null
        ? { target: row.storage_target, bindingHash: row.binding_hash }
        : undefined,
  };
}

/**
 * Takes the login of `state`: returns it and deletes it, so a state (and with it its nonce)
 * serves one launch only; null when unknown, already taken or expired.
 */
export async function takeLtiLogin(db: Kysely<Schema>, state: string): Promise<LtiLogin | null> {
  const row = await db
    .deleteFrom('lti_logins')
    .where('state_hash', '=', hashToken(state))
    .returning(['nonce', 'registration_id', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at < isoTime()) return null;
  return { nonce: row.nonce, registrationId: row.registration_id };
}
