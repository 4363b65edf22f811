/**
 * The placeholders a peer's text options may hold (`{word}`, `{number}`, `{token}`, `{zh}`),
 * each replaced by the peer with a value drawn from the run's seed. Declared here, apart from
 * the drawing (sandbox-server/peers/payload.ts), so the lesson schema can reject a misspelt one
 * without pulling the peers' random numbers into the web app.
 */

/** Every placeholder name, as written between braces. */
export const PLACEHOLDERS = ['word', 'number', 'token', 'zh'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** A brace-enclosed lowercase name: a placeholder, or a misspelling of one. */
export const PLACEHOLDER_PATTERN = /\{([a-z]+)\}/g;

/** The names in `text` that look like placeholders but are none (`{words}`), in order. */
export function unknownPlaceholders(text: string): string[] {
  const known: readonly string[] = PLACEHOLDERS;
  return [...text.matchAll(PLACEHOLDER_PATTERN)]
    .map((match) => match[1]!)
    .filter((name) => !known.includes(name));
}
