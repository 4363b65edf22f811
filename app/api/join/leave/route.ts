/** POST /api/join/leave: a learner leaves (signs out of) their class on this browser. */
import { leaveForm } from '../../../../lib/server/auth/join-forms.ts';

export const POST = leaveForm;
