/**
 * The few HTML pages the LTI routes answer with themselves (they run before any React page can:
 * inside the LMS's frame, between redirects): a refused launch, "open in a new window", and the
 * pages that talk to the platform's storage. Plain, small, in the user's language, readable by a
 * screen reader (one h1, landmarks, live regions for what changes) and usable without a mouse.
 */
import {
  LTI_PAGE_TEXT,
  ltiRefusalSentences,
  type LtiRefusalCode,
} from '../../notices/lti-wording.ts';
import type { Lang } from '../../protocol.ts';

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON that can sit inside a <script> element (no `</script>` or `<!--` can close it). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem;color:#1a1a1a;background:#fff}
main{max-width:36rem;margin:auto}h1{font-size:1.4rem}
.button{display:inline-block;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#0b57d0;color:#fff;font:inherit;text-decoration:none;cursor:pointer}
.button:focus-visible,input:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}
details{margin-top:1.5rem;color:#444}code{word-break:break-all}
label{display:block;padding:.3rem 0}
@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}details{color:#bbb}.button{background:#8ab4f8;color:#000}}`;

/** A whole page: `body` is trusted HTML, `title` text. */
export function htmlPage(input: {
  lang: Lang;
  title: string;
  body: string;
  script?: string;
  status?: number;
  headers?: HeadersInit;
}): Response {
  const html = `<!doctype html>
<html lang="${input.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · Handshake</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(input.title)}</h1>${input.body}</main>${input.script ? `<script>${input.script}</script>` : ''}</body></html>`;
  const headers = new Headers(input.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('cache-control', 'no-store');
  // Other sites may frame these pages (the LMS does), but no one may sniff them as something else.
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'no-referrer');
  return new Response(html, { status: input.status ?? 200, headers });
}

/** A refused login or launch: what happened, what to do, and the detail for an administrator. */
export function refusalPage(
  code: LtiRefusalCode,
  detail: string,
  lang: Lang,
  status: number,
): Response {
  const [what, next] = ltiRefusalSentences(code, lang);
  const body = `<div role="alert"><p>${escapeHtml(what)}</p><p>${escapeHtml(next)}</p></div>
<details><summary>${escapeHtml(LTI_PAGE_TEXT.detail[lang])}</summary><p><code>${escapeHtml(detail)}</code></p></details>`;
  return htmlPage({ lang, title: LTI_PAGE_TEXT.refusedTitle[lang], body, status });
}

/**
 * The page shown inside the LMS's frame when the session cookie did not stick: a link that
 * opens Handshake in a new top-level window (where the cookie is first-party) with a fresh
 * single-use sign-in.
 */
export function newWindowPage(href: string, lang: Lang): Response {
  const t = LTI_PAGE_TEXT;
  const body = `<p>${escapeHtml(t.newWindowWhy[lang])}</p>
<p><a class="button" href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(t.newWindowButton[lang])}</a></p>
<p>${escapeHtml(t.newWindowAfter[lang])}</p>`;
  return htmlPage({ lang, title: t.newWindowTitle[lang], body });
}

/**
 * A "signing in" page that runs `script` (which talks to the platform's storage and moves on),
 * with `fallback` (trusted HTML) for a browser without JavaScript.
 */
export function scriptedPage(
  script: string,
  fallback: string,
  lang: Lang,
  headers?: HeadersInit,
): Response {
  const body = `<p role="status" aria-live="polite" id="lti-status">${escapeHtml(LTI_PAGE_TEXT.signingIn[lang])}</p>${fallback}`;
  return htmlPage({ lang, title: LTI_PAGE_TEXT.signingIn[lang], body, script, headers });
}
