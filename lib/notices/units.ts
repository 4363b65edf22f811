/**
 * Numbers with their units as each language writes them: `1 MiB`, `100 bytes` / `100 字节`,
 * `10 s` / `10 秒`. Binary units (KiB, MiB) are the same in both: they are what limits are set in.
 */
import type { Lang } from '../protocol.ts';

/** A byte count in its largest whole unit: 1 MiB, 512 KiB, 1.5 MiB, 100 bytes. */
export function formatBytes(bytes: number, lang: Lang): string {
  const MiB = 1024 * 1024;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (lang === 'zh') return `${bytes} 字节`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** Seconds without a needless ".0": `2.5 s`, `0.02 s`, `10 秒`. */
export function formatSeconds(seconds: number, lang: Lang): string {
  const value = String(Number(seconds.toFixed(seconds < 1 ? 2 : 1)));
  return lang === 'zh' ? `${value} 秒` : `${value} s`;
}

/** `1 datagram`, `3 datagrams` (English only: Chinese counts without a plural). */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
