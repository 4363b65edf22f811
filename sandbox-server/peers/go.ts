/**
 * The word that lets a peer begin: its stdin, closed by the run when the start order reaches
 * it, carrying one JSON line with the seed of its faults (config.ts PeerGo). A peer started by
 * hand, without that line, draws a random seed.
 */
import type { Readable } from 'node:stream';
import type { PeerGo } from './config.ts';

/** Most stdin kept: the go line is a few dozen bytes. */
const MAX_GO_CHARS = 1024;

/** Resolves with the go message once `stdin` ends. */
export function readGo(stdin: Readable): Promise<PeerGo> {
  return new Promise((resolve) => {
    let text = '';
    const done = (): void => resolve(parseGo(text));
    stdin.setEncoding('utf8');
    stdin
      .on('data', (chunk: string) => {
        if (text.length < MAX_GO_CHARS) text += chunk;
      })
      .once('end', done)
      .once('error', done);
  });
}

/** The go message in `text`, or one with a random seed, in English. */
export function parseGo(text: string): PeerGo {
  let value: { seed?: unknown; lang?: unknown } = {};
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    // Not a go line: started by hand.
  }
  const lang = value?.lang === 'zh' ? 'zh' : 'en';
  const seed = value?.seed;
  if (Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 0xffffffff)
    return { seed: seed as number, lang };
  return { seed: Math.floor(Math.random() * 0x100000000), lang };
}
