import {
  datagrams,
  defineLesson,
  explainEnd,
  fail,
  lastException,
  noCapture,
  pass,
  reportsOf,
  sentText,
  stdoutLines,
  type CheckOutcome,
  type RecordedPacket,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const CLIENT = 'client.py';
const RELAY_PORT = 9000;
/** Each message ends in its own {token}, so no message's text is found inside another's. */
const GREETING =
  '{zh}-{token} {word}-{token} {token} {zh}{token} {word}-{token} {number}-{token} {zh}-{token} {word}-{token}\n';
/** Two sends of one message closer than this are a burst, not a resend after a timeout. */
const MIN_RESEND_GAP_MS = 20;
/** A resend this soon after the echo came is a race with the timeout, not a failure to read. */
const ECHO_RACE_MS = 100;

/** This run's messages, as the greeter sent them. */
const messagesOf = (run: RunRecord): string[] =>
  sentText(run, 'greeter')
    .split(/\s+/)
    .filter((text) => text.length > 0);

const payload = (packet: RecordedPacket): string => packet.preview ?? '';
const ms = (value: number): string => value.toFixed(value < 1 ? 2 : 1);

/** The client's datagrams to the relay and the relay's datagrams delivered back to it. */
function traffic(run: RunRecord): { sent: RecordedPacket[]; echoes: RecordedPacket[] } {
  const sent = datagrams(run, { to: RELAY_PORT });
  const port = sent[0]?.sport;
  const echoes = port === undefined ? [] : datagrams(run, { from: RELAY_PORT, to: port });
  return { sent, echoes };
}

/** How client.py ended, when it did not exit 0, with the fix for a non-blocking socket. */
function howClientEnded(run: RunRecord, t: Translate): string {
  const client = run.processes[CLIENT];
  if (!client || (client.end === 'exited' && client.exitCode === 0)) return '';
  const end = explainEnd(run, CLIENT, t);
  const space = t({ en: ' ', zh: '' });
  if (!lastException(run, CLIENT)?.startsWith('BlockingIOError')) return `${space}${end}`;
  return `${space}${end}${space}${t({
    en: 'After setblocking(False), recvfrom() does not wait at all: it raises BlockingIOError when no datagram is there yet, which is almost always just after a send. Use sock.settimeout(0.3): recvfrom() then waits up to 0.3 s and raises TimeoutError.',
    zh: '调用 setblocking(False) 之后，recvfrom() 完全不等待：只要还没有数据报到达（刚发送完时几乎总是如此），它就抛出 BlockingIOError。请改用 sock.settimeout(0.3)：recvfrom() 最多等待 0.3 秒，超时则抛出 TimeoutError。',
  })}`;
}

/** Fails when the greeter sent no messages (nothing to judge); null otherwise. */
function noMessages(messages: string[], t: Translate): CheckOutcome | null {
  if (messages.length > 0) return null;
  return fail(
    t({
      en: 'The greeter sent no messages, so there is nothing to judge. Run it again.',
      zh: 'greeter 没有发出任何消息，无从判断。请再运行一次。',
    }),
  );
}

/** The first message whose echo was not printed after it reached the client, explained. */
function printedProblem(run: RunRecord, messages: string[], t: Translate): string | null {
  const lines = stdoutLines(run, CLIENT);
  const { echoes } = traffic(run);
  let previous = -1;
  for (const [index, text] of messages.entries()) {
    const label = `#${index + 1} ${JSON.stringify(text)}`;
    const line = lines.findIndex((candidate) => candidate.includes(text));
    if (line < 0) {
      return t({
        en: `Your client never printed the echo of ${label}.`,
        zh: `你的客户端始终没有打印 ${label} 的回显。`,
      });
    }
    if (!echoes.some((packet) => payload(packet).includes(text))) {
      return t({
        en: `Your client printed ${label}, but no echo of it ever reached its socket: print what recvfrom() returned, once it returned it.`,
        zh: `你的客户端打印了 ${label}，可它的回显从未到达你的套接字：应当在 recvfrom() 返回之后，打印它返回的内容。`,
      });
    }
    if (line < previous) {
      return t({
        en: `Your client printed ${label} before the message sent ahead of it: print each echo as it comes, in order.`,
        zh: `你的客户端先打印了 ${label}，后打印它前面的消息：请按顺序在收到时打印每个回显。`,
      });
    }
    previous = line;
  }
  return null;
}

/** The first way the client did not stop and wait for message `index`'s echo, explained. */
function waitProblem(
  run: RunRecord,
  messages: string[],
  index: number,
  t: Translate,
): string | null {
  const { sent, echoes } = traffic(run);
  const text = messages[index]!;
  const label = `#${index + 1}`;
  const sends = sent.filter((packet) => payload(packet).includes(text));
  if (sends.length === 0) {
    return `${t({
      en: `Your client never sent ${label} ${JSON.stringify(text)}.`,
      zh: `你的客户端始终没有发送 ${label} ${JSON.stringify(text)}。`,
    })}${howClientEnded(run, t)}`;
  }
  const echoAt = echoes.find((packet) => payload(packet).includes(text))?.t;
  const burst = sends.findIndex(
    (packet, i) => i > 0 && packet.t - sends[i - 1]!.t < MIN_RESEND_GAP_MS,
  );
  if (burst > 0) {
    const gap = sends[burst]!.t - sends[burst - 1]!.t;
    return t({
      en: `Your client sent ${label} again only ${ms(gap)} ms after the previous copy, before any echo could be waited for: send once, wait (a timeout) for the echo carrying its number, and send again only when that time passed without it.`,
      zh: `你的客户端在上一份副本发出仅 ${ms(gap)} 毫秒后就又发送了 ${label}，根本没有等待回显：发送一次，等待（设超时）带有该序号的回显，只有超时仍没等到时才重发。`,
    });
  }
  const late = echoAt === undefined ? undefined : sends.find((p) => p.t > echoAt + ECHO_RACE_MS);
  if (late && echoAt !== undefined) {
    return t({
      en: `Your client sent ${label} again ${ms(late.t - echoAt)} ms after its echo had reached your socket: it was not reading its echoes. Stop resending once recvfrom() returned the echo with that number.`,
      zh: `${label} 的回显到达你的套接字 ${ms(late.t - echoAt)} 毫秒之后，你的客户端又发送了它：说明它没有在读取回显。recvfrom() 返回带该序号的回显后，就不要再重发了。`,
    });
  }
  const nextText = messages[index + 1];
  const next = nextText === undefined ? undefined : sent.find((p) => payload(p).includes(nextText));
  if (next && (echoAt === undefined || next.t < echoAt)) {
    return t({
      en: `Your client sent #${index + 2} before any echo of ${label} had come back: it took another datagram (a late or duplicate echo of an earlier message, or nothing at all) for ${label}'s echo. Check the number in each echo and keep waiting until the right one comes.`,
      zh: `${label} 的回显还没回来，你的客户端就发送了 #${index + 2}：它把别的数据报（之前某条消息迟到或重复的回显，甚至什么都没有）当成了 ${label} 的回显。检查每个回显里的序号，一直等到正确的那个为止。`,
    });
  }
  return null;
}

export default defineLesson({
  processes: [
    // The run's messages, different every run: a client that prints constants cannot match them.
    { peer: 'tcp-greeter', name: 'greeter', port: 9002, options: { greeting: GREETING } },
    { peer: 'udp-echo', name: 'echo', port: 9001 },
    // The run's seed draws the faults (the run header shows it; re-running with it repeats
    // them). Rates this high make a lost, a duplicated and a reordered datagram all likely in
    // eight round trips, so a client that skips any of the three defences meets its fault.
    {
      peer: 'udp-relay',
      name: 'relay',
      port: RELAY_PORT,
      options: { target: 9001, loss: 0.2, duplicate: 0.25, reorder: 0.2 },
    },
    { file: CLIENT },
  ],
  limits: { wallSeconds: 12 },
  checks: [
    {
      id: 'every-message-delivered',
      title: { en: 'Every message reached the echo server', zh: '每条消息都送到了回显服务器' },
      run: (run, t) => {
        const messages = messagesOf(run);
        const none = noMessages(messages, t);
        if (none) return none;
        const received = reportsOf(run, 'echo', 'received').map((report) => String(report.data));
        const missing = messages.filter((text) => !received.some((data) => data.includes(text)));
        const lost = run.faults.filter((fault) => fault.action === 'dropped').length;
        if (missing.length === 0) {
          return pass(
            t({
              en: `The relay lost ${lost} datagram(s); your client sent again until all ${messages.length} messages got through.`,
              zh: `中继丢了 ${lost} 个数据报；你的客户端不断重发，直到 ${messages.length} 条消息全部送达。`,
            }),
          );
        }
        const list = missing.map(
          (text) => `#${messages.indexOf(text) + 1} ${JSON.stringify(text)}`,
        );
        return fail(
          `${t({
            en: `The echo server never received ${list.join(', ')}. UDP does not resend: when no echo comes within a timeout, your client must send the message again.`,
            zh: `回显服务器始终没有收到 ${list.join('、')}。UDP 不会重发：在超时时间内没等到回显，你的客户端就必须重发这条消息。`,
          })}${howClientEnded(run, t)}`,
        );
      },
    },
    {
      id: 'echoes-printed-in-order',
      title: {
        en: 'Each echo reached the client and was printed, in order',
        zh: '每个回显都到达了客户端，并按顺序打印出来',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const messages = messagesOf(run);
        const none = noMessages(messages, t);
        if (none) return none;
        const problem = printedProblem(run, messages, t);
        if (problem) return fail(`${problem}${howClientEnded(run, t)}`);
        return pass(
          t({
            en: `All ${messages.length} echoes came back to your socket and were printed in order.`,
            zh: `${messages.length} 个回显都回到了你的套接字，并按顺序打印出来。`,
          }),
        );
      },
    },
    {
      id: 'waited-for-each-echo',
      title: {
        en: 'One message at a time: each resent only after a timeout, the next sent after its echo',
        zh: '一次一条：超时后才重发，收到回显后才发下一条',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const messages = messagesOf(run);
        const none = noMessages(messages, t);
        if (none) return none;
        for (const index of messages.keys()) {
          const problem = waitProblem(run, messages, index, t);
          if (problem) return fail(problem);
        }
        const resent = traffic(run).sent.length - messages.length;
        return pass(
          t({
            en: `Your client waited for each echo and resent ${resent} time(s) in all, each after a timeout.`,
            zh: `你的客户端等待了每个回显，一共重发了 ${resent} 次，每次都在超时之后。`,
          }),
        );
      },
    },
  ],
});
