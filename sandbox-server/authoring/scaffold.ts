/**
 * `npm run lesson:new -- <slug>`: a new lesson folder that already works — both languages,
 * starter, solution, a named wrong program and check.ts — so an instructor starts from a lesson
 * that passes the content check and edits it into theirs. The exercise is the smallest honest
 * one: read a per-run greeting from a peer (unknowable in advance) and print it.
 */
import path from 'node:path';

/** The files of a new lesson, by path relative to its folder. */
export function scaffoldLesson(slug: string): Record<string, string> {
  return {
    'index.en.mdx': prose(slug, EN),
    'index.zh.mdx': prose(slug, ZH),
    'starter/client.py': STARTER,
    'solution/client.py': SOLUTION,
    'wrong/constant/client.py': CONSTANT,
    'wrong/constant/expect.json': `${JSON.stringify(
      {
        fails: ['printed-greeting'],
        why: {
          en: 'Prints a greeting it never read: the peer says something new on every run.',
          zh: '打印了一句从未读到的问候：对端每次运行说的都不一样。',
        },
      },
      null,
      2,
    )}\n`,
    'check.ts': CHECK,
  };
}

/** The folder name for `slug` after the lessons already in `existing` (folder names). */
export function nextFolderName(slug: string, existing: string[]): string {
  const numbers = existing.map((name) => Number(/^(\d+)-/.exec(path.basename(name))?.[1] ?? 0));
  const next = Math.max(0, ...numbers) + 1;
  return `${String(next).padStart(2, '0')}-${slug}`;
}

/** Lesson slugs: lowercase words joined by `-` (they become the URL). */
export const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

interface Words {
  title: string;
  summary: string;
  body: string;
  hints: [string, string, string];
}

const EN: Words = {
  title: 'A new lesson',
  summary: 'Read a greeting from a server and print it.',
  body: `A **greeter** (a peer: a small trusted program next to yours) listens on \`127.0.0.1\`,
port \`8080\`. When a client connects, it sends one line of text — different on every run — and
closes the connection. Connect, read the whole line, and print it.

## What is judged

- your client printed the greeter's line (any line of your output that contains it passes);
- your client finished without an error.`,
  hints: [
    'Connect with `socket.create_connection(("127.0.0.1", 8080))`.',
    'One `recv()` may return only part of the line: keep calling it until it returns `b""` (the greeter closes after its line).',
    'Collect the chunks in a list, then `print(b"".join(chunks).decode("utf-8"))`.',
  ],
};

const ZH: Words = {
  title: '新课程',
  summary: '从服务器读取一句问候并打印出来。',
  body: `一个**问候服务器**（对端：与你的程序并排运行的可信小程序）在 \`127.0.0.1\` 的 \`8080\`
端口上监听。客户端连上后，它发送一行文本（每次运行都不同），然后关闭连接。请连接它、读完整行并打印出来。

## 判定内容

- 你的客户端打印了问候服务器发来的那一行（输出中任何包含它的一行都算通过）；
- 你的客户端正常结束，没有报错。`,
  hints: [
    '用 `socket.create_connection(("127.0.0.1", 8080))` 连接。',
    '一次 `recv()` 可能只返回这一行的一部分：不断调用，直到它返回 `b""`（问候服务器发完这一行就会关闭连接）。',
    '把各段数据收集到列表里，再 `print(b"".join(chunks).decode("utf-8"))`。',
  ],
};

function prose(slug: string, words: Words): string {
  const hints = words.hints.map((hint) => `  <Hint>${hint}</Hint>`).join('\n');
  return `---
id: ${slug}
title: ${words.title}
summary: ${words.summary}
---

# ${words.title}

${words.body}

<Hints>
${hints}
</Hints>
`;
}

const STARTER = `import socket

# Connect to 127.0.0.1:8080, read the greeter's whole line, and print it.
print("Hello, world!")
`;

const SOLUTION = `import socket

with socket.create_connection(("127.0.0.1", 8080)) as sock:
    chunks = []
    while True:
        chunk = sock.recv(1024)
        if not chunk:  # the greeter closed: the line is complete
            break
        chunks.append(chunk)
print(b"".join(chunks).decode("utf-8"))
`;

const CONSTANT = `print("Hello, world!")
`;

const CHECK = `import { defineLesson, printedLine, processFinished, sentText } from '@handshake/lesson';

export default defineLesson({
  processes: [
    // {word} and {token} are drawn from the run's seed: a new greeting on every run.
    { peer: 'tcp-greeter', name: 'greeter', port: 8080, options: { greeting: 'Hello, {word} {token}!\\n' } },
    { file: 'client.py' },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'printed-greeting',
      title: { en: "Your client printed the greeter's line", zh: '你的客户端打印了问候服务器发来的那一行' },
      run: (run, t) => {
        const greeting = sentText(run, 'greeter').trim();
        if (greeting && printedLine(run, 'client.py', greeting))
          return { pass: true, message: t({ en: \`It printed "\${greeting}".\`, zh: \`它打印了“\${greeting}”。\` }) };
        return {
          pass: false,
          message: t({
            en: \`The greeter sent "\${greeting}" on this run; no line of your output contains it.\`,
            zh: \`这次运行问候服务器发送的是“\${greeting}”；你的输出中没有任何一行包含它。\`,
          }),
          details: run.processes['client.py']?.stdout,
        };
      },
    },
    {
      id: 'client-finished',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: (run, t) => processFinished(run, 'client.py', t),
    },
  ],
});
`;
