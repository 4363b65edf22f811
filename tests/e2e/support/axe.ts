/**
 * axe-core (through @axe-core/playwright) against WCAG 2.1 A and AA, reporting each violation as
 * one line a developer can act on: where, which rule, how bad, which elements and why.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Impacts that fail the check; moderate and minor ones are fixed when cheap, not enforced. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * The serious and critical WCAG 2.1 AA violations on the page as it is now, one line each:
 * `where: rule (impact) at selector: what axe measured`.
 */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  // Legacy mode runs axe in the page itself, rather than finishing each run in a new page: twice as
  // fast, and the app has no iframes (the only thing legacy mode skips).
  const results = await new AxeBuilder({ page }).withTags(TAGS).setLegacyMode().analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .flatMap((violation) =>
      violation.nodes.map((node) => {
        const why = [...node.any, ...node.all, ...node.none]
          .map((check) => check.message)
          .join(' ');
        return `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ${why}`;
      }),
    );
}
