/** Why an LTI login or launch was refused: a stable code (for the notices catalog) and detail. */
export type LtiErrorCode =
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
  | 'platform-keys-unavailable';

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
