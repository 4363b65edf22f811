/**
 * A school on one machine, with real processes: PostgreSQL (a throwaway cluster), several app
 * replicas (`next start` of one build) and several sandbox servers (`sandbox-server/main.ts`),
 * all sharing one master secret. Every app lists every sandbox server in
 * HANDSHAKE_SANDBOX_SERVERS and places pages on them; each sandbox server records runs through
 * one of the apps. Learners are simulated as a browser would act: join with the class code,
 * ask the app for a run token and a server before each connection, run, and after a dropped
 * connection ask again. For the multi-replica test (school.test.ts) and `npm run bench:school`.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLessonFiles } from '../../../lib/lessons/load-definition.ts';
import { createClass, openDatabase, type Database } from '../../../lib/server/db/index.ts';
import type { ServerMessage, SourceFile } from '../../../lib/protocol.ts';
import { newRunId, ProtocolClient } from '../../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../../sandbox-server/transport/launch.ts';
import { createTestDatabase, stopCluster } from '../../integration/db/postgres-harness.ts';
import { buildAppIfStale, freePort, startProcess, stopProcess, waitForHttp } from './servers.ts';
import type { Started } from './servers.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** One sandbox server of the school, which a test may kill and start again on its port. */
export class SchoolSandbox {
  readonly url: string;
  /** Its HANDSHAKE_INSTANCE: its runs' kernel objects are named hs-<instance>-<n>. */
  readonly instance: string;
  private readonly env: Record<string, string>;
  server: LaunchedServer | null = null;

  constructor(port: number, env: Record<string, string>) {
    this.url = `ws://127.0.0.1:${port}/ws`;
    this.env = { ...env, HANDSHAKE_SANDBOX_PORT: String(port) };
    this.instance = env.HANDSHAKE_INSTANCE!;
    this.env.HANDSHAKE_ADVERTISE_URL = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = await launchServer(this.env, 60_000);
  }

