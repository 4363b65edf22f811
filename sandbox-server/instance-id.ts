/**
 * The instance id of a sandbox server (HANDSHAKE_INSTANCE): it names the server's runs' kernel
 * objects (`hs-<instance>-<n>`, jail/run-names.ts) so that several servers on one kernel never
 * collide, and it labels the server's logs and health. Kept apart from jail/ so the config (and
 * the unprivileged front that reads it) need none of the privileged code.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';

/** An instance id: a letter first, so no id reads as the pid of the names before instance ids. */
export const INSTANCE_ID = /^[a-z][a-z0-9]{0,7}$/;
/** Ids of hosts given none (the CLI, tests): `p<pid>`, `p<pid>a`, … reserved (their owner is that pid). */
export const PROCESS_INSTANCE = /^p(\d+)[a-z]?$/;

/** Why `id` cannot be a configured instance id, or null when it can. */
export function instanceIdProblem(id: string): string | null {
  if (!INSTANCE_ID.test(id)) return 'must be 1 to 8 lowercase letters or digits, a letter first';
  if (PROCESS_INSTANCE.test(id)) return 'p followed by digits is kept for hosts given no id';
  return null;
}

/** Most hosts given no id that one process can hold at once (`p<pid>`, then `p<pid>a` … `z`). */
export const PROCESS_INSTANCES = 27;

/** The `n`th instance id a host given none may take (the first free one): owned by this process. */
export function processInstance(n = 0, pid: number = process.pid): string {
  return `p${pid}${n === 0 ? '' : String.fromCharCode(96 + n)}`;
}

/**
 * The default id of a server: `h` and 6 characters of a hash of the host name. The same in every
 * process of one server (main, front, jailer) and across its restarts (so a restarted server
 * sweeps what it left), and different in each pod, whose host name is the pod's name.
 */
export function hostInstance(hostname: string = os.hostname()): string {
  const hash = BigInt(`0x${createHash('sha256').update(hostname).digest('hex').slice(0, 12)}`);
  return `h${hash.toString(36).padStart(6, '0').slice(-6)}`;
}
