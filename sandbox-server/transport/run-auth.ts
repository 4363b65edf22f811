/**
 * Checks the run token a page presents when it opens its WebSocket: signature, audience, issuer
 * and expiry here (lib/server/run-token.ts), then single use. Single use is asked of the app
 * (`useTokenOnce` in the database, through the internal endpoint), because several fronts may
 * serve one site behind a load balancer and only the database is shared by all of them; a set
 * in memory answers a replay to this front without the round trip. When the app cannot say, the
 * token is refused as unchecked (the page asks for a new one and tries again) rather than
 * accepted on this front's word alone.
 */
import { CLOSE_CODES, type Notice } from '../../lib/protocol.ts';
import { verifyRunToken } from '../../lib/server/run-token.ts';
import type { AppEndpoints } from './app-client.ts';
import type { LearnerTag } from './run-transcript.ts';

export type AuthResult =
  { ok: true; learner: LearnerTag } | { ok: false; closeCode: number; notice: Notice; why: string };

/** Seconds a used token is remembered past its expiry (the verifier allows 5 s of skew). */
const REMEMBER_PAST_EXPIRY_MS = 10_000;

const refusal = (
  closeCode: number,
  code: 'run-token-forged' | 'run-token-expired' | 'run-token-replayed' | 'run-token-unchecked',
  why: string,
): AuthResult => ({ ok: false, closeCode, notice: { code, params: {} }, why });

export class RunAuth {
  private readonly key: Uint8Array;
  private readonly app: Pick<AppEndpoints, 'useTokenOnce'>;
  private readonly now: () => Date;
  /** Token ids presented to this front, with when they may be forgotten (ms). */
  private readonly seen = new Map<string, number>();

  constructor(key: Uint8Array, app: Pick<AppEndpoints, 'useTokenOnce'>, now = () => new Date()) {
    this.key = key;
    this.app = app;
    this.now = now;
  }

  /** Checks a presented token; on success, who the connection's runs are recorded for. */
  async check(token: string): Promise<AuthResult> {
    const now = this.now();
    this.forget(now.getTime());
    const verified = await verifyRunToken(this.key, token, now);
    if (!verified.ok) {
      return verified.reason === 'expired'
        ? refusal(CLOSE_CODES.runTokenExpired, 'run-token-expired', 'expired')
        : refusal(CLOSE_CODES.runTokenForged, 'run-token-forged', 'forged');
    }
    const { jti, expiresAt, learnerId, classId } = verified.claims;
    if (this.seen.has(jti))
      return refusal(CLOSE_CODES.runTokenReplayed, 'run-token-replayed', 'replayed here');
    // Remembered before the app is asked, so two presentations at once cannot both pass.
    this.seen.set(jti, expiresAt.getTime() + REMEMBER_PAST_EXPIRY_MS);
    let fresh: boolean;
    try {
      fresh = await this.app.useTokenOnce(jti, expiresAt);
    } catch (error) {
      const why = `the app could not mark it used: ${(error as Error).message}`;
      return refusal(CLOSE_CODES.runTokenUnchecked, 'run-token-unchecked', why);
    }
    if (!fresh) return refusal(CLOSE_CODES.runTokenReplayed, 'run-token-replayed', 'replayed');
    return { ok: true, learner: { learnerId, classId } };
  }

  /** Token ids remembered now (tests). */
  get remembered(): number {
    return this.seen.size;
  }

  private forget(nowMs: number): void {
    for (const [jti, until] of this.seen) if (until < nowMs) this.seen.delete(jti);
  }
}
