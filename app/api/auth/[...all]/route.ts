/** Better Auth's own endpoints (session, sign-out, …), origin-checked and rate limited by it. */
import { authContext } from '../../../../lib/server/auth/context.ts';

/** Hands the request to Better Auth. */
export async function GET(request: Request): Promise<Response> {
  const { auth } = await authContext();
  return auth.handler(request);
}

/** Hands the request to Better Auth. */
export const POST = GET;
