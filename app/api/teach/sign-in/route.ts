/** POST /api/teach/sign-in: the /teach form, passed on to Better Auth. */
import { signIn } from '../../../../lib/server/auth/instructor-forms.ts';

export const POST = signIn;
