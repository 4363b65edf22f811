/**
 * The unprivileged account tcpdump runs as: Debian's `tcpdump` user when it exists, else nobody.
 * Never root and never a slot's learner uid, so learner code can neither signal nor trace it.
 */
import { readFileSync } from 'node:fs';

/** A uid and gid pair. */
export interface CaptureUser {
  uid: number;
  gid: number;
}

const NOBODY: CaptureUser = { uid: 65534, gid: 65534 };

/** Finds `name` in passwd text (`name:x:uid:gid:…` lines). */
export function findUser(passwd: string, name: string): CaptureUser | null {
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid) && uid !== '0') {
      return { uid: Number(uid), gid: Number(gid) };
    }
  }
  return null;
}

let cached: CaptureUser | undefined;

/** The account captures run as on this host. */
export function captureUser(): CaptureUser {
  if (cached) return cached;
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // No passwd file: nobody it is.
  }
  cached = findUser(passwd, 'tcpdump') ?? NOBODY;
  return cached;
}
