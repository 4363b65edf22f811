/**
 * The launch (LTI 1.3 §5.1.1.3, OIDC implicit flow): the platform's form POST of an id_token and
 * the state. Every check the spec asks for is made here, each refusal an LtiError with its own
 * code: the state is bound to this browser and used once (so its nonce is too), the token is
 * signed by a key of the platform's JWKS (RS256 only), iss / aud / azp name the registration,
 * it is current (exp, iat), carries the login's nonce, a registered deployment, a supported
 * message type, version 1.3.0 and well-formed claims.
 */
import type { Kysely } from 'kysely';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import {
  isLtiDeployment,
  ltiRegistrationById,
  takeLtiLogin,
  type LtiRegistration,
  type Schema,
} from '../db/index.ts';
import {
  AGS_CLAIM,
  DL_CLAIM,
  LTI_CLAIM,
  MESSAGE_TYPES,
  NRPS_CLAIM,
  launchClaims,
  launchRole,
  type LaunchClaims,
  type LaunchRole,
  type MessageType,
} from './claims.ts';
import { LtiError } from './errors.ts';

/** A validated launch: who, from which platform and course, and what the platform offers. */
export interface LtiLaunch {
  registration: LtiRegistration;
  deploymentId: string;
  messageType: MessageType;
  /** The platform's stable user id (absent only in anonymous launches). */
  subject: string | undefined;
  name: string | undefined;
  email: string | undefined;
  /** The LMS's language for this user (launch_presentation.locale), e.g. `zh-CN`. */
  locale: string | undefined;
  roles: string[];
  role: LaunchRole;
  context: LaunchClaims[`${typeof LTI_CLAIM}context`];
  resourceLink: LaunchClaims[`${typeof LTI_CLAIM}resource_link`];
  targetLinkUri: string;
  custom: Record<string, unknown>;
  ags: LaunchClaims[typeof AGS_CLAIM];
  nrps: LaunchClaims[typeof NRPS_CLAIM];
  deepLinking: LaunchClaims[typeof DL_CLAIM];
}

/** The launch's form fields and whether this browser holds the cookie of its state. */
export interface LaunchInput {
  idToken: string | undefined;
  state: string | undefined;
  stateBound: boolean;
}

/** How much clock skew between platform and tool is forgiven. */
const CLOCK_TOLERANCE_S = 60;
/** The oldest id_token accepted, whatever its exp says: a launch is used at once. */
const MAX_TOKEN_AGE = '1h';

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The platform's key set, one per URL per process: jose caches the keys and refetches on a new kid. */
function platformKeys(jwksUrl: string): ReturnType<typeof createRemoteJWKSet> {
  let keys = keySets.get(jwksUrl);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000 });
    keySets.set(jwksUrl, keys);
  }
  return keys;
}

/** Validates a launch; returns it, or throws LtiError saying which check failed. */
export async function validateLaunch(db: Kysely<Schema>, input: LaunchInput): Promise<LtiLaunch> {
  const { idToken, state } = input;
  if (!idToken || !state)
    throw new LtiError('launch-incomplete', 'id_token and state are required');
  if (!input.stateBound)
    throw new LtiError('state-not-bound', 'this browser did not start the login of this state');
  const login = await takeLtiLogin(db, state);
  if (!login) throw new LtiError('state-unknown', 'the state is unknown, used or expired');
  const registration = await ltiRegistrationById(db, login.registrationId);
  if (!registration) throw new LtiError('registration-unknown', 'the registration was removed');
  const payload = await verifyIdToken(idToken, registration);
  if (payload.nonce !== login.nonce)
    throw new LtiError('nonce-mismatch', 'the nonce is not the one of this login');
  const launch = readLaunch(payload, registration);
  if (!(await isLtiDeployment(db, registration.id, launch.deploymentId)))
    throw new LtiError('deployment-unknown', `deployment ${launch.deploymentId} is not registered`);
  return launch;
}

