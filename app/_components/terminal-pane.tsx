'use client';

import { useEffect, useRef, useState } from 'react';
import type { ILink, ITheme, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { feedLine } from '../../lib/client/line-discipline.ts';
import type { LineEffect } from '../../lib/client/line-discipline.ts';
import type { ProcessView } from '../../lib/client/run-state.ts';
import type { TerminalFeed } from '../../lib/client/terminal-feed.ts';
import { lastException, linksInLine, tracebackLocations } from '../../lib/client/traceback.ts';
import type { SourceLocation } from '../../lib/client/traceback.ts';
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

/** Output kept per terminal for reading its traceback once the process ends. */
const MAX_TRACEBACK_CHARS = 200_000;

/**
 * One process's terminal: its label, status and time, and an xterm showing its output live.
 * Learner processes take keyboard input through the browser-side line discipline. A traceback's
 * frames in the learner's files are links to that line in the editor, and, once the process
 * has ended, are listed again under the terminal (for the keyboard) with a sentence on what a
 * common socket error means here.
 */
export function TerminalPane({
  process,
  feed,
  acceptsInput,
  onInput,
  learnerFiles = [],
  onOpenLocation = () => {},
  explainError = () => undefined,
}: {
  process: ProcessView;
  feed: TerminalFeed;
  acceptsInput: boolean;
  onInput: (effect: Exclude<LineEffect, { type: 'echo' }>) => void;
  learnerFiles?: readonly string[];
  onOpenLocation?: (location: SourceLocation) => void;
  /** One sentence on the process's last exception, if it is a common socket error. */
  explainError?: (process: string, exception: string) => string | undefined;
}) {
  const t = useUiText();
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const dark = useDarkMode();
  const live = useRef({ acceptsInput, onInput, line: '', learnerFiles, onOpenLocation });
  const help = useErrorHelp(process, feed, learnerFiles, explainError);

  useEffect(() => {
    live.current.acceptsInput = acceptsInput;
    live.current.onInput = onInput;
    live.current.learnerFiles = learnerFiles;
    live.current.onOpenLocation = onOpenLocation;
    if (!acceptsInput) live.current.line = ''; // a finished process has no pending line
  }, [acceptsInput, onInput, learnerFiles, onOpenLocation]);

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
        const links = term.registerLinkProvider({
          provideLinks: (y, callback) => callback(tracebackLinks(term, y)),
        });
        const unsubscribe = feed.subscribe(process.name, (text) => term.write(text));
        const resize = new ResizeObserver(() => fit.fit());
        resize.observe(host.current);
        cleanups.push(
          () => data.dispose(),
          () => links.dispose(),
          unsubscribe,
          () => resize.disconnect(),
          () => term.dispose(),
        );
      },
    );

    /** The traceback frames on buffer line `y` (1-based) that point into the learner's files. */
    function tracebackLinks(term: Terminal, y: number): ILink[] {
      const text = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? '';
      return linksInLine(text, live.current.learnerFiles).map((link) => ({
        range: { start: { x: link.start + 1, y }, end: { x: link.end, y } },
        text: text.slice(link.start, link.end),
        decorations: { underline: true, pointerCursor: true },
        activate: () => live.current.onOpenLocation({ file: link.file, line: link.line }),
      }));
    }

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
      {help && (
        <div
          className={styles.errorHelp}
          role="note"
          aria-label={t.errorHelp.label(process.label)}
          data-testid={`error-help-${process.name}`}
        >
          {help.sentence && <p className={styles.errorSentence}>{help.sentence}</p>}
          {help.locations.length > 0 && (
            <p className={styles.errorLinks}>
              {t.errorHelp.where}{' '}
              {help.locations.map((location) => (
                <button
                  key={`${location.file}:${location.line}`}
                  type="button"
                  className={styles.errorLink}
                  onClick={() => onOpenLocation(location)}
                >
                  {t.errorHelp.goTo(location.file, location.line)}
                </button>
              ))}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * What to say under a learner's terminal once its process has ended: the traceback's places in
 * the learner's files and a sentence on a common socket error; null when there is neither.
 */
function useErrorHelp(
  process: ProcessView,
  feed: TerminalFeed,
  learnerFiles: readonly string[],
  explainError: (process: string, exception: string) => string | undefined,
): { locations: SourceLocation[]; sentence?: string } | null {
  const output = useRef('');
  const [help, setHelp] = useState<{ locations: SourceLocation[]; sentence?: string } | null>(null);
  const ended = process.status !== 'running' && process.status !== 'waiting';

  useEffect(() => {
    output.current = ''; // subscribing replays everything written so far
    return feed.subscribe(process.name, (text) => {
      output.current = (output.current + text).slice(-MAX_TRACEBACK_CHARS);
    });
  }, [feed, process.name]);

  useEffect(() => {
    if (!ended || process.kind !== 'learner') return;
    const locations = tracebackLocations(output.current, learnerFiles);
    const exception = lastException(output.current);
    const sentence = exception ? explainError(process.name, exception) : undefined;
    // The process ended: its output is final, and this reads it once, outside of render.
    setHelp(locations.length > 0 || sentence ? { locations, sentence } : null);
  }, [ended, process.kind, process.name, learnerFiles, explainError]);

  return help;
}
