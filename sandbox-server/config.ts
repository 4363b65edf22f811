/**
 * Every option of the sandbox server, declared once in one table (piston's pattern): its
 * HANDSHAKE_* variable, what it means, its default and its validator. `loadConfig` reads the
 * environment at boot; a bad value stops the server with one line naming the variable.
 * `.env.example` is generated from this table: `node sandbox-server/config.ts > .env.example`.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { WIRE_LIMITS } from '../lib/protocol.ts';
import { parseSandboxServers } from '../lib/server/sandboxes/servers.ts';
import { CAPTURE_DEFAULTS } from './capture/capture-limits.ts';
import { hostInstance, instanceIdProblem } from './instance-id.ts';
import { DEFAULT_UID_BASE, MAX_SLOTS, PEER_UID_OFFSET, UIDS_PER_HOST } from './uid-range.ts';
import {
  DEFAULT_LIMITS,
  LIMIT_BOUNDS,
  PEER_MEMORY_BYTES,
  type LimitBounds,
  type RunLimitsConfig,
} from './limits.ts';

/** One row of the table. `parse` turns the variable's text into the option's value. */
export interface OptionSpec {
  env: string;
  description: string;
  /** The default as it would be written in the environment. */
  default: string | (() => string);
  /** How .env.example describes a computed default. */
  defaultText?: string;
  parse: z.ZodType<unknown, string>;
}

const MiB = 1024 * 1024;

