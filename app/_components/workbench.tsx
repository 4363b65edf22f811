'use client';

import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { compareOffered } from '../../lib/client/lesson-progress.ts';
import { isActive } from '../../lib/client/run-state.ts';
import { explainSocketError } from '../../lib/client/socket-error-context.ts';
import type { SourceLocation } from '../../lib/client/traceback.ts';
import { socketErrorSentence } from '../../lib/notices/socket-errors.ts';
import type { Lang, SourceFile } from '../../lib/protocol.ts';
import { ChecksPanel } from './checks-panel.tsx';
import { CodeEditor } from './code-editor.tsx';
import { ConnectionBadge } from './connection-badge.tsx';
import { FileTabs } from './file-tabs.tsx';
import { useLessonSession } from './lesson-session.tsx';
import { ResetDialog } from './reset-dialog.tsx';
import { SeedControl } from './seed-control.tsx';
import { SolutionDiff } from './solution-diff.tsx';
import { describeRun } from './run-status.ts';
import { SplitPane } from './split-pane.tsx';
import { TerminalPane } from './terminal-pane.tsx';
import { useLessonFiles } from './use-lesson-files.ts';
import { useSandbox } from './use-sandbox.ts';
import type { SandboxSession } from './use-sandbox.ts';
import { useUiText } from './ui-text-context.tsx';
import { OutputTabs, useRunWire } from './wire/output-views.tsx';
import type { OutputView } from './wire/output-views.tsx';
import { useCaptureDownload } from './wire/use-capture-download.ts';
import { usePacketSnapshot } from './wire/use-packet-snapshot.ts';
import { WirePanel } from './wire/wire-panel.tsx';
import styles from './workbench.module.css';

