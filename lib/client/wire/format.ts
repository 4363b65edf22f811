/** Numbers as the wire views print them. */

/** A time since the run started: `0.112 ms` under a second, `1.204 s` from there. */
export function formatTime(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(3)} ms` : `${(ms / 1000).toFixed(3)} s`;
}

/** A byte count: `6 B`, `4.8 KiB`, `1.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// One character of a preview, or one whole escape (\n \\ \xHH \u{…}): never cut in two.
const TOKEN = /\\(?:x[0-9a-f]{2}|u\{[0-9a-f]+\}|.)|[\s\S]/gu;

/** `text` cut to at most `max` characters with an ellipsis, never inside an escape such as `\x1b`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const match of text.matchAll(TOKEN)) {
    if (kept.length + match[0].length > max - 1) break;
    kept += match[0];
  }
  return `${kept}…`;
}

/** A time for the diagram's time column, in ms without the unit (the column says ms). */
export function formatMsShort(ms: number): string {
  return ms.toFixed(ms < 10_000 ? 3 : 1);
}