const text = z.string().trim().min(1, 'must not be empty');
const whole = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const decimal = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `must be a number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((value) => ['true', '1', 'yes'].includes(value));
const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}, 'each origin looks like https://host or http://host:port (scheme, host, port; no path or trailing /), or *');
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim().replace(/\/$/, ''))
      .filter(Boolean),
  )
  .pipe(z.array(origin).min(1, 'must list at least one origin'));
const wsUrl = z
  .string()
  .trim()
  .refine(
    (value) => value === '' || /^wss?:\/\/[^/\s]+\/\S*$/.test(value),
    'must be a ws:// or wss:// URL such as wss://example.org/ws',
  );
const httpBase = z
  .string()
  .trim()
  .refine(
    (value) => value === '' || (/^https?:\/\/[^/\s]+\/?$/.test(value) && URL.canParse(value)),
    'must be an http:// or https:// base URL such as http://10.0.3.7:3001',
  )
  .transform((value) => value.replace(/\/$/, ''));
const sandboxServerList = z.string().transform((value, context) => {
  try {
    return parseSandboxServers(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * Runs at once: 4 per core, since a lesson's run mostly waits on its sockets (and each run's
 * CPU is capped at one core), and a class pressing Run together should not queue behind 2 × cores;
 * fewer when memory could not hold each run's memory limit plus its peers'.
 */
function defaultSlots(): string {
  const byCores = 4 * os.availableParallelism();
  const byMemory = Math.floor(
    (0.75 * os.totalmem()) / (DEFAULT_LIMITS.memoryBytes + PEER_MEMORY_BYTES),
  );
  return String(Math.max(1, Math.min(byCores, byMemory)));
}

/** Memory a warm sandbox holds: its Node peer (~50 MiB) and tcpdump, rounded up. */
const WARM_SANDBOX_BYTES = 64 * MiB;

/** Sandboxes made ahead for the lessons on screen: up to an eighth of memory, at most 64. */
function defaultWarmMax(): string {
  return String(Math.max(3, Math.min(64, Math.floor(os.totalmem() / 8 / WARM_SANDBOX_BYTES))));
}

const instanceId = z
  .string()
  .trim()
  .superRefine((value, context) => {
    const problem = instanceIdProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => value === '' || /^postgres(ql)?:\/\/\S+$/.test(value),
    'must be empty (SQLite in HANDSHAKE_DATA_DIR) or a postgres:// URL',
  );

/** The server's own options, keyed by the name the code uses. */
const SERVER_OPTIONS = {
  host: {
    env: 'HANDSHAKE_SANDBOX_HOST',
    description:
      'Address the sandbox WebSocket server listens on (0.0.0.0 or :: to accept other machines).',
    default: '127.0.0.1',
    parse: text,
  },
  port: {
    env: 'HANDSHAKE_SANDBOX_PORT',
    description: 'Port of the sandbox WebSocket server (path /ws); 0 picks a free port.',
    default: '3001',
    parse: whole(0, 65535),
  },
  allowedOrigins: {
    env: 'HANDSHAKE_ALLOWED_ORIGINS',
    description:
      'Comma-separated web origins whose pages may connect and run code; others are closed with 4003.',
    default: 'http://localhost:3000,http://127.0.0.1:3000',
    parse: originList,
  },
  sandboxUrl: {
    env: 'HANDSHAKE_SANDBOX_URL',
    description:
      'Read by the web app: where browsers reach the sandbox (set it behind a reverse proxy). Empty: ws://<page host>:3001/ws.',
    default: '',
    parse: wsUrl,
  },
  sandboxServers: {
    env: 'HANDSHAKE_SANDBOX_SERVERS',
    description:
      'Read by the web app: several sandbox servers to spread pages over, comma-separated, each its public ws(s):// URL, then optionally a space and the http(s):// base the app polls /health at. Empty: one server (HANDSHAKE_SANDBOX_URL).',
    default: '',
    parse: sandboxServerList,
  },
  advertiseUrl: {
    env: 'HANDSHAKE_ADVERTISE_URL',
    description:
      "This sandbox server's http(s):// base URL as the other sandbox servers reach it (e.g. http://$(POD_IP):3001): capture downloads then work whichever server behind a load balancer they land on. Empty: downloads only from this server.",
    default: '',
    parse: httpBase,
  },
  user: {
    env: 'HANDSHAKE_USER',
    description:
      'Unprivileged user (name or uid) the WebSocket front and the web app run as when started as root; never root.',
    default: 'nobody',
    parse: text,
  },
  jailerHangSeconds: {
    env: 'HANDSHAKE_JAILER_HANG_SECONDS',
    description:
      'A jailer that has not answered a heartbeat for this long is killed and replaced (its runs end with a message).',
    default: '15',
    parse: whole(2, 600),
  },
  warmSandboxes: {
    env: 'HANDSHAKE_WARM_SANDBOXES',
    description:
      "Sandboxes made ahead (namespace, cgroups, packet capture, and a lesson's peers already running) for each of the three kinds of run last used. 0 turns making ahead off.",
    default: '3',
    parse: whole(0, 32),
  },
  warmSandboxesMax: {
    env: 'HANDSHAKE_WARM_SANDBOXES_MAX',
    description:
      'Most sandboxes made ahead in all (never fewer than 3 × HANDSHAKE_WARM_SANDBOXES): one per browser showing a lesson, up to this; each with a Node peer holds ~50 MiB.',
    default: defaultWarmMax,
    defaultText: 'an eighth of memory / 64 MiB, from 3 to 64',
    parse: whole(0, 96),
  },
  databaseUrl: {
    env: 'HANDSHAKE_DATABASE_URL',
    description:
      'Read by the web app: PostgreSQL for classes and progress (postgres://user:password@host:5432/name), needed for several app replicas. Empty: SQLite in HANDSHAKE_DATA_DIR.',
    default: '',
    parse: databaseUrl,
  },
  dataDir: {
    env: 'HANDSHAKE_DATA_DIR',
    description:
      "Folder of the app's own data (the SQLite database, generated secrets); created on first start, mode 0700, owned by HANDSHAKE_USER.",
    default: 'data',
    parse: text.transform((dir) => path.resolve(dir)),
  },
  contentDir: {
    env: 'HANDSHAKE_CONTENT_DIR',
    description: 'Folder holding the lessons (one NN-slug folder each).',
    default: 'content',
    parse: text.transform((dir) => path.resolve(dir)),
  },
  instance: {
    env: 'HANDSHAKE_INSTANCE',
    description:
      "This server's id on its machine (1 to 8 lowercase letters or digits, a letter first): it names the server's sandboxes' namespaces and cgroups, so several servers on one kernel never touch each other's runs. Servers sharing a machine need different ids.",
    default: () => hostInstance(),
    defaultText: 'h and 6 characters of a hash of the host name (a pod has its own)',
    parse: instanceId,
  },
  uidBase: {
    env: 'HANDSHAKE_UID_BASE',
    description: `First uid of this server's sandboxes: learner code runs as base to base+${MAX_SLOTS - 1}, peers as base+${PEER_UID_OFFSET} to base+${PEER_UID_OFFSET + MAX_SLOTS - 1}. Servers sharing a kernel (two pods on one node) need bases at least ${UIDS_PER_HOST} apart.`,
    default: String(DEFAULT_UID_BASE),
    parse: whole(10000, 2_000_000_000),
  },
  slots: {
    env: 'HANDSHAKE_SLOTS',
    description:
      'Runs executing at once; more wait in the queue. Each may use its memory limit plus its peers.',
    default: defaultSlots,
    defaultText: '4 × CPU cores, fewer if memory is short',
    parse: whole(1, 1024),
  },
  queueMax: {
    env: 'HANDSHAKE_QUEUE_MAX',
    description:
      'Runs that may wait for a slot; beyond that a Run is answered "busy, try again in N s".',
    default: '100',
    parse: whole(0, 10000),
  },
  maxConnectionsPerIp: {
    env: 'HANDSHAKE_MAX_CONNECTIONS_PER_IP',
    description:
      'Open WebSocket connections per client address (a classroom behind one NAT shares one address).',
    default: '100',
    parse: whole(1, 100000),
  },
  maxRunsPerIp: {
    env: 'HANDSHAKE_MAX_RUNS_PER_IP',
    description:
      'Runs per client address at once, counting queued runs and runs still being torn down.',
    default: '100',
    parse: whole(1, 100000),
  },
  maxMessageBytes: {
    env: 'HANDSHAKE_MAX_MESSAGE_BYTES',
    description: `Largest message a browser may send (a run with all its files); at most ${WIRE_LIMITS.maxMessageBytes}.`,
    default: String(WIRE_LIMITS.maxMessageBytes),
    parse: whole(1024, WIRE_LIMITS.maxMessageBytes),
  },
  connectionBufferKiB: {
    env: 'HANDSHAKE_CONNECTION_BUFFER_KIB',
    description:
      'Output a slow browser may have waiting in server memory; beyond it output is skipped with a note.',
    default: '1024',
    parse: whole(64, 65536),
  },
  coalesceMs: {
    env: 'HANDSHAKE_OUTPUT_COALESCE_MS',
    description:
      'Once output flows, at most one output frame per process and stream per this many milliseconds.',
    default: '20',
    parse: whole(0, 1000),
  },
  trustProxy: {
    env: 'HANDSHAKE_TRUST_PROXY',
    description:
      'Take the client address from X-Forwarded-For (only behind a reverse proxy you run).',
    default: 'false',
    parse: flag,
  },
  drainSeconds: {
    env: 'HANDSHAKE_DRAIN_SECONDS',
    description:
      'On SIGTERM the sandbox server stops taking runs (/readyz answers 503) and lets runs in progress finish for at most this many seconds before it stops them.',
    default: '30',
    parse: whole(0, 3600),
  },
  metricsToken: {
    env: 'HANDSHAKE_METRICS_TOKEN',
    description:
      'When set, /metrics answers only requests with the header Authorization: Bearer <this token>; empty: /metrics is open (keep it off the Internet).',
    default: '',
    parse: z.string().trim(),
  },
  logFormat: {
    env: 'HANDSHAKE_LOG_FORMAT',
    description:
      'json: one JSON object per line (time, level, process, msg, and runId, lesson, outcome, durationMs for runs); pretty: the same, readable in a terminal; auto: pretty in a terminal, json otherwise (a container, a log collector).',
    default: 'auto',
    parse: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['auto', 'json', 'pretty'], { error: 'must be auto, json or pretty' })),
  },
  adminEmail: {
    env: 'HANDSHAKE_ADMIN_EMAIL',
    description:
      'Read by the web app: with HANDSHAKE_ADMIN_PASSWORD, creates this first instructor at start when none exists (else the first-run page at /teach does).',
    default: '',
    parse: z
      .string()
      .trim()
      .pipe(z.union([z.literal(''), z.email('must be an email address')])),
  },
  adminPassword: {
    env: 'HANDSHAKE_ADMIN_PASSWORD',
    description:
      'Read by the web app: the password of HANDSHAKE_ADMIN_EMAIL (10 characters or more).',
    default: '',
    parse: z.string().refine((v) => v === '' || v.length >= 10, 'must be at least 10 characters'),
  },
  instructorSignup: {
    env: 'HANDSHAKE_INSTRUCTOR_SIGNUP',
    description:
      'Read by the web app: who may create an instructor account at /teach: first (only the first instructor) or open (anyone who reaches the page).',
    default: 'first',
    parse: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['first', 'open'], { error: 'must be first or open' })),
  },
  capture: {
    env: 'HANDSHAKE_CAPTURE',
    description:
      "Capture each run's packets (tcpdump in its network namespace) for the Network tab and the .pcap download.",
    default: 'true',
    parse: flag,
  },
  captureMaxPackets: {
    env: 'HANDSHAKE_CAPTURE_MAX_PACKETS',
    description: 'Packets captured and sent per run; past it the capture stops with one notice.',
    default: String(CAPTURE_DEFAULTS.maxPackets),
    parse: whole(1, 1_000_000),
  },
  captureMaxKiB: {
    env: 'HANDSHAKE_CAPTURE_MAX_KIB',
    description: "Bytes of a run's pcap kept for download, in KiB; past it the capture stops.",
    default: String(CAPTURE_DEFAULTS.maxPcapBytes / 1024),
    parse: whole(64, 262_144),
  },
  captureDownloadsMiB: {
    env: 'HANDSHAKE_CAPTURE_DOWNLOADS_MIB',
    description:
      "Memory the WebSocket front may hold for .pcap downloads of finished runs, in MiB (each connection keeps only its last run's); the oldest go first when full. 0 turns downloads off.",
    default: '64',
    parse: whole(0, 65_536),
  },
  captureDownloadMinutes: {
    env: 'HANDSHAKE_CAPTURE_DOWNLOAD_MINUTES',
    description:
      "How long a finished run's .pcap stays downloadable, in minutes; the connection's next run ends it sooner.",
    default: '10',
    parse: whole(1, 1440),
  },
  secret: {
    env: 'HANDSHAKE_SECRET',
    description:
      "Master secret (at least 32 characters) from which the run-token key and the app's internal secret are derived; the same in the app and every sandbox front. Empty: generated once into HANDSHAKE_DATA_DIR/secret (mode 0600).",
    default: '',
    parse: z
      .string()
      .trim()
      .refine((value) => value === '' || value.length >= 32, 'must be at least 32 characters'),
  },
  appUrl: {
    env: 'HANDSHAKE_APP_URL',
    description:
      "Where the sandbox front reaches the web app's internal endpoints (recording runs, single-use run tokens); never exposed to browsers.",
    default: 'http://127.0.0.1:3000',
    parse: z
      .string()
      .trim()
      .refine((value) => /^https?:\/\/[^/\s]+\/?$/.test(value), 'must be http(s)://host:port')
      .transform((value) => value.replace(/\/$/, '')),
  },
} satisfies Record<string, OptionSpec>;

