/**
 * The classroom rows this module owns: classes, their instructors and lessons, learners and
 * their sessions. No authorization here: callers decide who may ask (see access.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { newJoinCode, nicknameKey } from './codes.ts';
import type { AuthDb, ClassroomTables } from './tables.ts';

export type ClassRow = ClassroomTables['classes'];
export type Role = ClassroomTables['class_instructors']['role'];
export type LearnerRow = ClassroomTables['learners'];

/** A class as an instructor's list shows it. */
export interface ClassSummary {
  id: string;
  name: string;
  joinCode: string;
  role: Role;
  archivedAt: string | null;
  createdAt: string;
  learners: number;
}

/** A random URL-safe id of 144 bits. */
export function newId(): string {
  return randomBytes(18).toString('base64url');
}

/** The stored form of a session token: its SHA-256, so a leaked table opens no session. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const now = () => new Date().toISOString();

/** Every class `userId` teaches (owner or co), newest first, with its learner count. */
export async function classesOf(db: AuthDb, userId: string): Promise<ClassSummary[]> {
  const rows = await db
    .selectFrom('classes')
    .innerJoin('class_instructors', 'class_instructors.class_id', 'classes.id')
    .leftJoin('learners', 'learners.class_id', 'classes.id')
    .where('class_instructors.user_id', '=', userId)
    .groupBy(['classes.id', 'class_instructors.role'])
    .select((eb) => [
      'classes.id',
      'classes.name',
      'classes.join_code',
      'classes.archived_at',
      'classes.created_at',
      'class_instructors.role',
      eb.fn.count<number | string>('learners.id').as('learners'),
    ])
    .orderBy('classes.created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    joinCode: row.join_code,
    role: row.role,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    learners: Number(row.learners),
  }));
}

/** Creates a class owned by `userId` with a fresh join code (drawn again on the rare clash). */
export async function createClass(
  db: AuthDb,
  input: { name: string; createdBy: string; lessonIds?: string[] },
): Promise<ClassRow> {
  for (let attempt = 0; ; attempt++) {
    const row: ClassRow = {
      id: newId(),
      name: input.name,
      join_code: newJoinCode(),
      password_hash: null,
      created_by: input.createdBy,
      created_at: now(),
      archived_at: null,
    };
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('classes').values(row).execute();
        await trx
          .insertInto('class_instructors')
          .values({ class_id: row.id, user_id: input.createdBy, role: 'owner', added_at: now() })
          .execute();
        await insertLessons(trx, row.id, input.lessonIds ?? []);
      });
      return row;
    } catch (error) {
      if (attempt >= 4 || !(await codeTaken(db, row.join_code))) throw error;
    }
  }
}

async function codeTaken(db: AuthDb, code: string): Promise<boolean> {
  const found = await db.selectFrom('classes').select('id').where('join_code', '=', code).execute();
  return found.length > 0;
}

async function insertLessons(db: AuthDb, classId: string, lessonIds: string[]): Promise<void> {
  if (lessonIds.length === 0) return;
  await db
    .insertInto('class_lessons')
    .values(
      lessonIds.map((lessonId, position) => ({ class_id: classId, lesson_id: lessonId, position })),
    )
    .execute();
}

/** The class with this id, or undefined. */
export function classById(db: AuthDb, classId: string): Promise<ClassRow | undefined> {
  return db.selectFrom('classes').selectAll().where('id', '=', classId).executeTakeFirst();
}

/** The class a (normalized) join code opens, archived ones included; undefined when none. */
export function findClassByCode(db: AuthDb, code: string): Promise<ClassRow | undefined> {
  return db.selectFrom('classes').selectAll().where('join_code', '=', code).executeTakeFirst();
}

