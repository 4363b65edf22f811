/**
 * A mock LTI 1.3 platform over real HTTP on 127.0.0.1: its signing key is made here; it serves
 * its JWKS and an authorization endpoint that answers a login's redirect with the auto-posting
 * form a real platform returns, holding an id_token built from the request (nonce, client id)
 * and the test's changes to it; and the services (services.ts): a token endpoint that checks
 * the tool's client assertion against the tool's JWKS, AGS line items and scores, NRPS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { MockServices } from './mock-services.ts';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

/** How the next id_token differs from a valid one. */
export interface TokenTweaks {
  claims?: JWTPayload;
  /** Claims to drop. */
  omit?: string[];
  /** Sign with this key instead of the platform's (a forgery). */
  signWith?: CryptoKey;
  kid?: string;
  /** Seconds added to iat and exp. */
  shiftSeconds?: number;
}

export interface MockPlatform {
  issuer: string;
  clientId: string;
  deploymentId: string;
  authLoginUrl: string;
  authTokenUrl: string;
  jwksUrl: string;
  /** Changes to the next id_tokens (until set again). */
  tweaks: TokenTweaks;
  /** Its AGS and NRPS endpoints and what they received. */
  services: MockServices;
  close(): Promise<void>;
}

/** Starts the mock platform. */
export async function startMockPlatform(): Promise<MockPlatform> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = 'platform-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', platform.issuer);
    if (url.pathname === '/jwks') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    if (platform.services.handles(url.pathname)) {
      void readBody(req)
        .then((body) => platform.services.answer(req.method ?? 'GET', url, req.headers, body))
        .then(({ status, headers, body }) => res.writeHead(status, headers).end(body));
      return;
    }
    if (url.pathname === '/auth') {
      void authorize(url, platform, privateKey, kid).then(
        (html) => res.writeHead(200, { 'content-type': 'text/html' }).end(html),
        (error: Error) => res.writeHead(400).end(error.message),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platform: MockPlatform = {
    issuer,
    clientId: 'handshake-client',
    deploymentId: 'deployment-1',
    authLoginUrl: `${issuer}/auth`,
    authTokenUrl: `${issuer}/token`,
    jwksUrl: `${issuer}/jwks`,
    tweaks: {},
    services: new MockServices(issuer, 'handshake-client'),
    close: () => closeServer(server),
  };
  return platform;
}

/** The authorization endpoint: checks the OIDC request and returns the form_post page. */
async function authorize(
  url: URL,
  platform: MockPlatform,
  key: CryptoKey,
  kid: string,
): Promise<string> {
  const q = (name: string) => url.searchParams.get(name) ?? '';
  const expected = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
  };
  for (const [name, value] of Object.entries(expected))
    if (q(name) !== value) throw new Error(`${name} must be ${value}`);
  if (q('client_id') !== platform.clientId) throw new Error('unknown client_id');
  if (!q('nonce') || !q('state') || !q('login_hint')) throw new Error('nonce, state, login_hint');
  const idToken = await signIdToken(platform, q('nonce'), q('login_hint'), key, kid);
  const field = (name: string, value: string) =>
    `<input type="hidden" name="${name}" value="${value}">`;
  return `<form method="post" action="${q('redirect_uri')}">${field('id_token', idToken)}${field('state', q('state'))}</form>`;
}

/** A valid resource link launch of learner `sub`, changed by the platform's tweaks. */
async function signIdToken(
  platform: MockPlatform,
  nonce: string,
  sub: string,
  key: CryptoKey,
  kid: string,
): Promise<string> {
  const { tweaks } = platform;
  const now = Math.floor(Date.now() / 1000) + (tweaks.shiftSeconds ?? 0);
  const claims: JWTPayload = {
    iss: platform.issuer,
    aud: platform.clientId,
    sub,
    nonce,
    iat: now,
    exp: now + 300,
    name: 'Ada Lovelace',
    [`${LTI}message_type`]: 'LtiResourceLinkRequest',
    [`${LTI}version`]: '1.3.0',
    [`${LTI}deployment_id`]: platform.deploymentId,
    [`${LTI}target_link_uri`]: 'http://tool.invalid/lessons',
    [`${LTI}resource_link`]: { id: 'link-1', title: 'Echo server' },
    [`${LTI}context`]: { id: 'course-42', title: 'Networks 101' },
    [`${LTI}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    ...platform.services.launchClaims(),
    ...tweaks.claims,
  };
  for (const name of tweaks.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: tweaks.kid ?? kid, typ: 'JWT' })
    .sign(tweaks.signWith ?? key);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
