'use client';

import { isValidElement, useEffect, useState } from 'react';
import type { ComponentProps, ReactElement } from 'react';
import { scrollRegion, useOverflows } from './use-overflows.ts';
import { useDarkMode } from './use-dark-mode.ts';
import { useUiText } from './ui-text-context.tsx';

/**
 * Code blocks in lesson prose. They render as plain text first (and on the server); Python blocks
 * are then coloured by Monaco's own tokenizer, which the lesson page loads anyway, so prose and
 * editor highlight alike. A block too wide for the pane scrolls, and then takes the keyboard focus
 * as a named region, so it can be scrolled without a mouse.
 */
export function CodeBlock({ children, ...props }: ComponentProps<'pre'>) {
  const code = isValidElement(children)
    ? (children as ReactElement<{ className?: string; children?: unknown }>)
    : null;
  const className = code?.props.className;
  const language = /language-(\w+)/.exec(className ?? '')?.[1];
  const text = typeof code?.props.children === 'string' ? code.props.children : null;
  const [coloured, setColoured] = useState<{ html: string; dark: boolean } | null>(null);
  const t = useUiText();
  const [box, scrolls] = useOverflows<HTMLPreElement>();
  const dark = useDarkMode();

  useEffect(() => {
    if ((language !== 'python' && language !== 'py') || text === null) return;
    let cancelled = false;
    void import('./monaco-setup.ts')
      .then(({ monaco, themeFor }) => {
        // The token classes colorize writes index the current theme's colours: set the page's
        // theme first (the editor may not have yet), and colour again when it changes; until
        // then the block shows plain, not in the colours of the other theme.
        monaco.editor.setTheme(themeFor(dark));
        return monaco.editor.colorize(text.replace(/\n$/, ''), 'python', { tabSize: 4 });
      })
      .then((html) => {
        if (!cancelled) setColoured({ html, dark });
      });
    return () => {
      cancelled = true;
    };
  }, [language, text, dark]);
  const html = coloured?.dark === dark ? coloured.html : null;

  return (
    <pre {...props} ref={box} data-language={language} {...scrollRegion(scrolls, t.codeExample)}>
      {/* colorize escapes the source; the HTML is only Monaco's own token spans. */}
      {html === null ? (
        children
      ) : (
        <code className={className} dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </pre>
  );
}
