/**
 * Plain HTML form posts, answered with a 303 back to a page: the pages work without JavaScript,
 * the Back button never re-posts, and errors come back as a code the page words in its language.
 */
import type { Lang } from '../../protocol.ts';
import { Lang as LangSchema } from '../../protocol.ts';
import { sameOrigin } from './request.ts';

/** A posted form's fields as trimmed-free strings (files ignored), and its page language. */
export interface Form {
  get(name: string): string;
  all(name: string): string[];
  lang: Lang;
}

/** Reads an urlencoded or multipart body; a body that is neither reads as empty. */
export async function readForm(request: Request): Promise<Form> {
  let data: FormData;
  try {
    data = await request.formData();
  } catch {
    data = new FormData();
  }
  const all = (name: string) =>
    data.getAll(name).filter((value): value is string => typeof value === 'string');
  const lang = LangSchema.safeParse(all('lang')[0]);
  return { get: (name) => all(name)[0] ?? '', all, lang: lang.success ? lang.data : 'en' };
}

/** A 303 to `path` (same origin) with query `params`, setting `cookies`. */
export function seeOther(
  request: Request,
  path: string,
  params: Record<string, string> = {},
  cookies: string[] = [],
): Response {
  const url = new URL(path, request.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const headers = new Headers({ location: url.pathname + url.search, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/** The answer to a post from another site: refused before anything is read or changed. */
export function crossSite(): Response {
  return new Response('Cross-site form posts are refused.', { status: 403 });
}

/** Runs `handle` only for a same-origin post. */
export async function guarded(
  request: Request,
  handle: (form: Form) => Promise<Response>,
): Promise<Response> {
  if (!(await sameOrigin(request))) return crossSite();
  return handle(await readForm(request));
}