/** How each run limit of limits.ts appears in the environment. */
interface LimitSpec {
  limit: keyof RunLimitsConfig;
  env: string;
  what: string;
  /** Bytes (or seconds) per unit of the variable. */
  unit: number;
  fractional?: boolean;
}

const LIMIT_SPECS: LimitSpec[] = [
  {
    limit: 'wallSeconds',
    env: 'HANDSHAKE_WALL_SECONDS',
    what: 'wall-clock seconds of a run',
    unit: 1,
    fractional: true,
  },
  {
    limit: 'cpuSeconds',
    env: 'HANDSHAKE_CPU_SECONDS',
    what: 'CPU seconds of all learner processes of a run',
    unit: 1,
    fractional: true,
  },
  {
    limit: 'memoryBytes',
    env: 'HANDSHAKE_MEMORY_MIB',
    what: 'memory of a run’s learner processes, in MiB (no swap)',
    unit: MiB,
  },
  {
    limit: 'pids',
    env: 'HANDSHAKE_PIDS',
    what: 'processes and threads of a run’s learner code',
    unit: 1,
  },
  {
    limit: 'openFiles',
    env: 'HANDSHAKE_OPEN_FILES',
    what: 'open files per learner process',
    unit: 1,
  },
  {
    limit: 'fileSizeBytes',
    env: 'HANDSHAKE_FILE_SIZE_KIB',
    what: 'size of a file learner code writes, in KiB',
    unit: 1024,
  },
  {
    limit: 'tmpBytes',
    env: 'HANDSHAKE_TMP_MIB',
    what: 'size of a run’s private /tmp, in MiB',
    unit: MiB,
  },
  {
    limit: 'outputBytes',
    env: 'HANDSHAKE_OUTPUT_KIB',
    what: 'output (stdout + stderr) of a whole run, in KiB',
    unit: 1024,
  },
];

