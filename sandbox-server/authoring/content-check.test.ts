import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWrongPrograms } from '../../lib/lessons/wrong-programs.ts';
import { brokenLinks, exerciseShape } from './content-check.ts';

const root = mkdtempSync(path.join(tmpdir(), 'handshake-authoring-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

describe('exerciseShape', () => {
  it('tells prose that asks the same things from prose that does not', () => {
    const en =
      '<Hints><Hint>a</Hint><Hint>b</Hint></Hints><Predict id="recv" question="?">x</Predict>';
    const zh =
      '<Hints><Hint>甲</Hint><Hint>乙</Hint></Hints><Predict id="recv" question="？">x</Predict>';
    expect(exerciseShape(en)).toBe(exerciseShape(zh));
    expect(exerciseShape(en)).not.toBe(exerciseShape('<Hints><Hint>a</Hint></Hints>'));
  });
});

describe('brokenLinks', () => {
  it('names links to missing lessons and missing lesson files, and ignores the rest', () => {
    write('01-one/index.en.mdx', '');
    write('01-one/trace.pcap', '');
    const source = [
      '[ok](/en/lessons/one) [gone](/zh/lessons/two) [web](https://example.org)',
      '<SequenceDiagram capture="./trace.pcap" /> <SequenceDiagram capture="./lost.pcap" />',
    ].join('\n');
    expect(brokenLinks(source, path.join(root, '01-one'), root)).toEqual([
      '/zh/lessons/two',
      './lost.pcap',
    ]);
  });
});

describe('readWrongPrograms', () => {
  it('puts a wrong program over the solution and names what it must fail', () => {
    write('02-x/solution/client.py', 'good\n');
    write('02-x/solution/util.py', 'util\n');
    write('02-x/wrong/single-recv/client.py', 'bad\n');
    write(
      '02-x/wrong/single-recv/expect.json',
      JSON.stringify({ fails: ['printed-reply'], why: { en: 'one recv', zh: '只 recv 一次' } }),
    );
    expect(readWrongPrograms(path.join(root, '02-x'))).toEqual([
      {
        name: 'single-recv',
        files: [
          { name: 'client.py', content: 'bad\n' },
          { name: 'util.py', content: 'util\n' },
        ],
        fails: ['printed-reply'],
        why: { en: 'one recv', zh: '只 recv 一次' },
      },
    ]);
  });

  it('names the file when expect.json is missing or wrong', () => {
    write('03-y/wrong/a/client.py', 'x\n');
    expect(() => readWrongPrograms(path.join(root, '03-y'))).toThrow(
      /wrong\/a\/expect\.json: missing/,
    );
    write('03-y/wrong/a/expect.json', '{"fails": []}');
    expect(() => readWrongPrograms(path.join(root, '03-y'))).toThrow(/expect\.json: fails/);
  });
});
