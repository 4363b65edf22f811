import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatBotsOptions } from '../../lib/lessons/peers.ts';
import { renderPeerLine, type PeerLine } from '../../lib/notices/peer-lines.ts';
import { runChatBots, splitLine } from './chat-bots.ts';
import { chatPlan, floodLine, FLOOD_LINE_BYTES } from './chat-plan.ts';
import type { PeerConfig } from './config.ts';
import { createExpander } from './payload.ts';
import type { PeerIo } from './peer-io.ts';

type Report = { event: string } & Record<string, unknown>;

const servers: net.Server[] = [];

afterEach(() => {
  // runChatBots sets the exit status of the process it runs in: here, vitest's worker.
  process.exitCode = undefined;
  for (const server of servers.splice(0)) server.close();
});

/** How a test server treats the chat. */
interface ServerStyle {
  /** Writes one client after another, waiting for each write to be taken (blocking). */
  blocking?: boolean;
  echo?: boolean;
  noNick?: boolean;
  noLeave?: boolean;
  /** Forwards what each read returned as a message, not each line. */
  perChunk?: boolean;
  /** Drops a client with more than 1 MiB waiting to be sent to it, and says so. */
  dropSlow?: boolean;
}

/** A line-based chat server on a free port: NICK, broadcast, join and leave notices. */
async function chatServer(style: ServerStyle = {}): Promise<number> {
  const nicks = new Map<net.Socket, string>();
  const sockets = new Set<net.Socket>();
  let chain = Promise.resolve();
  const write = async (to: net.Socket, text: string) => {
    if (!to.write(text) && style.blocking) await once(to, 'drain').catch(() => {});
  };
  const broadcast = (from: net.Socket | null, text: string) => {
    const targets = [...nicks.keys()].filter((s) => s !== from || style.echo);
    if (!style.blocking) {
      for (const target of targets) {
        target.write(text);
        if (!style.dropSlow || target.writableLength < 2 ** 20 || !nicks.has(target)) continue;
        // Forgotten before the notice goes out, so the notice is not written to it again.
        const nick = nicks.get(target);
        nicks.delete(target);
        target.destroy();
        broadcast(null, `* ${nick} was too slow\n`);
      }
      return;
    }
    // One write after another, each waiting until the socket took it: a blocking sendall loop.
    chain = chain.then(async () => {
      for (const target of targets) await write(target, text);
    });
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffered = Buffer.alloc(0);
    const leave = () => {
      const nick = nicks.get(socket);
      if (!nicks.delete(socket) || style.noLeave) return;
      broadcast(null, `* ${nick} left\n`);
    };
    socket.on('error', leave);
    socket.on('close', leave);
    socket.on('data', (data) => {
      const nick = nicks.get(socket);
      if (style.perChunk && nick !== undefined) return broadcast(socket, `<${nick}> ${data}\n`);
      buffered = Buffer.concat([buffered, data]);
      for (let end = buffered.indexOf(10); end !== -1; end = buffered.indexOf(10)) {
        const line = buffered.subarray(0, end).toString('utf8');
        buffered = buffered.subarray(end + 1);
        const nick = nicks.get(socket);
        if (nick === undefined && line.startsWith('NICK ')) {
          nicks.set(socket, line.slice(5));
          broadcast(socket, `* ${line.slice(5)} joined\n`);
        } else if (nick !== undefined)
          broadcast(socket, style.noNick ? `${line}\n` : `<${nick}> ${line}\n`);
      }
    });
  });
  server.on('close', () => sockets.forEach((socket) => socket.destroy()));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Runs the bots against `port`; their reports, terminal lines (English) and exit status. */
async function bots(port: number, options: Record<string, unknown> = {}, seed = 7) {
  const reports: Report[] = [];
  const lines: PeerLine[] = [];
  const io: PeerIo = {
    say: (line) => lines.push(line),
    report: (event, fields = {}) => reports.push({ event, ...fields }),
  };
  const config: PeerConfig = {
    peer: 'chat-bots',
    name: 'bots',
    port,
    options: ChatBotsOptions.parse(options),
  };
  await runChatBots(config, io, Promise.resolve({ seed, lang: 'en' }));
  const text = lines.map((line) => renderPeerLine(line, 'en'));
  return { reports, text, exitCode: process.exitCode, done: reports.at(-1)! };
}

