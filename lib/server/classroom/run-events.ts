/**
 * Fan-out of "a run was recorded" to the dashboards watching its class. One small interface, two
 * implementations: an in-process bus when one app replica serves everything (SQLite), and
 * PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL, so every replica hears every run
 * whichever replica recorded it. Events name the cell only; listeners read its state from the
 * database, so a notification stays far below NOTIFY's 8000-byte limit and is never stale.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Schema } from '../db/index.ts';

/** A recorded run's cell, or (after the bus lost its connection) "anything may have changed". */
export type RunEvent =
  | { kind: 'run'; classId: string; learnerId: string; lessonId: string; runId: string }
  | { kind: 'resync' };

export type RunListener = (event: RunEvent) => void;

/** Publishes recorded runs and delivers them to the subscribers of their class. */
export interface RunEventBus {
  publish(event: Extract<RunEvent, { kind: 'run' }>): Promise<void>;
  /** Resolves once the subscription is live; the function it gives ends it. */
  subscribe(classId: string, listener: RunListener): Promise<() => void>;
  close(): Promise<void>;
}

/** Subscribers by class id, shared by both implementations. */
class Subscribers {
  private readonly byClass = new Map<string, Set<RunListener>>();

  add(classId: string, listener: RunListener): () => void {
    const set = this.byClass.get(classId) ?? new Set();
    set.add(listener);
    this.byClass.set(classId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byClass.delete(classId);
    };
  }

  deliver(event: RunEvent): void {
    const targets =
      event.kind === 'run'
        ? [...(this.byClass.get(event.classId) ?? [])]
        : [...this.byClass.values()].flatMap((set) => [...set]);
    for (const listener of targets) {
      try {
        listener(event);
      } catch (error) {
        console.error(`handshake: a run-event listener failed: ${String(error)}`);
      }
    }
  }

  get size(): number {
    return this.byClass.size;
  }
}

/** The bus for one app process: publishing delivers to this process's subscribers. */
export function memoryRunEventBus(): RunEventBus {
  const subscribers = new Subscribers();
  return {
    publish: async (event) => subscribers.deliver(event),
    subscribe: async (classId, listener) => subscribers.add(classId, listener),
    close: async () => {},
  };
}

/** The PostgreSQL channel runs are announced on. */
export const RUN_CHANNEL = 'handshake_runs';
const RECONNECT_MS = 1000;

/**
 * The bus for several replicas on PostgreSQL: `publish` is a NOTIFY through the shared pool
 * (delivered on commit, to every replica including this one); one dedicated connection per
 * process LISTENs, opened with the first subscriber and reopened after a loss, when every
 * subscriber gets a 'resync' (notifications sent meanwhile are gone).
 */
export function postgresRunEventBus(url: string, db: Kysely<Schema>): RunEventBus {
  const subscribers = new Subscribers();
  let listening: Promise<pg.Client> | undefined;
  let closed = false;

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (message) => {
      const event = parseEvent(message.payload);
      if (event) subscribers.deliver(event);
    });
    client.on('error', () => lose(client));
    client.on('end', () => lose(client));
    await client.connect();
    await client.query(`LISTEN ${RUN_CHANNEL}`);
    return client;
  };
  const lose = (client: pg.Client) => {
    void client.end().catch(() => {});
    listening = undefined;
    if (closed || subscribers.size === 0) return;
    setTimeout(() => {
      if (closed || listening) return;
      listening = connect();
      listening.then(
        () => subscribers.deliver({ kind: 'resync' }),
        () => lose(client),
      );
    }, RECONNECT_MS).unref();
  };

  return {
    publish: async (event) => {
      await sql`select pg_notify(${RUN_CHANNEL}, ${JSON.stringify(event)})`.execute(db);
    },
    subscribe: async (classId, listener) => {
      const remove = subscribers.add(classId, listener);
      try {
        listening ??= connect();
        await listening;
      } catch (error) {
        listening = undefined;
        remove();
        throw error;
      }
      return remove;
    },
    close: async () => {
      closed = true;
      const client = await listening?.catch(() => undefined);
      listening = undefined;
      await client?.end().catch(() => {});
    },
  };
}

function parseEvent(payload: string | undefined): RunEvent | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Record<string, unknown>;
    const fields = ['classId', 'learnerId', 'lessonId', 'runId'] as const;
    if (value.kind !== 'run' || !fields.every((f) => typeof value[f] === 'string'))
      return undefined;
    return value as Extract<RunEvent, { kind: 'run' }>;
  } catch {
    return undefined;
  }
}
