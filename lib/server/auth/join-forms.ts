/**
 * Learners joining a class with its code, a nickname and (when the class has one) its password.
 * A wrong code and a wrong password get the same answer, and failures are counted per address
 * and per class, so codes cannot be told apart or guessed at speed.
 */
import { randomBytes } from 'node:crypto';
import { cleanNickname, formatJoinCode } from './codes.ts';
import { authContext } from './context.ts';
import { JOIN_PER_CLASS, JOIN_PER_IP, recordFailure, refusedFor } from './failure-limit.ts';
import { guarded, seeOther, type Form } from './forms.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { clientAddress, LEARNER_COOKIE, learnerCookie, readCookie } from './request.ts';
import {
  createLearner,
  createLearnerSession,
  deleteLearnerSession,
  findClassByCode,
} from '../db/index.ts';
import { normalizeJoinCode } from '../db/ids.ts';
import type { AuthDb } from './store.ts';

/** Error codes the join page words (ui-text `join.errors`). */
export type JoinError = 'nomatch' | 'nickname' | 'taken' | 'rate';

function back(request: Request, form: Form, error: JoinError): Response {
  const code = normalizeJoinCode(form.get('code'));
  const params: Record<string, string> = { error, nickname: form.get('nickname').slice(0, 80) };
  const path = code ? `/${form.lang}/join/${formatJoinCode(code)}` : `/${form.lang}/join`;
  return seeOther(request, path, params);
}

let decoy: Promise<string> | undefined;
/** A real argon2id hash of nothing anyone types, made once. */
function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** The class the code and password open, or null; counts the failure when none. */
async function openClass(db: AuthDb, form: Form, ip: string) {
  // findClassByCode skips archived classes: they answer like a wrong code.
  const usable = await findClassByCode(db, form.get('code'));
  if (usable?.passwordHash) {
    if ((await refusedFor(db, `join-class:${usable.id}`, JOIN_PER_CLASS)) > 0) return 'rate';
    if (!(await verifyPassword(usable.passwordHash, form.get('password')))) {
      await recordFailure(db, `join-class:${usable.id}`, JOIN_PER_CLASS);
      await recordFailure(db, `join-ip:${ip}`, JOIN_PER_IP);
      return null;
    }
  }
  if (!usable) {
    // As slow as a wrong class password, so timing does not tell which classes exist.
    await verifyPassword(await decoyHash(), form.get('password'));
    await recordFailure(db, `join-ip:${ip}`, JOIN_PER_IP);
  }
  return usable ?? null;
}

/** POST /api/join: code + nickname (+ password) → a learner session cookie. */
export function joinForm(request: Request): Promise<Response> {
  return guarded(request, async (form) => {
    const { db } = await authContext();
    const ip = clientAddress(request);
    if ((await refusedFor(db, `join-ip:${ip}`, JOIN_PER_IP)) > 0)
      return back(request, form, 'rate');
    const nickname = cleanNickname(form.get('nickname'));
    if (!nickname) return back(request, form, 'nickname');
    const found = await openClass(db, form, ip);
    if (found === 'rate') return back(request, form, 'rate');
    if (!found) return back(request, form, 'nomatch');
    const learner = await createLearner(db, { classId: found.id, nickname });
    if (learner === 'taken') return back(request, form, 'taken');
    if (learner === 'invalid') return back(request, form, 'nickname');
    const session = await createLearnerSession(db, learner.id);
    const cookie = await learnerCookie(session.token, session.expiresAt);
    return seeOther(request, `/${form.lang}`, {}, [cookie]);
  });
}

/** POST /api/join/leave: ends this browser's learner session. */
export function leaveForm(request: Request): Promise<Response> {
  return guarded(request, async (form) => {
    const token = readCookie(request.headers.get('cookie'), LEARNER_COOKIE);
    if (token) await deleteLearnerSession((await authContext()).db, token);
    return seeOther(request, `/${form.lang}/join`, {}, [await learnerCookie(null)]);
  });
}
