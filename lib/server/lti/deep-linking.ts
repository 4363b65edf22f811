/**
 * Deep Linking 2.0: an instructor adding Handshake to a course picks lessons on a page the
 * launch answers with (inside the LMS's frame, no cookie needed); the picked lessons go back to
 * the platform as a signed LtiDeepLinkingResponse JWT of ltiResourceLink items, each carrying
 * its lesson id (custom `lesson_id`) and a line item for its grade (resourceId = lesson id).
 * The pending request travels in the picker's form as a short-lived JWT signed by the tool.
 */
import { randomBytes } from 'node:crypto';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { LTI_PAGE_TEXT } from '../../notices/lti-wording.ts';
import type { Lang } from '../../protocol.ts';
import { LTI_CLAIM } from './claims.ts';
import { LtiError } from './errors.ts';
import { LTI_ALG, type ToolKey } from './keys.ts';
import type { LtiLaunch } from './launch.ts';
import { escapeHtml, htmlPage } from './pages.ts';
import { launchLang, type LessonRef } from './sign-in.ts';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
/** How long the picker may stay open before its choice is no longer accepted. */
const PICKER_TTL = '1h';
const PENDING_AUDIENCE = 'handshake-deep-link';

/** The deep linking request a picker answers, as signed into its form. */
const Pending = z.object({
  issuer: z.string(),
  clientId: z.string(),
  deploymentId: z.string(),
  returnUrl: z.url(),
  data: z.string().optional(),
  multiple: z.boolean(),
  lang: z.enum(['en', 'zh']),
});
type Pending = z.infer<typeof Pending>;

/** What the picker and its answer need. */
export interface DeepLinkDeps {
  toolKey: () => Promise<ToolKey>;
  lessons: () => Promise<LessonRef[]>;
  /** The tool's public origin: the resource links point under it. */
  toolOrigin: string;
}

/** The answer to a deep linking request: the lesson picker, for teaching staff only. */
export async function deepLinkPicker(launch: LtiLaunch, deps: DeepLinkDeps): Promise<Response> {
  if (launch.role !== 'instructor')
    throw new LtiError('role-unsupported', 'only teaching staff add content to a course');
  const settings = launch.deepLinking!;
  if (!settings.accept_types.includes('ltiResourceLink'))
    throw new LtiError('claims-invalid', 'the platform accepts no ltiResourceLink items here');
  const pending: Pending = {
    issuer: launch.registration.issuer,
    clientId: launch.registration.clientId,
    deploymentId: launch.deploymentId,
    returnUrl: settings.deep_link_return_url,
    data: settings.data,
    multiple: settings.accept_multiple ?? false,
    lang: launchLang(launch),
  };
  const key = await deps.toolKey();
  const token = await new SignJWT(pending)
    .setProtectedHeader({ alg: LTI_ALG, kid: key.kid })
    .setAudience(PENDING_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(PICKER_TTL)
    .sign(key.privateKey);
  return pickerPage(pending, token, await deps.lessons(), false);
}

/** The picker: one checkbox (or radio button) per lesson, in the instructor's language. */
function pickerPage(pending: Pending, token: string, lessons: LessonRef[], empty: boolean) {
  const { lang } = pending;
  const t = LTI_PAGE_TEXT;
  const type = pending.multiple ? 'checkbox' : 'radio';
  const choices = lessons
    .map(
      (lesson) =>
        `<label><input type="${type}" name="lesson" value="${escapeHtml(lesson.id)}"> ${escapeHtml(lessonTitle(lesson, lang))}</label>`,
    )
    .join('\n');
  const alert = empty ? `<p role="alert">${escapeHtml(t.deepLinkNone[lang])}</p>` : '';
  const body = `<p id="dl-help">${escapeHtml(t.deepLinkHelp[lang])}</p>${alert}
<form method="post" action="/api/lti/deep-link">
<input type="hidden" name="pending" value="${escapeHtml(token)}">
<fieldset aria-describedby="dl-help"><legend>${escapeHtml(t.deepLinkTitle[lang])}</legend>
${choices}
</fieldset>
<p><button class="button" type="submit">${escapeHtml(t.deepLinkSubmit[lang])}</button></p>
</form>`;
  return htmlPage({ lang, title: t.deepLinkTitle[lang], body, status: empty ? 400 : 200 });
}

function lessonTitle(lesson: LessonRef, lang: Lang): string {
  return lesson.titles?.[lang] ?? lesson.titles?.en ?? lesson.titles?.zh ?? lesson.id;
}

/**
 * POST /api/lti/deep-link: the picked lessons as a signed LtiDeepLinkingResponse, posted to the
 * platform's return URL by an auto-submitting form.
 */
export async function answerDeepLink(request: Request, deps: DeepLinkDeps): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const key = await deps.toolKey();
  const token = form.get('pending') ?? '';
  const pending = await readPending(token, key);
  const all = await deps.lessons();
  const picked = form.getAll('lesson').flatMap((id) => all.filter((l) => l.id === id));
  const chosen = pending.multiple ? picked : picked.slice(0, 1);
  if (chosen.length === 0) return pickerPage(pending, token, all, true);
  const jwt = await responseJwt(pending, chosen, key, deps.toolOrigin);
  const body = `<p role="status">${escapeHtml(LTI_PAGE_TEXT.signingIn[pending.lang])}</p>
<form id="dl-return" method="post" action="${escapeHtml(pending.returnUrl)}"><input type="hidden" name="JWT" value="${escapeHtml(jwt)}">
<noscript><button class="button" type="submit">${escapeHtml(LTI_PAGE_TEXT.continue[pending.lang])}</button></noscript></form>`;
  return htmlPage({
    lang: pending.lang,
    title: LTI_PAGE_TEXT.deepLinkTitle[pending.lang],
    body,
    script: "document.getElementById('dl-return').submit();",
  });
}

async function readPending(token: string, key: ToolKey): Promise<Pending> {
  try {
    const { payload } = await jwtVerify(token, await importJWK(key.publicJwk, LTI_ALG), {
      audience: PENDING_AUDIENCE,
      algorithms: [LTI_ALG],
    });
    return Pending.parse(payload);
  } catch (error) {
    throw new LtiError('state-unknown', `the lesson picker's request: ${(error as Error).message}`);
  }
}

/** The signed LtiDeepLinkingResponse (Deep Linking 2.0 §4.5) of the chosen lessons. */
async function responseJwt(
  pending: Pending,
  lessons: LessonRef[],
  key: ToolKey,
  toolOrigin: string,
): Promise<string> {
  const items = lessons.map((lesson) => {
    const title = lessonTitle(lesson, pending.lang);
    return {
      type: 'ltiResourceLink',
      title,
      url: new URL(`/${pending.lang}/lessons/${lesson.slug}`, toolOrigin).href,
      custom: { lesson_id: lesson.id },
      lineItem: { scoreMaximum: 1, label: title, resourceId: lesson.id, tag: 'handshake' },
    };
  });
  return new SignJWT({
    [`${LTI_CLAIM}message_type`]: 'LtiDeepLinkingResponse',
    [`${LTI_CLAIM}version`]: '1.3.0',
    [`${LTI_CLAIM}deployment_id`]: pending.deploymentId,
    [`${DL}content_items`]: items,
    ...(pending.data !== undefined ? { [`${DL}data`]: pending.data } : {}),
  })
    .setProtectedHeader({ alg: LTI_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(pending.clientId)
    .setAudience(pending.issuer)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key.privateKey);
}