type Level = 'default' | 'min' | 'max';
const LEVELS: Array<{ level: Level; suffix: string; say: (what: string) => string }> = [
  {
    level: 'default',
    suffix: '',
    say: (what) => `Default limit: ${what}. Lessons may ask for another value within the bounds.`,
  },
  { level: 'min', suffix: '_MIN', say: (what) => `Smallest limit a lesson may ask for: ${what}.` },
  { level: 'max', suffix: '_MAX', say: (what) => `Largest limit a lesson may ask for: ${what}.` },
];

function limitOption(spec: LimitSpec, level: Level): OptionSpec {
  const source = level === 'default' ? DEFAULT_LIMITS : LIMIT_BOUNDS[level];
  const value = source[spec.limit] / spec.unit;
  const { suffix, say } = LEVELS.find((l) => l.level === level)!;
  const ceiling = (LIMIT_BOUNDS.max[spec.limit] / spec.unit) * 16;
  return {
    env: spec.env + suffix,
    description: say(spec.what),
    default: String(value),
    parse: spec.fractional ? decimal(0.1, ceiling) : whole(1, ceiling),
  };
}

/** Every option in the order .env.example lists them. */
export const CONFIG_OPTIONS: readonly OptionSpec[] = [
  ...Object.values(SERVER_OPTIONS),
  ...LIMIT_SPECS.flatMap((spec) => LEVELS.map(({ level }) => limitOption(spec, level))),
];

