import { describe, expect, it } from 'vitest';
import { NaturalEnd, type RunningNow } from './natural-end.ts';
import { MAX_SERVING_GRACE_MS, PEER_GRACE_MS, SERVING_GRACE_MS } from './timing.ts';

const serversOnly: RunningNow = { running: 2, serving: 2, onlyPeers: false };
const peersOnly: RunningNow = { running: 1, serving: 1, onlyPeers: true };
const clientBusy: RunningNow = { running: 3, serving: 2, onlyPeers: false };

describe('NaturalEnd', () => {
  it('completes once nothing runs', () => {
    expect(new NaturalEnd().decide(0, { running: 0, serving: 0, onlyPeers: true })).toBe(
      'completed',
    );
  });

  it('waits while a process that does not serve still runs', () => {
    expect(new NaturalEnd().decide(0, clientBusy)).toBe('working');
  });

  it('completes after the serving grace once only servers are left, and says when to look', () => {
    const end = new NaturalEnd();
    expect(end.decide(1000, serversOnly)).toEqual({ lookAgainInMs: SERVING_GRACE_MS });
    expect(end.decide(1000 + SERVING_GRACE_MS - 1, serversOnly)).toEqual({ lookAgainInMs: 1 });
    expect(end.decide(1000 + SERVING_GRACE_MS, serversOnly)).toBe('completed');
  });

  it('gives peers left alone only the short grace', () => {
    const end = new NaturalEnd();
    expect(end.decide(0, peersOnly)).toEqual({ lookAgainInMs: PEER_GRACE_MS });
    expect(end.decide(PEER_GRACE_MS, peersOnly)).toBe('completed');
  });

  it('starts the grace again when a client comes back to life in between', () => {
    const end = new NaturalEnd();
    end.decide(0, serversOnly);
    expect(end.decide(400, clientBusy)).toBe('working');
    expect(end.decide(600, serversOnly)).toEqual({ lookAgainInMs: SERVING_GRACE_MS });
  });

  it('extends the grace while a server talks, never past the hard limit', () => {
    const end = new NaturalEnd();
    end.decide(0, serversOnly);
    end.output(400);
    expect(end.decide(600, serversOnly)).toEqual({ lookAgainInMs: 300 });
    for (let t = 0; t <= 5000; t += 100) end.output(t);
    expect(end.decide(MAX_SERVING_GRACE_MS - 1, serversOnly)).toEqual({ lookAgainInMs: 1 });
    expect(end.decide(MAX_SERVING_GRACE_MS, serversOnly)).toBe('completed');
  });

  it('waits for a peer with delayed data on its way, within the hard limit', () => {
    const end = new NaturalEnd();
    end.peerBusy(0, 1200);
    expect(end.decide(100, peersOnly)).toEqual({ lookAgainInMs: 1100 });
    expect(end.decide(1200, peersOnly)).toBe('completed');
    const long = new NaturalEnd();
    long.peerBusy(0, 60_000);
    expect(long.decide(0, peersOnly)).toEqual({ lookAgainInMs: MAX_SERVING_GRACE_MS });
  });
});
