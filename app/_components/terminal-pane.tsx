'use client';

import { useEffect, useRef } from 'react';
import type { ITheme, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { feedLine } from '../../lib/client/line-discipline.ts';
import type { LineEffect } from '../../lib/client/line-discipline.ts';
import type { ProcessView } from '../../lib/client/run-state.ts';
import type { TerminalFeed } from '../../lib/client/terminal-feed.ts';
import { ProcessStatus } from './process-status.tsx';
import { useDarkMode } from './use-dark-mode.ts';
import { useUiText } from './ui-text-context.tsx';
import styles from './terminal-pane.module.css';

const LIGHT: ITheme = {
  background: '#fbfbfc',
  foreground: '#1f2430',
  cursor: '#3656d3',
  cursorAccent: '#fbfbfc',
  selectionBackground: '#c9d5fb',
  red: '#c4302b',
  green: '#177a43',
  yellow: '#925d00',
  blue: '#3656d3',
  brightBlack: '#646c7b',
};

const DARK: ITheme = {
  background: '#101317',
  foreground: '#dfe3ea',
  cursor: '#9bb1ff',
  cursorAccent: '#101317',
  selectionBackground: '#2c3a66',
  red: '#ff7b72',
  green: '#4cc283',
  yellow: '#e3b341',
  blue: '#7f9cff',
  brightBlack: '#8a92a0',
};

/**
 * One process's terminal: its label, status and time, and an xterm showing its output live.
 * Learner processes take keyboard input through the browser-side line discipline.
 */
export function TerminalPane({
  process,
  feed,
  acceptsInput,
  onInput,
}: {
  process: ProcessView;
  feed: TerminalFeed;
  acceptsInput: boolean;
  onInput: (effect: Exclude<LineEffect, { type: 'echo' }>) => void;
}) {
  const t = useUiText();
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const dark = useDarkMode();
  const live = useRef({ acceptsInput, onInput, line: '' });

  useEffect(() => {
    live.current.acceptsInput = acceptsInput;
    live.current.onInput = onInput;
    if (!acceptsInput) live.current.line = ''; // a finished process has no pending line
  }, [acceptsInput, onInput]);

  useEffect(() => {
    let disposed = false;
    const cleanups: Array<() => void> = [];
    void Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]).then(
      ([xterm, fitAddon]) => {
        if (disposed || !host.current) return;
        const term = new xterm.Terminal({
          convertEol: true, // programs print \n; the terminal needs \r\n
          fontFamily: getComputedStyle(document.body).getPropertyValue('--font-mono'),
          fontSize: 13,
          lineHeight: 1.25,
          scrollback: 5000,
          cursorStyle: 'bar',
          cursorInactiveStyle: 'none',
          theme: window.matchMedia('(prefers-color-scheme: dark)').matches ? DARK : LIGHT,
        });
        const fit = new fitAddon.FitAddon();
        term.loadAddon(fit);
        term.open(host.current);
        fit.fit();
        terminal.current = term;
        // Tab moves focus out (no keyboard trap); Ctrl/Cmd+Enter is the page's Run shortcut.
        term.attachCustomKeyEventHandler(
          (event) =>
            event.key !== 'Tab' && !(event.key === 'Enter' && (event.ctrlKey || event.metaKey)),
        );
        const data = term.onData((input) => handleInput(input));
        const unsubscribe = feed.subscribe(process.name, (text) => term.write(text));
        const resize = new ResizeObserver(() => fit.fit());
        resize.observe(host.current);
        cleanups.push(
          () => data.dispose(),
          unsubscribe,
          () => resize.disconnect(),
          () => term.dispose(),
        );
      },
    );

    function handleInput(input: string) {
      if (!live.current.acceptsInput) return;
      const result = feedLine(live.current.line, input);
      live.current.line = result.line;
      for (const effect of result.effects) {
        if (effect.type === 'echo') feed.write(process.name, effect.text);
        else live.current.onInput(effect);
      }
    }

    return () => {
      disposed = true;
      terminal.current = null;
      cleanups.forEach((cleanup) => cleanup());
    };
  }, [feed, process.name]);

  useEffect(() => {
    if (terminal.current) terminal.current.options.theme = dark ? DARK : LIGHT;
  }, [dark]);

  return (
    <section
      className={styles.pane}
      aria-label={t.terminalLabel(process.label)}
      data-process={process.name}
    >
      <header className={styles.header}>
        <span className={styles.label}>
          {process.kind === 'peer' && <span className={styles.peerDot} aria-hidden="true" />}
          {process.label}
        </span>
        <ProcessStatus process={process} />
      </header>
      <div
        ref={host}
        className={styles.terminal}
        title={acceptsInput ? t.typeHint : undefined}
        data-testid={`terminal-${process.name}`}
      />
    </section>
  );
}
