import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Lang } from '../../../../lib/protocol.ts';
import { instructorFromHeaders, type Instructor } from '../../../../lib/server/auth/request.ts';

/** The signed-in instructor; anyone else is sent to /teach to sign in. */
export async function requireInstructor(lang: Lang): Promise<Instructor> {
  const instructor = await instructorFromHeaders(await headers());
  if (!instructor) redirect(`/${lang}/teach`);
  return instructor;
}