/** The right-hand side of a lesson: files, editor, Run/Stop/Reset, terminals and checks. */
export function Workbench({
  slug,
  lang,
  starter,
  solution,
  compareAfterFailedRuns,
  sandboxUrl,
  routed,
}: {
  slug: string;
  lang: Lang;
  starter: SourceFile[];
  /** The reference solution, for "Compare with solution" (empty: no comparison offered). */
  solution: SourceFile[];
  /** Failed runs after which the comparison is offered (a passed run offers it at once). */
  compareAfterFailedRuns: number;
  sandboxUrl: string | null;
  /** The app places each connection on one of several sandbox servers. */
  routed: boolean;
}) {
  const t = useUiText();
  const session = useLessonSession();
  // Saved edits are keyed by the lesson's stable id, so a renamed folder keeps them.
  const files = useLessonFiles(session.lessonId || slug, starter);
  const sandbox = useSandbox({ url: sandboxUrl, routed, lesson: slug, lang });
  const [confirmReset, setConfirmReset] = useState(false);
  // The learner's files as they were when the comparison opened (null: the editor shows).
  const [comparing, setComparing] = useState<SourceFile[] | null>(null);
  const [reveal, setReveal] = useState<(SourceLocation & { nonce: number }) | null>(null);
  const editorId = useId();
  const editorHintId = useId();
  const ready = sandbox.connection.state === 'ready';
  const active = isActive(sandbox.run);
  // The files as the current run got them: tracebacks and error sentences refer to these.
  const ranFiles = useRef<SourceFile[]>([]);

  const { start } = sandbox;
  const { snapshot } = files;
  const run = useCallback(() => {
    if (!ready) return;
    ranFiles.current = snapshot();
    start(ranFiles.current);
  }, [ready, start, snapshot]);
  const rerun = useCallback(
    (seed: number) => {
      if (!ready) return;
      ranFiles.current = snapshot();
      start(ranFiles.current, seed);
    },
    [ready, start, snapshot],
  );

  useRunShortcut(run);

  const { observeRun } = session;
  useEffect(() => observeRun(sandbox.run), [observeRun, sandbox.run]);

  const { setActive } = files;
  const openLocation = useCallback(
    (location: SourceLocation) => {
      setComparing(null);
      setActive(location.file);
      setReveal({ ...location, nonce: Date.now() });
    },
    [setActive],
  );
  const explainError = useCallback(
    (process: string, exception: string) => {
      const explained = explainSocketError(exception, {
        file: process,
        files: ranFiles.current,
        packets: sandbox.packets.snapshot().packets,
      });
      return explained && socketErrorSentence(explained.kind, explained.params, lang);
    },
    [sandbox.packets, lang],
  );
  const canCompare =
    solution.length > 0 && compareOffered(session.progress, compareAfterFailedRuns);
  const closeCompare = useCallback(() => {
    setComparing(null);
    setReveal((previous) => (previous ? { ...previous, nonce: Date.now() } : previous));
    // Back in the editor: focus returns where the learner was typing.
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(
          '[data-testid="code-editor"] [role="textbox"], [data-testid="code-editor"] textarea',
        )
        ?.focus(),
    );
  }, []);

  return (
    <section className={styles.workbench} aria-label={t.workbench}>
      <div className={styles.toolbar}>
        <FileTabs
          names={files.names}
          active={files.active}
          modified={files.modified}
          panelId={editorId}
          onSelect={files.setActive}
        />
        <div className={styles.actions}>
          <ConnectionBadge connection={sandbox.connection} />
          {canCompare && (
            <button
              type="button"
              className="btn btn-ghost"
              aria-pressed={comparing !== null}
              onClick={() => (comparing ? closeCompare() : setComparing(snapshot()))}
              title={
                session.progress.passed
                  ? undefined
                  : t.compare.unlocked(session.progress.failedRuns)
              }
            >
              {t.compare.open}
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={() => setConfirmReset(true)}>
            {t.reset}
          </button>
          <button type="button" className="btn" onClick={sandbox.stop} disabled={!active}>
            <StopIcon /> {t.stop}
          </button>
          <RunButton onRun={run} disabled={!ready} />
        </div>
      </div>
      <SplitPane
        direction="column"
        initial={0.52}
        label={t.resizePanes}
        storageKey="handshake:split:editor"
        first={
          <div
            id={editorId}
            role="tabpanel"
            className={styles.editorPanel}
            aria-label={t.editorLabel(files.active)}
          >
            {comparing && (
              <SolutionDiff
                slug={slug}
                yours={comparing}
                solution={solution}
                initialFile={files.active}
                onClose={closeCompare}
              />
            )}
            {/* The editor stays mounted under the comparison: its undo history and cursor live on. */}
            <div className={styles.editorHolder} hidden={comparing !== null}>
              <CodeEditor
                slug={slug}
                loaded={files.loaded}
                active={files.active}
                label={t.editorLabel(files.active)}
                describedBy={editorHintId}
                loadingText={t.loadingEditor}
                onChange={files.change}
                onRun={run}
                reveal={reveal}
              />
              <EditorHint id={editorHintId} />
            </div>
          </div>
        }
        second={
          <OutputPanel
            learnerFiles={files.names}
            onOpenLocation={openLocation}
            explainError={explainError}
            sandbox={sandbox}
            sandboxUrl={sandbox.runServer ?? sandboxUrl}
            lesson={slug}
            onRerun={rerun}
            ready={ready}
          />
        }
      />
      <ResetDialog
        open={confirmReset}
        onConfirm={files.reset}
        onClose={() => setConfirmReset(false)}
      />
    </section>
  );
}

/** Ctrl/Cmd+Enter anywhere on the page runs (Monaco and xterm hand it on or call run directly). */
function useRunShortcut(run: () => void) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
        event.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [run]);
}

const noSubscription = () => () => {};

/** Whether to show ⌘ rather than Ctrl; false on the server, read once in the browser. */
function useIsMac(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => /Mac|iPhone|iPad/.test(navigator.platform),
    () => false,
  );
}

function RunButton({ onRun, disabled }: { onRun: () => void; disabled: boolean }) {
  const t = useUiText();
  const mac = useIsMac();
  const shortcut = mac ? t.runShortcutMac : t.runShortcut;
  return (
    <button
      type="button"
      className="btn btn-primary"
      onClick={onRun}
      disabled={disabled}
      title={disabled ? t.runDisabled : undefined}
      aria-keyshortcuts={mac ? 'Meta+Enter' : 'Control+Enter'}
    >
      <PlayIcon /> {t.run} <kbd aria-hidden="true">{shortcut}</kbd>
    </button>
  );
}

