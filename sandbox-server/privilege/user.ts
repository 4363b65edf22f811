/**
 * The unprivileged user the web app and the WebSocket front run as when the server starts as
 * root: named in config (HANDSHAKE_USER, a name or a number) and looked up in /etc/passwd.
 * Root, or a user in a root group, is refused: dropping to it would drop nothing.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.ts';

/** A user to switch to: spawn's `uid`/`gid` options. */
export interface UnprivilegedUser {
  name: string;
  uid: number;
  gid: number;
}

/** The user `wanted` (a name or a numeric uid) from passwd text; throws a sentence saying why not. */
export function resolveUser(wanted: string, passwd: string): UnprivilegedUser {
  const entries = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4 && /^\d+$/.test(fields[2]!) && /^\d+$/.test(fields[3]!));
  const byName = entries.find((fields) => fields[0] === wanted);
  const numeric = /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  const byUid = numeric === undefined ? undefined : entries.find((f) => Number(f[2]) === numeric);
  const found = byName ?? byUid;
  let user: UnprivilegedUser;
  if (found) user = { name: found[0]!, uid: Number(found[2]), gid: Number(found[3]) };
  else if (numeric !== undefined) user = { name: String(numeric), uid: numeric, gid: numeric };
  else throw new ConfigError(`HANDSHAKE_USER=${wanted}: no such user in /etc/passwd`);
  if (user.uid === 0 || user.gid === 0)
    throw new ConfigError(
      `HANDSHAKE_USER=${wanted}: is root (uid or gid 0); name an unprivileged user`,
    );
  return user;
}

/** The configured user, looked up in this host's /etc/passwd. */
export function unprivilegedUser(wanted: string): UnprivilegedUser {
  return resolveUser(wanted, readFileSync('/etc/passwd', 'utf8'));
}
