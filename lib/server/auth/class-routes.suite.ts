/**
 * Authorization of every class and join route: instructors reach only the classes they teach
 * (owner or co, with owner-only actions), learners only themselves; anonymous posts change nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as classAction } from '../../../app/api/teach/classes/[id]/route.ts';
import { POST as createClass } from '../../../app/api/teach/classes/route.ts';
import { POST as join } from '../../../app/api/join/route.ts';
import { POST as leave } from '../../../app/api/join/leave/route.ts';
import { POST as signUp } from '../../../app/api/teach/sign-up/route.ts';
import { listLessons } from '../../lessons/catalog.ts';
import { formatJoinCode } from './codes.ts';
import { classInstructorFromRequest, learnerFromRequest } from './request.ts';
import { classById, classLessons } from '../db/index.ts';
import { classInstructors } from './store.ts';
import { Browser, installTestContext, location } from './test-support.ts';
import type { Opener } from './test-support.ts';

/** The suite, on the database `open` makes (SQLite in the unit tests, PostgreSQL in integration). */
export function classRouteSuite(open: Opener): void {
  describe('classes and joining', () => {
    let context: Awaited<ReturnType<typeof installTestContext>>;

    beforeEach(async () => {
      context = await installTestContext('open', open);
    });
    afterEach(() => context.close());

    async function instructor(name: string): Promise<Browser> {
      const browser = new Browser();
      const email = `${name.toLowerCase()}@example.org`;
      await browser.post(signUp, '/api/teach/sign-up', {
        name,
        email,
        password: `${name} password!`,
        lang: 'en',
      });
      return browser;
    }

    async function newClass(owner: Browser, name = 'Networks 101'): Promise<string> {
      const response = await owner.post(createClass, '/api/teach/classes', { name, lang: 'en' });
      const id = location(response).pathname.split('/').pop()!;
      expect(location(response).pathname).toBe(`/en/teach/classes/${id}`);
      return id;
    }

    /** Posts one settings action on a class through its route, as the app router would call it. */
    function act(browser: Browser, classId: string, body: Record<string, string | string[]>) {
      return browser.post(
        (request) => classAction(request, { params: Promise.resolve({ id: classId }) }),
        `/api/teach/classes/${classId}`,
        { lang: 'en', ...body },
      );
    }

    describe('classes', () => {
      it('are created with a join code and every lesson, in course order', async () => {
        const ada = await instructor('Ada');
        const id = await newClass(ada);
        const row = await classById(context.db, id);
        expect(row?.joinCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
        const ids = (await listLessons()).map((lesson) => lesson.id);
        expect(await classLessons(context.db, id)).toEqual(ids);
      });

      it('pick and order lessons: unpicked ones leave, moves swap neighbours', async () => {
        const ada = await instructor('Ada');
        const id = await newClass(ada);
        const [a, b, c] = (await listLessons()).map((lesson) => lesson.id);
        await act(ada, id, { action: 'lessons', lesson: [c!, a!, b!, 'no-such-lesson'] });
        expect(await classLessons(context.db, id)).toEqual([a, b, c]);
        await act(ada, id, { action: 'lessons', lesson: [a!, c!] });
        expect(await classLessons(context.db, id)).toEqual([a, c]);
        await act(ada, id, { action: 'move', lesson: c!, direction: 'up' });
        expect(await classLessons(context.db, id)).toEqual([c, a]);
        const edge = await act(ada, id, { action: 'move', lesson: c!, direction: 'up' });
        expect(location(edge).searchParams.get('error')).toBe('lessons');
      });

      it('another instructor gets 404 for every action, and nothing changes', async () => {
        const ada = await instructor('Ada');
        const eve = await instructor('Eve');
        const id = await newClass(ada);
        const before = await classById(context.db, id);
        for (const action of [
          'rename',
          'archive',
          'restore',
          'lessons',
          'move',
          'password',
          'add-instructor',
          'remove-instructor',
          'bogus',
        ]) {
          const response = await act(eve, id, {
            action,
            name: 'pwned',
            email: 'eve@example.org',
            password: 'pwned',
          });
          expect(response.status, action).toBe(404);
        }
        expect(await classById(context.db, id)).toEqual(before);
        expect((await classInstructors(context.db, id)).map((i) => i.email)).toEqual([
          'ada@example.org',
        ]);
        expect((await act(eve, 'no-such-class', { action: 'rename', name: 'x' })).status).toBe(404);
      });

      it('anonymous posts and learners are sent to sign in; cross-site posts are refused', async () => {
        const ada = await instructor('Ada');
        const id = await newClass(ada);
        const anonymous = new Browser();
        const response = await act(anonymous, id, { action: 'rename', name: 'x' });
        expect(location(response).pathname).toBe('/en/teach');
        expect(
          location(
            await anonymous.post(createClass, '/api/teach/classes', { name: 'x', lang: 'en' }),
          ).pathname,
        ).toBe('/en/teach');
        const forged = await ada.post(
          (request) => classAction(request, { params: Promise.resolve({ id }) }),
          `/api/teach/classes/${id}`,
          { action: 'archive', lang: 'en' },
          'https://evil.example',
        );
        expect(forged.status).toBe(403);
        expect((await classById(context.db, id))?.name).toBe('Networks 101');
        expect((await classById(context.db, id))?.archivedAt).toBeNull();
      });

      it('co-instructors are added by email and may edit, but only the owner archives or adds', async () => {
        const ada = await instructor('Ada');
        const bob = await instructor('Bob');
        const id = await newClass(ada);
        const unknown = await act(ada, id, {
          action: 'add-instructor',
          email: 'nobody@example.org',
        });
        expect(location(unknown).searchParams.get('error')).toBe('no-instructor');
        await act(ada, id, { action: 'add-instructor', email: 'BOB@example.org' });
        expect((await classInstructors(context.db, id)).map((i) => [i.email, i.role])).toEqual([
          ['ada@example.org', 'owner'],
          ['bob@example.org', 'co'],
        ]);
        await act(bob, id, { action: 'rename', name: 'Renamed by Bob' });
        expect((await classById(context.db, id))?.name).toBe('Renamed by Bob');
        expect((await act(bob, id, { action: 'archive' })).status).toBe(403);
        expect(
          (await act(bob, id, { action: 'add-instructor', email: 'ada@example.org' })).status,
        ).toBe(403);
        const owner = (await classInstructors(context.db, id))[0]!;
        await act(ada, id, { action: 'remove-instructor', user: owner.id }); // the owner stays
        expect(await classInstructors(context.db, id)).toHaveLength(2);
      });
    });

    describe('joining', () => {
      async function classWithCode(password?: string) {
        const ada = await instructor('Ada');
        const id = await newClass(ada);
        if (password) await act(ada, id, { action: 'password', password });
        const code = (await classById(context.db, id))!.joinCode;
        return { ada, id, code };
      }

      it('code + nickname gives an httpOnly, SameSite=Lax learner cookie; learnerFromRequest finds them', async () => {
        const { id, code } = await classWithCode();
        const learner = new Browser();
        const response = await learner.post(join, '/api/join', {
          code: formatJoinCode(code).toLowerCase(),
          nickname: ' Ada L. ',
          lang: 'zh',
        });
        expect(location(response).pathname).toBe('/zh');
        const [cookie] = response.headers.getSetCookie();
        expect(cookie).toMatch(
          /^handshake_learner=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/,
        );
        expect(cookie).not.toMatch(/Secure/);
        const me = await learnerFromRequest(learner.request('/'));
        expect(me).toEqual({
          id: expect.any(String),
          nickname: 'Ada L.',
          classId: id,
          className: 'Networks 101',
          archived: false,
        });
        const stored = await context.db
          .selectFrom('learner_sessions')
          .select('token_hash')
          .execute();
        expect(stored[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(learner.cookieHeader()).not.toContain(stored[0]!.token_hash);
      });

      it('a learner sees only themselves: another browser is someone else or no one', async () => {
        const { code } = await classWithCode();
        const one = new Browser();
        const two = new Browser();
        await one.post(join, '/api/join', { code, nickname: 'one', lang: 'en' });
        await two.post(join, '/api/join', { code, nickname: 'two', lang: 'en' });
        expect((await learnerFromRequest(one.request('/')))?.nickname).toBe('one');
        expect((await learnerFromRequest(two.request('/')))?.nickname).toBe('two');
        expect(await learnerFromRequest(new Browser().request('/'))).toBeNull();
        const forged = new Browser();
        forged.cookies.set('handshake_learner', 'A'.repeat(43));
        expect(await learnerFromRequest(forged.request('/'))).toBeNull();
        // A learner's cookie is not an instructor session: they cannot touch classes.
        const [classId] = (await context.db.selectFrom('classes').select('id').execute()).map(
          (r) => r.id,
        );
        const response = await act(one, classId!, { action: 'rename', name: 'x' });
        expect(location(response).pathname).toBe('/en/teach');
      });

      it('a wrong code, a wrong password and an archived class get the same answer', async () => {
        const { ada, id, code } = await classWithCode('sesame');
        const learner = new Browser();
        const answers = [];
        for (const body of [
          {
            code: code === '00000000' ? '11111111' : '00000000',
            nickname: 'x',
            password: 'sesame',
          },
          { code, nickname: 'x', password: 'wrong' },
          { code, nickname: 'x', password: '' },
        ]) {
          const response = await learner.post(join, '/api/join', { ...body, lang: 'en' });
          answers.push(location(response).searchParams.get('error'));
        }
        await act(ada, id, { action: 'archive' });
        const archived = await learner.post(join, '/api/join', {
          code,
          nickname: 'x',
          password: 'sesame',
          lang: 'en',
        });
        answers.push(location(archived).searchParams.get('error'));
        expect(answers).toEqual(['nomatch', 'nomatch', 'nomatch', 'nomatch']);
        expect(learner.cookies.size).toBe(0);
        await act(ada, id, { action: 'restore' });
        const ok = await learner.post(join, '/api/join', {
          code,
          nickname: 'x',
          password: 'sesame',
          lang: 'en',
        });
        expect(location(ok).pathname).toBe('/en');
      });

      it('nicknames are unique per class ignoring case and width', async () => {
        const { code } = await classWithCode();
        await new Browser().post(join, '/api/join', { code, nickname: 'Ada', lang: 'en' });
        const clash = await new Browser().post(join, '/api/join', {
          code,
          nickname: 'ＡＤＡ',
          lang: 'en',
        });
        expect(location(clash).searchParams.get('error')).toBe('taken');
        const empty = await new Browser().post(join, '/api/join', {
          code,
          nickname: '  ',
          lang: 'en',
        });
        expect(location(empty).searchParams.get('error')).toBe('nickname');
      });

      it('guessing is limited per address (20 failures) and per class password (50)', async () => {
        const { code } = await classWithCode('sesame');
        const guesser = new Browser('203.0.113.50');
        for (let i = 0; i < 20; i++) {
          await guesser.post(join, '/api/join', {
            code: `${i}`.padStart(8, '2'),
            nickname: 'g',
            lang: 'en',
          });
        }
        const refused = await guesser.post(join, '/api/join', {
          code,
          nickname: 'g',
          password: 'sesame',
          lang: 'en',
        });
        expect(location(refused).searchParams.get('error')).toBe('rate');
        for (let i = 0; i < 50; i++) {
          await new Browser(`198.18.0.${i}`).post(join, '/api/join', {
            code,
            nickname: 'g',
            password: `guess${i}`,
            lang: 'en',
          });
        }
        const locked = await new Browser('198.18.1.1').post(join, '/api/join', {
          code,
          nickname: 'g',
          password: 'sesame',
          lang: 'en',
        });
        expect(location(locked).searchParams.get('error')).toBe('rate');
      }, 30_000);

      it('leaving ends the session and clears the cookie', async () => {
        const { code } = await classWithCode();
        const learner = new Browser();
        await learner.post(join, '/api/join', { code, nickname: 'x', lang: 'en' });
        const token = learner.request('/');
        await learner.post(leave, '/api/join/leave', { lang: 'en' });
        expect(learner.cookies.size).toBe(0);
        expect(await learnerFromRequest(token)).toBeNull(); // the old token no longer works
      });
    });

    describe('classInstructorFromRequest', () => {
      it('names owner and co-instructors of the class, and no one else', async () => {
        const ada = await instructor('Ada');
        const bob = await instructor('Bob');
        const eve = await instructor('Eve');
        const id = await newClass(ada);
        await act(ada, id, { action: 'add-instructor', email: 'bob@example.org' });
        const learner = new Browser();
        const code = (await classById(context.db, id))!.joinCode;
        await learner.post(join, '/api/join', { code, nickname: 'l', lang: 'en' });
        const ask = (b: Browser, classId = id) =>
          classInstructorFromRequest(b.request('/'), classId);
        expect(await ask(ada)).toMatchObject({ email: 'ada@example.org', role: 'owner' });
        expect(await ask(bob)).toMatchObject({ email: 'bob@example.org', role: 'co' });
        expect(await ask(eve)).toBeNull();
        expect(await ask(learner)).toBeNull();
        expect(await ask(new Browser())).toBeNull();
        expect(await ask(ada, 'another-class')).toBeNull();
      });
    });
  });
}
