import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchHeartbeat, type Pingable } from './heartbeat.ts';

/** A child that answers pings while `alive`. */
function fakeChild(): Pingable & { alive: boolean; pings: number } {
  const child = Object.assign(new EventEmitter(), { alive: true, pings: 0, connected: true });
  return Object.assign(child, {
    send: (message: { type: string }) => {
      child.pings += 1;
      if (child.alive && message.type === 'ping')
        queueMicrotask(() => child.emit('message', { type: 'pong' }));
      return true;
    },
  }) as unknown as Pingable & { alive: boolean; pings: number };
}

describe('watchHeartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('leaves a child that answers alone', async () => {
    const child = fakeChild();
    const onHang = vi.fn();
    watchHeartbeat(child, 1000, onHang);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(onHang).not.toHaveBeenCalled();
    expect(child.pings).toBeGreaterThanOrEqual(30);
  });

  it('reports a child silent for the hang interval once, then stops pinging', async () => {
    const child = fakeChild();
    const onHang = vi.fn();
    watchHeartbeat(child, 1000, onHang);
    await vi.advanceTimersByTimeAsync(2000);
    child.alive = false;
    await vi.advanceTimersByTimeAsync(900);
    expect(onHang).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5000);
    expect(onHang).toHaveBeenCalledTimes(1);
    expect(onHang.mock.calls[0]![0]).toBeGreaterThanOrEqual(1000);
    const pings = child.pings;
    await vi.advanceTimersByTimeAsync(5000);
    expect(child.pings).toBe(pings);
  });

  it('stops watching a child that exited', async () => {
    const child = fakeChild();
    const onHang = vi.fn();
    watchHeartbeat(child, 1000, onHang);
    child.alive = false;
    (child as unknown as EventEmitter).emit('exit', 0, null);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onHang).not.toHaveBeenCalled();
  });
});
