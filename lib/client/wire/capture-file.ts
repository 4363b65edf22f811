/**
 * Recorded captures a lesson ships next to its prose (`content/NN-slug/handshake.pcap`), named
 * in MDX as `<SequenceDiagram capture="./handshake.pcap" />` and served by the lesson's
 * `captures/[file]` route. Only plain names are allowed: no folders, nothing outside the lesson.
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.pcap$/;

/** The file name of a `capture` prop (`./handshake.pcap` or `handshake.pcap`), or null if unsafe. */
export function captureFileName(capture: string): string | null {
  const name = capture.startsWith('./') ? capture.slice(2) : capture;
  return NAME.test(name) ? name : null;
}

/** The URL the app serves a lesson's recorded capture at. */
export function captureUrl(lang: string, slug: string, name: string): string {
  return `/${encodeURIComponent(lang)}/lessons/${encodeURIComponent(slug)}/captures/${encodeURIComponent(name)}`;
}
