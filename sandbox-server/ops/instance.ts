/**
 * Which sandbox server this is, as /health and the logs name it: HANDSHAKE_INSTANCE when set,
 * else the same default the config gives it (instance-id.ts) — the id its runs' names carry.
 */
import { hostInstance } from '../instance-id.ts';

/** The instance id this process reports. */
export function instanceId(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env.HANDSHAKE_INSTANCE?.trim() || hostInstance();
}