/** Monaco keeps Tab for indenting; this says how a keyboard user gets out (Monaco's own toggle). */
function EditorHint({ id }: { id: string }) {
  const t = useUiText();
  const mac = useIsMac();
  return (
    <p id={id} className={styles.editorHint}>
      {t.tabFocusHint(mac ? t.tabFocusShortcutMac : t.tabFocusShortcut)}
    </p>
  );
}

function OutputPanel({
  learnerFiles,
  onOpenLocation,
  explainError,
  sandbox,
  sandboxUrl,
  lesson,
  onRerun,
  ready,
}: {
  learnerFiles: string[];
  onOpenLocation: (location: SourceLocation) => void;
  explainError: (process: string, exception: string) => string | undefined;
  sandbox: SandboxSession;
  sandboxUrl: string | null;
  lesson: string;
  onRerun: (seed: number) => void;
  ready: boolean;
}) {
  const t = useUiText();
  const { run, feed, input } = sandbox;
  const [view, setView] = useState<OutputView>('terminals');
  const packets = usePacketSnapshot(sandbox.packets);
  const download = useCaptureDownload(run, packets.packets.length, sandboxUrl, lesson);
  const wire = useRunWire(run, sandbox.packets, download);
  const notice =
    run.finished && run.finished.reason !== 'completed' ? t.notice(run.finished.notice) : null;
  return (
    <div className={styles.output}>
      <div className={styles.statusBar}>
        <span
          role="status"
          aria-live="polite"
          className={styles.runStatus}
          data-phase={run.phase}
          data-testid="run-status"
        >
          {describeRun(run, t)}
        </span>
        <SeedControl seed={run.seed} faults={packets.faults} disabled={!ready} onRerun={onRerun} />
        <OutputTabs view={view} onChange={setView} packets={packets.packets.length} />
      </div>
      {notice && (
        <p className={styles.notice} data-reason={run.finished?.reason}>
          {notice}
        </p>
      )}
      {run.notSaved && (
        <p className={styles.notice} role="status" data-testid="run-not-saved">
          {t.notice(run.notSaved)}
        </p>
      )}
      {/* The terminals stay mounted while hidden: xterm keeps the output. */}
      {run.processes.length === 0 ? (
        <p className={styles.emptyTerminals} hidden={view !== 'terminals'}>
          {run.phase === 'idle' ? t.terminalsHint : ''}
        </p>
      ) : (
        <div
          className={styles.terminals}
          data-count={Math.min(run.processes.length, 3)}
          hidden={view !== 'terminals'}
        >
          {run.processes.map((process) => (
            <TerminalPane
              key={`${run.runId}:${process.name}`}
              process={process}
              feed={feed}
              acceptsInput={process.kind === 'learner' && process.status === 'running'}
              onInput={(effect) => input(process.name, effect)}
              learnerFiles={learnerFiles}
              onOpenLocation={onOpenLocation}
              explainError={explainError}
            />
          ))}
        </div>
      )}
      {view === 'network' && (
        <div className={styles.network}>
          <WirePanel
            snapshot={packets}
            labelOf={wire.labelOf}
            follow
            notice={wire.notice}
            download={download}
            emptyText={run.phase === 'finished' ? t.wire.emptyFinished : t.wire.empty}
          />
        </div>
      )}
      {run.checks && run.checks.length > 0 && <ChecksPanel checks={run.checks} />}
    </div>
  );
}

function PlayIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      <path
        d="M3 1.8v8.4a.6.6 0 0 0 .9.5l6.8-4.2a.6.6 0 0 0 0-1L3.9 1.3a.6.6 0 0 0-.9.5Z"
        fill="currentColor"
      />
    </svg>
  );
}

function StopIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 12 12" aria-hidden="true">
      <rect x="2" y="2" width="8" height="8" rx="1.2" fill="currentColor" />
    </svg>
  );
}
