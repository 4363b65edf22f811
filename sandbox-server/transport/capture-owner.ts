/**
 * Captures that download from any sandbox server: a capture lives in the memory of the server
 * that ran it, but behind one load-balanced address the download may land on another one. With
 * HANDSHAKE_ADVERTISE_URL set, a capture token also names its owner — `<random>.<owner>.<mac>`,
 * the owner's base URL in base64url and an HMAC of both under a key all servers derive from the
 * shared secret — so whichever server gets the request can fetch it from the owner. Nobody
 * without the secret can make a token that sends a server to an address of their choosing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who owns this server's captures, and the key their tokens are sealed with. */
export interface CaptureOwner {
  /** This server's base URL as the other servers reach it, e.g. http://10.0.3.7:3001. */
  url: string;
  key: Uint8Array;
}

/** Bytes of the MAC kept: 128 bits. */
const MAC_BYTES = 16;

/** `random` sealed with `owner`'s address. */
export function sealCaptureToken(random: string, owner: CaptureOwner): string {
  const address = Buffer.from(owner.url).toString('base64url');
  return `${random}.${address}.${mac(owner.key, random, address)}`;
}

/**
 * The owner's base URL a sealed token names, when its MAC is right under `key`; null for an
 * unsealed token, a forged or damaged one, or an address that is not http(s).
 */
export function captureTokenOwner(token: string, key: Uint8Array): string | null {
  const [random, address, given, ...rest] = token.split('.');
  if (!random || !address || !given || rest.length > 0) return null;
  const expected = Buffer.from(mac(key, random, address), 'base64url');
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  const url = Buffer.from(address, 'base64url').toString();
  return /^https?:\/\//.test(url) && URL.canParse(url) ? url : null;
}

function mac(key: Uint8Array, random: string, address: string): string {
  return createHmac('sha256', key)
    .update(`${random}.${address}`)
    .digest()
    .subarray(0, MAC_BYTES)
    .toString('base64url');
}
