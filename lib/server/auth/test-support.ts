/** Test helpers: an in-memory app context, and browser-like form posts with a cookie jar. */
import { createAuthContext, setAuthContext, type AuthContext } from './context.ts';
import type { SignupPolicy } from './instructor-auth.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/index.ts';

export const ORIGIN = 'http://localhost:3000';

/** Installs a fresh in-memory context as the app's; returns it and its closer. */
export async function installTestContext(
  signup: SignupPolicy = 'first',
): Promise<AuthContext & { close(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'handshake-auth-'));
  const { db, engine, close } = await openDatabase({ dataDir });
  const context = createAuthContext({
    db,
    engine,
    secret: 'test-secret-test-secret-test-secret!',
    settings: { allowedOrigins: [ORIGIN], trustProxy: false, signup },
  });
  setAuthContext(context);
  return {
    ...context,
    close: async () => {
      setAuthContext(undefined);
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Handler = (request: Request) => Promise<Response>;

/** A browser: keeps cookies across posts, sends our origin unless told otherwise. */
export class Browser {
  cookies = new Map<string, string>();
  readonly ip: string;
  constructor(ip = '203.0.113.7') {
    this.ip = ip;
  }

  /** The Cookie header this browser would send. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A request carrying this browser's cookies. */
  request(
    path: string,
    init: { body?: Record<string, string | string[]>; origin?: string | null } = {},
  ): Request {
    const headers = new Headers({ 'x-forwarded-for': this.ip });
    if (init.origin !== null) headers.set('origin', init.origin ?? ORIGIN);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(init.body ?? {})) {
      for (const item of [value].flat()) body.append(key, item);
    }
    return new Request(ORIGIN + path, {
      method: init.body ? 'POST' : 'GET',
      headers,
      body: init.body ? body : undefined,
    });
  }

  /** Posts a form to a handler, stores the cookies it sets, returns the response. */
  async post(
    handler: Handler,
    path: string,
    body: Record<string, string | string[]>,
    origin?: string | null,
  ): Promise<Response> {
    const response = await handler(this.request(path, { body, origin }));
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value.join('=') === '') this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
    return response;
  }
}

/** Where a 303 sends the browser, as a URL (for its path and query). */
export function location(response: Response): URL {
  return new URL(response.headers.get('location') ?? '', ORIGIN);
}
