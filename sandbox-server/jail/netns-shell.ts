/**
 * A long-lived root bash that makes and deletes run namespaces on request, one line each. Every
 * run needs one of each, and forking the server's own (large) Node process costs it several
 * milliseconds of CPU apiece; bash forks `ip` for a fraction of that. Replies come in request
 * order. A request that gets no reply within the timeout fails, and the shell is replaced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { HOST_TOOLS, launcherEnv } from './host-tools.ts';

/** Names the shell accepts: no blanks or quotes can reach its `read`. */
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TIMEOUT_MS = 5000;

const IP = HOST_TOOLS.ip;
/**
 * `add` makes it with loopback up, and deletes only what it made itself when lo cannot go up (a
 * name that exists already is an error, never deleted); `del` succeeds if it is gone after.
 */
const SCRIPT = `while read -r op name; do
  case "$op" in
    add) if ! ${IP} netns add "$name" 2>/dev/null; then echo err
         elif ${IP} -n "$name" link set lo up 2>/dev/null; then echo ok
         else ${IP} netns delete "$name" 2>/dev/null; echo err; fi ;;
    del) if ${IP} netns delete "$name" 2>/dev/null || [ ! -e "/run/netns/$name" ]
         then echo ok; else echo err; fi ;;
    *) echo err ;;
  esac
done`;

interface Pending {
  what: string;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The shell, started on first use with the argv prefix `prefix()` gives (e.g. an nsenter). */
export class NetnsShell {
  private readonly prefix: () => Promise<string[]>;
  private child: ChildProcess | null = null;
  private readonly pending: Pending[] = [];
  private partial = '';

  constructor(prefix: () => Promise<string[]>) {
    this.prefix = prefix;
  }

  /** Makes (`add`) or deletes (`del`) the namespace `name`; rejects when the shell says `err`. */
  async request(op: 'add' | 'del', name: string): Promise<void> {
    if (!SAFE_NAME.test(name)) throw new Error(`not a namespace name: ${JSON.stringify(name)}`);
    const child = this.child ?? (await this.start());
    return new Promise((resolve, reject) => {
      const what = `${op} ${name}`;
      const timer = setTimeout(() => this.fail(new Error(`${what}: no reply`)), TIMEOUT_MS);
      this.pending.push({ what, resolve, reject, timer });
      this.hold(true);
      child.stdin!.write(`${what}\n`);
    });
  }

  private async start(): Promise<ChildProcess> {
    const argv = [...(await this.prefix()), HOST_TOOLS.bash, '--norc', '--noprofile', '-c', SCRIPT];
    if (this.child) return this.child; // another request started it meanwhile
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: launcherEnv(),
      detached: true, // a Ctrl-C to the server's terminal is the server's to act on
    });
    this.child = child;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => this.receive(text));
    child.stdin!.on('error', () => {});
    child.once('exit', () => {
      if (this.child === child) this.fail(new Error('the namespace shell exited'));
    });
    child.once('error', () => child.emit('exit'));
    this.hold(false);
    return child;
  }

  private receive(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const request = this.pending.shift();
      if (!request) continue;
      clearTimeout(request.timer);
      if (line === 'ok') request.resolve();
      else request.reject(new Error(`ip netns ${request.what} failed`));
    }
    if (this.pending.length === 0) this.hold(false);
  }

  /** Fails every waiting request and drops the shell (the next request starts a new one). */
  private fail(error: Error): void {
    for (const request of this.pending.splice(0)) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.child?.kill('SIGKILL');
    this.child = null;
    this.partial = '';
  }

  /** The shell keeps this process alive only while it owes replies. */
  private hold(on: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout] as Array<{
      ref?: () => void;
      unref?: () => void;
    } | null>)
      if (on) handle?.ref?.();
      else handle?.unref?.();
  }
}
