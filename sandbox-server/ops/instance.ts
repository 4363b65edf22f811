/**
 * Which sandbox server this is, as /health and the logs name it. HANDSHAKE_INSTANCE when set
 * (the same id the host's run names carry), else this machine's (or pod's) host name.
 */
import os from 'node:os';

/** The instance id this process reports: HANDSHAKE_INSTANCE, or the host name without it. */
export function instanceId(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const configured = env.HANDSHAKE_INSTANCE?.trim();
  return configured || os.hostname();
}
