/** `/`: send the visitor to the lesson list in the language their browser prefers. */
import { preferredLang } from './_i18n/negotiate.ts';

/** Redirects `/` to `/en` or `/zh` by Accept-Language. */
export function GET(request: Request): Response {
  const lang = preferredLang(request.headers.get('accept-language'));
  return new Response(null, {
    status: 307,
    headers: { location: `/${lang}`, vary: 'Accept-Language', 'cache-control': 'no-store' },
  });
}
