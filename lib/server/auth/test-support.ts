/** Test helpers: an in-memory app context, and browser-like form posts with a cookie jar. */
import { deriveSecrets } from '../secrets.ts';
import { createAuthContext, setAuthContext, type AuthContext } from './context.ts';
import type { SignupPolicy } from './instructor-auth.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../db/index.ts';

export const ORIGIN = 'http://localhost:3000';

/** Opens a fresh, migrated database for one test, and removes it after. */
export type Opener = () => Promise<{ database: Database; cleanup(): Promise<void> }>;

/** A fresh SQLite database in a temp data dir. */
export const openSqliteForTest: Opener = async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'handshake-auth-'));
  const database = await openDatabase({ dataDir });
  return {
    database,
    cleanup: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Installs a context over a fresh database as the app's; returns it and its closer. */
export async function installTestContext(
  signup: SignupPolicy = 'first',
  open: Opener = openSqliteForTest,
): Promise<AuthContext & { close(): Promise<void> }> {
  const { database, cleanup } = await open();
  const { db, engine } = database;
  const context = createAuthContext({
    db,
    engine,
    authSecret: deriveSecrets('test-secret-test-secret-test-secret!').authSecret,
    settings: { allowedOrigins: [ORIGIN], trustProxy: false, signup },
  });
  setAuthContext(context);
  return {
    ...context,
    close: async () => {
      setAuthContext(undefined);
      await cleanup();
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
