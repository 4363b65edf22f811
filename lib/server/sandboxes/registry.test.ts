import { describe, expect, it } from 'vitest';
import { SandboxRegistry, type ServerLoad } from './registry.ts';
import type { SandboxServer } from './servers.ts';

const A: SandboxServer = { url: 'ws://a/ws', healthUrl: 'http://a/health' };
const B: SandboxServer = { url: 'ws://b/ws', healthUrl: 'http://b/health' };

/** A fetch answering each health URL from `loads` (an Error: the server does not answer). */
function servers(loads: Record<string, Partial<ServerLoad> | Error | number>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const answer = loads[String(input)];
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'number') return new Response('no', { status: answer });
    return Response.json({ slots: 8, busy: 0, waiting: 0, connections: 0, ...answer });
  }) as typeof fetch;
}

describe('SandboxRegistry', () => {
  it('places a page on the server with the most free slots', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 6 }, [B.healthUrl]: { busy: 1 } }),
    });
    expect(await registry.place()).toBe(B.url);
  });

  it('counts the queue against a server', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 2 }, [B.healthUrl]: { busy: 0, waiting: 4 } }),
    });
    expect(await registry.place()).toBe(A.url);
  });

  it('spreads a burst of pages between polls instead of piling onto one server', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 0 }, [B.healthUrl]: { busy: 2 } }),
    });
    const placed = [];
    for (let i = 0; i < 40; i++) placed.push(await registry.place());
    const onA = placed.filter((url) => url === A.url).length;
    expect(onA).toBe(21); // two more than B: B started with two busy slots
    expect(placed.length - onA).toBe(19);
  });

  it('keeps a page on its previous server while it is nearly as free', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 2 }, [B.healthUrl]: { busy: 0 } }),
    });
    expect(await registry.place(A.url)).toBe(A.url);
    const busier = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 6 }, [B.healthUrl]: { busy: 0 } }),
    });
    expect(await busier.place(A.url)).toBe(B.url);
  });

  it('moves a run waiting in a full server’s queue only to a server with a slot free now', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 8, waiting: 1 }, [B.healthUrl]: { busy: 7 } }),
    });
    expect(await registry.place(A.url, true)).toBe(B.url);
    // B's one free slot is now counted as taken: the next waiting run stays in A's queue.
    expect(await registry.place(A.url, true)).toBe(A.url);
    expect(registry.status().map((server) => server.placed)).toEqual([0, 1]);
  });

  it('keeps a waiting run where it is when every other server is as full', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { busy: 8, waiting: 3 }, [B.healthUrl]: { busy: 8 } }),
    });
    expect(await registry.place(A.url, true)).toBe(A.url);
    const alone = new SandboxRegistry([A], { fetch: servers({ [A.healthUrl]: { busy: 8 } }) });
    expect(await alone.place(A.url, true)).toBe(A.url);
  });

  it('places a waiting run whose server went away like a new page', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { draining: true }, [B.healthUrl]: { busy: 8 } }),
    });
    expect(await registry.place(A.url, true)).toBe(B.url);
  });

  it('places no page on a draining server', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: { draining: true }, [B.healthUrl]: { busy: 7 } }),
    });
    expect(await registry.place(A.url)).toBe(B.url);
  });

  it('takes a server out after two failed polls and back when it answers', async () => {
    const loads: Record<string, Partial<ServerLoad> | Error | number> = {
      [A.healthUrl]: { busy: 0 },
      [B.healthUrl]: { busy: 5 },
    };
    const registry = new SandboxRegistry([A, B], { fetch: servers(loads) });
    expect(await registry.place()).toBe(A.url);
    loads[A.healthUrl] = new Error('ECONNREFUSED');
    await registry.poll();
    expect(registry.status()[0]).toMatchObject({ healthy: true, failures: 1 });
    loads[A.healthUrl] = 502;
    await registry.poll();
    expect(registry.status()[0]).toMatchObject({ healthy: false, failures: 2, load: null });
    expect(await registry.place(A.url)).toBe(B.url);
    loads[A.healthUrl] = { busy: 0 };
    await registry.poll();
    expect(await registry.place()).toBe(A.url);
  });

  it('says null when no server is healthy, and ignores answers that are not a load', async () => {
    const registry = new SandboxRegistry([A, B], {
      fetch: servers({ [A.healthUrl]: new Error('down'), [B.healthUrl]: { slots: -1 } }),
    });
    await registry.poll();
    expect(await registry.place()).toBeNull();
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const hanging = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as typeof fetch;
    const registry = new SandboxRegistry([A], { fetch: hanging, timeoutMs: 20 });
    await registry.poll();
    await registry.poll();
    expect(registry.status()[0]).toMatchObject({ healthy: false, failures: 2 });
  });
});
