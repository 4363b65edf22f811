/**
 * The synthetic /etc a sandbox sees: just enough for Python's pwd, socket.getaddrinfo("localhost")
 * and getservbyname to work, and nothing of the host's users, hosts or resolver.
 */

/** The uid and gid a sandboxed process has inside its user namespace. */
export const INSIDE_UID = 1000;

/** A file placed read-only in the sandbox from the server's memory. */
export interface DataFile {
  /** Absolute path inside the sandbox. */
  path: string;
  content: string;
}

/** The synthetic /etc files, for a sandbox whose user is called `user`. */
export function etcFiles(user: string): DataFile[] {
  return [
    {
      path: '/etc/passwd',
      content:
        `${user}:x:${INSIDE_UID}:${INSIDE_UID}:${user}:/tmp:/usr/sbin/nologin\n` +
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    },
    { path: '/etc/group', content: `${user}:x:${INSIDE_UID}:\nnogroup:x:65534:\n` },
    // IPv4 only: peers listen on 127.0.0.1, so "localhost" must never resolve to ::1 first.
    { path: '/etc/hosts', content: '127.0.0.1\tlocalhost sandbox\n' },
    // Without this file glibc asks DNS first; there is no DNS, so make the answer come from files.
    {
      path: '/etc/nsswitch.conf',
      content: 'passwd: files\ngroup: files\nhosts: files\nservices: files\nprotocols: files\n',
    },
  ];
}

/** Harmless public host files bound read-only when present (library cache, port names). */
export const HOST_ETC_FILES = ['/etc/ld.so.cache', '/etc/services', '/etc/protocols'] as const;
