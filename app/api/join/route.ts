/** POST /api/join: a learner joins a class. */
import { joinForm } from '../../../lib/server/auth/join-forms.ts';

export const POST = joinForm;