  /** Ends main, the front and the jailer at once with SIGKILL, as a machine failing would. */
  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const { jailer, front } = server.children();
    for (const pid of [server.child.pid, front, jailer]) if (pid) process.kill(pid, 'SIGKILL');
    await server.exited;
    this.server = null;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

export interface School {
  apps: string[];
  sandboxes: SchoolSandbox[];
  db: Database;
  classId: string;
  joinCode: string;
  stop(): Promise<void>;
}

export interface SchoolOptions {
  apps: number;
  sandboxes: number;
  /** Slots of each sandbox server (HANDSHAKE_SLOTS). */
  slots: number;
}

/** Starts PostgreSQL, the sandbox servers and the app replicas, and makes one class. */
export async function startSchool(options: SchoolOptions): Promise<School> {
  buildAppIfStale(root);
  const scratch = mkdtempSync(path.join(tmpdir(), 'handshake-school-'));
  chmodSync(scratch, 0o755); // the postgres user reaches its cluster inside
  const database = await createTestDatabase(scratch);
  const appPorts = await distinctPorts(options.apps);
  const sandboxPorts = await distinctPorts(options.sandboxes);
  const apps = appPorts.map((port) => `http://127.0.0.1:${port}`);
  const shared = {
    HANDSHAKE_SECRET: randomBytes(32).toString('base64url'),
    HANDSHAKE_ALLOWED_ORIGINS: apps.join(','),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const sandboxes = sandboxPorts.map(
    (port, i) =>
      new SchoolSandbox(port, {
        ...shared,
        HANDSHAKE_SLOTS: String(options.slots),
        // Its own id and uids on this kernel; the same after a restart, so it sweeps its leftovers.
        HANDSHAKE_INSTANCE: `school${i}`,
        HANDSHAKE_UID_BASE: String(70_000 + 2_000 * i),
        HANDSHAKE_APP_URL: apps[i % apps.length]!,
        HANDSHAKE_DATA_DIR: path.join(scratch, `sandbox-${i}`),
      }),
  );
  const started: Started[] = [];
  const stop = async () => {
    await Promise.all([...started.map(stopProcess), ...sandboxes.map((s) => s.stop())]);
    await db?.close();
    await database.drop().catch(() => {});
    stopCluster(scratch);
  };
  let db: Database | undefined;
  try {
    await Promise.all(sandboxes.map((sandbox) => sandbox.start()));
    const servers = sandboxes.map((sandbox) => sandbox.url).join(', ');
    for (const [i, port] of appPorts.entries()) {
      const app = startProcess(
        `app-${i}`,
        path.join(root, 'node_modules', '.bin', 'next'),
        ['start', '-p', String(port), '-H', '127.0.0.1'],
        {
          cwd: root,
          logDir: scratch,
          env: {
            ...process.env,
            ...shared,
            HANDSHAKE_DATABASE_URL: database.url,
            HANDSHAKE_SANDBOX_SERVERS: servers,
            HANDSHAKE_DATA_DIR: path.join(scratch, `app-${i}`),
            // The first replica makes the instructor; the others find them in the database.
            ...(i === 0
              ? {
                  HANDSHAKE_ADMIN_EMAIL: 'head@school.example',
                  HANDSHAKE_ADMIN_PASSWORD: 'x'.repeat(16),
                }
              : {}),
          },
        },
      );
      started.push(app);
      await waitForHttp(`${apps[i]}/en/teach`, app);
    }
    db = await openDatabase({ url: database.url });
    const instructor = await db.db.selectFrom('user').select('id').executeTakeFirstOrThrow();
    const made = await createClass(db.db, { name: 'School', createdBy: instructor.id });
    return { apps, sandboxes, db, classId: made.id, joinCode: made.joinCode, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** A learner who joined the school's class through one of the apps. */
export interface Learner {
  app: string;
  cookie: string;
  /** The sandbox server of the learner's last connection. */
  server: string | null;
}

/** Joins the class as `nickname` through `app`, as the join form does. */
export async function joinClass(school: School, app: string, nickname: string): Promise<Learner> {
  const response = await fetch(`${app}/api/join`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: app, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code: school.joinCode, nickname, lang: 'en' }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (response.status !== 303 || !cookie)
    throw new Error(`joining as ${nickname} answered ${response.status} without a session`);
  return { app, cookie, server: null };
}

/** How one run ended for the learner. */
export interface RunResult {
  server: string;
  /** passed/failed: run-finished came; lost: the connection dropped before it. */
  outcome: 'passed' | 'failed' | 'lost';
  /** From sending the run to run-finished (or the drop), in ms. */
  ms: number;
  closeCode: number | null;
}

/** Runs `files` of `lesson` once, on the server the app places this learner's connection on. */
export async function runOnce(
  learner: Learner,
  lesson: string,
  files: SourceFile[],
  onStarted?: (server: string) => void,
): Promise<RunResult> {
  const ticket = await askApp(learner);
  const sentAt = performance.now();
  const client = await ProtocolClient.connect(ticket.sandbox, {
    origin: learner.app,
    timeoutMs: 120_000,
  }).catch(() => null);
  if (!client) {
    // Placed on a server that is gone before the apps noticed: the page reconnects.
    learner.server = ticket.sandbox;
    return {
      server: ticket.sandbox,
      outcome: 'lost',
      ms: performance.now() - sentAt,
      closeCode: null,
    };
  }
  learner.server = ticket.sandbox;
  try {
    if (ticket.token) client.send({ type: 'auth', token: ticket.token });
    const runId = newRunId();
    client.send({ type: 'run', runId, lesson, lang: 'en', files });
    void client
      .next('run-started', (m) => m.runId === runId)
      .then(
        () => onStarted?.(ticket.sandbox),
        () => {},
      );
    const ended = await Promise.race([
      client.finished(runId).then(() => 'finished' as const),
      client.closed.then(() => 'closed' as const),
    ]);
    const ms = performance.now() - sentAt;
    if (ended === 'closed')
      return { server: ticket.sandbox, outcome: 'lost', ms, closeCode: (await client.closed).code };
    return {
      server: ticket.sandbox,
      outcome: verdict(client.received, runId),
      ms,
      closeCode: null,
    };
  } finally {
    client.close();
  }
}

/**
 * Runs until the run finishes, asking the app again after each dropped or refused connection
 * (as the page does), for at most `deadlineMs`.
 */
export async function runUntilFinished(
  learner: Learner,
  lesson: string,
  files: SourceFile[],
  deadlineMs = 60_000,
): Promise<RunResult & { attempts: number }> {
  const deadline = performance.now() + deadlineMs;
  for (let attempts = 1; ; attempts++) {
    const result = await runOnce(learner, lesson, files).catch(() => null);
    if (result && result.outcome !== 'lost') return { ...result, attempts };
    if (performance.now() > deadline) throw new Error(`no finished run in ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function askApp(learner: Learner): Promise<{ token: string | null; sandbox: string }> {
  const response = await fetch(`${learner.app}/api/run-token`, {
    method: 'POST',
    headers: { cookie: learner.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ previous: learner.server }),
  });
  const body = (await response.json()) as { token: string | null; sandbox: string | null };
  if (!body.sandbox) throw new Error(`the app placed no sandbox (status ${response.status})`);
  return { token: body.token, sandbox: body.sandbox };
}

function verdict(received: ServerMessage[], runId: string): 'passed' | 'failed' {
  const checks = received.find((m) => m.type === 'checks' && m.runId === runId);
  const finished = received.find((m) => m.type === 'run-finished' && m.runId === runId);
  const allPass =
    checks?.type === 'checks' &&
    checks.results.length > 0 &&
    checks.results.every((r) => r.status === 'pass');
  return finished?.type === 'run-finished' && finished.reason === 'completed' && allPass
    ? 'passed'
    : 'failed';
}

/** The lesson's reference solution. */
export function solutionOf(lesson: string): SourceFile[] {
  return readLessonFiles(path.join(root, 'content'), lesson, 'solution');
}

/** Runs recorded for the class so far. */
export async function recordedRuns(school: School): Promise<number> {
  const row = await school.db.db
    .selectFrom('runs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('class_id', '=', school.classId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
