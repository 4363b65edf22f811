/** POST /api/teach/classes/[id]: a settings action on a class the instructor teaches. */
import { classSettingsForm } from '../../../../../lib/server/auth/class-forms.ts';

/** Passes the class id from the path to the form handler. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return classSettingsForm(request, (await params).id);
}
