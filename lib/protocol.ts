/**
 * The browser ↔ sandbox wire protocol: every WebSocket message, declared once as a zod schema.
 * Both sides import this file and validate every message they receive. Every run event carries
 * the `runId` the browser chose, so the UI can drop events of a run it has replaced. What the
 * server says to a learner travels as a `Notice` (a code and its parameters), never as a
 * sentence: lib/notices/catalog.ts words it, in the reader's language, where it is shown.
 */
import { z } from 'zod';
import { TCP_FLAGS, TCP_PHASES, TCP_STATES, TRANSPORTS } from './packets/packet.ts';

/**
 * Version of this protocol; the server announces it in `hello` and a browser of another version
 * refuses that hello (it cannot read the messages). 2: sentences became `Notice`s. 3: the `auth`
 * message (a run token), its close codes, and `run-not-saved`.
 */
export const PROTOCOL_VERSION = 3;

/** Hard caps on what the browser may send. The server may configure lower ones. */
export const WIRE_LIMITS = {
  /** Largest WebSocket message accepted, in bytes (a run request with all its files). */
  maxMessageBytes: 256 * 1024,
  /** Largest single source file, in bytes. */
  maxFileBytes: 64 * 1024,
  /** Most files in one run request. */
  maxFiles: 8,
  /** Largest chunk of stdin in one message, in bytes. */
  maxStdinBytes: 16 * 1024,
} as const;

/** WebSocket close codes the server uses (4000–4999 are free for applications). */
export const CLOSE_CODES = {
  originRejected: 4003,
  tooManyConnections: 4029,
  serverShuttingDown: 4001,
  /** The server is draining (about to stop): connect again, and another server will answer. */
  serverDraining: 4002,
  /** The run token is not one the app signed for the sandbox (signature, audience, claims). */
  runTokenForged: 4401,
  /** The run token was genuine but its minute had passed. */
  runTokenExpired: 4408,
  /** The run token had been presented before. */
  runTokenReplayed: 4409,
  /** The app could not confirm the token unused (unreachable): try again with a new one. */
  runTokenUnchecked: 4503,
} as const;

/** Longest run token the browser may send (a real one is ~300 characters). */
export const MAX_RUN_TOKEN_CHARS = 2048;

/** A run id chosen by the browser: short, URL-safe, unique per run. */
export const RunId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'runId must be 8–64 characters of A–Z, a–z, 0–9, _ or -');
export type RunId = z.infer<typeof RunId>;

/** A learner file name: a plain Python file name, no directories. */
export const FileName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,40}\.py$/,
    'file names look like client.py: letters, digits, _ or -, ending in .py',
  );

/** A process in a run: a learner file name (`client.py`) or `peer:NAME`. */
export const ProcessName = z.string().min(1).max(64);

export const SourceFile = z.object({
  name: FileName,
  content: z
    .string()
    .max(
      WIRE_LIMITS.maxFileBytes,
      `a file may hold at most ${WIRE_LIMITS.maxFileBytes / 1024} KiB`,
    ),
});
export type SourceFile = z.infer<typeof SourceFile>;

export const Lang = z.enum(['en', 'zh']);
export type Lang = z.infer<typeof Lang>;

/** A lesson slug: the folder name without its numeric prefix. */
export const LessonSlug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lesson slugs are lowercase words joined by -');

/**
 * The seed a run's fault peers draw from (udp-relay, tcp-proxy): the same seed and the same
 * traffic give the same faults, so a run can be repeated exactly.
 */
export const RunSeed = z.number().int().min(0).max(0xffffffff);

// ---------------------------------------------------------------- notices

/** `127.0.0.1:8080`: an IPv4 address and port, as the fault peers name packets' ends. */
const HostPort = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/, 'expected ADDRESS:PORT');

const Count = z.number().int().nonnegative();
/** Seconds or milliseconds, as the parameter's name says. */
const Duration = z.number().nonnegative();
/** A name shown as it is (a file, a process label, a lesson slug, a signal, a run id). */
const Name = z.string().max(200);

