/**
 * Classes, their instructors and their lessons. Authorization is the caller's: these take ids.
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './errors.ts';
import { newId, newJoinCode, normalizeJoinCode } from './ids.ts';
import type { InstructorRole, Schema } from './schema.ts';
import { isoTime } from './time.ts';

/** A class as instructors and the join page see it. */
export interface ClassRecord {
  id: string;
  name: string;
  joinCode: string;
  /** argon2id hash of the class password, or null when the class has none. */
  passwordHash: string | null;
  createdBy: string;
  createdAt: string;
  archivedAt: string | null;
}

/** A class in an instructor's list, with the instructor's role in it. */
export interface InstructorClass extends ClassRecord {
  role: InstructorRole;
  lessonIds: string[];
}

type ClassRow = Schema['classes'];

function toClass(row: ClassRow): ClassRecord {
  return {
    id: row.id,
    name: row.name,
    joinCode: row.join_code,
    passwordHash: row.password_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    archivedAt: row.archived_at,
  };
}

/** Every class `userId` teaches (owner or co), newest first, archived ones included. */
export async function classesOf(db: Kysely<Schema>, userId: string): Promise<InstructorClass[]> {
  const rows = await db
    .selectFrom('classes')
    .innerJoin('class_instructors', 'class_instructors.class_id', 'classes.id')
    .selectAll('classes')
    .select('class_instructors.role')
    .where('class_instructors.user_id', '=', userId)
    .orderBy('classes.created_at', 'desc')
    .orderBy('classes.id')
    .execute();
  const lessons = await lessonsOfClasses(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    ...toClass(row),
    role: row.role,
    lessonIds: lessons.get(row.id) ?? [],
  }));
}

/** Each class's lesson ids in their order. */
async function lessonsOfClasses(
  db: Kysely<Schema>,
  classIds: string[],
): Promise<Map<string, string[]>> {
  const byClass = new Map<string, string[]>();
  if (classIds.length === 0) return byClass;
  const rows = await db
    .selectFrom('class_lessons')
    .select(['class_id', 'lesson_id'])
    .where('class_id', 'in', classIds)
    .orderBy('class_id')
    .orderBy('position')
    .execute();
  for (const row of rows)
    byClass.set(row.class_id, [...(byClass.get(row.class_id) ?? []), row.lesson_id]);
  return byClass;
}

/** One class by id, archived or not. */
export async function classById(
  db: Kysely<Schema>,
  classId: string,
): Promise<ClassRecord | undefined> {
  const row = await db
    .selectFrom('classes')
    .selectAll()
    .where('id', '=', classId)
    .executeTakeFirst();
  return row && toClass(row);
}

/** A class's lesson ids in their order. */
export async function classLessons(db: Kysely<Schema>, classId: string): Promise<string[]> {
  return (await lessonsOfClasses(db, [classId])).get(classId) ?? [];
}

/** A new class owned by `createdBy`, with a fresh unique join code. */
export async function createClass(
  db: Kysely<Schema>,
  input: { name: string; createdBy: string; passwordHash?: string | null; lessonIds?: string[] },
): Promise<ClassRecord> {
  // 40-bit codes collide rarely; a collision just draws again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertClass(db, input, newJoinCode());
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 4) throw error;
    }
  }
}

async function insertClass(
  db: Kysely<Schema>,
  input: { name: string; createdBy: string; passwordHash?: string | null; lessonIds?: string[] },
  joinCode: string,
): Promise<ClassRecord> {
  const now = isoTime();
  const row: ClassRow = {
    id: newId(),
    name: input.name,
    join_code: joinCode,
    password_hash: input.passwordHash ?? null,
    created_by: input.createdBy,
    created_at: now,
    archived_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('classes').values(row).execute();
    await trx
      .insertInto('class_instructors')
      .values({ class_id: row.id, user_id: input.createdBy, role: 'owner', added_at: now })
      .execute();
    await replaceLessons(trx, row.id, input.lessonIds ?? []);
  });
  return toClass(row);
}

/** Archives a class (joining stops; its records stay); false when there is no such class. */
export async function archiveClass(
  db: Kysely<Schema>,
  classId: string,
  at?: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('classes')
    .set({ archived_at: isoTime(at) })
    .where('id', '=', classId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return true;
  return (await classById(db, classId)) !== undefined;
}

/** Sets a class's name and class password hash (null: no password); false when no such class. */
export async function updateClass(
  db: Kysely<Schema>,
  classId: string,
  changes: { name?: string; passwordHash?: string | null },
): Promise<boolean> {
  const set: { name?: string; password_hash?: string | null } = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
  if (Object.keys(set).length === 0) return (await classById(db, classId)) !== undefined;
  const result = await db
    .updateTable('classes')
    .set(set)
    .where('id', '=', classId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Makes `lessonIds`, in this order, the class's lessons (duplicates keep their first place). */
export async function setClassLessons(
  db: Kysely<Schema>,
  classId: string,
  lessonIds: readonly string[],
): Promise<void> {
  await db.transaction().execute((trx) => replaceLessons(trx, classId, lessonIds));
}

async function replaceLessons(
  db: Kysely<Schema>,
  classId: string,
  lessonIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('class_lessons').where('class_id', '=', classId).execute();
  const unique = [...new Set(lessonIds)];
  if (unique.length === 0) return;
  await db
    .insertInto('class_lessons')
    .values(
      unique.map((lessonId, position) => ({ class_id: classId, lesson_id: lessonId, position })),
    )
    .execute();
}

/** Adds `userId` as an instructor of the class; 'exists' when they already teach it. */
export async function addInstructor(
  db: Kysely<Schema>,
  classId: string,
  userId: string,
  role: InstructorRole = 'co',
): Promise<'added' | 'exists'> {
  const result = await db
    .insertInto('class_instructors')
    .values({ class_id: classId, user_id: userId, role, added_at: isoTime() })
    .onConflict((oc) => oc.columns(['class_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n ? 'added' : 'exists';
}

/** Removes a co-instructor; an owner stays. True when someone was removed. */
export async function removeInstructor(
  db: Kysely<Schema>,
  classId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('class_instructors')
    .where('class_id', '=', classId)
    .where('user_id', '=', userId)
    .where('role', '=', 'co')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The instructors of a class with their role, owner first. */
export async function instructorsOf(
  db: Kysely<Schema>,
  classId: string,
): Promise<Array<{ userId: string; role: InstructorRole; addedAt: string }>> {
  const rows = await db
    .selectFrom('class_instructors')
    .select(['user_id', 'role', 'added_at'])
    .where('class_id', '=', classId)
    .orderBy('role', 'desc')
    .orderBy('added_at')
    .execute();
  return rows.map((row) => ({ userId: row.user_id, role: row.role, addedAt: row.added_at }));
}

/** The role `userId` has in the class, or undefined when they do not teach it. */
export async function instructorRole(
  db: Kysely<Schema>,
  classId: string,
  userId: string,
): Promise<InstructorRole | undefined> {
  const row = await db
    .selectFrom('class_instructors')
    .select('role')
    .where('class_id', '=', classId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

/**
 * The open (not archived) class a typed join code names, however it was typed (case, dashes,
 * O for 0); undefined otherwise.
 */
export async function findClassByCode(
  db: Kysely<Schema>,
  typedCode: string,
): Promise<ClassRecord | undefined> {
  const code = normalizeJoinCode(typedCode);
  if (!code) return undefined;
  const row = await db
    .selectFrom('classes')
    .selectAll()
    .where('join_code', '=', code)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return row && toClass(row);
}
