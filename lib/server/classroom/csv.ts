/**
 * The class's progress as CSV: one row per learner × lesson. Every field is quoted, and a field
 * a spreadsheet would take for a formula (starting with =, +, -, @, tab or carriage return) gets
 * a leading apostrophe, so a nickname like `=HYPERLINK(…)` stays text (OWASP "CSV injection").
 */
import type { ProgressCsvRow } from '../db/index.ts';

/** The header row's column names (stable, for scripts that read the file). */
export const CSV_COLUMNS = [
  'nickname',
  'lesson_id',
  'lesson_title',
  'status',
  'attempts',
  'failed_since_pass',
  'first_passed_at',
  'last_run_at',
] as const;

/** One field, neutralized against formulas and quoted. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The whole file (CRLF line ends, as RFC 4180 says), with a title per lesson id. */
export function progressCsv(rows: ProgressCsvRow[], titles: ReadonlyMap<string, string>): string {
  const lines = [CSV_COLUMNS.map(csvField).join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.nickname,
        row.lessonId,
        titles.get(row.lessonId) ?? '',
        row.status,
        row.attempts,
        row.failedSincePass,
        row.firstPassedAt,
        row.lastRunAt,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A Content-Disposition for the class's file: an ASCII fallback name (letters, digits, dashes)
 * and the full UTF-8 name (RFC 6266 `filename*`), so a class called `../"x";\r\n` stays harmless.
 */
export function csvDisposition(className: string): string {
  // Control characters, path separators, quotes and the characters Windows forbids in names.
  const unsafe = /[/\\"';:*?<>|]/g;
  const base = [...className.normalize('NFKC')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('')
    .replace(unsafe, ' ')
    .trim()
    .replace(/^\.+/, ''); // no hidden files
  const ascii =
    base
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'class';
  const full = (base.replace(/\s+/g, '-').slice(0, 80) || 'class') + '-progress.csv';
  return `attachment; filename="${ascii}-progress.csv"; filename*=UTF-8''${encodeURIComponent(full)}`;
}
