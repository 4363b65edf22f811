/**
 * The tool's side of the LTI tests: the LTI route handlers (and any extra routes a test adds)
 * served over node:http on 127.0.0.1 as Next's route handlers would serve them, and a browser
 * that keeps cookies and follows redirects by hand, so a test sees every hop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadToolKey } from '../../../lib/server/lti/keys.ts';
import {
  handleLtiEnter,
  handleLtiJwks,
  handleLtiLanded,
  handleLtiLaunch,
  handleLtiLogin,
  type LtiRouteDeps,
} from '../../../lib/server/lti/routes.ts';

/** A route handler, as a Next route module exports it. */
export type RouteHandler = (request: Request) => Promise<Response> | Response;

/** A running tool: its origin and how to stop it. */
export interface ToolServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the LTI routes (plus `extra` by path) with `deps`, its key made in `dataDir`. */
export async function startToolServer(
  deps: LtiRouteDeps,
  dataDir: string,
  extra: Record<string, RouteHandler> = {},
): Promise<ToolServer> {
  const key = await loadToolKey({ dataDir });
  return startRouteServer({
    '/api/lti/login': (r) => handleLtiLogin(r, deps),
    '/api/lti/launch': (r) => handleLtiLaunch(r, deps),
    '/api/lti/enter': (r) => handleLtiEnter(r, deps),
    '/api/lti/landed': (r) => handleLtiLanded(r, deps),
    '/api/lti/jwks': () => handleLtiJwks(key),
    ...extra,
  });
}

/** Serves `routes` (path → handler, any method) over node:http on 127.0.0.1. */
export async function startRouteServer(routes: Record<string, RouteHandler>): Promise<ToolServer> {
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(new URL(req.url ?? '/', origin), {
      method: req.method,
      headers: req.headers as Record<string, string>,
      ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    const handler = routes[new URL(request.url).pathname];
    const response = handler ? await handler(request) : new Response(null, { status: 404 });
    const headers = Object.fromEntries(response.headers);
    delete headers['set-cookie'];
    res.setHeader('set-cookie', response.headers.getSetCookie());
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A browser: a cookie jar (which may refuse cookies, as a blocking browser in a frame does). */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie received, accepted or not. */
  readonly setCookies: string[] = [];
  /** Which Set-Cookie values are kept; the others are seen but dropped (a blocking browser). */
  acceptCookie: (setCookie: string) => boolean = () => true;
  /** Extra headers on every request (Sec-Fetch-Dest, Accept-Language…). */
  headers: Record<string, string> = {};

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, no redirect followed; keeps the cookies it sets. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.headers)) headers.set(name, value);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) this.keep(cookie);
    return response;
  }

  /** Posts `fields` as a form (an HTML form's urlencoded body), `headers` added. */
  postForm(
    url: string,
    fields: Record<string, string> | URLSearchParams,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    });
  }

  /**
   * Follows the tool's API redirects from `url` (a GET after a 303); stops at the first answer
   * that is not a redirect to /api/ (an app page is where a launch lands). Returns the last
   * response and every location on the way.
   */
  async follow(
    url: string,
    init: RequestInit = {},
  ): Promise<{ response: Response; hops: string[] }> {
    const hops: string[] = [];
    let response = await this.fetch(url, init);
    while ([302, 303].includes(response.status) && hops.length < 10) {
      const next = new URL(response.headers.get('location')!, url);
      hops.push(next.pathname + next.search);
      if (!next.pathname.startsWith('/api/')) break;
      url = next.href;
      response = await this.fetch(url);
    }
    return { response, hops };
  }

  private keep(setCookie: string): void {
    this.setCookies.push(setCookie);
    if (!this.acceptCookie(setCookie)) return;
    const [pair = '', ...attributes] = setCookie.split(';');
    const [name = '', ...value] = pair.split('=');
    const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
    if (expired || value.join('=') === '') this.cookies.delete(name.trim());
    else this.cookies.set(name.trim(), value.join('='));
  }
}

/** What the platform's authorization endpoint hands the browser: the auto-posting form's fields. */
export interface LaunchForm {
  action: string;
  fields: Record<string, string>;
}

/** Reads the form_post page of the mock platform (hidden inputs). */
export function readLaunchForm(page: string): LaunchForm {
  const action = /<form[^>]* action="([^"]*)"/.exec(page)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/name="([^"]+)" value="([^"]*)"/g))
    fields[match[1]!] = match[2]!;
  return { action, fields };
}

/** The platform's authorization endpoint at `url` (as the login sent the browser there): its form. */
export async function authorize(url: string): Promise<LaunchForm> {
  return readLaunchForm(await (await fetch(url)).text());
}

/**
 * A browser's whole LTI launch: login initiation at the tool (as the platform's link sends it),
 * the platform's authorization endpoint, the form post of the id_token to the launch, and every
 * tool redirect after it. `params` change the login initiation's query.
 */
export async function launchInBrowser(
  browser: TestBrowser,
  tool: ToolServer,
  platform: { issuer: string; clientId: string; deploymentId: string },
  params: Record<string, string> = {},
): Promise<{ response: Response; hops: string[] }> {
  const query = new URLSearchParams({
    iss: platform.issuer,
    client_id: platform.clientId,
    login_hint: 'learner-7',
    target_link_uri: `${tool.origin}/en`,
    lti_deployment_id: platform.deploymentId,
    ...params,
  });
  const started = await browser.fetch(`${tool.origin}/api/lti/login?${query}`);
  if (started.status !== 302) return { response: started, hops: [] };
  const form = await authorize(started.headers.get('location')!);
  return browser.follow(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields),
  });
}
