/** POST /api/teach/sign-up: the /teach form, passed on to Better Auth. */
import { signUp } from '../../../../lib/server/auth/instructor-forms.ts';

export const POST = signUp;