/** The role `userId` has in `classId`, or null when they do not teach it. */
export async function roleIn(db: AuthDb, classId: string, userId: string): Promise<Role | null> {
  const row = await db
    .selectFrom('class_instructors')
    .select('role')
    .where('class_id', '=', classId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Renames a class. */
export async function renameClass(db: AuthDb, classId: string, name: string): Promise<void> {
  await db.updateTable('classes').set({ name }).where('id', '=', classId).execute();
}

/** Archives a class (learners can no longer join it) or, with `archived` false, restores it. */
export async function archiveClass(db: AuthDb, classId: string, archived = true): Promise<void> {
  await db
    .updateTable('classes')
    .set({ archived_at: archived ? now() : null })
    .where('id', '=', classId)
    .execute();
}

/** Sets (an argon2id hash) or clears (null) the class password. */
export async function setClassPassword(
  db: AuthDb,
  classId: string,
  passwordHash: string | null,
): Promise<void> {
  await db
    .updateTable('classes')
    .set({ password_hash: passwordHash })
    .where('id', '=', classId)
    .execute();
}

/** Replaces the class's lessons with `lessonIds`, in that order. */
export async function setClassLessons(
  db: AuthDb,
  classId: string,
  lessonIds: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('class_lessons').where('class_id', '=', classId).execute();
    await insertLessons(trx, classId, [...new Set(lessonIds)]);
  });
}

/** The class's lesson ids in order. */
export async function classLessons(db: AuthDb, classId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('class_lessons')
    .select('lesson_id')
    .where('class_id', '=', classId)
    .orderBy('position')
    .execute();
  return rows.map((row) => row.lesson_id);
}

/** An instructor account by email (case-insensitive, as Better Auth stores it lowercased). */
export function userByEmail(db: AuthDb, email: string) {
  return db
    .selectFrom('user')
    .select(['id', 'name', 'email'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Adds `userId` as a co-instructor; false when they already teach the class. */
export async function addInstructor(db: AuthDb, classId: string, userId: string): Promise<boolean> {
  if (await roleIn(db, classId, userId)) return false;
  await db
    .insertInto('class_instructors')
    .values({ class_id: classId, user_id: userId, role: 'co', added_at: now() })
    .execute();
  return true;
}

/** Removes a co-instructor (never the owner). */
export async function removeInstructor(db: AuthDb, classId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('class_instructors')
    .where('class_id', '=', classId)
    .where('user_id', '=', userId)
    .where('role', '=', 'co')
    .execute();
}

/** The class's instructors with their names and emails, owner first. */
export async function classInstructors(db: AuthDb, classId: string) {
  const rows = await db
    .selectFrom('class_instructors')
    .innerJoin('user', 'user.id', 'class_instructors.user_id')
    .select(['user.id', 'user.name', 'user.email', 'class_instructors.role'])
    .where('class_instructors.class_id', '=', classId)
    .orderBy('class_instructors.added_at')
    .execute();
  return rows.sort((a, b) => Number(b.role === 'owner') - Number(a.role === 'owner'));
}

/** Adds a learner; 'taken' when the nickname clashes with one already in the class. */
export async function createLearner(
  db: AuthDb,
  classId: string,
  nickname: string,
): Promise<LearnerRow | 'taken'> {
  const key = nicknameKey(nickname);
  const row: LearnerRow = {
    id: newId(),
    class_id: classId,
    nickname,
    nickname_key: key,
    created_at: now(),
    last_seen_at: now(),
  };
  try {
    await db.insertInto('learners').values(row).execute();
    return row;
  } catch (error) {
    const clash = await db
      .selectFrom('learners')
      .select('id')
      .where('class_id', '=', classId)
      .where('nickname_key', '=', key)
      .executeTakeFirst();
    if (clash) return 'taken';
    throw error;
  }
}

/** Opens a session for a learner; returns the token for the cookie (only its hash is stored). */
export async function createLearnerSession(
  db: AuthDb,
  learnerId: string,
  ttlMs: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await db
    .insertInto('learner_sessions')
    .values({
      token_hash: tokenHash(token),
      learner_id: learnerId,
      created_at: now(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { token, expiresAt };
}

/** The learner (with their class) a session token belongs to, if the session has not expired. */
export function learnerBySessionToken(db: AuthDb, token: string) {
  return db
    .selectFrom('learner_sessions')
    .innerJoin('learners', 'learners.id', 'learner_sessions.learner_id')
    .innerJoin('classes', 'classes.id', 'learners.class_id')
    .select([
      'learners.id',
      'learners.nickname',
      'learners.class_id',
      'classes.name as class_name',
      'classes.archived_at',
      'learner_sessions.expires_at',
    ])
    .where('learner_sessions.token_hash', '=', tokenHash(token))
    .where('learner_sessions.expires_at', '>', now())
    .executeTakeFirst();
}

/** Ends a learner session. */
export async function deleteLearnerSession(db: AuthDb, token: string): Promise<void> {
  await db.deleteFrom('learner_sessions').where('token_hash', '=', tokenHash(token)).execute();
}
