/**
 * The browser ↔ sandbox wire protocol: every WebSocket message, declared once as a zod schema.
 * Both sides import this file and validate every message they receive. Every run event carries
 * the `runId` the browser chose, so the UI can drop events of a run it has replaced.
 */
import { z } from 'zod';
import { TCP_FLAGS, TCP_PHASES, TCP_STATES, TRANSPORTS } from './packets/packet.ts';

/** Version of this protocol; the server announces it in `hello`. */
export const PROTOCOL_VERSION = 1;

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
} as const;

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

export const ClientMessage = z.discriminatedUnion('type', [
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

export const ProcessExited = z.object({
  type: z.literal('process-exited'),
  runId: RunId,
  process: ProcessName,
  end: ProcessEnd,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** Wall time the process ran, in milliseconds. */
  durationMs: z.number().nonnegative(),
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

/** Why a run ended. Every reason except `completed` comes with a message saying so. */
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
  message: z.string(),
  durationMs: z.number().nonnegative(),
});

/** Server busy: the queue is full. */
export const Busy = z.object({
  type: z.literal('busy'),
  runId: RunId,
  retryAfterSeconds: z.number().int().positive(),
  message: z.string(),
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
  message: z.string(),
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
  message: z.string(),
});

/** A capture download's token: random, URL-safe, told only to the connection that ran the run. */
export const CaptureToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,64}$/, 'capture tokens are 22–64 URL-safe characters');

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

/** `127.0.0.1:8080`: an IPv4 address and port, as the fault peers name packets' ends. */
const HostPort = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/, 'expected ADDRESS:PORT');

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
  /** One human sentence, as the peer's terminal shows it. */
  detail: z.string().max(300),
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
  message: z.string(),
});

export const ServerMessage = z.discriminatedUnion('type', [
  Hello,
  Queued,
  RunStarted,
  ProcessStarted,
  Output,
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

/** Parses a raw WebSocket message from the browser; returns a readable error instead of throwing. */
export function parseClientMessage(
  raw: string,
): { ok: true; message: ClientMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  const result = ClientMessage.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, error: describeIssues(result.error) };
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
