/**
 * Why an LTI login or launch was refused: a stable code, worded for people in
 * lib/notices/lti-wording.ts.
 */
export type { LtiRefusalCode as LtiErrorCode } from '../../notices/lti-wording.ts';
import type { LtiRefusalCode as LtiErrorCode } from '../../notices/lti-wording.ts';

/** A refused login or launch; `detail` is for logs and administrators, never a secret. */
export class LtiError extends Error {
  readonly code: LtiErrorCode;
  constructor(code: LtiErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }
}

/** The HTTP status of a refusal: 503 when the platform's keys could not be fetched, else 400. */
export function ltiErrorStatus(error: LtiError): number {
  return error.code === 'platform-keys-unavailable' ? 503 : 400;
}
