/**
 * What the LTI pages say to a person (a refused launch, the "open in a new window" page, the
 * platform storage page, Deep Linking), in every language side by side. The LTI code sends
 * codes; the pages word them here.
 */
import type { Lang } from '../protocol.ts';

/** Why an LTI login or launch was refused (lib/server/lti/errors.ts LtiErrorCode). */
export type LtiRefusalCode =
  | 'login-incomplete'
  | 'registration-unknown'
  | 'target-not-tool'
  | 'launch-incomplete'
  | 'platform-error'
  | 'state-not-bound'
  | 'state-unknown'
  | 'token-malformed'
  | 'bad-signature'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'wrong-azp'
  | 'nonce-mismatch'
  | 'wrong-message-type'
  | 'wrong-version'
  | 'deployment-unknown'
  | 'claims-invalid'
  | 'platform-keys-unavailable'
  | 'context-missing'
  | 'role-unsupported'
  | 'handoff-unknown'
  | 'storage-unavailable';

type Text = Record<Lang, string>;

const RELAUNCH: Text = {
  en: 'Open the activity again from your course.',
  zh: '请从课程中重新打开这个活动。',
};
const ADMIN: Text = {
  en: 'Ask the administrator of Handshake or of your course site to check the LTI registration.',
  zh: '请联系 Handshake 或课程网站的管理员检查 LTI 注册设置。',
};

/** Each refusal's sentence, and whether opening the activity again can help (else: an admin). */
export const LTI_REFUSAL_WORDING: Record<LtiRefusalCode, Text & { retry: boolean }> = {
  'login-incomplete': {
    en: 'The course site started the sign-in without the parameters LTI 1.3 requires.',
    zh: '课程网站发起登录时缺少 LTI 1.3 所需的参数。',
    retry: false,
  },
  'registration-unknown': {
    en: 'This course site is not registered with Handshake.',
    zh: '这个课程网站尚未在 Handshake 中注册。',
    retry: false,
  },
  'target-not-tool': {
    en: 'The course site asked to open an address outside Handshake.',
    zh: '课程网站要求打开 Handshake 以外的地址。',
    retry: false,
  },
  'launch-incomplete': {
    en: 'The sign-in arrived without its token or state.',
    zh: '登录请求缺少令牌或状态参数。',
    retry: true,
  },
  'platform-error': {
    en: 'The course site refused the sign-in.',
    zh: '课程网站拒绝了这次登录。',
    retry: true,
  },
  'state-not-bound': {
    en: 'This sign-in was started in another browser or window, or your browser blocked the cookie that ties it to you.',
    zh: '这次登录是在另一个浏览器或窗口中发起的，或者你的浏览器拦截了用来确认身份的 Cookie。',
    retry: true,
  },
  'state-unknown': {
    en: 'This sign-in was already used or has expired.',
    zh: '这次登录已经用过或已过期。',
    retry: true,
  },
  'token-malformed': {
    en: 'The sign-in token from the course site is not readable.',
    zh: '无法读取课程网站发来的登录令牌。',
    retry: true,
  },
  'bad-signature': {
    en: 'The sign-in token is not signed by this course site: it was refused.',
    zh: '登录令牌不是由这个课程网站签名的，已被拒绝。',
    retry: false,
  },
  'token-expired': {
    en: 'The sign-in token has expired.',
    zh: '登录令牌已过期。',
    retry: true,
  },
  'token-not-yet-valid': {
    en: 'The sign-in token is dated in the future: the clocks of the course site and Handshake disagree.',
    zh: '登录令牌的时间在未来：课程网站与 Handshake 的时钟不一致。',
    retry: false,
  },
  'wrong-issuer': {
    en: 'The sign-in token comes from another site than the one that started the sign-in.',
    zh: '登录令牌来自另一个网站，而不是发起登录的网站。',
    retry: false,
  },
  'wrong-audience': {
    en: 'The sign-in token was made for another tool, not Handshake.',
    zh: '登录令牌是为另一个工具而不是 Handshake 签发的。',
    retry: false,
  },
  'wrong-azp': {
    en: 'The sign-in token names another tool as its recipient.',
    zh: '登录令牌指定的接收方是另一个工具。',
    retry: false,
  },
  'nonce-mismatch': {
    en: 'The sign-in token belongs to another sign-in.',
    zh: '登录令牌属于另一次登录。',
    retry: true,
  },
  'wrong-message-type': {
    en: 'The course site sent a kind of launch Handshake does not support.',
    zh: '课程网站发来的启动类型 Handshake 不支持。',
    retry: false,
  },
  'wrong-version': {
    en: 'The course site does not speak LTI 1.3.',
    zh: '课程网站使用的不是 LTI 1.3。',
    retry: false,
  },
  'deployment-unknown': {
    en: 'This deployment of Handshake in the course site is not registered.',
    zh: 'Handshake 在课程网站中的这个部署尚未注册。',
    retry: false,
  },
  'claims-invalid': {
    en: 'The sign-in token lacks information Handshake needs.',
    zh: '登录令牌缺少 Handshake 需要的信息。',
    retry: false,
  },
  'platform-keys-unavailable': {
    en: "Handshake could not fetch the course site's keys to check the sign-in. Try again in a minute.",
    zh: 'Handshake 无法获取课程网站的密钥来验证登录。请一分钟后再试。',
    retry: true,
  },
  'context-missing': {
    en: 'Handshake can only be opened from inside a course.',
    zh: 'Handshake 只能从课程内部打开。',
    retry: false,
  },
  'role-unsupported': {
    en: 'Your role in this course is neither teacher nor learner, so Handshake cannot sign you in.',
    zh: '你在这门课程中的角色既不是教师也不是学生，因此 Handshake 无法为你登录。',
    retry: false,
  },
  'handoff-unknown': {
    en: 'This sign-in link was already used or has expired.',
    zh: '这个登录链接已经用过或已过期。',
    retry: true,
  },
  'storage-unavailable': {
    en: "The course site did not keep this sign-in's state, so it cannot be checked.",
    zh: '课程网站没有保存这次登录的状态，因此无法验证。',
    retry: true,
  },
};

