import {
  defineLesson,
  fail,
  hasFlag,
  noCapture,
  pass,
  printedLine,
  processFinished,
  sentText,
  stdoutLines,
  tcpConnections,
  withEnd,
  type CheckOutcome,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

const CLIENT = 'client.py';
/** The primary accepts and then never answers (its greeting waits longer than the run). */
const PRIMARY = 9000;
/** The backup refuses connections for its first seconds (a restart), then greets. */
const BACKUP = 9001;
/** The primary's wait the lesson asks for is 1 s: these bounds leave room for scheduling. */
const SHORTEST_WAIT_MS = 700;
const LONGEST_WAIT_MS = 3000;
/** More attempts than a doubling wait can make while the backup restarts: a loop without a wait. */
const MOST_ATTEMPTS = 15;
/** Each wait must be this much longer than the one before… */
const GROWTH = 1.5;
/** …until the waits reach a cap of at least this (a capped backoff then stays flat). */
const CAP_MS = 1000;
/** Timer and scheduling slack per gap. */
const SLACK_MS = 40;

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** The client's connections to `port`, in order, each a try (SYN) and how it was answered. */
function connectionsTo(run: RunRecord, port: number): TcpConnection[] {
  return tcpConnections(run).filter(
    (connection) => connection.server.port === port && connection.syn !== undefined,
  );
}

/** True when the backup answered this try's SYN with a RST: nothing listened. */
const refused = (connection: TcpConnection): boolean =>
  !connection.synAck && connection.rsts.some((packet) => packet.sport === connection.server.port);

/** When the client gave up on the primary: its FIN or RST there, or its first try elsewhere. */
function leftPrimaryAt(run: RunRecord, primary: TcpConnection): number | undefined {
  const since = primary.synAck!.t;
  const closed = primary.packets.find(
    (packet) =>
      packet.sport === primary.client.port &&
      packet.t >= since &&
      (hasFlag(packet, 'FIN') || hasFlag(packet, 'RST')),
  );
  const backup = connectionsTo(run, BACKUP).find((connection) => connection.syn!.t >= since);
  const times = [closed?.t, backup?.syn?.t].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

function checkToken(run: RunRecord, t: Translate): CheckOutcome {
  const token = sentText(run, 'backup').trim();
  if (token === '') {
    return fail(
      withEnd(
        run,
        t,
        CLIENT,
        t({
          en: `The backup never sent its token: your client did not connect to 127.0.0.1:${BACKUP} once it was up.`,
          zh: `备用服务器始终没有发出令牌：它重新监听之后，你的客户端没有连上 127.0.0.1:${BACKUP}。`,
        }),
      ),
    );
  }
  if (printedLine(run, CLIENT, token))
    return pass(
      t({ en: `Printed this run's token ${token}.`, zh: `打印了本次运行的令牌 ${token}。` }),
    );
  const printed = stdoutLines(run, CLIENT).slice(-3).join(' | ') || '—';
  return fail(
    t({
      en: `The backup sent the token ${token}, but no line your client printed contains it (last lines: ${printed}). Print what the backup sent, not a value of your own.`,
      zh: `备用服务器发出的令牌是 ${token}，但你的客户端打印的行里都没有它（最后几行：${printed}）。请打印备用服务器发来的内容，而不是自己写的值。`,
    }),
  );
}

function checkPrimaryTimeout(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const primary = connectionsTo(run, PRIMARY).find((connection) => connection.synAck);
  if (!primary)
    return fail(
      t({
        en: `Your client never connected to the primary at 127.0.0.1:${PRIMARY}: ask it first, with a timeout.`,
        zh: `你的客户端没有连接主服务器 127.0.0.1:${PRIMARY}：请先问它，并设置超时。`,
      }),
    );
  const left = leftPrimaryAt(run, primary);
  if (left === undefined)
    return fail(
      withEnd(
        run,
        t,
        CLIENT,
        t({
          en: 'Your client never gave up on the primary, which accepts and then says nothing.',
          zh: '主服务器接受连接后一言不发，而你的客户端一直没有放弃它。',
        }),
      ),
    );
  const waited = left - primary.synAck!.t;
  if (waited < SHORTEST_WAIT_MS)
    return fail(
      t({
        en: `Your client left the primary after ${seconds(waited)} s: wait up to 1 s for its greeting (a timeout), do not give up at once.`,
        zh: `你的客户端在 ${seconds(waited)} 秒后就离开了主服务器：应当最多等它 1 秒（超时），而不是立刻放弃。`,
      }),
    );
  if (waited > LONGEST_WAIT_MS)
    return fail(
      t({
        en: `Your client waited ${seconds(waited)} s for the primary: a 1-second timeout is asked for.`,
        zh: `你的客户端等了主服务器 ${seconds(waited)} 秒：题目要求的超时是 1 秒。`,
      }),
    );
  return pass(
    t({
      en: `Waited ${seconds(waited)} s for the silent primary, then moved on.`,
      zh: `等了一言不发的主服务器 ${seconds(waited)} 秒，然后转向备用服务器。`,
    }),
  );
}

/** The first gap (index into `gaps`) that did not grow as a doubling backoff does, if any. */
function flatGap(gaps: number[]): number | undefined {
  const index = gaps.findIndex(
    (gap, i) => i > 0 && gap < Math.min(gaps[i - 1]! * GROWTH, CAP_MS) - SLACK_MS,
  );
  return index < 0 ? undefined : index;
}

function checkBackoff(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const tries = connectionsTo(run, BACKUP);
  if (tries.length === 0)
    return fail(
      withEnd(
        run,
        t,
        CLIENT,
        t({
          en: `Your client never tried the backup at 127.0.0.1:${BACKUP}.`,
          zh: `你的客户端从未尝试连接备用服务器 127.0.0.1:${BACKUP}。`,
        }),
      ),
    );
  const times = tries.map((connection) => connection.syn!.t);
  const gaps = times.slice(1).map((time, i) => time - times[i]!);
  const shown = gaps.map(seconds).join(', ');
  if (!tries.some(refused))
    return fail(
      t({
        en: `Your client's first try at the backup was already accepted, ${seconds(times[0]!)} s into the run: it never met the restart. Try the backup as soon as the primary times out, and retry while it refuses.`,
        zh: `你的客户端第一次尝试备用服务器（运行第 ${seconds(times[0]!)} 秒）就被接受了：它根本没有遇到重启。主服务器一超时就去试备用服务器，被拒绝就重试。`,
      }),
    );
  if (tries.length > MOST_ATTEMPTS)
    return fail(
      t({
        en: `Your client tried the backup ${tries.length} times in ${seconds(times.at(-1)! - times[0]!)} s: it retries without waiting. Sleep between tries, doubling the wait each time.`,
        zh: `你的客户端在 ${seconds(times.at(-1)! - times[0]!)} 秒内尝试了 ${tries.length} 次：重试之间没有等待。每次重试前先睡一会儿，并且每次把等待时间加倍。`,
      }),
    );
  if (tries.length < 3)
    return fail(
      withEnd(
        run,
        t,
        CLIENT,
        t({
          en: `Your client made only ${tries.length} ${tries.length === 1 ? 'try' : 'tries'} at the backup${shown ? ` (waits: ${shown} s)` : ''}. Retry while it refuses, starting with a short wait (0.1 s) and doubling it.`,
          zh: `你的客户端只尝试了备用服务器 ${tries.length} 次${shown ? `（等待：${shown} 秒）` : ''}。被拒绝时要重试，等待从较短的 0.1 秒开始并逐次加倍。`,
        }),
      ),
    );
  const flat = flatGap(gaps);
  if (flat !== undefined)
    return fail(
      t({
        en: `The waits between your client's tries did not grow: ${shown} s (wait ${flat + 1} was ${seconds(gaps[flat]!)} s after ${seconds(gaps[flat - 1]!)} s). Double the wait after each refusal.`,
        zh: `你的客户端每次重试之间的等待没有增长：${shown} 秒（第 ${flat + 1} 次等待 ${seconds(gaps[flat]!)} 秒，前一次是 ${seconds(gaps[flat - 1]!)} 秒）。每次被拒绝后把等待时间加倍。`,
      }),
    );
  return pass(
    t({
      en: `${tries.filter(refused).length} tries refused, then accepted; the waits grew: ${shown} s.`,
      zh: `${tries.filter(refused).length} 次尝试被拒绝，随后连接成功；等待逐次增长：${shown} 秒。`,
    }),
  );
}

/** Lines that say a wait ran out, and lines that say a connection was refused, in either language. */
const SAID_TIMEOUT = /time[ds]?[\s_-]*out|timeout|超时/i;
const SAID_REFUSED = /refus|拒绝/i;

function checkReported(run: RunRecord, t: Translate): CheckOutcome {
  const lines = stdoutLines(run, CLIENT);
  const timeout = lines.some((line) => SAID_TIMEOUT.test(line));
  const refusal = lines.some((line) => SAID_REFUSED.test(line));
  if (timeout && refusal)
    return pass(
      t({
        en: 'Your client said what went wrong: a timeout, then refusals.',
        zh: '你的客户端说明了出了什么问题：先是超时，然后是被拒绝。',
      }),
    );
  const missing = [
    timeout ? null : t({ en: 'the timeout at the primary', zh: '主服务器的超时' }),
    refusal ? null : t({ en: 'the refused tries at the backup', zh: '备用服务器拒绝连接' }),
  ].filter(Boolean);
  return fail(
    t({
      en: `Your client's output never mentions ${missing.join(' or ')}. Print one line per failure, e.g. the exception: print(type(e).__name__, e).`,
      zh: `你的客户端输出里没有提到${missing.join('或')}。每次失败打印一行，例如打印异常：print(type(e).__name__, e)。`,
    }),
  );
}

export default defineLesson({
  processes: [
    {
      peer: 'tcp-greeter',
      name: 'primary',
      port: PRIMARY,
      options: { greeting: 'primary {token}\n', stallMs: 10_000 },
    },
    {
      peer: 'tcp-greeter',
      name: 'backup',
      port: BACKUP,
      options: { greeting: '{token}\n', downForMs: 3000 },
    },
    { file: CLIENT },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'printed-token',
      title: { en: "Printed the backup's token", zh: '打印了备用服务器的令牌' },
      run: checkToken,
    },
    {
      id: 'timed-out-on-primary',
      title: {
        en: 'Gave up on the silent primary after its timeout',
        zh: '主服务器不回应时，超时后放弃了它',
      },
      run: checkPrimaryTimeout,
    },
    {
      id: 'backed-off',
      title: {
        en: 'Retried the refusing backup with growing waits',
        zh: '备用服务器拒绝连接时，以逐渐加长的间隔重试',
      },
      run: checkBackoff,
    },
    {
      id: 'reported-failures',
      title: { en: 'Said what went wrong', zh: '说明了出错的经过' },
      run: checkReported,
    },
    {
      id: 'finished',
      title: { en: 'Ended on its own, without an error', zh: '自行结束，没有出错' },
      run: (run, t) => processFinished(run, CLIENT, t),
    },
  ],
});
