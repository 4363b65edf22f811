/**
 * chat-bots: N bots join the learner's line-based chat server on 127.0.0.1:PORT, one after
 * another, each sending `NICK <name>`. The first may be a slow consumer that never reads again;
 * the last then floods the chat with filler lines until the slow bot's receive window is full
 * and the server cannot write to it any more. Then every other bot says its lines, and each bot
 * checks that every line of every other bot reaches it (a line holding the sender's nickname and
 * the text, in any format), promptly, and that its own do not come back. Last the bots leave
 * (the slow one and one other by a reset, the rest by a clean close) and those still there
 * must see a line naming each. A server that writes to its clients one after another, blocking,
 * is stuck on the slow bot: nothing reaches the others. Exit 0 when everything arrived.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ChatBotsOptions, PeerConfig, PeerGo } from './config.ts';
import { ChatBot } from './chat-bot.ts';
import { ChatLog } from './chat-log.ts';
import { chatPlan, floodLine, FLOOD_LINE_BYTES, type ChatPlan } from './chat-plan.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf } from './payload.ts';
import type { PeerIo } from './peer-io.ts';
import { connectWithRetry } from './tcp-client.ts';

/** How long the bots retry the first connection while the server is not listening yet. */
const FIRST_CONNECT_MS = 3000;
/** How long the bots wait for join notices (a server need not send them). */
const JOIN_SETTLE_MS = 500;
/** How long a bot that closed cleanly waits for the server to close its side. */
const CLOSE_WAIT_MS = 1000;

/** One line a bot sends, and who got it when. */
export interface Message {
  from: number;
  text: string;
  sentAt: number;
  /** The bots it must reach: every listener but its sender (and it, with echoes) when sent. */
  to: number[];
  /** Receiving bot → milliseconds from the send to its arrival. */
  delivered: Map<number, number>;
  /** Bots that got it only after the deadline. */
  late: Set<number>;
  /** Bots that got the text without the sender's nickname on its line. */
  unattributed: Set<number>;
  echoed: boolean;
}

/** A bot leaving, and who has seen a line naming it since. */
interface Leaving {
  bot: ChatBot;
  noticedBy: Set<number>;
}

/** The state of one chat, which the bots' lines update. */
export class Chat {
  readonly options: ChatBotsOptions;
  readonly plan: ChatPlan;
  readonly log: ChatLog;
  readonly port: number;
  readonly bots: ChatBot[] = [];
  readonly messages: Message[] = [];
  /** Bot → bots that saw a line naming it after it joined (a join notice). */
  readonly joinSeen = new Map<number, Set<number>>();
  /** Deliveries to the others while the slow bot sat unread, and the bots gone. */
  deliveredWhileSlow = 0;
  readonly gone = new Set<number>();
  leaving: Leaving | null = null;
  /**
   * Bots that saw a line naming the slow bot after the joins: it never speaks, so such a line
   * is the notice that a server dropped it for being too slow (its leave, said early).
   */
  readonly slowNamedBy = new Set<number>();
  joinsOver = false;
  /** Set once the talk's deadline passed: lines arriving later are late, not delivered. */
  talkOver = false;
  private wake: (() => void) | null = null;

  constructor(options: ChatBotsOptions, plan: ChatPlan, log: ChatLog, port: number) {
    this.options = options;
    this.plan = plan;
    this.log = log;
    this.port = port;
  }

  /** The bots still in the chat that read: the ones that must get every line. */
  listeners(): ChatBot[] {
    return this.bots.filter((bot) => !bot.slow && !this.gone.has(bot.index));
  }

  /** The bots `message` must reach, as they were when it was sent. */
  recipients(message: Message): ChatBot[] {
    return message.to.map((index) => this.bots[index]!);
  }

  /** Whether the slow bot is connected and unread now. */
  slowStuck(): boolean {
    const slow = this.bots[0];
    return slow !== undefined && slow.slow && !this.gone.has(0) && slow.state === 'open';
  }

  /** Takes one line a bot read. */
  onLine(bot: ChatBot, line: string): void {
    if (this.gone.has(bot.index)) return;
    if (line.includes(this.plan.floodMarker)) bot.floodLines += 1;
    else {
      for (const message of this.messages) this.match(bot, line, message);
      for (const other of this.bots)
        if (other !== bot && line.includes(other.nick))
          this.joinSeen.get(other.index)?.add(bot.index);
      const slow = this.bots[0];
      if (this.joinsOver && slow?.slow && line.includes(slow.nick)) this.slowNamedBy.add(bot.index);
      const leaving = this.leaving;
      if (leaving && leaving.bot !== bot && line.includes(leaving.bot.nick))
        leaving.noticedBy.add(bot.index);
    }
    this.notify();
  }

