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

/** The account captures run as, given the host's passwd text (null: the host has none). */
export function captureUserFrom(passwd: string | null): CaptureUser {
  return (passwd === null ? null : findUser(passwd, 'tcpdump')) ?? NOBODY;
}

let cached: CaptureUser | undefined;

/** The account captures run as on this host (its /etc/passwd, read once). */
export function captureUser(): CaptureUser {
  cached ??= captureUserFrom(readPasswd());
  return cached;
}

function readPasswd(): string | null {
  try {
    return readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
}
