/**
 * What the chat bots tell: bounded reports for the checks (per bot: joined, sent, received,
 * missing, latency, left; then `done`, always) and a terminal that stays short with 20 bots:
 * one line per join, per bot's lines and per leave, the first few problems in full, a summary.
 */
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { ChatBot } from './chat-bot.ts';
import type { Chat } from './chat-bots.ts';
import type { ChatBotsOptions } from './config.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Reports written before only `done` follows (the run keeps 10 000 per peer). */
export const MAX_CHAT_REPORTS = 3000;
/** Problems of each kind (missing, echoed, unattributed) written out; the rest are counted. */
export const PROBLEMS_SHOWN = 3;

/** The bots' verdict, as their `done` report carries it. */
export interface ChatDone {
  ok: boolean;
  bots: number;
  slow: boolean;
  allDelivered: boolean;
  delivered: number;
  expected: number;
  missing: number;
  /** Deliveries that came only after the bots stopped waiting. */
  late: number;
  echoed: number;
  unattributed: number;
  maxLatencyMs: number;
  deliveredWhileSlow: number;
  floodComplete: boolean;
  leavesNoticed: number;
  leavesExpected: number;
}

/** Reports and terminal lines of one chat. */
export class ChatLog {
  readonly io: PeerIo;
  private readonly options: ChatBotsOptions;
  private readonly began = performance.now();
  private reports = 0;
  private readonly shown = new Map<string, number>();
  private floodComplete = true;
  private leavesNoticed = 0;
  private leavesExpected = 0;

  constructor(io: PeerIo, options: ChatBotsOptions) {
    this.io = io;
    this.options = options;
  }

  /** Milliseconds since the bots began. */
  now(): number {
    return Math.round(performance.now() - this.began);
  }

  /** Reports `event` with `t`, while the budget lasts. */
  report(event: string, fields: Record<string, unknown>): void {
    if (this.reports > MAX_CHAT_REPORTS) return;
    this.reports += 1;
    if (this.reports > MAX_CHAT_REPORTS) {
      this.io.report('reports-capped', { max: MAX_CHAT_REPORTS, t: this.now() });
      return;
    }
    this.io.report(event, { ...fields, t: this.now() });
  }

  /** Says `line` when fewer than PROBLEMS_SHOWN of its `kind` were said. */
  private problem(kind: string, line: PeerLine): void {
    const count = (this.shown.get(kind) ?? 0) + 1;
    this.shown.set(kind, count);
    if (count <= PROBLEMS_SHOWN) this.io.say(line);
  }

  /** A bot could not connect. */
  connectFailed(bot: number, nick: string, port: number, error: string | null): void {
    this.report('connect-failed', { bot, nick, error: error ?? 'timeout' });
    const address = `127.0.0.1:${port}`;
    this.io.say({ code: 'peer-chat-connect-failed', params: { nick, address } });
  }

  /** A bot connected and sent its NICK. */
  joined(bot: ChatBot): void {
    this.report('joined', { bot: bot.index, nick: bot.nick, slow: bot.slow });
    const code = bot.slow ? 'peer-chat-joined-slow' : 'peer-chat-joined';
    this.io.say({ code, params: { nick: bot.nick } });
  }

  /** The flood began. */
  floodSent(flooder: ChatBot, slow: ChatBot, lines: number, bytes: number): void {
    this.report('flood-sent', { bot: flooder.index, lines, bytes });
    const params = { nick: flooder.nick, slow: slow.nick, lines, mib: bytes / 2 ** 20 };
    this.io.say({ code: 'peer-chat-flood', params });
  }

  /** How much of the flood reached `bot`. */
  floodReceived(bot: ChatBot, lines: number, ms: number): void {
    const complete = bot.floodLines >= lines;
    this.report('flood-received', { bot: bot.index, lines: bot.floodLines, of: lines, ms });
    if (complete) return;
    this.floodComplete = false;
    const params = { nick: bot.nick, got: bot.floodLines, lines, seconds: ms / 1000 };
    this.problem('flood', { code: 'peer-chat-flood-stuck', params });
  }

  /** The server closed or reset `bot`'s connection while the bot was still in the chat. */
  dropped(bot: ChatBot): void {
    const reset = bot.state === 'reset';
    this.report('dropped', { bot: bot.index, nick: bot.nick, state: bot.state });
    this.problem('dropped', { code: 'peer-chat-dropped', params: { nick: bot.nick, reset } });
  }

  /** A bot sent a line. */
  sent(bot: ChatBot, text: string): void {
    this.report('sent', { bot: bot.index, nick: bot.nick, data: text });
  }

  /** A line reached `bot`. */
  received(bot: ChatBot, from: ChatBot, text: string, line: string, latencyMs: number): void {
    const fields = { bot: bot.index, from: from.nick, data: text, line, latencyMs };
    this.report('received', fields);
  }

  /** A line reached `bot` only after the bots stopped waiting for it. */
  late(bot: ChatBot, from: ChatBot, text: string, latencyMs: number): void {
    this.report('late', { bot: bot.index, from: from.nick, data: text, latencyMs });
  }

