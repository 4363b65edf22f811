/**
 * `npm test`: type-check, lint, then every vitest project (unit; integration, lesson content and
 * classroom load against the real sandbox; end-to-end in Chromium). Ends with one plain
 * "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const extraArgs = process.argv.slice(2);

function step(title: string, command: string, args: string[]): number {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  console.log(
    `== ${title}: ${status === 0 ? 'ok' : `failed (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status ?? 1;
}

const bin = (name: string) => path.join('node_modules', '.bin', name);
const report = path.join(mkdtempSync(path.join(tmpdir(), 'handshake-test-')), 'vitest.json');

const failures = [
  step('types', bin('tsc'), ['--noEmit']),
  step('lint', bin('eslint'), ['.', '--max-warnings=0']),
  step('format', bin('prettier'), ['--check', '.', '--log-level=warn']),
  step('tests', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...extraArgs,
  ]),
].filter((status) => status !== 0).length;

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
  };
  passed = results.numPassedTests;
  failed = results.numFailedTests;
} catch {
  failed += 1; // no report: vitest itself failed to run
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failures > 0 || failed > 0 || passed === 0 ? 1 : 0);
