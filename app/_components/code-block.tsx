'use client';

import { isValidElement, useEffect, useState } from 'react';
import type { ComponentProps, ReactElement } from 'react';
import { scrollRegion, useOverflows } from './use-overflows.ts';
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
  const [html, setHtml] = useState<string | null>(null);
  const t = useUiText();
  const [box, scrolls] = useOverflows<HTMLPreElement>();

  useEffect(() => {
    if ((language !== 'python' && language !== 'py') || text === null) return;
    let cancelled = false;
    void import('./monaco-setup.ts')
      .then(({ monaco }) =>
        monaco.editor.colorize(text.replace(/\n$/, ''), 'python', { tabSize: 4 }),
      )
      .then((coloured) => {
        if (!cancelled) setHtml(coloured);
      });
    return () => {
      cancelled = true;
    };
  }, [language, text]);

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
