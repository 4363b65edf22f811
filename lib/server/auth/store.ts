/**
 * What the auth pages need from the database beyond lib/server/db's repository functions
 * (which they use for everything else): instructor names and emails, learner counts, restoring an
 * archived class. No authorization here: callers decide who may ask.
 */
import type { Kysely } from 'kysely';
import type { InstructorRole, Schema } from '../db/index.ts';

/** The database handle every function here takes. */
export type AuthDb = Kysely<Schema>;

/** An instructor account by email (Better Auth stores emails lowercased). */
export function userByEmail(db: AuthDb, email: string) {
  return db
    .selectFrom('user')
    .select(['id', 'name', 'email'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** The class's instructors with their names and emails, owner first. */
export async function classInstructors(
  db: AuthDb,
  classId: string,
): Promise<Array<{ id: string; name: string; email: string; role: InstructorRole }>> {
  return db
    .selectFrom('class_instructors')
    .innerJoin('user', 'user.id', 'class_instructors.user_id')
    .select(['user.id', 'user.name', 'user.email', 'class_instructors.role'])
    .where('class_instructors.class_id', '=', classId)
    .orderBy('class_instructors.role', 'desc')
    .orderBy('class_instructors.added_at')
    .execute();
}

/** How many learners each of these classes has. */
export async function learnerCounts(db: AuthDb, classIds: string[]): Promise<Map<string, number>> {
  if (classIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('learners')
    .select((eb) => ['class_id', eb.fn.countAll<number | string>().as('count')])
    .where('class_id', 'in', classIds)
    .groupBy('class_id')
    .execute();
  return new Map(rows.map((row) => [row.class_id, Number(row.count)]));
}

/** Brings an archived class back: learners may join it again. */
export async function restoreClass(db: AuthDb, classId: string): Promise<void> {
  await db.updateTable('classes').set({ archived_at: null }).where('id', '=', classId).execute();
}
