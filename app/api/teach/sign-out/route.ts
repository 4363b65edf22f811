/** POST /api/teach/sign-out: the /teach form, passed on to Better Auth. */
import { signOut } from '../../../../lib/server/auth/instructor-forms.ts';

export const POST = signOut;
