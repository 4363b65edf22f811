/**
 * Notices a jailer that stopped answering: its event loop blocked (a bug, a hung system call) or
 * the process stopped. Every run would then hang with no message, so main pings it over IPC and
 * kills one that stayed silent for `hangMs`; main's usual restart path takes over from there
 * (the runs end with a message, the new jailer sweeps what the old one held).
 */
import type { ChildProcess } from 'node:child_process';

/** The part of a child process the heartbeat uses (a fake in tests). */
export type Pingable = Pick<ChildProcess, 'send' | 'connected' | 'on' | 'off' | 'once'>;

/** Pings per hang interval: a healthy child is never late by more than a quarter of it. */
const PINGS_PER_INTERVAL = 4;

/** Starts pinging `child`; calls `onHang(silentMs)` once if it stops answering. Returns a stop. */
export function watchHeartbeat(
  child: Pingable,
  hangMs: number,
  onHang: (silentMs: number) => void,
): () => void {
  let lastAnswer = Date.now();
  const onMessage = (message: { type?: unknown } | null): void => {
    if (message?.type === 'pong') lastAnswer = Date.now();
  };
  const timer = setInterval(() => {
    const silentMs = Date.now() - lastAnswer;
    if (silentMs >= hangMs) {
      stop();
      onHang(silentMs);
    } else if (child.connected) {
      child.send({ type: 'ping' });
    }
  }, hangMs / PINGS_PER_INTERVAL);
  timer.unref();
  const stop = (): void => {
    clearInterval(timer);
    child.off('message', onMessage);
  };
  child.on('message', onMessage);
  child.once('exit', stop);
  return stop;
}
