/** The /teach forms and Better Auth behind them: first run, sign-up policy, sign-in, limits, CSRF. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as betterAuth } from '../../../app/api/auth/[...all]/route.ts';
import { POST as signIn } from '../../../app/api/teach/sign-in/route.ts';
import { POST as signOut } from '../../../app/api/teach/sign-out/route.ts';
import { POST as signUp } from '../../../app/api/teach/sign-up/route.ts';
import { ensureAdmin } from './context.ts';
import { instructorFromRequest } from './request.ts';
import { Browser, installTestContext, location, ORIGIN } from './test-support.ts';
import type { Opener } from './test-support.ts';

/** The suite, on the database `open` makes (SQLite in the unit tests, PostgreSQL in integration). */
export function instructorRouteSuite(open: Opener): void {
  describe('instructor accounts', () => {
    let context: Awaited<ReturnType<typeof installTestContext>>;
    const ada = {
      name: 'Ada',
      email: 'ada@example.org',
      password: 'correct horse battery',
      lang: 'en',
    };

    beforeEach(async () => {
      context = await installTestContext('first', open);
    });
    afterEach(() => context.close());

    async function signedUp(who = ada): Promise<Browser> {
      const browser = new Browser();
      const response = await browser.post(signUp, '/api/teach/sign-up', who);
      expect(location(response).pathname).toBe(`/${who.lang}/teach/classes`);
      return browser;
    }

    describe('the first instructor', () => {
      it('signs up on the first-run form, is signed in, and the password is stored as argon2id', async () => {
        const browser = await signedUp();
        const me = await instructorFromRequest(browser.request('/'));
        expect(me).toMatchObject({ name: 'Ada', email: 'ada@example.org' });
        const account = (await context.db
          .selectFrom('account' as never)
          .select('password' as never)
          .executeTakeFirstOrThrow()) as { password: string };
        expect(JSON.stringify(account)).not.toContain('correct horse');
        expect(account.password).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      });

      it('closes sign-up behind it, on our form and on Better Auth’s own endpoint', async () => {
        await signedUp();
        const second = new Browser('203.0.113.8');
        const response = await second.post(signUp, '/api/teach/sign-up', {
          ...ada,
          email: 'eve@example.org',
        });
        expect(location(response).searchParams.get('error')).toBe('closed');
        const raw = await betterAuth(
          new Request(`${ORIGIN}/api/auth/sign-up/email`, {
            method: 'POST',
            headers: { origin: ORIGIN, 'content-type': 'application/json' },
            body: JSON.stringify({
              name: 'Eve',
              email: 'eve@example.org',
              password: 'x'.repeat(12),
            }),
          }),
        );
        expect(raw.status).toBe(403);
        const users = await context.db.selectFrom('user').select('email').execute();
        expect(users.map((u) => u.email)).toEqual(['ada@example.org']);
      });

      it('with HANDSHAKE_INSTRUCTOR_SIGNUP=open, anyone may sign up', async () => {
        await context.close();
        context = await installTestContext('open', open);
        await signedUp();
        await signedUp({ ...ada, email: 'bob@example.org' });
      });

      it('comes from HANDSHAKE_ADMIN_EMAIL at start, only when none exists', async () => {
        await ensureAdmin(context, 'admin@example.org', 'admin password 1');
        await ensureAdmin(context, 'other@example.org', 'admin password 2');
        const users = await context.db.selectFrom('user').select('email').execute();
        expect(users.map((u) => u.email)).toEqual(['admin@example.org']);
        const browser = new Browser();
        const response = await browser.post(signIn, '/api/teach/sign-in', {
          email: 'Admin@Example.org',
          password: 'admin password 1',
          lang: 'zh',
        });
        expect(location(response).pathname).toBe('/zh/teach/classes');
      });

      it('refuses short passwords and bad emails with their own codes', async () => {
        const browser = new Browser();
        const short = await browser.post(signUp, '/api/teach/sign-up', {
          ...ada,
          password: 'short',
        });
        expect(location(short).searchParams.get('error')).toBe('password');
        const email = await browser.post(signUp, '/api/teach/sign-up', { ...ada, email: 'nope' });
        expect(location(email).searchParams.get('error')).toBe('email');
      });
    });

    describe('signing in', () => {
      it('a wrong password is refused; the right one signs in; sign-out ends the session', async () => {
        await signedUp();
        const browser = new Browser('198.51.100.1');
        const wrong = await browser.post(signIn, '/api/teach/sign-in', {
          ...ada,
          password: 'nope nope nope',
        });
        expect(location(wrong).searchParams.get('error')).toBe('credentials');
        expect(await instructorFromRequest(browser.request('/'))).toBeNull();
        const right = await browser.post(signIn, '/api/teach/sign-in', ada);
        expect(location(right).pathname).toBe('/en/teach/classes');
        const cookie = right.headers.getSetCookie().join('\n');
        expect(cookie).toMatch(/HttpOnly/i);
        expect(cookie).toMatch(/SameSite=Lax/i);
        expect(await instructorFromRequest(browser.request('/'))).not.toBeNull();
        await browser.post(signOut, '/api/teach/sign-out', { lang: 'en' });
        expect(await instructorFromRequest(browser.request('/'))).toBeNull();
      });

      it('is rate limited per address by Better Auth (database storage)', async () => {
        await signedUp();
        const browser = new Browser('198.51.100.2');
        const errors: Array<string | null> = [];
        for (let i = 0; i < 7; i++) {
          const r = await browser.post(signIn, '/api/teach/sign-in', {
            ...ada,
            email: `x${i}@example.org`,
          });
          errors.push(location(r).searchParams.get('error'));
        }
        expect(errors.slice(0, 5)).toEqual(Array(5).fill('credentials'));
        expect(errors.slice(5)).toEqual(['rate', 'rate']);
        const rows = await context.db.selectFrom('rateLimit').select('key').execute();
        expect(rows.some((row) => row.key.includes('198.51.100.2'))).toBe(true);
      });

      it('is limited per account across addresses: 10 failures lock even the right password', async () => {
        await signedUp();
        for (let i = 0; i < 10; i++) {
          const r = await new Browser(`192.0.2.${i}`).post(signIn, '/api/teach/sign-in', {
            ...ada,
            password: 'wrong password',
          });
          expect(location(r).searchParams.get('error')).toBe('credentials');
        }
        const r = await new Browser('192.0.2.99').post(signIn, '/api/teach/sign-in', ada);
        expect(location(r).searchParams.get('error')).toBe('rate');
      });

      it('refuses cross-site posts (CSRF) before doing anything', async () => {
        await signedUp();
        const browser = new Browser();
        for (const origin of ['https://evil.example', null]) {
          const r = await browser.post(signIn, '/api/teach/sign-in', ada, origin);
          expect(r.status).toBe(403);
        }
        const signedIn = await signedUp({ ...ada }).catch(() => null);
        expect(signedIn).toBeNull(); // sign-up is closed now; nothing was created by the forgeries
      });
    });
  });
}
