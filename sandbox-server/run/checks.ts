/**
 * Runs a lesson's checks against the finished run. Each check gets the record and a translator
 * for the learner's language; a check that throws, returns nonsense or takes too long is
 * reported as `error` (a broken check is never shown as the learner's failure).
 */
import type { CheckDefinition, CheckOutcome, RunRecord } from '../../lib/lessons/define.ts';
import type { CheckResult, Lang } from '../../lib/protocol.ts';

/** Runs every check in order and returns one result each. */
export async function runChecks(
  checks: CheckDefinition[],
  record: RunRecord,
  lang: Lang,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runOne(check, record, lang, timeoutMs));
  return results;
}

async function runOne(
  check: CheckDefinition,
  record: RunRecord,
  lang: Lang,
  timeoutMs: number,
): Promise<CheckResult> {
  const title = check.title[lang];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the check did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve().then(() => check.run(record, (text) => text[lang])),
      timeout,
    ]);
    if (!isOutcome(outcome))
      throw new Error('the check returned something other than { pass, message }');
    return {
      id: check.id,
      title,
      status: outcome.pass ? 'pass' : 'fail',
      message: outcome.message,
      ...(outcome.details === undefined ? {} : { details: outcome.details }),
    };
  } catch (error) {
    return {
      id: check.id,
      title,
      status: 'error',
      message: `this check is broken: ${errorText(error)}`,
    };
  } finally {
    clearTimeout(timer);
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