/** A notice schema: its code and the shape of its parameters. */
function notice<const C extends string, S extends z.ZodRawShape>(code: C, params: S) {
  return z.object({ code: z.literal(code), params: z.object(params) });
}

/** What a fault peer says it did to one datagram or segment (`FaultFields.note`). */
const FAULT_NOTES = [
  /** `back`: on its way back to the client, not to the target; `queueFull`: not by chance. */
  notice('fault-datagram-dropped', {
    index: Count,
    from: HostPort,
    bytes: Count,
    toward: HostPort,
    back: z.boolean(),
    queueFull: z.boolean(),
  }),
  notice('fault-datagram-duplicated', {
    index: Count,
    from: HostPort,
    bytes: Count,
    toward: HostPort,
    back: z.boolean(),
  }),
  notice('fault-datagram-delayed', {
    index: Count,
    from: HostPort,
    bytes: Count,
    toward: HostPort,
    back: z.boolean(),
    delayMs: Duration,
  }),
  /** Held back and sent after datagram number `after`. */
  notice('fault-datagram-reordered', { index: Count, from: HostPort, after: Count }),
  /** Held back to be reordered, but nothing followed within `holdMs`: sent late. */
  notice('fault-datagram-late', { index: Count, from: HostPort, holdMs: Duration }),
  /** Sent alone: piece `piece` of `pieces` of a read of `readBytes`. */
  notice('fault-segment-split', {
    index: Count,
    from: HostPort,
    bytes: Count,
    piece: Count,
    pieces: Count,
    readBytes: Count,
    chunkBytes: Count,
  }),
  notice('fault-segment-delayed', {
    index: Count,
    from: HostPort,
    bytes: Count,
    delayMs: Duration,
  }),
  /** Segment `index` drew a reset (the proxy's `resetRate`). */
  notice('fault-reset-drawn', { remote: HostPort, index: Count, resetRate: z.number() }),
  /** `bytes` went from `from`, reaching the proxy's `resetAfterBytes`. */
  notice('fault-reset-after-bytes', {
    remote: HostPort,
    bytes: Count,
    from: HostPort,
    resetAfterBytes: Count,
  }),
] as const;

/** What a fault peer did, for its terminal and the packet's header card. */
export const FaultNote = z.discriminatedUnion('code', FAULT_NOTES);
export type FaultNote = z.infer<typeof FaultNote>;

/**
 * Everything Handshake itself says to a learner (lesson authors' check messages are their own),
 * as a stable code and typed parameters. Parameters are data: numbers, and names or addresses
 * shown as they are; only `detail` carries a technical diagnostic (for developers, in English).
 * Whoever shows a notice words it with lib/notices/catalog.ts in the reader's language: the
 * browser in the page's, the CLI in English, a peer's terminal and check results in the run's.
 */
