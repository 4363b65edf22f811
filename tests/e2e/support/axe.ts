/**
 * axe-core (through @axe-core/playwright) against WCAG 2.1 A and AA, reporting each violation as
 * one line a developer can act on: where, which rule, how bad, which elements and why.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The WCAG rules a colour theme can break; the others see the same page in any theme. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** Impacts that fail the check; moderate and minor ones are fixed when cheap, not enforced. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * The serious and critical WCAG 2.1 AA violations on the page as it is now, one line each:
 * `where: rule (impact) at selector: what axe measured`. `colour` checks only the colour rules.
 */
export async function axeViolations(
  page: Page,
  where: string,
  rules: 'all' | 'colour' = 'all',
): Promise<string[]> {
  // Legacy mode runs axe in the page itself, rather than finishing each run in a new page: twice as
  // fast, and the app has no iframes (the only thing legacy mode skips).
  const axe = new AxeBuilder({ page }).setLegacyMode();
  const results = await (
    rules === 'all' ? axe.withTags(TAGS) : axe.withRules(COLOUR_RULES)
  ).analyze();
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

/**
 * Fails with every violation of the page in light and then dark, each on its own line. Motion is
 * reduced while it looks: the app's colour transitions would otherwise be caught half-way.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    found.push(...(await axeViolations(page, `${colorScheme} ${where}`)));
  }
  if (found.length > 0) throw new Error(`${found.length} violations:\n${found.join('\n')}`);
}
