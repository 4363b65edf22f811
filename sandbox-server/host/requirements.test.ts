import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TCPDUMP } from '../capture/tcpdump-command.ts';
import { HOST_TOOLS } from '../jail/host-tools.ts';
import {
  HOST_REQUIREMENTS,
  quickStartInstallLine,
  requirementsTable,
  servePackages,
  testPackages,
} from './requirements.ts';

const repoFile = (name: string) => readFileSync(new URL(`../../${name}`, import.meta.url), 'utf8');

/** The commands of the README's Quick start: its one `sh` block, comments dropped. */
function quickStartCommands(): string[] {
  const section = repoFile('README.md').split('## Quick start')[1]!.split('\n## ')[0]!;
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('the host requirements list', () => {
  it('covers every host program the server runs', () => {
    const provided = HOST_REQUIREMENTS.flatMap((r) =>
      r.provides.flatMap((item) => ('program' in item ? [item.program] : [])),
    );
    for (const program of [...Object.values(HOST_TOOLS), TCPDUMP])
      expect(provided).toContain(program);
  });

  it('is what the README tells a new user to install, verbatim', () => {
    expect(quickStartCommands()).toEqual([
      `apt-get update && ${quickStartInstallLine()}`,
      'npm install && npm start',
    ]);
    expect(quickStartInstallLine()).toContain('python3-seccomp');
  });

  it('is the package table of docs/deploy.md (regenerate: node sandbox-server/host/requirements.ts table)', () => {
    const doc = repoFile('docs/deploy.md');
    const generated =
      /<!-- host-requirements:start[^>]*-->\n\n([\s\S]*?)\n\n<!-- host-requirements:end -->/.exec(
        doc,
      );
    expect(generated?.[1]).toBe(requirementsTable());
  });

  it('is what .ci/run installs, test-only packages included', () => {
    expect(repoFile('.ci/run')).toContain('node sandbox-server/host/requirements.ts test');
    expect(testPackages()).toEqual([...servePackages(), 'chromium', 'postgresql', 'mmdebstrap']);
  });
});