/** The sentences of the LTI pages. */
export const LTI_PAGE_TEXT = {
  refusedTitle: { en: 'Handshake could not sign you in', zh: 'Handshake 无法为你登录' },
  relaunch: RELAUNCH,
  admin: ADMIN,
  detail: { en: 'Details for the administrator', zh: '给管理员的详细信息' },
  newWindowTitle: { en: 'Open Handshake in a new window', zh: '在新窗口中打开 Handshake' },
  newWindowWhy: {
    en: 'Your browser does not let Handshake keep you signed in inside the course page.',
    zh: '你的浏览器不允许 Handshake 在课程页面内保持登录状态。',
  },
  newWindowButton: { en: 'Open in a new window', zh: '在新窗口中打开' },
  newWindowAfter: {
    en: 'Handshake opens signed in; you can come back to the course afterwards.',
    zh: 'Handshake 会以已登录状态打开；之后你可以回到课程页面。',
  },
  signingIn: { en: 'Signing you in…', zh: '正在登录…' },
  continue: { en: 'Continue', zh: '继续' },
  deepLinkTitle: { en: 'Add Handshake lessons', zh: '添加 Handshake 课程' },
  deepLinkHelp: {
    en: 'Choose the lessons to add to your course. Each becomes an activity that sends its grade back.',
    zh: '选择要添加到课程中的课程。每一课都会成为一个会回传成绩的活动。',
  },
  deepLinkSubmit: { en: 'Add the chosen lessons', zh: '添加所选课程' },
  deepLinkNone: { en: 'Choose at least one lesson.', zh: '请至少选择一课。' },
} satisfies Record<string, Text>;

/** A refusal's sentences in `lang`: what happened, then what to do. */
export function ltiRefusalSentences(code: LtiRefusalCode, lang: Lang): [string, string] {
  const wording = LTI_REFUSAL_WORDING[code];
  return [wording[lang], (wording.retry ? RELAUNCH : ADMIN)[lang]];
}
