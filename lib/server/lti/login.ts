/**
 * OIDC login initiation (LTI 1.3 §5.1.1): the platform sends the browser here; the tool
 * remembers a fresh state and nonce, binds the state to the browser with a cookie and sends the
 * browser on to the platform's authorization endpoint, which posts the id_token to the launch.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { findLtiRegistration, saveLtiLogin, type Schema } from '../db/index.ts';
import { hashToken } from '../db/ids.ts';
import { LtiError } from './errors.ts';

/** How long a login waits for its launch. */
export const LOGIN_TTL_MS = 10 * 60 * 1000;
/** Where the state cookies live: only the LTI routes ever see them. */
export const STATE_COOKIE_PATH = '/api/lti/';

/** The state cookie's name: one per login, so launches in two tabs do not overwrite each other. */
export function stateCookieName(state: string): string {
  return `lti_state_${state}`;
}

/** The login initiation's parameters (from the query of a GET or the form of a POST). */
export interface LoginParams {
  iss: string;
  loginHint: string;
  targetLinkUri: string;
  clientId?: string | undefined;
  ltiMessageHint?: string | undefined;
  deploymentId?: string | undefined;
  /** The platform's storage frame (1EdTech postMessage storage), when it offers one. */
  storageTarget?: string | undefined;
}

/** Reads the login parameters of a GET or form POST; throws LtiError when a required one is missing. */
export async function readLoginParams(request: Request): Promise<LoginParams> {
  const params =
    request.method === 'POST'
      ? new URLSearchParams(await request.text())
      : new URL(request.url).searchParams;
  const get = (name: string) => params.get(name) || undefined;
  const iss = get('iss');
  const loginHint = get('login_hint');
  const targetLinkUri = get('target_link_uri');
  if (!iss || !loginHint || !targetLinkUri)
    throw new LtiError('login-incomplete', 'iss, login_hint and target_link_uri are required');
  return {
    iss,
    loginHint,
    targetLinkUri,
    clientId: get('client_id'),
    ltiMessageHint: get('lti_message_hint'),
    deploymentId: get('lti_deployment_id'),
    storageTarget: get('lti_storage_target'),
  };
}

/** Where the browser goes next and which cookie binds the login to it. */
export interface LoginRedirect {
  location: string;
  state: string;
  setCookie: string;
  /** With a storage target: the secret to keep in the platform's storage, and where it talks. */
  storage?: { target: string; binding: string; platformOrigin: string } | undefined;
}

/** The platform storage key of a login's binding secret. */
export function storageKey(state: string): string {
  return `lti_state_${state}`;
}

/**
 * Starts a login: finds the platform's registration, stores a new state (hashed) and nonce and
 * returns the authorization request to redirect to. `toolOrigin` is the tool's public origin:
 * the launch URL is under it, and a target outside it is refused (no open redirect).
 */
export async function startLogin(
  db: Kysely<Schema>,
  params: LoginParams,
  toolOrigin: string,
  now = new Date(),
): Promise<LoginRedirect> {
  const registration = await findLtiRegistration(db, params.iss, params.clientId);
  if (!registration)
    throw new LtiError('registration-unknown', `no registration for ${params.iss}`);
  if (!sameOrigin(params.targetLinkUri, toolOrigin))
    throw new LtiError('target-not-tool', `${params.targetLinkUri} is not under ${toolOrigin}`);
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  // Inside a frame that blocks third-party cookies the state cookie never comes back: the
  // platform's storage keeps a secret instead, whose hash the login remembers.
  const binding = params.storageTarget ? randomBytes(32).toString('base64url') : undefined;
  const storage = binding && { target: params.storageTarget!, bindingHash: hashToken(binding) };
  await saveLtiLogin(
    db,
    state,
    { nonce, registrationId: registration.id, storage: storage || undefined },
    new Date(now.getTime() + LOGIN_TTL_MS),
  );
  const location = new URL(registration.authLoginUrl);
  const query = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: registration.clientId,
    redirect_uri: new URL('/api/lti/launch', toolOrigin).href,
    login_hint: params.loginHint,
    state,
    nonce,
    ...(params.ltiMessageHint ? { lti_message_hint: params.ltiMessageHint } : {}),
  };
  for (const [name, value] of Object.entries(query)) location.searchParams.set(name, value);
  // SameSite=None: the launch is a cross-site form POST from the platform; Secure is required
  // with it (browsers treat http://localhost as secure too).
  const setCookie = `${stateCookieName(state)}=1; Path=${STATE_COOKIE_PATH}; Max-Age=${LOGIN_TTL_MS / 1000}; HttpOnly; Secure; SameSite=None`;
  const platformOrigin = new URL(registration.authLoginUrl).origin;
  return {
    location: location.href,
    state,
    setCookie,
    storage: binding ? { target: params.storageTarget!, binding, platformOrigin } : undefined,
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