type ServerOptionValues = {
  [K in keyof typeof SERVER_OPTIONS]: z.output<(typeof SERVER_OPTIONS)[K]['parse']>;
};

/** The validated configuration of the sandbox server. */
export interface SandboxConfig extends Omit<ServerOptionValues, 'sandboxUrl' | 'advertiseUrl'> {
  sandboxUrl: string | undefined;
  advertiseUrl: string | undefined;
  /** Run limits: the defaults a run gets and the bounds a lesson's request is clamped to. */
  limits: LimitBounds & { defaults: RunLimitsConfig };
}

/** A configuration that cannot be used; its message names every bad variable, one per line. */
export class ConfigError extends Error {}

/** Reads and validates every option from `env`; throws ConfigError naming each bad variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SandboxConfig {
  const errors: string[] = [];
  const read = (spec: OptionSpec): unknown => readOption(spec, env, errors);
  const server = Object.fromEntries(
    Object.entries(SERVER_OPTIONS).map(([key, spec]) => [key, read(spec)]),
  );
  const limits = readLimits(read, errors);
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  const values = server as ServerOptionValues;
  return {
    ...values,
    sandboxUrl: values.sandboxUrl || undefined,
    advertiseUrl: values.advertiseUrl || undefined,
    limits,
  };
}

/** Where the web app keeps its data: the two database options alone, validated. */
export function loadDatabaseConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { databaseUrl: string | undefined; dataDir: string } {
  const errors: string[] = [];
  const url = readOption(SERVER_OPTIONS.databaseUrl, env, errors) as string | undefined;
  const dataDir = readOption(SERVER_OPTIONS.dataDir, env, errors) as string;
  if (errors.length > 0) throw new ConfigError(errors.join('\n'));
  return { databaseUrl: url || undefined, dataDir };
}

function readLimits(
  read: (spec: OptionSpec) => unknown,
  errors: string[],
): SandboxConfig['limits'] {
  const result = {
    defaults: { ...DEFAULT_LIMITS },
    min: { ...LIMIT_BOUNDS.min },
    max: { ...LIMIT_BOUNDS.max },
  };
  for (const spec of LIMIT_SPECS) {
    const [value, min, max] = LEVELS.map(
      ({ level }) => read(limitOption(spec, level)) as number | undefined,
    );
    if (value === undefined || min === undefined || max === undefined) continue;
    if (!(min <= value && value <= max)) {
      errors.push(
        `${spec.env}=${value} must lie within ${spec.env}_MIN=${min} and ${spec.env}_MAX=${max}`,
      );
      continue;
    }
    result.defaults[spec.limit] = value * spec.unit;
    result.min[spec.limit] = min * spec.unit;
    result.max[spec.limit] = max * spec.unit;
  }
  return result;
}

/** One option's value from `env`, or undefined after adding a line naming it to `errors`. */
function readOption(
  spec: OptionSpec,
  env: Readonly<Record<string, string | undefined>>,
  errors: string[],
): unknown {
  const given = env[spec.env];
  const raw = given === undefined || given.trim() === '' ? defaultOf(spec) : given;
  const result = spec.parse.safeParse(raw);
  if (result.success) return result.data;
  errors.push(
    `${spec.env}=${JSON.stringify(raw)} is invalid: ${result.error.issues[0]?.message ?? 'bad value'}`,
  );
  return undefined;
}

function defaultOf(spec: OptionSpec): string {
  return typeof spec.default === 'function' ? spec.default() : spec.default;
}

/** The text of `.env.example`: every option, commented out at its default, with its meaning. */
export function renderEnvExample(): string {
  const header = [
    '# Handshake sandbox server options. Generated from sandbox-server/config.ts:',
    '#   node sandbox-server/config.ts > .env.example',
    '# Every line is commented out at its default; uncomment and change what you need.',
    '',
  ];
  const body = CONFIG_OPTIONS.flatMap((spec) => [
    `# ${spec.description}${spec.defaultText ? ` Default: ${spec.defaultText}.` : ''}`,
    `# ${spec.env}=${spec.defaultText ? '' : defaultOf(spec)}`,
    '',
  ]);
  return [...header, ...body].join('\n');
}

if (import.meta.main) process.stdout.write(renderEnvExample());
