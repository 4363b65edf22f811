/** POST /api/teach/classes: an instructor creates a class. */
import { createClassForm } from '../../../../lib/server/auth/class-forms.ts';

export const POST = createClassForm;
