import {
  defineLesson,
  explainEnd,
  fail,
  pass,
  reportsOf,
  type CheckOutcome,
  type PeerReport,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

// server.py is a chat server; four bots join it, one of them a slow consumer that reads nothing.
const SERVER = 'server.py';
const PORT = 8080;
const BOTS = 'bots';
const BOT_COUNT = 4;
/** Each talking bot's lines: new words every run, multibyte text split inside a character. */
const LINES = ['{word} {zh}', '{zh} {token}'];
/** How long each line may take to reach every other bot, and a leave notice to be seen. */
const DELIVER_TIMEOUT_MS = 2000;
const LEAVE_TIMEOUT_MS = 1500;
/** A line that takes longer than this to reach the others was held up by something. */
const PROMPT_MS = 500;

const quote = (text: unknown): string => JSON.stringify(String(text));
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The bots' final summary, when they got that far. */
function botsDone(run: RunRecord): PeerReport | undefined {
  return reportsOf(run, BOTS, 'done')[0];
}

/** The nickname of bot `index` this run. */
function nickOf(run: RunRecord, index: number): string {
  const joined = reportsOf(run, BOTS, 'joined').find((r) => r.bot === index);
  return String(joined?.nick ?? `#${index + 1}`);
}

/** ` ` + how server.py ended, when it did not keep serving to the end of the run. */
function serverEnd(run: RunRecord, t: Translate): string {
  const record = run.processes[SERVER];
  if (!record || record.end === 'stopped') return '';
  return t({ en: ' ', zh: '' }) + explainEnd(run, SERVER, t);
}

/** Why the bots had nothing to judge: they did not finish, or could not connect. */
function notRun(run: RunRecord, t: Translate): string | undefined {
  const done = botsDone(run);
  if (!done)
    return (
      t({
        en: 'The bots did not finish before the run ended.',
        zh: '运行结束之前，机器人们没有跑完。',
      }) + serverEnd(run, t)
    );
  const failed = reportsOf(run, BOTS, 'connect-failed')[0];
  if (!failed) return undefined;
  return (
    t({
      en: `Bot ${String(failed.nick)} could not connect to 127.0.0.1:${PORT} (${String(failed.error)}): your server must listen there and accept every client.`,
      zh: `机器人 ${String(failed.nick)} 无法连接 127.0.0.1:${PORT}（${String(failed.error)}）：你的服务器必须在这里监听，并接受每一个客户端。`,
    }) + serverEnd(run, t)
  );
}

/** Why the filler lines stopped short: the server is stuck writing to the slow bot. */
function stuckOnSlow(run: RunRecord, t: Translate): string | undefined {
  const flood = reportsOf(run, BOTS, 'flood-received');
  const short = flood.find((r) => Number(r.lines) < Number(r.of));
  if (!short) return undefined;
  const slow = nickOf(run, 0);
  const got = Number(short.lines);
  const of = Number(short.of);
  if (flood.every((r) => Number(r.lines) === 0))
    return t({
      en: `Nothing any bot said reached another — not one of the ${of} filler lines. Your server does not pass lines on from one client to the others, or it serves one client at a time and is stuck on the first, ${slow}, which says nothing after its NICK line. Serve every client at once (asyncio: one handler coroutine per client).`,
      zh: `任何一个机器人说的话都没有到达别人那里——${of} 行填充数据一行也没有。你的服务器要么没把一个客户端的行转发给其他客户端，要么一次只服务一个客户端，卡在了第一个客户端 ${slow} 上，而它发完 NICK 那一行之后就不再说话了。请同时服务所有客户端（asyncio：每个客户端一个处理协程）。`,
    });
  return t({
    en: `The filler lines stopped after ${got} of ${of} reached ${String(nickOf(run, Number(short.bot)))}: your server got stuck writing to ${slow}, the bot that stopped reading. Its receive window is full, so sendall() to it (or await drain() on its writer) never returns — and every other client waits behind it. Give each client its own queue and its own writer task; a broadcast only puts the line in the queues.`,
    zh: `填充数据在到达 ${String(nickOf(run, Number(short.bot)))} ${got} 行（共 ${of} 行）之后就停了：你的服务器卡在给 ${slow} 写数据上，而它已经不再读取。它的接收窗口满了，所以对它的 sendall()（或对它的 writer 的 await drain()）永远不会返回——其他所有客户端都在它后面干等。请给每个客户端一个自己的队列和一个自己的写任务；广播只是把这一行放进各个队列。`,
  });
}

/** The first bot that reads everything whose connection the server closed while it was in. */
function droppedReader(run: RunRecord, t: Translate): string | undefined {
  const dropped = reportsOf(run, BOTS, 'dropped').find((r) => r.bot !== 0);
  if (!dropped) return undefined;
  const nick = String(dropped.nick);
  const how =
    dropped.state === 'reset' ? t({ en: 'reset', zh: '重置' }) : t({ en: 'closed', zh: '关闭' });
  const floodAt = reportsOf(run, BOTS, 'flood-sent')[0]?.t;
  if (floodAt === undefined || Number(dropped.t) < Number(floodAt))
    return t({
      en: `Your server ${how} the connection of ${nick} right after it joined, before anybody said anything. A chat server keeps every connection open, reading its lines, until the client leaves.`,
      zh: `${nick} 刚加入、还没有人说话，你的服务器就${how}了它的连接。聊天服务器要让每个连接一直开着、一直读取它发来的行，直到客户端自己离开。`,
    });
  return t({
    en: `Your server ${how} the connection of ${nick} at ${seconds(Number(dropped.t))} s, while ${nick} was in the chat and reading everything. If you drop clients whose queue grows too long, make the bound generous: a burst of lines (here, the filler lines) fills even a fast client's queue before its writer task gets a turn.`,
    zh: `你的服务器在 ${seconds(Number(dropped.t))} 秒时${how}了 ${nick} 的连接，而 ${nick} 还在聊天室里，而且一直在读取。如果你会断开队列太长的客户端，请把上限定得宽一些：一阵密集的行（这里是填充数据）在写任务轮到之前，就能把一个很快的客户端的队列也填满。`,
  });
}

/** Why some line did not reach some bot, from this run's reports. */
function deliveryProblem(run: RunRecord, t: Translate): string {
  const dropped = droppedReader(run, t);
  if (dropped) return dropped + serverEnd(run, t);
  const stuck = stuckOnSlow(run, t);
  if (stuck) return stuck + serverEnd(run, t);
  const anonymous = reportsOf(run, BOTS, 'unattributed')[0];
  if (anonymous)
    return t({
      en: `${nickOf(run, Number(anonymous.bot))} got ${quote(anonymous.line)}: the words of ${String(anonymous.from)} (drawn new this run), but not the nickname it sent in its NICK line. Put the sender's nickname on every line you pass on, e.g. "${String(anonymous.from)}: ${String(anonymous.data)}".`,
      zh: `${nickOf(run, Number(anonymous.bot))} 收到了 ${quote(anonymous.line)}：这是 ${String(anonymous.from)} 说的话（每次运行都不一样），但没有它在 NICK 那一行里报上的昵称。请在转发的每一行里带上发送者的昵称，例如 "${String(anonymous.from)}: ${String(anonymous.data)}"。`,
    });
  const missing = reportsOf(run, BOTS, 'missing');
  const first = missing[0];
  if (!first)
    return t({
      en: 'Not every line reached every other bot.',
      zh: '并不是每一行都到达了其他每个机器人。',
    });
  const more = missing.length - 1;
  return (
    t({
      en: `${nickOf(run, Number(first.bot))} never got ${String(first.from)}'s line ${quote(first.data)} within ${seconds(DELIVER_TIMEOUT_MS)} s${more > 0 ? ` (and ${more} more lines went missing)` : ''}. Each line arrives in two pieces, split inside a Chinese character: read up to the newline (await reader.readline()) and decode the whole line, then send it to every other client.`,
      zh: `${nickOf(run, Number(first.bot))} 在 ${seconds(DELIVER_TIMEOUT_MS)} 秒内一直没收到 ${String(first.from)} 说的 ${quote(first.data)}${more > 0 ? `（另外还有 ${more} 行也丢了）` : ''}。每一行都分两段到达，断在一个汉字的中间：请一直读到换行符（await reader.readline()），把整行解码，再发给其他每个客户端。`,
    }) + serverEnd(run, t)
  );
}

function checkDelivered(run: RunRecord, t: Translate): CheckOutcome {
  const problem = notRun(run, t);
  if (problem) return fail(problem);
  const done = botsDone(run)!;
  const details = run.processes[`peer:${BOTS}`]?.stdout || undefined;
  if (done.allDelivered !== true) return fail(deliveryProblem(run, t), details);
  const example = reportsOf(run, BOTS, 'received')[0];
  return pass(
    t({
      en: `All ${String(done.expected)} lines reached every other bot with the sender's nickname (this run, for example: ${quote(example?.line)}).`,
      zh: `全部 ${String(done.expected)} 行都带着发送者的昵称到达了其他每个机器人（比如这次运行中的 ${quote(example?.line)}）。`,
    }),
  );
}

function checkSlow(run: RunRecord, t: Translate): CheckOutcome {
  const problem = notRun(run, t);
  if (problem) return fail(problem);
  const done = botsDone(run)!;
  const slow = nickOf(run, 0);
  const stuck = droppedReader(run, t) ?? stuckOnSlow(run, t);
  if (stuck) return fail(stuck + serverEnd(run, t));
  if (done.allDelivered !== true)
    return fail(
      t({
        en: `Not every line reached the others (see every-line-delivered), so they did not all keep up while ${slow} read nothing.`,
        zh: `并不是每一行都到达了其他机器人（见 every-line-delivered），所以在 ${slow} 什么也不读的时候，它们并没有都跟上。`,
      }),
    );
  const latency = Number(done.maxLatencyMs);
  if (latency > PROMPT_MS || done.deliveredWhileSlow !== done.expected)
    return fail(
      t({
        en: `The slowest line took ${latency} ms to reach the others while ${slow} read nothing (${String(done.deliveredWhileSlow)} of ${String(done.expected)} arrived while it was stuck); a chat server that does not wait on its slowest client passes a line on within a few milliseconds.`,
        zh: `在 ${slow} 什么也不读的时候，最慢的一行用了 ${latency} 毫秒才到达其他机器人（${String(done.expected)} 行里有 ${String(done.deliveredWhileSlow)} 行是在它卡住时到达的）；一个不等最慢客户端的聊天服务器，几毫秒内就能把一行转发出去。`,
      }),
    );
  const flood = reportsOf(run, BOTS, 'flood-sent')[0];
  return pass(
    t({
      en: `While ${slow} read nothing — its window full after ${String(flood?.lines)} filler lines — every line still reached the others, the slowest after ${latency} ms.`,
      zh: `在 ${slow} 什么也不读（${String(flood?.lines)} 行填充数据之后它的接收窗口就满了）的同时，每一行照样到达了其他机器人，最慢的用了 ${latency} 毫秒。`,
    }),
  );
}

function checkNoEcho(run: RunRecord, t: Translate): CheckOutcome {
  const problem = notRun(run, t);
  if (problem) return fail(problem);
  const echoed = reportsOf(run, BOTS, 'echoed')[0];
  if (echoed)
    return fail(
      t({
        en: `${String(echoed.nick)} got its own line back: ${quote(echoed.line)}. Its sender already has it on screen; send a line to every client except the one that sent it.`,
        zh: `${String(echoed.nick)} 收到了自己发出的那一行：${quote(echoed.line)}。发送者自己屏幕上已经有了；请把一行发给除发送者以外的每个客户端。`,
      }),
    );
  const arrived = ['received', 'unattributed'].some((e) => reportsOf(run, BOTS, e).length > 0);
  if (!arrived)
    return fail(
      t({
        en: 'No line reached any bot, so whether your server sends a line back to its sender could not be seen: see every-line-delivered.',
        zh: '没有任何一行到达任何机器人，所以看不出你的服务器会不会把一行发回给发送者：见 every-line-delivered。',
      }),
    );
  return pass(
    t({
      en: 'No bot got its own line back: each went to everybody but its sender.',
      zh: '没有机器人收到自己发出的行：每一行都发给了除发送者以外的所有人。',
    }),
  );
}

/** Why the bots still there did not see a line naming the one that left. */
function leaveProblem(run: RunRecord, t: Translate, left: PeerReport): string {
  const missed = (left.missedBy as string[]).join(', ');
  const nick = String(left.nick);
  const crashed = serverEnd(run, t);
  const why =
    crashed ||
    (left.how === 'reset'
      ? t({
          en: ` It left by a reset (RST): reading from it raised ConnectionResetError instead of returning b"". Announce the leave in a finally: block, so it happens however the client went.`,
          zh: `它是以重置（RST）的方式离开的：从它那里读取时抛出了 ConnectionResetError，而不是返回 b""。请把离开通知放进 finally: 块里，这样不管客户端怎么走的都会通知。`,
        })
      : t({
          en: ` It closed its side (FIN): readline() returned b"". Then tell the others, e.g. "* ${nick} left".`,
          zh: `它关闭了自己这一侧（FIN）：readline() 返回了 b""。这时请告诉其他人，例如 "* ${nick} left"。`,
        }));
  return (
    t({
      en: `${nick} left, and ${missed} saw no line naming it within ${seconds(LEAVE_TIMEOUT_MS)} s.`,
      zh: `${nick} 离开了，而 ${missed} 在 ${seconds(LEAVE_TIMEOUT_MS)} 秒内没有看到任何提到它的行。`,
    }) + why
  );
}

/** Why no departure at all was announced. */
function noLeaveNotices(run: RunRecord, t: Translate, count: number): string {
  return (
    t({
      en: `None of the ${count} departures was announced: after each bot left, the others got no line naming it. When a client goes — readline() returns b"" for a clean close, or raises ConnectionResetError for a reset — send the others a line with its nickname, e.g. "* maple123 left", from a finally: block.`,
      zh: `${count} 次离开一次也没有通知：每个机器人离开后，其他人都没收到提到它的行。客户端离开时——正常关闭时 readline() 返回 b""，重置时抛出 ConnectionResetError——请在 finally: 块里给其他人发一行带它昵称的话，例如 "* maple123 left"。`,
    }) + serverEnd(run, t)
  );
}

function checkLeaves(run: RunRecord, t: Translate): CheckOutcome {
  const problem = notRun(run, t);
  if (problem) return fail(problem);
  const left = reportsOf(run, BOTS, 'left');
  const watched = left.filter(
    (r) => (r.noticedBy as string[]).length + (r.missedBy as string[]).length > 0,
  );
  if (watched.length > 0 && watched.every((r) => (r.noticedBy as string[]).length === 0))
    return fail(noLeaveNotices(run, t, watched.length));
  const unseen = left.find((r) => (r.missedBy as string[]).length > 0);
  if (unseen) return fail(leaveProblem(run, t, unseen));
  const resets = left.filter((r) => r.how === 'reset').map((r) => String(r.nick));
  return pass(
    t({
      en: `Each bot that left was named to those still there — ${resets.join(' and ')} by a reset (RST), the others by a clean close.`,
      zh: `每个离开的机器人都告知了留下的人——${resets.join(' 和 ')} 是以重置（RST）离开的，其余是正常关闭。`,
    }),
  );
}

function checkRunning(run: RunRecord, t: Translate): CheckOutcome {
  const record = run.processes[SERVER];
  if (record?.end === 'stopped')
    return pass(
      t({
        en: `${SERVER} was still serving when the run ended, after every bot had come and gone.`,
        zh: `所有机器人来了又走之后，运行结束时 ${SERVER} 仍在服务。`,
      }),
    );
  const resetLeft = reportsOf(run, BOTS, 'left').some((r) => r.how === 'reset');
  const hint = resetLeft
    ? t({
        en: ' A client that resets its connection makes recv() or send() raise ConnectionResetError (or BrokenPipeError): catch it for that one client, drop the client, and keep serving the rest.',
        zh: '一个重置连接的客户端会让 recv() 或 send() 抛出 ConnectionResetError（或 BrokenPipeError）：只针对这个客户端捕获它，去掉这个客户端，继续服务其他人。',
      })
    : '';
  return fail(explainEnd(run, SERVER, t) + hint);
}

export default defineLesson({
  processes: [
    { file: SERVER },
    {
      peer: 'chat-bots',
      name: BOTS,
      port: PORT,
      options: {
        bots: BOT_COUNT,
        lines: LINES,
        slow: true,
        deliverTimeoutMs: DELIVER_TIMEOUT_MS,
        leaveTimeoutMs: LEAVE_TIMEOUT_MS,
      },
    },
  ],
  limits: { wallSeconds: 15 },
  checks: [
    {
      id: 'every-line-delivered',
      title: {
        en: 'Every line reached every other client, with its sender’s nickname',
        zh: '每一行都带着发送者的昵称到达了其他每个客户端',
      },
      run: checkDelivered,
    },
    {
      id: 'slow-client-did-not-stall',
      title: {
        en: 'A client that stopped reading did not hold up the others',
        zh: '一个不再读取的客户端没有拖住其他人',
      },
      run: checkSlow,
    },
    {
      id: 'not-echoed-to-sender',
      title: { en: 'No line went back to its sender', zh: '没有一行被发回给发送者' },
      run: checkNoEcho,
    },
    {
      id: 'leave-announced',
      title: {
        en: 'The others were told who left, however they left',
        zh: '不管怎么离开的，其他人都被告知谁离开了',
      },
      run: checkLeaves,
    },
    {
      id: 'server-kept-running',
      title: {
        en: 'The server kept running through resets',
        zh: '连接被重置时服务器继续运行',
      },
      run: checkRunning,
    },
  ],
});