export const Notice = z.discriminatedUnion('code', [
  // The queue and the connection's own limits.
  notice('busy', { slots: Count, waiting: Count, retryAfterSeconds: Count }),
  notice('rate-limited', { max: Count }),
  notice('stdin-too-large', { maxBytes: Count }),
  notice('message-too-large', { bytes: Count, maxBytes: Count }),
  // Messages the server cannot use (from a broken or foreign page, not from the learner).
  notice('binary-message', {}),
  notice('bad-message', { detail: z.string().max(500) }),
  notice('run-id-in-use', { runId: Name }),
  notice('unknown-run', { runId: Name }),
  notice('run-not-started', { runId: Name }),
  notice('unknown-process', { process: Name }),
  // What a run asks for: its lesson and its files.
  notice('unknown-lesson', { lesson: Name }),
  notice('lesson-load-failed', { lesson: Name }),
  notice('lesson-broken', { detail: z.string().max(500) }),
  notice('no-files', {}),
  notice('too-many-files', { count: Count, max: Count }),
  notice('bad-file-name', { file: Name }),
  notice('duplicate-file', { file: Name }),
  notice('file-too-large', { file: Name, maxBytes: Count }),
  notice('missing-file', { file: Name }),
  // How a run ended (`run-finished`).
  notice('run-completed', {}),
  notice('run-stopped', {}),
  notice('stopped-before-start', {}),
  notice('replaced-before-start', {}),
  notice('time-limit', { seconds: Duration }),
  notice('output-limit', { bytes: Count }),
  notice('memory-limit', { bytes: Count }),
  notice('cpu-limit', { seconds: Duration }),
  notice('process-limit', { count: Count }),
  notice('peer-crashed', {
    label: Name,
    signal: Name.nullable(),
    exitCode: z.number().int().nullable(),
  }),
  // Server faults: short, honest, never the learner's.
  notice('internal', {}),
  notice('sandbox-failed', {}),
  notice('sandbox-restarted', {}),
  notice('sandbox-refused', {}),
  // What the run shows less of than happened.
  notice('capture-packet-limit', { packets: Count }),
  notice('capture-byte-limit', { bytes: Count }),
  notice('faults-truncated', { faults: Count }),
  notice('output-skipped', { characters: Count }),
  // Check results a check did not produce itself (worded in the run's language by the judge).
  notice('check-threw', {}),
  notice('check-timeout', { seconds: Duration }),
  notice('check-bad-result', {}),
  // Why the server closed the WebSocket (the close code says it; see noticeForClose).
  notice('origin-rejected', {}),
  notice('too-many-connections', {}),
  notice('server-shutting-down', {}),
  notice('server-draining', {}),
  notice('run-token-forged', {}),
  notice('run-token-expired', {}),
  notice('run-token-replayed', {}),
  notice('run-token-unchecked', {}),
  // A learner's run whose result the class could not record (`run-not-saved`).
  notice('run-not-saved', {}),
  ...FAULT_NOTES,
]);
export type Notice = z.infer<typeof Notice>;
export type NoticeCode = Notice['code'];
/** The parameters of the notice with code `C`. */
export type NoticeParams<C extends NoticeCode> = Extract<Notice, { code: C }>['params'];

/** The run-token close codes and the notice each stands for. */
const RUN_TOKEN_CLOSES = [
  [CLOSE_CODES.runTokenForged, 'run-token-forged'],
  [CLOSE_CODES.runTokenExpired, 'run-token-expired'],
  [CLOSE_CODES.runTokenReplayed, 'run-token-replayed'],
  [CLOSE_CODES.runTokenUnchecked, 'run-token-unchecked'],
] as const;

/** The notice a WebSocket close code stands for, or null for a close that needs no words. */
export function noticeForClose(code: number | null): Notice | null {
  if (code === CLOSE_CODES.originRejected) return { code: 'origin-rejected', params: {} };
  if (code === CLOSE_CODES.tooManyConnections) return { code: 'too-many-connections', params: {} };
  if (code === CLOSE_CODES.serverShuttingDown) return { code: 'server-shutting-down', params: {} };
  if (code === CLOSE_CODES.serverDraining) return { code: 'server-draining', params: {} };
  const token = RUN_TOKEN_CLOSES.find(([close]) => close === code);
  return token ? { code: token[1], params: {} } : null;
}

// ---------------------------------------------------------------- browser → server

/** Start a run. With `lesson`, the lesson's peers and checks join the learner's files. */
export const RunRequest = z.object({
  type: z.literal('run'),
  runId: RunId,
  lesson: LessonSlug.optional(),
  lang: Lang.default('en'),
  files: z.array(SourceFile).min(1).max(WIRE_LIMITS.maxFiles),
  /** Repeat the faults of an earlier run (its `run-started` seed); without it the server picks one. */
  seed: RunSeed.optional(),
});

/** Text typed into a process's terminal (a whole line, with its newline, in line mode). */
export const StdinMessage = z.object({
  type: z.literal('stdin'),
  runId: RunId,
  process: ProcessName,
  data: z.string().max(WIRE_LIMITS.maxStdinBytes),
});

/** Ctrl-D: close the process's stdin. */
export const EofMessage = z.object({ type: z.literal('eof'), runId: RunId, process: ProcessName });

