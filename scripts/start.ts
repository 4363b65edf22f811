/**
 * `npm start`: check the host, build the app if the build is missing or stale, then serve the
 * app (Next.js, port 3000) and the sandbox server (WebSocket, port 3001) together.
 * `npm run dev` does the same with `next dev`. Either child exiting stops both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkHost, formatProblems } from '../sandbox-server/host-check.ts';

const dev = process.argv.includes('--dev');
const appPort = process.env.PORT ?? '3000';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const nextBin = path.join('node_modules', '.bin', 'next');

/** Newest modification time of the files a production build depends on. */
function newestSourceMtime(): number {
  const roots = ['app', 'lib', 'next.config.mjs', 'package-lock.json', 'tsconfig.json'];
  let newest = 0;
  const visit = (entry: string): void => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) readdirSync(entry).forEach((child) => visit(path.join(entry, child)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  roots.forEach(visit);
  return newest;
}

function buildIfStale(): void {
  const buildId = path.join('.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime()) return;
  console.log('handshake: building the app (first start or sources changed)…');
  const { status } = spawnSync(nextBin, ['build'], { stdio: 'inherit', env });
  if (status !== 0) {
    console.error('handshake: the app build failed; see the output above.');
    process.exit(1);
  }
}

function startChildren(): ChildProcess[] {
  const app = spawn(nextBin, [dev ? 'dev' : 'start', '-p', appPort], { stdio: 'inherit', env });
  const sandbox = spawn(process.execPath, ['sandbox-server/main.ts'], { stdio: 'inherit', env });
  return [app, sandbox];
}

const problems = await checkHost();
if (problems.length > 0) {
  console.error(formatProblems(problems));
  process.exit(1);
}
if (!dev) buildIfStale();

const children = startChildren();
let stopping = false;
const stopAll = (code: number): void => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
};
for (const child of children) child.on('exit', (code) => stopAll(code ?? 1));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
console.log(`handshake: open http://localhost:${appPort}`);
