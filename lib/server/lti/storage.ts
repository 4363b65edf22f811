/**
 * The 1EdTech platform storage (LTI Client Side postMessages: `lti.put_data` / `lti.get_data`),
 * for LMS frames that block third-party cookies. When the login initiation names an
 * `lti_storage_target`, the login answers with a page that stores a per-login secret in the
 * platform's storage before going on to the platform; the launch, arriving without the state
 * cookie, answers with a page that reads the secret back and posts the launch again with it.
 * The secret's hash was kept with the login, so only the browser that started the login can
 * finish it, exactly as with the cookie.
 */
import { timingSafeEqual } from 'node:crypto';
import { hashToken } from '../db/ids.ts';
import { LTI_PAGE_TEXT, ltiRefusalSentences } from '../../notices/lti-wording.ts';
import type { Lang } from '../../protocol.ts';
import { escapeHtml, scriptedPage, scriptJson } from './pages.ts';

/** The form field of a launch posted again with the secret from the platform's storage. */
export const BINDING_FIELD = 'lti_storage_binding';

/** How long a page waits for the platform's storage to answer. */
const STORAGE_WAIT_MS = 3000;

/** Whether `binding` is the secret whose hash the login kept (compared in constant time). */
export function bindingMatches(binding: string, bindingHash: string): boolean {
  const given = Buffer.from(hashToken(binding), 'hex');
  const kept = Buffer.from(bindingHash, 'hex');
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/**
 * The storage frame, the message listener and the timeout both pages share: `d.target` names a
 * frame of the parent (or `_parent` the parent itself), `d.origin` is the platform's origin
 * (messages go only there, and only its answers are read).
 */
const EXCHANGE = `function exchange(d, message, onAnswer, onSilence) {
  var frame = d.target === '_parent' ? window.parent : window.parent.frames[d.target];
  var id = message.subject + '-' + Math.random().toString(36).slice(2);
  var settled = false;
  function settle(f, v) { if (!settled) { settled = true; f(v); } }
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (event.origin !== d.origin || !m || m.subject !== message.subject + '.response' || m.message_id !== id) return;
    settle(onAnswer, m);
  });
  message.message_id = id;
  try { frame.postMessage(message, d.origin); } catch (e) { settle(onSilence); return; }
  setTimeout(function () { settle(onSilence); }, d.wait);
}`;

/**
 * The login's page: stores the secret under the state's key, then goes on to the platform's
 * authorization endpoint (also when the storage does not answer: the cookie may still work).
 */
export function storageLoginPage(input: {
  target: string;
  platformOrigin: string;
  key: string;
  binding: string;
  next: string;
  lang: Lang;
  setCookie: string;
}): Response {
  const data = {
    target: input.target,
    origin: input.platformOrigin,
    wait: STORAGE_WAIT_MS,
    key: input.key,
    value: input.binding,
    next: input.next,
  };
  const script = `${EXCHANGE}
(function (d) {
  function go() { window.location.replace(d.next); }
  exchange(d, { subject: 'lti.put_data', key: d.key, value: d.value }, go, go);
})(${scriptJson(data)});`;
  const fallback = `<noscript><p><a class="button" href="${escapeHtml(input.next)}">${escapeHtml(LTI_PAGE_TEXT.continue[input.lang])}</a></p></noscript>`;
  return scriptedPage(script, fallback, input.lang, { 'set-cookie': input.setCookie });
}

/**
 * The launch's page when its state cookie is missing: reads the secret back from the platform's
 * storage and posts the launch again with it; says why it cannot go on when the storage is
 * silent or has no secret.
 */
export function storageLaunchPage(input: {
  target: string;
  platformOrigin: string;
  key: string;
  idToken: string;
  state: string;
  lang: Lang;
}): Response {
  const failed = ltiRefusalSentences('storage-unavailable', input.lang).join(' ');
  const data = {
    target: input.target,
    origin: input.platformOrigin,
    wait: STORAGE_WAIT_MS,
    key: input.key,
    failed,
  };
  const script = `${EXCHANGE}
(function (d) {
  function fail() {
    var status = document.getElementById('lti-status');
    status.setAttribute('role', 'alert');
    status.textContent = d.failed;
  }
  exchange(d, { subject: 'lti.get_data', key: d.key }, function (m) {
    if (m.error || typeof m.value !== 'string' || m.value === '') { fail(); return; }
    document.getElementById('lti-binding').value = m.value;
    document.getElementById('lti-launch').submit();
  }, fail);
})(${scriptJson(data)});`;
  const hidden = (name: string, value: string, id = '') =>
    `<input type="hidden" name="${name}" value="${escapeHtml(value)}"${id ? ` id="${id}"` : ''}>`;
  const form = `<form id="lti-launch" method="post" action="/api/lti/launch">${hidden('id_token', input.idToken)}${hidden('state', input.state)}${hidden(BINDING_FIELD, '', 'lti-binding')}</form>
<noscript><p role="alert">${escapeHtml(failed)}</p></noscript>`;
  return scriptedPage(script, form, input.lang);
}
