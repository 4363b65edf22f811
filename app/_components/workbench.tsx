'use client';

import { useCallback, useEffect, useId, useState, useSyncExternalStore } from 'react';
import { isActive } from '../../lib/client/run-state.ts';
import type { Lang, SourceFile } from '../../lib/protocol.ts';
import { ChecksPanel } from './checks-panel.tsx';
import { CodeEditor } from './code-editor.tsx';
import { ConnectionBadge } from './connection-badge.tsx';
import { FileTabs } from './file-tabs.tsx';
import { ResetDialog } from './reset-dialog.tsx';
import { SeedControl } from './seed-control.tsx';
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
  sandboxUrl,
}: {
  slug: string;
  lang: Lang;
  starter: SourceFile[];
  sandboxUrl: string | null;
}) {
  const t = useUiText();
  const files = useLessonFiles(slug, starter);
  const sandbox = useSandbox({ url: sandboxUrl, lesson: slug, lang });
  const [confirmReset, setConfirmReset] = useState(false);
  const editorId = useId();
  const editorHintId = useId();
  const ready = sandbox.connection.state === 'ready';
  const active = isActive(sandbox.run);

  const { start } = sandbox;
  const { snapshot } = files;
  const run = useCallback(() => {
    if (ready) start(snapshot());
  }, [ready, start, snapshot]);
  const rerun = useCallback(
    (seed: number) => {
      if (ready) start(snapshot(), seed);
    },
    [ready, start, snapshot],
  );

  useRunShortcut(run);

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
            <CodeEditor
              slug={slug}
              loaded={files.loaded}
              active={files.active}
              label={t.editorLabel(files.active)}
              describedBy={editorHintId}
              loadingText={t.loadingEditor}
              onChange={files.change}
              onRun={run}
            />
            <EditorHint id={editorHintId} />
          </div>
        }
        second={
          <OutputPanel
            sandbox={sandbox}
            sandboxUrl={sandboxUrl}
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
  sandbox,
  sandboxUrl,
  lesson,
  onRerun,
  ready,
}: {
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
