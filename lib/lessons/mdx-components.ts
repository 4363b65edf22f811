/**
 * The components every lesson's MDX may use without importing them, by name: the app's palette
 * (app/_components/mdx-palette.tsx) must provide exactly these, and compiling a lesson refuses
 * any other capitalized tag that the lesson does not import itself, with its file and line.
 */
export const MDX_COMPONENT_NAMES = [
  'Note',
  'Tip',
  'Warning',
  'Hint',
  'Hints',
  'Predict',
  'Quiz',
  'SequenceDiagram',
] as const;
export type MdxComponentName = (typeof MDX_COMPONENT_NAMES)[number];

const KNOWN = new Set<string>(MDX_COMPONENT_NAMES);

/** A component tag the lesson uses but neither the palette nor its own imports provide. */
export interface UnknownComponent {
  name: string;
  /** 1-based line and column of the tag in the MDX source. */
  line: number;
  column: number;
}

/**
 * The first unknown component in MDX `source`, or undefined. Code (fenced blocks and inline
 * backticks) is skipped: a `<Socket>` in an example is text, not a tag.
 */
export function findUnknownComponent(source: string): UnknownComponent | undefined {
  const imported = new Set(
    [...source.matchAll(/^import\s+(?:(\w+)|\{([^}]*)\})/gm)].flatMap((m) =>
      m[1]
        ? [m[1]]
        : m[2]!.split(',').map((name) =>
            name
              .split(/\s+as\s+/)
              .at(-1)!
              .trim(),
          ),
    ),
  );
  let fenced = false;
  for (const [index, raw] of source.split('\n').entries()) {
    if (/^\s*(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced || /^\s*(```|~~~)/.test(raw)) continue;
    const line = raw.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    for (const match of line.matchAll(/<([A-Z][A-Za-z0-9]*)/g)) {
      const name = match[1]!;
      if (!KNOWN.has(name) && !imported.has(name))
        return { name, line: index + 1, column: match.index + 1 };
    }
  }
  return undefined;
}