const of = (reports: Report[], event: string) => reports.filter((r) => r.event === event);

describe('chat-bots', () => {
  it('find a queueing server delivers everything promptly while the slow bot is stuck', async () => {
    const run = await bots(await chatServer());
    expect(run.done).toMatchObject({
      event: 'done',
      ok: true,
      bots: 4,
      slow: true,
      allDelivered: true,
      expected: 6,
      delivered: 6,
      missing: 0,
      echoed: 0,
      deliveredWhileSlow: 6,
      floodComplete: true,
      leavesExpected: 6,
      leavesNoticed: 6,
    });
    expect(run.done.maxLatencyMs).toBeLessThan(500);
    expect(run.exitCode).toBe(0);
    expect(of(run.reports, 'joined').map((r) => r.slow)).toEqual([true, false, false, false]);
    expect(of(run.reports, 'sent')).toHaveLength(3);
    expect(of(run.reports, 'received')[0]!.line).toMatch(/^<[a-z]+\d+> [a-z]+ /);
    expect(of(run.reports, 'latency')).toHaveLength(3);
    expect(of(run.reports, 'left').map((r) => r.how)).toEqual(['reset', 'reset', 'close', 'close']);
    expect(of(run.reports, 'left').at(-1)).toMatchObject({ serverClosed: true, noticedBy: [] });
    expect(run.text).toContainEqual(expect.stringMatching(/from now on reads nothing/));
    expect(run.text.length).toBeLessThanOrEqual(14);
    expect(run.text.at(-1)).toMatch(
      /^6 of 6 lines delivered, the slowest after \d+ ms, 6 while the slow bot was not reading; 6 of 6 leave notices seen$/,
    );
  });

  it('find a blocking broadcast stuck on the slow bot: the flood and the lines stop', async () => {
    const run = await bots(await chatServer({ blocking: true }), {
      deliverTimeoutMs: 500,
      leaveTimeoutMs: 300,
    });
    expect(run.done).toMatchObject({
      ok: false,
      allDelivered: false,
      deliveredWhileSlow: 0,
      floodComplete: false,
    });
    expect(run.exitCode).toBe(1);
    expect(of(run.reports, 'missing').length).toBeGreaterThan(0);
    expect(run.text).toContainEqual(expect.stringMatching(/seems stuck writing to the slow bot/));
    expect(run.text).toContainEqual(expect.stringMatching(/never got .+'s line ".+"/));
  });

  it('count a slow bot the server dropped, and said so, as announced when it leaves', async () => {
    const run = await bots(await chatServer({ dropSlow: true }));
    expect(run.done).toMatchObject({ ok: true, allDelivered: true, leavesNoticed: 6 });
    expect(of(run.reports, 'dropped')).toEqual([]);
  });

  it('report a reading bot the server dropped', async () => {
    // A server that closes every connection once the client has said something.
    const closing = net.createServer((socket) => socket.once('data', () => socket.end()));
    servers.push(closing);
    closing.listen(0, '127.0.0.1');
    await once(closing, 'listening');
    const run = await bots((closing.address() as net.AddressInfo).port, {
      deliverTimeoutMs: 200,
      leaveTimeoutMs: 100,
    });
    expect(of(run.reports, 'dropped').map((r) => r.bot)).toEqual([0, 1, 2, 3]);
    expect(run.done).toMatchObject({ ok: false, delivered: 0 });
    expect(run.text).toContainEqual(
      expect.stringMatching(/^the server closed \S+'s connection while \S+ was still in the chat$/),
    );
  });

  it('flag a line echoed to its sender, unless the lesson asks for echoes', async () => {
    const port = await chatServer({ echo: true });
    const run = await bots(port, { slow: false, bots: 3 });
    expect(run.done).toMatchObject({ ok: false, echoed: 3, allDelivered: true });
    expect(run.text).toContainEqual(expect.stringMatching(/got its own line back/));
    const allowed = await bots(port, { slow: false, bots: 3, echoToSender: true });
    expect(allowed.done).toMatchObject({ ok: true, echoed: 0, expected: 9, delivered: 9 });
  });

  it('want the sender named on each line, and a line naming whoever left', async () => {
    const anonymous = await bots(await chatServer({ noNick: true }), { deliverTimeoutMs: 300 });
    expect(anonymous.done).toMatchObject({ ok: false, delivered: 0, unattributed: 6 });
    expect(anonymous.text).toContainEqual(expect.stringMatching(/but without the name/));
    const silent = await bots(await chatServer({ noLeave: true }), { leaveTimeoutMs: 200 });
    expect(silent.done).toMatchObject({ ok: false, allDelivered: true, leavesNoticed: 0 });
    expect(silent.text).toContainEqual(
      expect.stringMatching(/saw no line naming it within 0\.2 s/),
    );
  });

  it('split each line inside a character: a server forwarding each read garbles them', async () => {
    const run = await bots(await chatServer({ perChunk: true }), { deliverTimeoutMs: 300 });
    expect(run.done).toMatchObject({ ok: false, delivered: 0, allDelivered: false });
    expect(of(run.reports, 'missing')).toHaveLength(6);
    const whole = await bots(await chatServer({ perChunk: true }), { splitMs: 0 });
    expect(whole.done).toMatchObject({ allDelivered: true });
  });

  it('say so when nothing listens', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    server.close();
    const run = await bots(port);
    expect(run.done).toMatchObject({ ok: false, bots: 0, allDelivered: false });
    expect(of(run.reports, 'connect-failed')).toHaveLength(1);
    expect(run.text).toContainEqual(expect.stringMatching(/could not connect to 127\.0\.0\.1/));
  }, 10_000);
});

describe('the chat plan', () => {
  it('draws unique nicknames, none inside another, and unique lines, the same for a seed', () => {
    const options = ChatBotsOptions.parse({ bots: 20, nick: '{word}', lines: ['{word}'] });
    const plan = chatPlan(options, createExpander(3));
    expect(new Set(plan.nicks).size).toBe(20);
    for (const nick of plan.nicks)
      expect(plan.nicks.filter((other) => other.includes(nick))).toEqual([nick]);
    const lines = plan.lines.flat();
    expect(lines).toHaveLength(19);
    expect(new Set(lines).size).toBe(19);
    expect(plan.lines[0]).toEqual([]);
    expect(chatPlan(options, createExpander(3))).toEqual(plan);
    expect(plan).toMatchObject({ flooder: 19, floodLines: 1536 });
  });

  it('splits a line inside its first multibyte character, or in the middle', () => {
    const [head, tail] = splitLine('tiger 山水\n', true);
    expect(head.toString('latin1')).toBe('tiger \u00e5');
    expect(Buffer.concat([head, tail]).toString()).toBe('tiger 山水\n');
    expect(splitLine('abcd\n', true).map((part) => part.toString())).toEqual(['ab', 'cd\n']);
    expect(splitLine('abcd\n', false)[1]).toHaveLength(0);
  });

  it('makes filler lines of exactly 4 KiB that carry the marker', () => {
    const plan = chatPlan(ChatBotsOptions.parse({}), createExpander(1));
    const line = floodLine(plan, 12);
    expect(Buffer.byteLength(line)).toBe(FLOOD_LINE_BYTES);
    expect(line.startsWith(`${plan.floodMarker} 12 `)).toBe(true);
    expect(line.endsWith('.\n')).toBe(true);
  });

  it('refuses too few bots to talk, and whitespace in a nickname', () => {
    expect(() => ChatBotsOptions.parse({ bots: 2 })).toThrow(/two bots besides the slow one/);
    expect(ChatBotsOptions.parse({ bots: 2, slow: false }).bots).toBe(2);
    expect(() => ChatBotsOptions.parse({ nick: 'a {word}' })).toThrow(/no whitespace/);
  });
});
