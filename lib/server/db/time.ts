/** Times as the database stores them: ISO-8601 UTC text, which sorts as it reads. */

/** `at` (default: now) as stored: `2026-01-02T03:04:05.678Z`. */
export function isoTime(at: Date | string | number = new Date()): string {
  return new Date(at).toISOString();
}
