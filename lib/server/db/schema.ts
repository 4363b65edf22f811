/**
 * The database's tables as Kysely sees them. Ids are random URL-safe text (≥ 128 bits), times
 * are ISO-8601 UTC text (`Date.prototype.toISOString`, so they sort as text on both engines) and
 * JSON is stored as text. Better Auth's own tables keep Better Auth's column names and types
 * (dates and booleans are native on PostgreSQL, text and 0/1 on SQLite); only Better Auth reads them.
 */
import type { ColumnType } from 'kysely';

/** A Better Auth date: a Date on PostgreSQL, ISO text on SQLite. */
type AuthDate = ColumnType<Date | string, Date | string, Date | string>;
/** A Better Auth boolean: native on PostgreSQL, 0/1 on SQLite. */
type AuthBoolean = ColumnType<boolean | number, boolean | number, boolean | number>;

export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: AuthBoolean;
  image: string | null;
  createdAt: AuthDate;
  updatedAt: AuthDate;
}

export interface SessionTable {
  id: string;
  expiresAt: AuthDate;
  token: string;
  createdAt: AuthDate;
  updatedAt: AuthDate;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
}

export interface AccountTable {
  id: string;
  accountId: string;
  providerId: string;
  userId: string;
  accessToken: string | null;
  refreshToken: string | null;
  idToken: string | null;
  accessTokenExpiresAt: AuthDate | null;
  refreshTokenExpiresAt: AuthDate | null;
  scope: string | null;
  password: string | null;
  createdAt: AuthDate;
  updatedAt: AuthDate;
}

export interface VerificationTable {
  id: string;
  identifier: string;
  value: string;
  expiresAt: AuthDate;
  createdAt: AuthDate;
  updatedAt: AuthDate;
}

export interface RateLimitTable {
  id: string;
  key: string;
  count: number;
  /** Milliseconds since the epoch (bigint on PostgreSQL: node-postgres returns it as text). */
  lastRequest: ColumnType<number | string, number, number>;
}

export interface ClassesTable {
  id: string;
  name: string;
  /** 8 characters of Crockford base32 (no I, L, O, U), unique. */
  join_code: string;
  /** argon2id hash of the optional class password. */
  password_hash: string | null;
  created_by: string;
  created_at: string;
  archived_at: string | null;
}

export type InstructorRole = 'owner' | 'co';

export interface ClassInstructorsTable {
  class_id: string;
  user_id: string;
  role: InstructorRole;
  added_at: string;
}

export interface ClassLessonsTable {
  class_id: string;
  lesson_id: string;
  position: number;
}

export interface LearnersTable {
  id: string;
  class_id: string;
  /** As typed, 1–40 characters. */
  nickname: string;
  /** NFKC, lower-cased: unique within the class. */
  nickname_key: string;
  created_at: string;
  last_seen_at: string;
}

export interface LearnerSessionsTable {
  /** sha256 (hex) of the 256-bit token the cookie holds. */
  token_hash: string;
  learner_id: string;
  created_at: string;
  expires_at: string;
}

export type RunOutcome = 'passed' | 'failed' | 'error' | 'stopped';

export interface RunsTable {
  /** The sandbox's run id: a retried post of the same run is a duplicate. */
  id: string;
  learner_id: string;
  class_id: string;
  lesson_id: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  outcome: RunOutcome;
  /** JSON: [{ id, status, message }]. */
  checks: string;
  /** JSON: [{ name, content }], at most 256 KiB. */
  code: string;
  /** JSON: { process: text }, the last 16 KiB of each process. */
  output: string;
}

export type ProgressStatus = 'started' | 'passed';

export interface ProgressTable {
  learner_id: string;
  lesson_id: string;
  class_id: string;
  status: ProgressStatus;
  attempts: number;
  failed_since_pass: number;
  first_passed_at: string | null;
  last_run_at: string;
  last_run_id: string;
  /** JSON: the code of the last run, [{ name, content }]. */
  last_code: string;
}

export interface TokenUsesTable {
  jti: string;
  expires_at: string;
}

export interface LtiRegistrationsTable {
  id: string;
  /** The platform's issuer (`iss` of its id_tokens), an https URL. */
  issuer: string;
  /** The tool's client id on that platform (`aud` of its id_tokens). */
  client_id: string;
  /** The platform's OIDC authorization endpoint (where login initiation redirects). */
  auth_login_url: string;
  /** The platform's OAuth 2 token endpoint (AGS and NRPS access tokens). */
  auth_token_url: string;
  /** The platform's public keys. */
  jwks_url: string;
  created_at: string;
}

export interface LtiDeploymentsTable {
  registration_id: string;
  deployment_id: string;
}

export interface LtiLoginsTable {
  /** sha256 (hex) of the state sent through the browser. */
  state_hash: string;
  /** The nonce the launch's id_token must carry. */
  nonce: string;
  registration_id: string;
  expires_at: string;
  /** The platform storage frame (lti_storage_target) when the state lives there, not in a cookie. */
  storage_target: string | null;
  /** sha256 (hex) of the secret kept in the platform's storage for this state. */
  binding_hash: string | null;
}

export interface LtiContextsTable {
  registration_id: string;
  deployment_id: string;
  /** The LMS course's id (the launch's context claim). */
  context_id: string;
  class_id: string;
  title: string;
  /** AGS: the course's line items URL and the scopes the platform granted (JSON array). */
  lineitems_url: string | null;
  ags_scopes: string | null;
  /** NRPS: the course's membership URL. */
  memberships_url: string | null;
  updated_at: string;
}

export interface LtiUsersTable {
  registration_id: string;
  /** The platform's `sub`; '' is the platform's own account (owner of classes a learner opened). */
  subject: string;
  user_id: string;
}

export interface LtiLearnersTable {
  registration_id: string;
  subject: string;
  class_id: string;
  learner_id: string;
}

export interface LtiHandoffsTable {
  /** sha256 (hex) of a single-use sign-in token. */
  token_hash: string;
  learner_id: string | null;
  user_id: string | null;
  /** A path of this app. */
  destination: string;
  expires_at: string;
}

export interface LtiLineItemsTable {
  class_id: string;
  lesson_id: string;
  url: string;
}

export interface LtiGradeQueueTable {
  id: string;
  learner_id: string;
  class_id: string;
  lesson_id: string;
  score_given: number;
  score_maximum: number;
  activity_progress: string;
  grading_progress: string;
  /** When the score was made (AGS `timestamp`); a newer score for the lesson replaces it. */
  timestamp: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

/** Every table, as `Kysely<Schema>` knows them. */
export interface Schema {
  user: UserTable;
  session: SessionTable;
  account: AccountTable;
  verification: VerificationTable;
  rateLimit: RateLimitTable;
  classes: ClassesTable;
  class_instructors: ClassInstructorsTable;
  class_lessons: ClassLessonsTable;
  learners: LearnersTable;
  learner_sessions: LearnerSessionsTable;
  runs: RunsTable;
  progress: ProgressTable;
  token_uses: TokenUsesTable;
  lti_registrations: LtiRegistrationsTable;
  lti_deployments: LtiDeploymentsTable;
  lti_logins: LtiLoginsTable;
  lti_contexts: LtiContextsTable;
  lti_users: LtiUsersTable;
  lti_learners: LtiLearnersTable;
  lti_handoffs: LtiHandoffsTable;
  lti_line_items: LtiLineItemsTable;
  lti_grade_queue: LtiGradeQueueTable;
}
