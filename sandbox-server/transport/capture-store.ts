/**
 * Finished runs' captures, kept in the front's memory for download, each behind a random token
 * that only the connection that ran the run is told. Bounded three ways: one capture per
 * connection (its next run replaces it), an age, and a byte budget for all of them (the oldest
 * go first). Nothing goes to disk and nothing outlives the process, so the server stays as
 * stateless as before: a capture that is gone is a 404, never an error.
 */
import { randomBytes } from 'node:crypto';

/** A capture as it is served. */
export interface StoredCapture {
  runId: string;
  /** Name the browser saves it under (see captureDownloadName in lib/protocol.ts). */
  fileName: string;
  bytes: Uint8Array;
}

/** What `put` hands back for the browser. */
export interface CaptureTicket {
  token: string;
  expiresInSeconds: number;
}

export interface CaptureStoreOptions {
  /** Bytes of all kept captures together. */
  maxBytes: number;
  /** How long one is kept, in milliseconds. */
  ttlMs: number;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
  /** Seals each random token with this server's address (capture-owner.ts). */
  seal?: (random: string) => string;
}

interface Entry extends StoredCapture {
  owner: object;
  token: string;
  expiresAt: number;
}

/** Bytes of randomness in a token: 128 bits, 22 base64url characters. */
const TOKEN_BYTES = 16;

export class CaptureStore {
  private readonly options: CaptureStoreOptions;
  private readonly now: () => number;
  /** Insertion order is age order: entries are never re-inserted. */
  private readonly byToken = new Map<string, Entry>();
  private readonly byOwner = new Map<object, Entry>();
  private total = 0;

  constructor(options: CaptureStoreOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.total;
  }

  /** Captures held now. */
  get size(): number {
    return this.byToken.size;
  }

  /**
   * Keeps `capture` as `owner`'s one capture (replacing its previous one), making room by
   * dropping the oldest; null when it is larger than the whole budget.
   */
  put(owner: object, capture: StoredCapture): CaptureTicket | null {
    this.release(owner);
    this.sweep();
    const size = capture.bytes.length;
    if (size > this.options.maxBytes) return null;
    for (const oldest of this.byToken.values()) {
      if (this.total + size <= this.options.maxBytes) break;
      this.remove(oldest);
    }
    const random = randomBytes(TOKEN_BYTES).toString('base64url');
    const token = this.options.seal ? this.options.seal(random) : random;
    const entry: Entry = { ...capture, owner, token, expiresAt: this.now() + this.options.ttlMs };
    this.byToken.set(token, entry);
    this.byOwner.set(owner, entry);
    this.total += size;
    return { token, expiresInSeconds: Math.max(1, Math.floor(this.options.ttlMs / 1000)) };
  }

  /** The capture of `runId` behind `token`; null when unknown, expired, replaced or mismatched. */
  get(runId: string, token: string): StoredCapture | null {
    const entry = this.byToken.get(token);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.remove(entry);
      return null;
    }
    return entry.runId === runId ? entry : null;
  }

  /** Forgets `owner`'s capture (its connection starts another run). */
  release(owner: object): void {
    const entry = this.byOwner.get(owner);
    if (entry) this.remove(entry);
  }

  /** Drops every capture past its age; the server calls this now and then to free memory. */
  sweep(): void {
    const now = this.now();
    for (const entry of this.byToken.values()) if (entry.expiresAt <= now) this.remove(entry);
  }

  private remove(entry: Entry): void {
    if (this.byToken.get(entry.token) !== entry) return;
    this.byToken.delete(entry.token);
    if (this.byOwner.get(entry.owner) === entry) this.byOwner.delete(entry.owner);
    this.total -= entry.bytes.length;
  }
}
