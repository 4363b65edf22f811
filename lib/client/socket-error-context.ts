/**
 * What a failed run tells about a socket error beyond the exception's name: which address was
 * refused (the RST answering a SYN in the capture, else the last connect() in the code), which
 * port was taken (the last bind()), and which learner file would have listened there. Pure.
 */
import type { Packet } from '../packets/packet.ts';
import { socketErrorKind } from '../notices/socket-errors.ts';
import type { SocketErrorKind, SocketErrorParams } from '../notices/socket-errors.ts';
import type { SourceFile } from '../protocol.ts';

/** A socket error worth a sentence, with what the run tells about it. */
export interface SocketErrorExplanation {
  kind: SocketErrorKind;
  params: SocketErrorParams;
}

/**
 * The address of the last SYN that a RST answered, in the run's captured packets: the RST must
 * be the server side's first reply (a RST later in a connection is a reset, not a refusal).
 */
export function refusedAddress(
  packets: readonly Packet[],
): { host: string; port: number } | undefined {
  for (let i = packets.length - 1; i >= 0; i--) {
    const rst = packets[i]!;
    if (rst.proto !== 'tcp' || !rst.flags?.includes('RST')) continue;
    for (let j = i - 1; j >= 0; j--) {
      const earlier = packets[j]!;
      if (earlier.proto !== 'tcp') continue;
      const fromServer = earlier.sport === rst.sport && earlier.dport === rst.dport;
      if (fromServer) break; // the server side had answered before: not a refusal
      const isSyn = earlier.flags?.includes('SYN') && !earlier.flags.includes('ACK');
      if (isSyn && earlier.sport === rst.dport && earlier.dport === rst.sport)
        return { host: earlier.dst, port: rst.sport! };
    }
  }
  return undefined;
}

/** The address of the last `<call>((host, port))` in the code, resolving simple constants. */
export function lastCallAddress(
  code: string,
  call: 'connect' | 'bind',
): { host?: string; port: number } | undefined {
  const callPattern =
    call === 'connect'
      ? /\.(?:connect|connect_ex|sendto)\(\s*(?:[^,()]+,\s*)?\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)|create_connection\(\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)/g
      : /\.bind\(\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)/g;
  const matches = [...withoutComments(code).matchAll(callPattern)];
  for (const match of matches.reverse()) {
    const host = resolve(code, match[1] ?? match[3]!);
    const port = Number(resolve(code, match[2] ?? match[4]!));
    if (Number.isInteger(port) && port > 0 && port < 65536)
      return { host: host ? normalizeHost(host) : undefined, port };
  }
  return undefined;
}

/** The learner file that binds `port`, other than `except` (the one that failed). */
export function listenerOf(
  files: readonly SourceFile[],
  port: number,
  except: string,
): string | undefined {
  return files.find((f) => f.name !== except && lastCallAddress(f.content, 'bind')?.port === port)
    ?.name;
}

/**
 * The explanation of a process's last exception, or undefined when it is not a common socket
 * error. `file` is the process's own file (`client.py`), `files` the run's learner files.
 */
export function explainSocketError(
  exception: string,
  run: { file: string; files: readonly SourceFile[]; packets: readonly Packet[] },
): SocketErrorExplanation | undefined {
  const kind = socketErrorKind(exception);
  if (!kind) return undefined;
  const code = run.files.find((f) => f.name === run.file)?.content ?? '';
  const address =
    kind === 'address-in-use'
      ? lastCallAddress(code, 'bind')
      : kind === 'refused'
        ? (refusedAddress(run.packets) ?? lastCallAddress(code, 'connect'))
        : kind === 'broken-pipe'
          ? undefined
          : lastCallAddress(code, 'connect');
  if (!address) return { kind, params: {} };
  const params: SocketErrorParams = { host: address.host, port: address.port };
  if (kind === 'refused') params.listener = listenerOf(run.files, address.port, run.file);
  return { kind, params };
}

/** A literal or the value of a module-level `NAME = literal`, as text; undefined otherwise. */
function resolve(code: string, expression: string): string | undefined {
  const literal = /^(?:(['"])(.*)\1|(\d+))$/.exec(expression.trim());
  if (literal) return literal[2] ?? literal[3];
  if (!/^[A-Za-z_]\w*$/.test(expression)) return undefined;
  const assignment = new RegExp(
    `^${expression}\\s*=\\s*(?:(['"])(.*?)\\1|(\\d+))\\s*(?:#.*)?$`,
    'm',
  );
  const found = assignment.exec(code);
  return found ? (found[2] ?? found[3]) : undefined;
}

/** `localhost` and the empty host (all interfaces) are shown as the loopback address. */
function normalizeHost(host: string): string {
  return host === 'localhost' || host === '' || host === '0.0.0.0' ? '127.0.0.1' : host;
}

/** The code with `#` comments blanked, so a commented-out connect() is not taken for the real one. */
function withoutComments(code: string): string {
  return code.replace(/#[^\n'"]*$/gm, '');
}
