import {
  defineLesson,
  explainEnd,
  fail,
  lastException,
  pass,
  printedLine,
  processFinished,
  reportsOf,
  stdoutLines,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const PROGRAM = 'transfer.py';
const SENDER = 'sender';
const RECEIVER = 'receiver';
const PROXY_PORT = 8080;
const RECEIVER_PORT = 8082;
const SENDER_PORT = 8081;
/** The proxy's one-way delay D (ms) and bandwidth R (bytes/s): RTT = 2D. */
const DELAY_MS = 20;
const RATE = 4_000_000;
/**
 * File 1 is larger than the socket send buffer Linux grows to on loopback (~4 MB) plus what the
 * proxy holds, so one send() of it with a timeout set always returns short; its size is not a
 * multiple of 64 KiB, so a 64 KiB read at its end takes the next header's bytes too.
 */
const SIZES = [8_000_000, 200_000];

type Report = Record<string, unknown>;

/** The files the sender sent this run: name, size and sha256, in order. */
const sentFiles = (run: RunRecord) =>
  reportsOf(run, SENDER, 'sent').map((report) => ({
    name: String(report.name),
    size: Number(report.size),
    sha256: String(report.sha256),
  }));

/** Every 64-digit hex string the program printed. */
const printedHashes = (run: RunRecord): string[] =>
  stdoutLines(run, PROGRAM).flatMap((line) => line.match(/\b[0-9a-f]{64}\b/g) ?? []);

/** Why the program's reading went wrong, named from how it ended, or undefined. */
function readingMistake(run: RunRecord, t: Translate): string | undefined {
  const error = lastException(run, PROGRAM) ?? '';
  const firstHeader =
    printedHashes(run).length === 0 && /JSONDecodeError|UnicodeDecodeError/.test(error);
  if (/JSONDecodeError: Extra data/.test(error) || firstHeader)
    return t({
      en: `Your program stopped with ${error}: the bytes it parsed as the header held more than the header line. One recv() returns whatever has arrived — here the header and the first 64 KiB of the file together. Read up to the "\\n" and keep what follows it as the start of the file (stream.readline() on sock.makefile("rb") does both).`,
      zh: `你的程序以 ${error} 结束：它当作头部去解析的字节里不止头部那一行。一次 recv() 返回的是已经到达的所有数据——这里是头部和文件开头的 64 KiB 连在一起。读到 "\\n" 为止，把后面的字节留作文件的开头（对 sock.makefile("rb") 调用 stream.readline() 两件事都做了）。`,
    });
  if (/JSONDecodeError|UnicodeDecodeError/.test(error))
    return t({
      en: `Your program stopped with ${error} while reading a header: it did not start at a header. Either it read fewer than "size" bytes of the file before (one recv() for the file returns only part of it), or more (its last recv() ran into the next file's header). Read exactly "size" bytes: loop, asking for min(chunk, remaining) each time.`,
      zh: `你的程序在读头部时以 ${error} 结束：它读的地方并不是头部的开头。要么它之前读的文件字节少于 "size"（对文件只调一次 recv() 只能拿到一部分），要么读多了（最后一次 recv() 读进了下一个文件的头部）。恰好读 "size" 个字节：循环，每次只要 min(块大小, 剩余字节数)。`,
    });
  if (error)
    return t({
      en: `Your program stopped with ${error}. If its hash did not match: it hashed other bytes than the file's — read exactly "size" bytes, in chunks of min(64 KiB, remaining), since one recv() returns only what has arrived and a full 64 KiB read at the file's end takes the next header's bytes.`,
      zh: `你的程序以 ${error} 结束。如果是哈希对不上：它算的不是这个文件的字节——要恰好读 "size" 个字节，每块 min(64 KiB, 剩余字节数)，因为一次 recv() 只返回已经到达的数据，而在文件末尾读满 64 KiB 会读进下一个头部的字节。`,
    });
  return undefined;
}

/** Every file the sender sent has its sha256 on a line of the program's output. */
function savedEveryFile(run: RunRecord, t: Translate): CheckOutcome {
  const files = sentFiles(run);
  if (files.length === 0)
    return fail(
      t({
        en: `The sender sent nothing: your program never connected to 127.0.0.1:${SENDER_PORT}. ${explainEnd(run, PROGRAM, t)}`,
        zh: `发送方什么也没发：你的程序从未连接 127.0.0.1:${SENDER_PORT}。${explainEnd(run, PROGRAM, t)}`,
      }),
    );
  const missing = files.findIndex((file) => !printedLine(run, PROGRAM, file.sha256));
  if (missing < 0)
    return pass(
      t({
        en: `You printed the sha256 of all ${files.length} files of this run, each read whole: ${files.map((f) => `${f.name} (${f.size} bytes)`).join(', ')}.`,
        zh: `你打印出了这次运行全部 ${files.length} 个文件的 sha256，每个都读完整了：${files.map((f) => `${f.name}（${f.size} 字节）`).join('、')}。`,
      }),
    );
  const file = files[missing]!;
  const which = t({
    en: `File ${missing + 1} of ${files.length} this run was ${file.name}, ${file.size} bytes, sha256 ${file.sha256} (the bytes change every run), and no line of your output holds that hash.`,
    zh: `这次运行的第 ${missing + 1} 个文件（共 ${files.length} 个）是 ${file.name}，${file.size} 字节，sha256 为 ${file.sha256}（字节每次运行都不一样），而你的输出里没有哪一行含有这个哈希。`,
  });
  const hashes = printedHashes(run);
  const cause =
    readingMistake(run, t) ??
    (hashes.length > 0
      ? t({
          en: `You printed ${hashes.length === 1 ? 'the hash' : 'hashes'} ${hashes.slice(0, 2).join(', ')}: of other bytes. Feed every chunk of exactly "size" bytes into one hashlib.sha256() with update(), and print hexdigest() once at the end — not the hash of the last chunk, nor a hash you wrote in advance.`,
          zh: `你打印的哈希 ${hashes.slice(0, 2).join('、')} 是别的字节的。把恰好 "size" 个字节的每一块都用 update() 喂给同一个 hashlib.sha256()，最后只打印一次 hexdigest()——不是最后一块的哈希，也不是事先写好的哈希。`,
        })
      : t({
          en: "Print each file's name, size and sha256 (hexdigest()) on a line once you have read it.",
          zh: '每读完一个文件，就把它的名字、大小和 sha256（hexdigest()）打印成一行。',
        }));
  return fail(`${which} ${cause}`, run.processes[PROGRAM]?.stdout || undefined);
}

/** The receiver got file 1 whole, its hash matching the header and the sender's file. */
function fileDelivered(run: RunRecord, t: Translate): CheckOutcome {
  const original = sentFiles(run)[0];
  const received = reportsOf(run, RECEIVER, 'received')[0];
  const headerError = reportsOf(run, RECEIVER, 'header-error')[0];
  if (!received) return fail(notDelivered(run, headerError, t));
  const bytes = Number(received.bytes);
  const size = Number(received.size);
  if (received.reason === 'short' || received.reason === 'timeout')
    return fail(
      t({
        en: `The receiver got only ${bytes} of the ${size} bytes your header announced (${size - bytes} missing), then ${received.reason === 'short' ? 'your program closed the connection' : 'nothing more for 2 s'}. That is send() ignoring its return value: with a timeout set the socket is non-blocking inside, and send() takes only what fits in the socket's buffer and returns that count. Use sock.sendall() or sock.sendfile(), which loop until every byte is sent.`,
        zh: `接收方只收到了你的头部所声明的 ${size} 字节中的 ${bytes} 字节（少了 ${size - bytes} 字节），之后${received.reason === 'short' ? '你的程序就关闭了连接' : '2 秒内再没有收到任何东西'}。这正是忽略了 send() 的返回值：设置了超时的套接字在内部是非阻塞的，send() 只接收套接字缓冲区放得下的那部分，并返回这个字节数。请用 sock.sendall() 或 sock.sendfile()，它们会循环，直到每个字节都发出去。`,
      }),
    );
  if (received.reason === 'sha256-mismatch')
    return fail(
      t({
        en: `All ${bytes} bytes arrived, but they hash to ${String(received.sha256)}, while your header said ${String(received.expected)}. Send the hash of the whole file, computed over exactly the bytes you send.`,
        zh: `${bytes} 个字节都到了，但它们的哈希是 ${String(received.sha256)}，而你的头部写的是 ${String(received.expected)}。头部里要放整个文件的哈希，而且正是按你发送的这些字节算出来的。`,
      }),
    );
  if (original && received.sha256 !== original.sha256)
    return fail(
      t({
        en: `The receiver got an intact file, but not the one the sender sent first (${original.name}, ${original.size} bytes, sha256 ${original.sha256}): it got ${bytes} bytes hashing to ${String(received.sha256)}. Send the first file you saved, byte for byte.`,
        zh: `接收方收到了一个完整的文件，但不是发送方发来的第一个文件（${original.name}，${original.size} 字节，sha256 ${original.sha256}）：它收到的是 ${bytes} 字节，哈希为 ${String(received.sha256)}。请把你保存的第一个文件原样发过去。`,
      }),
    );
  return pass(
    t({
      en: `The receiver got all ${bytes} bytes of ${String(received.name)} and its sha256 matched: it answered OK.`,
      zh: `接收方收齐了 ${String(received.name)} 的全部 ${bytes} 字节，sha256 一致：它回复了 OK。`,
    }),
  );
}

/** Why no file reached the receiver at all. */
function notDelivered(run: RunRecord, headerError: Report | undefined, t: Translate): string {
  if (headerError)
    return t({
      en: `The receiver could not read your header (${String(headerError.reason)}): send one line of JSON, json.dumps({"name": name, "size": size, "sha256": sha256}) + "\\n", encoded as UTF-8, before the file's bytes.`,
      zh: `接收方读不懂你的头部（${String(headerError.reason)}）：在文件字节之前，先发一行 JSON：json.dumps({"name": name, "size": size, "sha256": sha256}) + "\\n"，用 UTF-8 编码。`,
    });
  if (reportsOf(run, RECEIVER, 'header').length > 0)
    return t({
      en: `The receiver read your header, but the file never finished arriving before the run ended. ${explainEnd(run, PROGRAM, t)}`,
      zh: `接收方读到了你的头部，但直到运行结束文件也没有传完。${explainEnd(run, PROGRAM, t)}`,
    });
  return t({
    en: `Nothing reached the receiver: after saving the files, connect to 127.0.0.1:${PROXY_PORT} and send the first one. ${explainEnd(run, PROGRAM, t)}`,
    zh: `接收方什么也没收到：保存完文件之后，连接 127.0.0.1:${PROXY_PORT}，把第一个文件发过去。${explainEnd(run, PROGRAM, t)}`,
  });
}

/** Numbers printed on the program's lines, in order. */
const printedNumbers = (run: RunRecord): number[] =>
  stdoutLines(run, PROGRAM)
    .filter((line) => !/[0-9a-f]{64}/.test(line) || /\bs\b|秒|bytes\/s/.test(line))
    .flatMap((line) =>
      (line.replace(/[0-9a-f]{64}/g, '').match(/\d+(?:\.\d+)?/g) ?? []).map(Number),
    );

/** The program printed the seconds the transfer took and its throughput, as the formula says. */
function timingMeasured(run: RunRecord, t: Translate): CheckOutcome {
  const received = reportsOf(run, RECEIVER, 'received')[0];
  if (!received?.ok)
    return fail(
      t({
        en: 'No file arrived intact at the receiver, so there is no transfer to time yet: see the check above.',
        zh: '还没有文件完整到达接收方，所以也就没有可计时的传输：请先看上面那项检查。',
      }),
    );
  const size = Number(received.size);
  const rtt = (2 * DELAY_MS) / 1000;
  const formula = rtt + size / RATE;
  const peerSeconds = Number(received.elapsedMs) / 1000;
  // The learner's clock also holds the connect and the answer's way back: about peer + RTT.
  const low = Math.min(formula, peerSeconds + rtt) * 0.85;
  const high = Math.max(formula, peerSeconds + rtt) * 1.3 + 0.3;
  const numbers = printedNumbers(run);
  const seconds = numbers.find((value) => value >= low && value <= high);
  const formulaText = `RTT + N/R = ${rtt} s + ${size} B / ${RATE} B/s = ${formula.toFixed(2)} s`;
  const said = t({
    en: `The formula gives ${formulaText}; the receiver saw the file's bytes arrive over ${peerSeconds.toFixed(2)} s (N/R, after the first ${DELAY_MS} ms of delay).`,
    zh: `公式给出 ${formulaText}；接收方看到文件字节在 ${peerSeconds.toFixed(2)} 秒内陆续到达（即 N/R，在最初 ${DELAY_MS} 毫秒的延迟之后）。`,
  });
  if (seconds === undefined)
    return fail(
      t({
        en: `${said} No number you printed lies between ${low.toFixed(2)} and ${high.toFixed(2)} s. Time the transfer with time.perf_counter() from before connecting to the receiver until its answer arrived, and print the seconds.`,
        zh: `${said} 你打印的数字里没有一个落在 ${low.toFixed(2)} 到 ${high.toFixed(2)} 秒之间。用 time.perf_counter() 从连接接收方之前开始计时，到收到它的回复为止，然后打印出秒数。`,
      }),
      numbers.length > 0 ? numbers.join(' ') : undefined,
    );
  const expected = size / seconds;
  const rate = numbers.find((value) => Math.abs(value - expected) <= expected * 0.1);
  if (rate === undefined)
    return fail(
      t({
        en: `${said} You measured ${seconds} s, so the throughput was ${size} / ${seconds} ≈ ${Math.round(expected)} bytes/s, and no number you printed is within 10% of that. Print size / seconds as bytes per second.`,
        zh: `${said} 你测得 ${seconds} 秒，所以吞吐量是 ${size} / ${seconds} ≈ ${Math.round(expected)} 字节/秒，而你打印的数字里没有一个与它相差在 10% 以内。请把 size / seconds 按字节每秒打印出来。`,
      }),
    );
  return pass(
    t({
      en: `You measured ${seconds} s and ${Math.round(rate)} bytes/s. ${said} The link's bandwidth R = ${RATE} bytes/s bounds your throughput; the RTT adds ${rtt} s once.`,
      zh: `你测得 ${seconds} 秒、${Math.round(rate)} 字节/秒。${said} 链路带宽 R = ${RATE} 字节/秒限制了你的吞吐量；RTT 只额外加了一次 ${rtt} 秒。`,
    }),
  );
}

export default defineLesson({
  // The sender is reached directly (fast): reading exactly "size" bytes is what is judged
  // there. File 1 then goes to the receiver through a proxy with a delay D each way and a
  // bandwidth R, so the transfer takes about RTT + N/R and send() returns short.
  processes: [
    { peer: 'file-sender', name: SENDER, port: SENDER_PORT, options: { sizes: SIZES } },
    {
      peer: 'file-receiver',
      name: RECEIVER,
      port: RECEIVER_PORT,
      options: { idleTimeoutMs: 2000 },
    },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: PROXY_PORT,
      options: { target: RECEIVER_PORT, delayMs: DELAY_MS, bandwidthBytesPerSecond: RATE },
    },
    { file: PROGRAM },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'saved-every-file',
      title: {
        en: 'You saved every file and printed its sha256',
        zh: '你保存了每个文件，并打印出它的 sha256',
      },
      run: savedEveryFile,
    },
    {
      id: 'file-delivered',
      title: {
        en: 'The receiver got the first file whole, hash verified',
        zh: '接收方完整收到了第一个文件，哈希校验通过',
      },
      run: fileDelivered,
    },
    {
      id: 'timing-measured',
      title: {
        en: 'You measured the transfer time and throughput',
        zh: '你测出了传输时间和吞吐量',
      },
      run: timingMeasured,
    },
    {
      id: 'program-finished',
      title: { en: 'Your program finished without an error', zh: '你的程序正常结束，没有报错' },
      run: (run, t) => processFinished(run, PROGRAM, t),
    },
  ],
});
