/**
 * `npm start`: check the host, build the app if the build is missing or stale, then serve the
 * app (Next.js, port 3000) and the sandbox server (WebSocket, port 3001) together.
 * `npm run dev` does the same with `next dev`. Either child exiting stops both.
 *
 * Node older than package.json's engines is refused first, in one line, by require-node.cjs.
 * Started as root (the sandbox needs it), `next start` runs as HANDSHAKE_USER (default nobody),
 * like the sandbox's WebSocket front, wherever that user can reach the checkout
 * (privilege/checkout-access.ts: in place, or through a private bind mount). It only reads
 * .next: serving writes nothing there today, and .next/cache must stay root's, since a later `next build` (as root) trusts what it finds
 * there. `next dev` writes .next as it compiles, so it runs as whoever started it.
 * The data directory (HANDSHAKE_DATA_DIR: the SQLite database, secrets) is made here, mode
 * 0700, owned by the user the app runs as.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { prepareDataDir } from '../lib/server/db/data-dir.ts';
import { ConfigError, loadConfig } from '../sandbox-server/config.ts';
import { checkHost, formatProblems, systemProbe } from '../sandbox-server/host/check.ts';
import {
  checkoutAccess,
  CheckoutAccessError,
  type CheckoutAccess,
} from '../sandbox-server/privilege/checkout-access.ts';
import { unprivilegedUser } from '../sandbox-server/privilege/user.ts';
import { ensureSecretFile, SecretError } from '../lib/server/secrets.ts';

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

/** Makes the build readable by everyone (a umask of 077 at build time would lock the app out). */
function buildReadable(): void {
  if ((statSync(path.join('.next', 'BUILD_ID')).mode & 0o004) !== 0) return;
  spawnSync('/bin/chmod', ['-R', 'o+rX', '.next'], { stdio: 'inherit' });
}

/**
 * Everything that must hold before anything is built; exits with its message if one does not.
 * Resolves with how the unprivileged user reaches the checkout, or null when the app runs as
 * whoever started it (`next dev` writes .next as it compiles; a non-root start drops nothing).
 */
async function preflight(): Promise<CheckoutAccess | null> {
  try {
    const config = loadConfig();
    const problems = await checkHost(systemProbe, { capture: config.capture });
    if (problems.length > 0) exit(formatProblems(problems));
    const taken = await portTaken(Number(appPort));
    if (taken) exit(taken);
    const root = !dev && process.getuid?.() === 0;
    const user = root ? unprivilegedUser(config.user) : undefined;
    // Made here, as root, so the app's user owns it even where it could not create it.
    dataDir(config.dataDir, user);
    // Before either child starts, so the app and the front read one secret and neither races.
    if (!config.secret) ensureSecretFile(config.dataDir, user);
    if (!user) return null;
    return checkoutAccess(user);
  } catch (error) {
    if (error instanceof CheckoutAccessError) exit(error.message);
    if (error instanceof SecretError) exit(`handshake: the shared secret: ${error.message}`);
    if (error instanceof ConfigError)
      exit(`handshake: bad configuration, nothing was started:\n${error.message}`);
    throw error;
  }
}

/** Makes the data directory, or exits with one line naming it. */
function dataDir(dir: string, owner?: { uid: number; gid: number }): void {
  try {
    prepareDataDir(dir, owner);
  } catch (error) {
    exit(
      `handshake: cannot prepare the data directory ${dir} (HANDSHAKE_DATA_DIR): ${(error as Error).message}`,
    );
  }
}

function exit(message: string): never {
  console.error(message);
  process.exit(1);
}

function startApp(access: CheckoutAccess | null): ChildProcess {
  const args = [dev ? 'dev' : 'start', '-p', appPort];
  if (!access) return spawn(nextBin, args, { stdio: 'inherit', env });
  buildReadable();
  const where = access.viaView ? `, seeing this checkout at ${access.root}` : '';
  console.log(`handshake: the web app runs as ${access.user.name}${where}`);
  const {
    file,
    args: argv,
    options,
  } = access.spawnArgs(path.join(access.root, nextBin), args, env);
  return spawn(file, argv, { ...options, stdio: 'inherit' });
}

/** Resolves with a one-line complaint when `port` is taken, else null. */
function portTaken(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      resolve(`handshake: port ${port} is taken (${error.code}); stop what uses it or set PORT.`),
    );
    probe.listen(port, () => probe.close(() => resolve(null)));
  });
}

const access = await preflight();
if (!dev) buildIfStale();
const children = [
  startApp(access),
  spawn(process.execPath, ['sandbox-server/main.ts'], { stdio: 'inherit', env }),
];
let stopping = false;
const stopAll = (code: number): void => {
  if (stopping) return;
  stopping = true;
  // Node may exit on its own once both children are gone: it must still report the failure.
  process.exitCode = code;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
};
for (const child of children) child.on('exit', (code) => stopAll(code ?? 1));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
console.log(`handshake: open http://localhost:${appPort}`);