  /** `bot` got its own line back. */
  echoed(bot: ChatBot, text: string, line: string): void {
    this.report('echoed', { bot: bot.index, nick: bot.nick, data: text, line });
    this.problem('echoed', {
      code: 'peer-chat-echoed',
      params: { nick: bot.nick, line: quote(line) },
    });
  }

  /** `bot` got a line's text without its sender's nickname. */
  unattributed(bot: ChatBot, from: ChatBot, text: string, line: string): void {
    this.report('unattributed', { bot: bot.index, from: from.nick, data: text, line });
    const params = { nick: bot.nick, from: from.nick, line: quote(line) };
    this.problem('unattributed', { code: 'peer-chat-unattributed', params });
  }

  /** After the talk: each bot's lines, what each missed and its latencies. */
  deliveries(chat: Chat): void {
    for (const bot of chat.listeners()) {
      const said = chat.messages.filter((m) => m.from === bot.index).map((m) => quote(m.text));
      this.io.say({ code: 'peer-chat-said', params: { nick: bot.nick, lines: said.join(', ') } });
    }
    for (const message of chat.messages)
      for (const bot of chat.recipients(message)) {
        if (message.delivered.has(bot.index)) continue;
        const from = chat.bots[message.from]!;
        this.report('missing', { bot: bot.index, from: from.nick, data: message.text });
        const seconds = this.options.deliverTimeoutMs / 1000;
        const params = { nick: bot.nick, from: from.nick, data: quote(message.text), seconds };
        this.problem('missing', { code: 'peer-chat-missing', params });
      }
    for (const bot of chat.listeners()) {
      const times = chat.messages
        .map((m) => m.delivered.get(bot.index))
        .filter((ms): ms is number => ms !== undefined);
      const maxMs = times.length > 0 ? Math.max(...times) : null;
      this.report('latency', { bot: bot.index, nick: bot.nick, count: times.length, maxMs });
    }
  }

  /** A bot left; `stayed` should have seen a line naming it. */
  left(
    bot: ChatBot,
    how: 'close' | 'reset',
    stayed: ChatBot[],
    noticedBy: ReadonlySet<number>,
    ms: number,
    serverClosed: boolean,
  ): void {
    const noticed = stayed.filter((b) => noticedBy.has(b.index)).map((b) => b.nick);
    const missed = stayed.filter((b) => !noticedBy.has(b.index)).map((b) => b.nick);
    this.leavesExpected += stayed.length;
    this.leavesNoticed += noticed.length;
    this.report('left', {
      bot: bot.index,
      nick: bot.nick,
      how,
      noticedBy: noticed,
      missedBy: missed,
      ms,
      serverClosed,
    });
    const params = {
      nick: bot.nick,
      reset: how === 'reset',
      noticed: noticed.length,
      stayed: stayed.length,
    };
    this.io.say({ code: 'peer-chat-left', params });
    if (missed.length > 0) {
      const seconds = this.options.leaveTimeoutMs / 1000;
      this.problem('leave', {
        code: 'peer-chat-leave-unseen',
        params: { nick: bot.nick, missed: missed.join(', '), seconds },
      });
    }
  }

  /** Computes the verdict, says and reports it (`done`, never capped) and returns it. */
  finish(chat: Chat): ChatDone {
    const deliveries = chat.messages.flatMap((m) => [...m.delivered.values()]);
    const expected = chat.messages.reduce((sum, m) => sum + chat.recipients(m).length, 0);
    const echoed = chat.messages.filter((m) => m.echoed).length;
    const unattributed = chat.messages.reduce((sum, m) => sum + m.unattributed.size, 0);
    const joinedAll = chat.bots.length === this.options.bots;
    const allDelivered = joinedAll && chat.messages.length > 0 && deliveries.length >= expected;
    const done: ChatDone = {
      ok: false,
      bots: chat.bots.length,
      slow: this.options.slow,
      allDelivered,
      delivered: deliveries.length,
      expected,
      missing: Math.max(0, expected - deliveries.length),
      late: chat.messages.reduce((sum, m) => sum + m.late.size, 0),
      echoed,
      unattributed,
      maxLatencyMs: deliveries.length > 0 ? Math.max(...deliveries) : 0,
      deliveredWhileSlow: chat.deliveredWhileSlow,
      floodComplete: joinedAll && this.floodComplete,
      leavesNoticed: this.leavesNoticed,
      leavesExpected: this.leavesExpected,
    };
    done.ok =
      allDelivered && echoed === 0 && joinedAll && done.leavesNoticed === done.leavesExpected;
    this.io.say({ code: 'peer-chat-summary', params: summaryParams(done) });
    this.io.report('done', { ...done, t: this.now() });
    return done;
  }
}

/** The summary line's parameters. */
function summaryParams(done: ChatDone) {
  const { delivered, expected, maxLatencyMs, deliveredWhileSlow, slow } = done;
  const { leavesNoticed, leavesExpected } = done;
  return {
    delivered,
    expected,
    maxLatencyMs,
    deliveredWhileSlow,
    slow,
    leavesNoticed,
    leavesExpected,
  };
}
