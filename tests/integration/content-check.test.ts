/**
 * The content check on a lesson folder outside the repository (as HANDSHAKE_CONTENT_DIR may be):
 * its check.ts imports the kit by name, its solution passes, and a named wrong program that the
 * checks fail to catch is reported — the check itself is the bug there.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import { checkLesson } from '../../sandbox-server/authoring/content-check.ts';
import { Judge } from '../../sandbox-server/judge/judge.ts';
import { SandboxHost } from '../../sandbox-server/run/sandbox-host.ts';

const CONTENT = mkdtempSync(path.join(tmpdir(), 'handshake-content-'));
const judge = new Judge(CONTENT);
const host = new SandboxHost();
afterAll(async () => {
  judge.close();
  await host.disposeAsync();
  rmSync(CONTENT, { recursive: true, force: true });
});

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(CONTENT, rel)), { recursive: true });
  writeFileSync(path.join(CONTENT, rel), text);
}

const prose = (lang: string) =>
  `---\nid: echo-once\ntitle: Echo ${lang}\nsummary: Send and print.\n---\n\n<Hints><Hint>one</Hint><Hint>two</Hint></Hints>\n\n[next](/${lang}/lessons/echo-once)\n`;

const client = (body: string) =>
  `import socket\nwith socket.create_connection(("127.0.0.1", 8080)) as s:\n${body}`;

write('01-echo-once/index.en.mdx', prose('en'));
write('01-echo-once/index.zh.mdx', prose('zh'));
write('01-echo-once/starter/client.py', 'print("todo")\n');
write(
  '01-echo-once/solution/client.py',
  client('    s.sendall(b"hi there\\n")\n    print(s.recv(100).decode().strip())\n'),
);
// A naive check: it looks for the text the client sent, which a constant printer also prints.
write(
  '01-echo-once/check.ts',
  `import { defineLesson } from '@handshake/lesson';
export default defineLesson({
  processes: [{ peer: 'tcp-echo', port: 8080 }, { file: 'client.py' }],
  limits: { wallSeconds: 5 },
  checks: [{
    id: 'printed-echo',
    title: { en: 'Printed the echo', zh: '打印了回显' },
    run: (run, t) => ({
      pass: (run.processes['client.py']?.stdout ?? '').includes('hi there'),
      message: t({ en: 'looked for the echo', zh: '找了回显' }),
    }),
  }],
});
`,
);
write('01-echo-once/wrong/constant/client.py', 'print("hi there")\n');
write(
  '01-echo-once/wrong/constant/expect.json',
  JSON.stringify({ fails: ['printed-echo'], why: { en: 'never reads', zh: '从不读取' } }),
);

describe('content check', () => {
  it('proves a lesson that lives outside the repository, and catches a check a wrong program fools', async () => {
    const [folder] = listLessonFolders(CONTENT);
    const report = await checkLesson(CONTENT, folder!, { judge, host });
    const byWhat = new Map(report.findings.map((finding) => [finding.what, finding]));
    expect(byWhat.get('solution passes every check (en)')?.ok).toBe(true);
    expect(byWhat.get('solution passes every check (zh)')?.ok).toBe(true);
    expect(byWhat.get('starter fails a check')?.ok).toBe(true);
    expect(byWhat.get('has one stable id in every language')?.ok).toBe(true);
    expect(byWhat.get('index.en.mdx links resolve')?.ok).toBe(true);
    expect(byWhat.get('wrong/constant fails printed-echo')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('pass printed-echo'),
    });
    expect(report.ok).toBe(false);
  });
});
