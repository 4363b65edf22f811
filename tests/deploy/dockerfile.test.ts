import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_REQUIREMENTS, servePackages } from '../../sandbox-server/host/requirements.ts';

const dockerfile = DockerfileParser.parse(readFileSync('deploy/Dockerfile', 'utf8'));

/** Each stage's instructions by its `AS` name. */
function stages(): Map<string, Instruction[]> {
  const byStage = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      current = [];
      byStage.set(instruction.getArguments().at(-1)!.getValue(), current);
    } else current.push(instruction);
  }
  return byStage;
}

const byStage = stages();
const text = (i: Instruction) => i.getArgumentsContent() ?? '';
const runs = (stage: string) =>
  byStage
    .get(stage)!
    .filter((i) => i.getKeyword() === 'RUN')
    .map(text);

describe('deploy/Dockerfile', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'handshake-dockerfile-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds in stages from Debian 12 slim with Node 24', () => {
    expect([...byStage.keys()]).toEqual(['build', 'host-packages', 'runtime']);
    const image = dockerfile
      .getInitialARGs()
      .find((a) => a.getProperty()?.getName() === 'NODE_IMAGE');
    expect(image?.getProperty()?.getValue()).toBe('node:24-bookworm-slim');
    for (const from of dockerfile.getFROMs()) expect(from.getImage()).toBe('${NODE_IMAGE}');
  });

  it('the build stage installs from the lockfile and builds the app', () => {
    expect(runs('build').join('\n')).toMatch(/npm ci\b[\s\S]*next build/);
  });

  it('reads the Debian packages from host/requirements.ts: the stage, run as written, prints the serve list', () => {
    const stage = byStage.get('host-packages')!;
    const copies = stage.filter((i) => i.getKeyword() === 'COPY').map(text);
    expect(copies).toEqual(['sandbox-server/ sandbox-server/']);
    cpSync('sandbox-server', path.join(work, 'sandbox-server'), { recursive: true });
    const [command] = runs('host-packages');
    expect(command).toBe('node sandbox-server/host/requirements.ts serve > /host-packages.txt');
    const out = execFileSync('sh', ['-c', command!.replace('/host-packages.txt', 'packages.txt')], {
      cwd: work,
    });
    expect(readFileSync(path.join(work, 'packages.txt'), 'utf8').trim()).toBe(
      servePackages().join(' '),
    );
    expect(out.toString()).toBe('');
  });

  it('the runtime installs exactly that list, and names no package itself', () => {
    const install = runs('runtime').find((r) => r.includes('apt-get install'))!;
    expect(install).toMatch(/apt-get install -y --no-install-recommends \$\(cat (\S+)\)/);
    const file = /\$\(cat (\S+)\)/.exec(install)![1];
    const copy = byStage.get('runtime')!.find((i) => i.getKeyword() === 'COPY')!;
    expect(copy.getTextContent()).toBe(`COPY --from=host-packages /host-packages.txt ${file}`);
    for (const { package: name } of HOST_REQUIREMENTS) {
      expect(runs('runtime').join('\n'), name).not.toMatch(new RegExp(`(^|\\s)${name}(\\s|$)`));
    }
  });

  it('runs the app as nobody by default', () => {
    const runtime = byStage.get('runtime')!;
    const users = runtime.filter((i) => i.getKeyword() === 'USER').map(text);
    expect(users.at(-1)).toBe('65534:65534');
    expect(runtime.at(-1)!.getKeyword()).toBe('CMD');
  });
});
