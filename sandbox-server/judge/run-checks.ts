/**
 * Runs a lesson's checks against the finished run. Each check gets the record and a translator
 * for the learner's language; a check that throws, returns nonsense or takes too long is
 * reported as `error` (a broken check is never shown as the learner's failure). Check results
 * are text in the run's language (the author's), so the judge words its own notices the same way.
 */
import type { CheckDefinition, CheckOutcome, RunRecord } from '../../lib/lessons/define.ts';
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { CheckResult, Lang, Notice } from '../../lib/protocol.ts';

/** Runs every check in order and returns one result each. */
export async function runChecks(
  checks: CheckDefinition[],
  record: RunRecord,
  lang: Lang,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runOneCheck(check, record, lang, timeoutMs));
  return results;
}

/** Runs one check; never throws (a broken check is a result with status `error`). */
export async function runOneCheck(
  check: CheckDefinition,
  record: RunRecord,
  lang: Lang,
  timeoutMs: number,
): Promise<CheckResult> {
  const title = check.title[lang];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const notice = { code: 'check-timeout', params: { seconds: timeoutMs / 1000 } } as const;
    timer = setTimeout(() => reject(new CheckBroken(notice)), timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve().then(() => check.run(record, (text) => text[lang])),
      timeout,
    ]);
    if (!isOutcome(outcome)) throw new CheckBroken({ code: 'check-bad-result', params: {} });
    return {
      id: check.id,
      title,
      status: outcome.pass ? 'pass' : 'fail',
      message: outcome.message,
      ...(outcome.details === undefined ? {} : { details: outcome.details }),
    };
  } catch (error) {
    // The check's own words stay with the author's checks; ours are worded in the run's language.
    if (error instanceof CheckBroken)
      return { id: check.id, title, status: 'error', message: renderNotice(error.notice, lang) };
    const message = renderNotice({ code: 'check-threw', params: {} }, lang);
    return { id: check.id, title, status: 'error', message, details: errorText(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** A check that broke in a way this judge noticed (too slow, a malformed result). */
class CheckBroken extends Error {
  readonly notice: Notice;

  constructor(notice: Notice) {
    super(notice.code);
    this.notice = notice;
  }
}

function isOutcome(value: unknown): value is CheckOutcome {
  const outcome = value as CheckOutcome | null;
  return (
    typeof outcome === 'object' &&
    outcome !== null &&
    typeof outcome.pass === 'boolean' &&
    typeof outcome.message === 'string' &&
    (outcome.details === undefined || typeof outcome.details === 'string')
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