  /** Whether `line`, read by `bot`, is `message`, and what that tells. */
  private match(bot: ChatBot, line: string, message: Message): void {
    if (!line.includes(message.text) || message.delivered.has(bot.index)) return;
    if (message.late.has(bot.index)) return;
    const sender = this.bots[message.from]!;
    if (sender === bot && !this.options.echoToSender) {
      if (message.echoed) return;
      message.echoed = true;
      this.log.echoed(bot, message.text, line);
    } else if (this.talkOver && (line.includes(sender.nick) || sender === bot)) {
      message.late.add(bot.index);
      this.log.late(bot, sender, message.text, this.log.now() - message.sentAt);
    } else if (line.includes(sender.nick) || sender === bot) {
      const latency = this.log.now() - message.sentAt;
      message.delivered.set(bot.index, latency);
      if (this.slowStuck() && sender !== bot) this.deliveredWhileSlow += 1;
      this.log.received(bot, sender, message.text, line, latency);
    } else if (!message.unattributed.has(bot.index)) {
      message.unattributed.add(bot.index);
      this.log.unattributed(bot, sender, message.text, line);
    }
  }

  /** Takes the end of a bot's connection: the server's doing while the bot is still in. */
  onEnd(bot: ChatBot): void {
    if (!this.gone.has(bot.index)) this.log.dropped(bot);
    this.notify();
  }

  /** Wakes whoever waits for the chat to change. */
  notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Waits until `done()` or `timeoutMs` passed; true when done. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return done();
  }
}

/** Runs the bots and sets the exit status. */
export async function runChatBots(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const options = config.options as unknown as ChatBotsOptions;
  const plan = chatPlan(options, await expanderOf(go));
  const chat = new Chat(options, plan, new ChatLog(io, options), config.port);
  if (await joinAll(chat)) {
    await flood(chat);
    await talk(chat);
    await leaveAll(chat);
  }
  for (const bot of chat.bots) bot.socket.destroy();
  process.exitCode = chat.log.finish(chat).ok ? 0 : 1;
}

/** Connects every bot and sends its NICK; false (said and reported) if one cannot connect. */
async function joinAll(chat: Chat): Promise<boolean> {
  const { options, plan, log } = chat;
  for (let index = 0; index < options.bots; index++) {
    const socket =
      index === 0
        ? await connectWithRetry(chat.port, FIRST_CONNECT_MS, log.io)
        : await connectWithin(chat.port, options.deliverTimeoutMs);
    if (!(socket instanceof net.Socket)) {
      log.connectFailed(index, plan.nicks[index]!, chat.port, socket?.error ?? null);
      return false;
    }
    const bot = new ChatBot(index, plan.nicks[index]!, index === 0 && options.slow, socket);
    chat.bots.push(bot);
    chat.joinSeen.set(index, new Set());
    bot.listen(
      (reader, line) => chat.onLine(reader, line),
      (ended) => chat.onEnd(ended),
    );
    socket.write(`NICK ${bot.nick}\n`);
    log.joined(bot);
  }
  // A join notice is not required, but waiting for it (briefly) lets a server that registers
  // a nickname only after some work do so before the lines that must reach that bot.
  await chat.until(() => joinsAnnounced(chat) === joinsExpected(chat), JOIN_SETTLE_MS);
  chat.joinsOver = true;
  return true;
}

/** Join notices seen: per bot, the listeners that joined before it and saw its nickname. */
export function joinsAnnounced(chat: Chat): number {
  return chat.bots.reduce((sum, bot) => sum + (chat.joinSeen.get(bot.index)?.size ?? 0), 0);
}

/** Join notices there would be if every earlier listener saw every later bot's nickname. */
export function joinsExpected(chat: Chat): number {
  return chat.bots.reduce(
    (sum, bot) => sum + chat.bots.filter((b) => b.index < bot.index && !b.slow).length,
    0,
  );
}