/** Verifies signature, iss, aud, azp, exp and iat of an id_token from `registration`'s platform. */
async function verifyIdToken(idToken: string, registration: LtiRegistration): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, platformKeys(registration.jwksUrl), {
      issuer: registration.issuer,
      audience: registration.clientId,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'nonce'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE,
    }));
  } catch (error) {
    throw joseRefusal(error);
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  // OIDC Core §3.1.3.7: azp names the client when there are several audiences, and must be us.
  if (payload.azp !== undefined ? payload.azp !== registration.clientId : audiences.length > 1)
    throw new LtiError('wrong-azp', `azp is not ${registration.clientId}`);
  return payload;
}

/** The LtiError of a jose verification failure. */
function joseRefusal(error: unknown): LtiError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof errors.JWTExpired) return new LtiError('token-expired', message);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new LtiError('wrong-issuer', message);
    if (error.claim === 'aud') return new LtiError('wrong-audience', message);
    if (error.claim === 'iat' || error.claim === 'nbf')
      return new LtiError('token-not-yet-valid', message);
    return new LtiError('claims-invalid', message);
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed
  )
    return new LtiError('bad-signature', message);
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new LtiError('platform-keys-unavailable', message);
  if (error instanceof errors.JOSEError) return new LtiError('token-malformed', message);
  // createRemoteJWKSet's fetch failed (refused, bad status): the platform's keys are out of reach.
  return new LtiError('platform-keys-unavailable', message);
}

/** The launch the verified payload describes, after the message checks. */
function readLaunch(payload: JWTPayload, registration: LtiRegistration): LtiLaunch {
  const messageType = payload[`${LTI_CLAIM}message_type`];
  if (!MESSAGE_TYPES.includes(messageType as MessageType))
    throw new LtiError(
      'wrong-message-type',
      `message type ${String(messageType)} is not supported`,
    );
  const version = payload[`${LTI_CLAIM}version`];
  if (version !== '1.3.0')
    throw new LtiError('wrong-version', `LTI version ${String(version)} is not 1.3.0`);
  const parsed = launchClaims.safeParse(payload);
  if (!parsed.success)
    throw new LtiError('claims-invalid', parsed.error.issues.map(describeIssue).join('; '));
  const claims = parsed.data;
  const launch = toLaunch(claims, registration, messageType as MessageType);
  requireForMessage(launch);
  return launch;
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join('.')}: ${issue.message}`;
}

function toLaunch(
  claims: LaunchClaims,
  registration: LtiRegistration,
  messageType: MessageType,
): LtiLaunch {
  const roles = claims[`${LTI_CLAIM}roles`];
  return {
    registration,
    deploymentId: claims[`${LTI_CLAIM}deployment_id`],
    messageType,
    subject: claims.sub,
    name:
      claims.name ??
      ([claims.given_name, claims.family_name].filter(Boolean).join(' ') || undefined),
    email: claims.email,
    locale: claims[`${LTI_CLAIM}launch_presentation`]?.locale,
    roles,
    role: launchRole(roles),
    context: claims[`${LTI_CLAIM}context`],
    resourceLink: claims[`${LTI_CLAIM}resource_link`],
    targetLinkUri: claims[`${LTI_CLAIM}target_link_uri`],
    custom: claims[`${LTI_CLAIM}custom`] ?? {},
    ags: claims[AGS_CLAIM],
    nrps: claims[NRPS_CLAIM],
    deepLinking: claims[DL_CLAIM],
  };
}

/** What each message type must carry beyond the common claims (LTI 1.3 §5.3, Deep Linking §4.4). */
function requireForMessage(launch: LtiLaunch): void {
  if (launch.messageType === 'LtiResourceLinkRequest') {
    if (!launch.resourceLink)
      throw new LtiError('claims-invalid', 'a resource link launch needs the resource_link claim');
    if (!launch.subject) throw new LtiError('claims-invalid', 'a resource link launch needs sub');
  } else if (!launch.deepLinking) {
    throw new LtiError('claims-invalid', 'a deep linking request needs deep_linking_settings');
  }
}
