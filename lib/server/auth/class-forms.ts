/**
 * The forms of /teach/classes and /teach/classes/[id]. Every action first finds the signed-in
 * instructor and their role in the class: someone who does not teach a class gets the same 404
 * as for a class that does not exist.
 */
import { listLessons } from '../../lessons/catalog.ts';
import { authContext } from './context.ts';
import { guarded, seeOther, type Form } from './forms.ts';
import { hashPassword } from './password.ts';
import { instructorFromRequest, type Instructor } from './request.ts';
import {
  addInstructor,
  archiveClass,
  classLessons,
  createClass,
  instructorRole,
  removeInstructor,
  setClassLessons,
  updateClass,
  type InstructorRole,
} from '../db/index.ts';
import { restoreClass, userByEmail } from './store.ts';

export const CLASS_NAME_MAX = 80;
export const CLASS_PASSWORD_MIN = 4;

/** Error and notice codes the class page words (ui-text `teach.errors` / `teach.saved`). */
export type ClassError = 'name' | 'password' | 'no-instructor' | 'lessons';

const notFound = () => new Response('Not found', { status: 404 });

function cleanName(typed: string): string | null {
  const name = typed.trim().replace(/\s+/g, ' ');
  return name.length > 0 && name.length <= CLASS_NAME_MAX ? name : null;
}

/** Runs `handle` for a same-origin post by a signed-in instructor; others go to sign in. */
function asInstructor(
  request: Request,
  handle: (form: Form, instructor: Instructor) => Promise<Response>,
): Promise<Response> {
  return guarded(request, async (form) => {
    const instructor = await instructorFromRequest(request);
    if (!instructor) return seeOther(request, `/${form.lang}/teach`);
    return handle(form, instructor);
  });
}

/** POST /api/teach/classes: creates a class with every lesson, in course order. */
export function createClassForm(request: Request): Promise<Response> {
  return asInstructor(request, async (form, instructor) => {
    const name = cleanName(form.get('name'));
    if (!name) return seeOther(request, `/${form.lang}/teach/classes`, { error: 'name' });
    const { db } = await authContext();
    const lessonIds = (await listLessons()).map((lesson) => lesson.id);
    const created = await createClass(db, { name, createdBy: instructor.id, lessonIds });
    return seeOther(request, `/${form.lang}/teach/classes/${created.id}`, { saved: 'created' });
  });
}

type Action = (input: {
  form: Form;
  classId: string;
  role: InstructorRole;
}) => Promise<{ error?: ClassError; saved?: string } | 'forbidden'>;

/** What each `action` of the class settings form does; owner-only ones say so. */
const ACTIONS: Record<string, Action> = {
  async rename({ form, classId }) {
    const name = cleanName(form.get('name'));
    if (!name) return { error: 'name' };
    await updateClass((await authContext()).db, classId, { name });
    return { saved: 'name' };
  },
  async archive({ classId, role }) {
    if (role !== 'owner') return 'forbidden';
    await archiveClass((await authContext()).db, classId);
    return { saved: 'archived' };
  },
  async restore({ classId, role }) {
    if (role !== 'owner') return 'forbidden';
    await restoreClass((await authContext()).db, classId);
    return { saved: 'restored' };
  },
  async lessons({ form, classId }) {
    const known = new Set((await listLessons()).map((lesson) => lesson.id));
    const { db } = await authContext();
    const current = await classLessons(db, classId);
    const picked = form.all('lesson').filter((id) => known.has(id));
    // Keep the order already chosen; newly picked lessons join at the end, in course order.
    const ordered = [
      ...current.filter((id) => picked.includes(id)),
      ...picked.filter((id) => !current.includes(id)),
    ];
    await setClassLessons(db, classId, ordered);
    return { saved: 'lessons' };
  },
  async move({ form, classId }) {
    const { db } = await authContext();
    const lessons = await classLessons(db, classId);
    const from = lessons.indexOf(form.get('lesson'));
    const to = from + (form.get('direction') === 'up' ? -1 : 1);
    if (from < 0 || to < 0 || to >= lessons.length) return { error: 'lessons' };
    [lessons[from], lessons[to]] = [lessons[to]!, lessons[from]!];
    await setClassLessons(db, classId, lessons);
    return { saved: 'order' };
  },
  async password({ form, classId }) {
    const password = form.get('password');
    const clear = form.get('clear') === '1';
    if (!clear && password.length < CLASS_PASSWORD_MIN) return { error: 'password' };
    const hash = clear ? null : await hashPassword(password);
    await updateClass((await authContext()).db, classId, { passwordHash: hash });
    return { saved: clear ? 'password-cleared' : 'password' };
  },
  async 'add-instructor'({ form, classId, role }) {
    if (role !== 'owner') return 'forbidden';
    const { db } = await authContext();
    const user = await userByEmail(db, form.get('email'));
    if (!user) return { error: 'no-instructor' };
    await addInstructor(db, classId, user.id);
    return { saved: 'instructor' };
  },
  async 'remove-instructor'({ form, classId, role }) {
    if (role !== 'owner') return 'forbidden';
    await removeInstructor((await authContext()).db, classId, form.get('user'));
    return { saved: 'instructor-removed' };
  },
};

/** POST /api/teach/classes/[id]: one settings action (`action` field) on a class one teaches. */
export function classSettingsForm(request: Request, classId: string): Promise<Response> {
  return asInstructor(request, async (form, instructor) => {
    const { db } = await authContext();
    const role = await instructorRole(db, classId, instructor.id);
    const action = Object.hasOwn(ACTIONS, form.get('action')) ? ACTIONS[form.get('action')] : null;
    if (!role) return notFound();
    if (!action) return new Response('Unknown action', { status: 400 });
    const result = await action({ form, classId, role });
    if (result === 'forbidden') return new Response('Only the class owner may', { status: 403 });
    const page = form.get('from') === 'list' ? 'classes' : `classes/${classId}`;
    return seeOther(request, `/${form.lang}/teach/${page}`, result as Record<string, string>);
  });
}
