/**
 * A throwaway PostgreSQL for the database tests: Debian's server binaries (package `postgresql`),
 * a cluster in a temp dir (initdb + pg_ctl, as the `postgres` user when we are root, fsync off,
 * a free port on 127.0.0.1), started once per test run by the first test file that asks and
 * stopped by the integration project's global teardown. With HANDSHAKE_TEST_DATABASE_URL set,
 * that server is used instead. Either way each test file gets a database of its own.
 */
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or a message saying what to install. */
export function postgresBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((v) => existsSync(path.join(POSTGRES_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      'the database tests need PostgreSQL: apt-get install -y postgresql, or set HANDSHAKE_TEST_DATABASE_URL',
    );
  return path.join(POSTGRES_ROOT, versions[0]!, 'bin');
}

/** Runs a server program, as `postgres` when we are root (PostgreSQL refuses to run as root). */
function runServerTool(program: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot
    ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, args];
  const result = spawnSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${path.basename(program)} failed (${result.status}): ${result.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Creates and starts a cluster in `dir`; returns the URL of its `postgres` database. */
async function startCluster(dir: string): Promise<string> {
  const bin = postgresBinDir();
  if (process.getuid?.() === 0)
    chownSync(dir, Number(uidOf('postgres')), Number(gidOf('postgres')));
  const data = path.join(dir, 'data');
  runServerTool(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  runServerTool(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-w',
    '-o',
    settings,
    'start',
  ]);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

function uidOf(user: string): string {
  return spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim();
}

function gidOf(user: string): string {
  return spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim();
}

/** The shared cluster's URL, starting it if no test file has yet (mkdir is the lock). */
async function sharedClusterUrl(dir: string): Promise<string> {
  const urlFile = path.join(dir, 'url');
  const lock = path.join(dir, 'lock');
  for (;;) {
    if (existsSync(urlFile)) return readFileSync(urlFile, 'utf8');
    try {
      mkdirSync(lock);
    } catch {
      await sleep(50);
      continue;
    }
    try {
      if (!existsSync(urlFile)) writeFileSync(urlFile, await startCluster(dir));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Stops the cluster in `dir` (if one was started) and removes it: the global teardown. */
export function stopCluster(dir: string): void {
  const data = path.join(dir, 'data');
  if (existsSync(path.join(data, 'postmaster.pid')))
    runServerTool(path.join(postgresBinDir(), 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
  rmSync(dir, { recursive: true, force: true });
}

/** A database of its own for one test file, and how to drop it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server (HANDSHAKE_TEST_DATABASE_URL's, or the shared
 * throwaway cluster whose directory the global setup provides).
 */
export async function createTestDatabase(clusterDir: string | undefined): Promise<TestDatabase> {
  const external = process.env.HANDSHAKE_TEST_DATABASE_URL;
  if (!external && !clusterDir) throw new Error('no PostgreSQL: run under the integration project');
  const admin = external || (await sharedClusterUrl(clusterDir!));
  const name = `handshake_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withClient(
  url: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
