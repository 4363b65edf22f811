/**
 * The peer program as one ES module, bundled from main.ts with esbuild once per server and kept
 * in memory. It reaches the peer's sandbox as a read-only file from an fd, so no host directory
 * (and no application code) is bound into it; one plain .mjs also starts ~80 ms faster than
 * Node stripping TypeScript types file by file.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

let bundle: Promise<string> | undefined;

/** The bundled peer program (built on first use). */
export function peerBundle(): Promise<string> {
  bundle ??= buildBundle().catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

async function buildBundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no peer bundle');
  return file.text;
}