/** Ctrl-C: SIGINT to the process (Python raises KeyboardInterrupt). */
export const InterruptMessage = z.object({
  type: z.literal('interrupt'),
  runId: RunId,
  process: ProcessName,
});

/** Stop the whole run now. */
export const StopMessage = z.object({ type: z.literal('stop'), runId: RunId });

/**
 * The page now shows this lesson (null: no lesson). Sent when the socket is ready; the server
 * may get sandboxes ready for it, so the Run that follows starts at once.
 */
export const ViewingMessage = z.object({
  type: z.literal('viewing'),
  lesson: LessonSlug.nullable(),
});

/**
 * A learner who joined a class: the run token the app issued (POST /api/run-token), sent as the
 * first message after `hello` and before any other, at most once per connection. Runs of the
 * connection are then recorded for that learner; a token that fails closes the connection with
 * one of the run-token close codes. Anonymous pages never send it.
 */
export const AuthMessage = z.object({
  type: z.literal('auth'),
  token: z.string().min(1).max(MAX_RUN_TOKEN_CHARS),
});

export const ClientMessage = z.discriminatedUnion('type', [
  AuthMessage,
  RunRequest,
  StdinMessage,
  EofMessage,
  InterruptMessage,
  StopMessage,
  ViewingMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type RunRequest = z.infer<typeof RunRequest>;

// ---------------------------------------------------------------- server → browser

export const ProcessKind = z.enum(['learner', 'peer']);
export type ProcessKind = z.infer<typeof ProcessKind>;

/** The limits a run is held to, as the server will enforce them. */
export const RunLimits = z.object({
  wallSeconds: z.number().positive(),
  outputBytes: z.number().int().positive(),
});
export type RunLimits = z.infer<typeof RunLimits>;

export const Hello = z.object({
  type: z.literal('hello'),
  protocol: z.literal(PROTOCOL_VERSION),
  limits: RunLimits,
  maxMessageBytes: z.number().int().positive(),
});

/** The run is waiting for a free slot; sent again whenever the position changes. */
export const Queued = z.object({
  type: z.literal('queued'),
  runId: RunId,
  position: z.number().int().positive(),
});

/** The run has a slot; these processes will start, in this order. */
export const RunStarted = z.object({
  type: z.literal('run-started'),
  runId: RunId,
  processes: z.array(z.object({ name: ProcessName, kind: ProcessKind, label: z.string() })),
  limits: RunLimits,
  /** The seed this run's faults draw from: the request's, or one the server picked. */
  seed: RunSeed,
});

export const ProcessStarted = z.object({
  type: z.literal('process-started'),
  runId: RunId,
  process: ProcessName,
  /** Milliseconds since the run started. */
  at: z.number().nonnegative(),
});

export const Output = z.object({
  type: z.literal('output'),
  runId: RunId,
  process: ProcessName,
  stream: z.enum(['stdout', 'stderr']),
  data: z.string(),
});

/**
 * How a process ended: `exited` on its own (see exitCode/signal), `stopped` by the run's end
 * while still serving (not a failure), or `killed` by Stop or a limit.
 */
export const ProcessEnd = z.enum(['exited', 'stopped', 'killed']);
export type ProcessEnd = z.infer<typeof ProcessEnd>;

/**
 * Output of a process that a slow connection could not take in time was skipped here (the
 * server holds only so much for one browser); the terminal shows the notice in its place.
 */
export const OutputSkipped = z.object({
  type: z.literal('output-skipped'),
  runId: RunId,
  process: ProcessName,
  stream: z.enum(['stdout', 'stderr']),
  /** Characters of output skipped. */
  characters: z.number().int().positive(),
  notice: Notice,
});

/** Most threads a blocked-in snapshot lists for one process (sandbox-server/jail/proc-blocked.ts). */
export const MAX_BLOCKED_THREADS = 32;

/** A socket as the kernel's tables show it: `127.0.0.1:8080`, `[::1]:8080`; state like `LISTEN`. */
const BlockedSocket = z.object({
  proto: z.enum(['tcp', 'udp']),
  local: z.string().max(64),
  remote: z.string().max(64).optional(),
  state: z.string().max(16),
});

/**
 * What a thread of a learner process was blocked in when the wall-time limit killed it
 * (lib/lessons/define.ts BlockedThread).
 */
export const BlockedThread = z.object({
  call: z.enum(['recv', 'accept', 'connect', 'send', 'input', 'sleep', 'select', 'other']),
  syscall: z.string().max(32),
  socket: BlockedSocket.optional(),
});

export const ProcessExited = z.object({
  type: z.literal('process-exited'),
  runId: RunId,
  process: ProcessName,
  end: ProcessEnd,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Wall time the process ran, in milliseconds. */
  durationMs: z.number().nonnegative(),
  /** A learner process killed at the wall-time limit: what its threads were blocked in. */
  blocked: z.array(BlockedThread).max(MAX_BLOCKED_THREADS).optional(),
});

export const CheckStatus = z.enum(['pass', 'fail', 'error']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckResult = z.object({
  id: z.string(),
  title: z.string(),
  status: CheckStatus,
  message: z.string(),
  /** Output that explains a failure (e.g. what was expected and what came). */
  details: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const Checks = z.object({
  type: z.literal('checks'),
  runId: RunId,
  results: z.array(CheckResult),
});

/** Why a run ended. The run-finished `notice` says it in words (with the limit's value). */
export const RunEndReason = z.enum([
  'completed',
  'stopped',
  'time-limit',
  'output-limit',
  'memory-limit',
  'cpu-limit',
  'process-limit',
  'error',
]);
export type RunEndReason = z.infer<typeof RunEndReason>;

export const RunFinished = z.object({
  type: z.literal('run-finished'),
  runId: RunId,
  reason: RunEndReason,
  notice: Notice,
  durationMs: z.number().nonnegative(),
});

/** Server busy: the queue is full. The notice says so, and when to try again, once. */
export const Busy = z.object({
  type: z.literal('busy'),
  runId: RunId,
  retryAfterSeconds: z.number().int().positive(),
  notice: Notice,
});

/** Something the browser sent was refused, or the server failed; `runId` when it concerns a run. */
export const ErrorMessage = z.object({
  type: z.literal('error'),
  runId: RunId.optional(),
  code: z.enum([
    'bad-message',
    'too-large',
    'unknown-lesson',
    'unknown-run',
    'unknown-process',
    'rate-limited',
    'internal',
  ]),
  notice: Notice,
});

/** Longest packet preview: 64 payload bytes, each at worst escaped as `\xHH`. */
const MAX_PREVIEW_CHARS = 64 * 4;

const Port = z.number().int().min(0).max(65535);
const Uint32 = z.number().int().min(0).max(0xffffffff);
const TcpStateName = z.enum(TCP_STATES);

/**
 * One packet captured in the run's network namespace (fields as in lib/packets/packet.ts; names
 * are short because a run may send thousands). `srcOwner`/`dstOwner` name the process that owns
 * each endpoint (a ProcessName of run-started, e.g. `server.py` or `peer:echo`) when known.
 */
export const PacketEvent = z.object({
  type: z.literal('packet'),
  runId: RunId,
  /** Frame number in the run's capture, from 1. */
  n: z.number().int().positive(),
  /** Milliseconds since the run started. */
  t: z.number(),
  proto: z.enum(TRANSPORTS),
  src: z.string().max(45),
  dst: z.string().max(45),
  sport: Port.optional(),
  dport: Port.optional(),
  srcOwner: ProcessName.optional(),
  dstOwner: ProcessName.optional(),
  /** Payload bytes. */
  len: z.number().int().nonnegative(),
  preview: z.string().max(MAX_PREVIEW_CHARS).optional(),
  /** The TLS records the payload starts with, named (lib/packets/tls-records.ts). */
  tls: z.string().max(400).optional(),
  /** TCP connection or UDP flow number, from 1. */
  conn: z.number().int().positive().optional(),
  flags: z.array(z.enum(TCP_FLAGS)).max(TCP_FLAGS.length).optional(),
  /** Relative sequence and acknowledgement numbers (SYN = 0). */
  seq: Uint32.optional(),
  ack: Uint32.optional(),
  win: z.number().int().nonnegative().optional(),
  optLen: z.number().int().min(0).max(40).optional(),
  mss: z.number().int().min(0).max(65535).optional(),
  wscale: z.number().int().min(0).max(14).optional(),
  phase: z.enum(TCP_PHASES).optional(),
  retrans: z.literal(true).optional(),
  /** TCP states of the sender and the receiver after this packet, when it changed them. */
  srcState: TcpStateName.optional(),
  dstState: TcpStateName.optional(),
  icmp: z.string().max(64).optional(),
  /** Why the packet could not be fully decoded. */
  bad: z.string().max(120).optional(),
});
export type PacketEvent = z.infer<typeof PacketEvent>;

/**
 * The run's capture hit its limit: no `packet` event follows (sent once). The run's processes
 * go on; only the recording stops.
 */
export const CaptureTruncated = z.object({
  type: z.literal('capture-truncated'),
  runId: RunId,
  /** Packets delivered before the limit. */
  packets: z.number().int().nonnegative(),
  /** Which limit: the packet count or the bytes kept for the download. */
  limit: z.enum(['packets', 'bytes']),
  notice: Notice,
});

/**
 * A capture download's token: random, URL-safe, told only to the connection that ran the run;
 * behind a load balancer also sealed with the address of the server holding it
 * (sandbox-server/transport/capture-owner.ts).
 */
export const CaptureToken = z
  .string()
  .max(1024)
  .regex(
    /^[A-Za-z0-9_-]{22,64}(\.[A-Za-z0-9_-]{4,900}\.[A-Za-z0-9_-]{22})?$/,
    'capture tokens are 22–64 URL-safe characters, optionally sealed with their server',
  );

/**
 * The run's capture can be downloaded as a .pcap file from the sandbox server, at
 * `captureDownloadPath(runId, token)` next to its WebSocket, for `expiresInSeconds` or until this
 * connection's next run. Sent at most once per run, once the capture has stopped and before
 * `checks` and `run-finished` (a run's events still end with run-finished, so whoever stops
 * reading there has it); not sent when nothing was captured or the server keeps no downloads.
 */
export const CaptureReady = z.object({
  type: z.literal('capture-ready'),
  runId: RunId,
  token: CaptureToken,
  /** Packets in the file. */
  packets: z.number().int().positive(),
  /** Size of the file in bytes. */
  bytes: z.number().int().positive(),
  /** The capture stopped at a limit (a `capture-truncated` notice came earlier). */
  truncated: z.boolean(),
  /** How long the server keeps the file, at most. */
  expiresInSeconds: z.number().int().positive(),
});

/** What a fault peer did to the traffic. */
export const FAULT_ACTIONS = [
  'dropped',
  'duplicated',
  'reordered',
  'delayed',
  'split',
  'reset',
] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/**
 * What a fault peer (udp-relay, tcp-proxy) did to one datagram or segment. `from` and `to` are
 * the ends of the captured packet it concerns: for UDP the datagram as it reached the relay (the
 * `index`-th from `from` to `to`, `bytes` long); for TCP the segment the proxy sent (the
 * `index`-th carrying data from `from` to `to`) or, for `reset`, its RST.
 */
export const FaultFields = z.object({
  proto: z.enum(['udp', 'tcp']),
  action: z.enum(FAULT_ACTIONS),
  from: HostPort,
  to: HostPort,
  /** Datagram or segment number in that direction of that flow or connection, from 1. */
  index: z.number().int().positive(),
  /** Payload bytes of the datagram or segment. */
  bytes: z.number().int().nonnegative(),
  /** How long it was held back (delayed, and a reorder that found nothing to pass). */
  delayMs: z.number().nonnegative().optional(),
  /** What it did, in words once worded (the peer's terminal, the packet's header card). */
  note: FaultNote,
});
export type FaultFields = z.infer<typeof FaultFields>;

export const FaultEvent = FaultFields.extend({
  type: z.literal('fault'),
  runId: RunId,
  /** The peer that did it (`peer:relay`). */
  process: ProcessName,
  /** Milliseconds since the run started, when the run heard of it. */
  t: z.number().nonnegative(),
});
export type FaultEvent = z.infer<typeof FaultEvent>;

/** The run's fault events hit their limit: no `fault` event follows (sent once). */
export const FaultsTruncated = z.object({
  type: z.literal('faults-truncated'),
  runId: RunId,
  /** Fault events delivered before the limit. */
  faults: z.number().int().nonnegative(),
  notice: Notice,
});

/**
 * A recorded learner's run could not be saved to the class: the app did not take it after every
 * retry. The one message that may follow its run's `run-finished` (saving happens after).
 */
export const RunNotSaved = z.object({
  type: z.literal('run-not-saved'),
  runId: RunId,
  notice: Notice,
});

export const ServerMessage = z.discriminatedUnion('type', [
  Hello,
  Queued,
  RunStarted,
  ProcessStarted,
  Output,
  OutputSkipped,
  ProcessExited,
  Checks,
  RunFinished,
  Busy,
  ErrorMessage,
  PacketEvent,
  CaptureTruncated,
  CaptureReady,
  FaultEvent,
  FaultsTruncated,
  RunNotSaved,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
/** A server message that belongs to a run. */
export type RunEvent = Exclude<ServerMessage, { type: 'hello' }> & { runId: string };

/** Where the sandbox server serves run captures: `/capture/<runId>.pcap?token=…`. */
export const CAPTURE_PATH_PREFIX = '/capture/';

/** The path (with query) of a run's capture download, relative to the server's root. */
export function captureDownloadPath(runId: string, token: string): string {
  return `${CAPTURE_PATH_PREFIX}${encodeURIComponent(runId)}.pcap?token=${encodeURIComponent(token)}`;
}

/**
 * The name a run's capture is saved under: `handshake-<lesson>-<runId>.pcap`, or
 * `handshake-run-<runId>.pcap` without a lesson. Both parts are validated slugs and ids, so the
 * name is safe in a Content-Disposition header and on any file system.
 */
export function captureDownloadName(runId: string, lesson?: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');
  return `handshake-${lesson ? safe(lesson) : 'run'}-${safe(runId)}.pcap`;
}

/**
 * Parses a raw WebSocket message from the browser; instead of throwing, returns a readable
 * error (for logs and tests) and the notice that tells the sender what was wrong.
 */
export function parseClientMessage(
  raw: string,
): { ok: true; message: ClientMessage } | { ok: false; error: string; notice: Notice } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    const error = 'message is not valid JSON';
    return { ok: false, error, notice: { code: 'bad-message', params: { detail: error } } };
  }
  const result = ClientMessage.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  const error = describeIssues(result.error);
  const notice: Notice = fileTooLarge(result.error, json) ?? {
    code: 'bad-message',
    params: { detail: error.slice(0, 500) },
  };
  return { ok: false, error, notice };
}

/** A learner can type a file too large to send: that refusal names the file, in words. */
function fileTooLarge(error: z.ZodError, json: unknown): Notice | null {
  const issue = error.issues.find(
    (i) => i.code === 'too_big' && i.path[0] === 'files' && i.path[2] === 'content',
  );
  if (!issue) return null;
  const files = (json as { files?: Array<{ name?: unknown }> }).files;
  const name = FileName.safeParse(files?.[issue.path[1] as number]?.name);
  if (!name.success) return null;
  return {
    code: 'file-too-large',
    params: { file: name.data, maxBytes: WIRE_LIMITS.maxFileBytes },
  };
}

/** Parses a server message in the browser; a message that fails validation is reported, not used. */
export function parseServerMessage(raw: string): ServerMessage | null {
  try {
    const result = ServerMessage.safeParse(JSON.parse(raw));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** Turns zod issues into one human line such as `files.0.name: file names look like …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}