/** The flood: filler lines from the last bot until the slow bot's window must be full. */
async function flood(chat: Chat): Promise<void> {
  const { plan, log, options } = chat;
  if (plan.flooder === null) return;
  const flooder = chat.bots[plan.flooder]!;
  log.floodSent(flooder, chat.bots[0]!, plan.floodLines, plan.floodLines * FLOOD_LINE_BYTES);
  const began = log.now();
  for (let n = 1; n <= plan.floodLines; n++) flooder.socket.write(floodLine(plan, n));
  const readers = chat.listeners().filter((bot) => bot !== flooder);
  await chat.until(
    () => readers.every((bot) => bot.floodLines >= plan.floodLines),
    options.deliverTimeoutMs + FLOOD_MS_PER_MIB * (options.floodBytes / 2 ** 20),
  );
  for (const bot of readers) log.floodReceived(bot, plan.floodLines, log.now() - began);
}

/** Extra time the flood may take per MiB (a Python server forwards a few hundred MiB/s). */
const FLOOD_MS_PER_MIB = 100;

/** Every listener says its lines at once; then waits until each reached every other. */
async function talk(chat: Chat): Promise<void> {
  const { plan, log, options } = chat;
  for (let i = 0; i < options.lines.length; i++) {
    const speakers = chat.listeners();
    const texts = speakers.map((bot) => plan.lines[bot.index]![i]!);
    const parts = texts.map((text) => splitLine(`${text}\n`, options.splitMs > 0));
    speakers.forEach((bot, k) => bot.socket.write(parts[k]![0]));
    // The rest of each line comes later, in a segment of its own: a server must read on to
    // the newline, and decode the whole line, not each piece.
    if (options.splitMs > 0) await delay(options.splitMs);
    speakers.forEach((bot, k) => {
      if (parts[k]![1].length > 0) bot.socket.write(parts[k]![1]);
      chat.messages.push(newMessage(chat, bot, texts[k]!));
      log.sent(bot, texts[k]!);
    });
  }
  await chat.until(() => allDelivered(chat), options.deliverTimeoutMs);
  chat.talkOver = true;
  log.deliveries(chat);
}

/** A message `bot` has just finished sending. */
function newMessage(chat: Chat, bot: ChatBot, text: string): Message {
  const to = chat.listeners().filter((other) => other !== bot || chat.options.echoToSender);
  return {
    from: bot.index,
    text,
    sentAt: chat.log.now(),
    to: to.map((other) => other.index),
    delivered: new Map(),
    late: new Set(),
    unattributed: new Set(),
    echoed: false,
  };
}

/**
 * `line` as the bytes of two writes: split inside its first multibyte character (or in the
 * middle when it has none); all of it in the first when `split` is false.
 */
export function splitLine(line: string, split: boolean): [Buffer, Buffer] {
  const bytes = Buffer.from(line, 'utf8');
  if (!split) return [bytes, Buffer.alloc(0)];
  const multibyte = bytes.findIndex((byte) => byte >= 0x80);
  const at = multibyte >= 0 ? multibyte + 1 : Math.floor(bytes.length / 2);
  return [bytes.subarray(0, at), bytes.subarray(at)];
}

/** Whether every message reached every recipient. */
function allDelivered(chat: Chat): boolean {
  return chat.messages.every((m) => chat.recipients(m).every((b) => m.delivered.has(b.index)));
}

/**
 * The bots leave, the slow one first, then the listeners: the first of them by a reset, the
 * others by a clean close. After each, the bots still there must see a line naming it.
 */
async function leaveAll(chat: Chat): Promise<void> {
  const order = [...chat.bots];
  const resetter = chat.bots.find((bot) => !bot.slow)!;
  for (const bot of order) {
    const stayed = chat.listeners().filter((other) => other !== bot);
    // A server may have dropped the slow bot, and said so, before it left by itself.
    chat.leaving = { bot, noticedBy: new Set(bot.slow ? chat.slowNamedBy : []) };
    chat.gone.add(bot.index);
    const how = bot.slow || bot === resetter ? 'reset' : 'close';
    if (how === 'reset') bot.socket.resetAndDestroy();
    else bot.socket.end();
    const began = chat.log.now();
    const leaving = chat.leaving;
    await chat.until(
      () => stayed.every((other) => leaving.noticedBy.has(other.index)),
      chat.options.leaveTimeoutMs,
    );
    const serverClosed =
      how === 'close' &&
      (await chat.until(() => bot.state !== 'open', stayed.length ? 0 : CLOSE_WAIT_MS));
    chat.log.left(bot, how, stayed, leaving.noticedBy, chat.log.now() - began, serverClosed);
    bot.socket.destroy();
  }
  chat.leaving = null;
}

/** A connected socket, or why not: `error` null when `timeoutMs` passed first. */
function connectWithin(
  port: number,
  timeoutMs: number,
): Promise<net.Socket | { error: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, PEER_HOST);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ error: null });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error: error.message });
    });
  });
}
