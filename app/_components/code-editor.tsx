'use client';

import { useEffect, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import type { SourceFile } from '../../lib/protocol.ts';
import type * as MonacoSetup from './monaco-setup.ts';
import { useDarkMode } from './use-dark-mode.ts';
import styles from './code-editor.module.css';

type MonacoModule = typeof MonacoSetup;

/**
 * The Monaco editor with one model per lesson file. Monaco is loaded from an effect (it needs the
 * DOM); until then the file is shown as plain text in the same place, so nothing jumps.
 */
export function CodeEditor({
  slug,
  loaded,
  active,
  label,
  describedBy,
  loadingText,
  onChange,
  onRun,
  reveal,
}: {
  slug: string;
  loaded: { files: SourceFile[]; revision: number };
  active: string;
  label: string;
  /** The id of the text that tells how to leave the editor by keyboard (Tab is an indent here). */
  describedBy: string;
  loadingText: string;
  onChange: (name: string, content: string) => void;
  onRun: () => void;
  /** A line to show and put the cursor on (a traceback link); a new nonce asks again. */
  reveal?: { file: string; line: number; nonce: number } | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [api, setApi] = useState<{
    module: MonacoModule;
    editor: Monaco.editor.IStandaloneCodeEditor;
  } | null>(null);
  const dark = useDarkMode();
  const callbacks = useRef({ onChange, onRun });
  useEffect(() => {
    callbacks.current = { onChange, onRun };
  });
  // Set while the app itself replaces a model's text (restore, reset), so that isn't an edit.
  const applying = useRef(false);
  // Cursor and scroll position per file, so switching tabs comes back to the same place.
  const viewStates = useRef(new Map<string, Monaco.editor.ICodeEditorViewState | null>());

  useEffect(() => {
    let editor: Monaco.editor.IStandaloneCodeEditor | undefined;
    let cancelled = false;
    void import('./monaco-setup.ts').then((module) => {
      if (cancelled || !host.current) return;
      editor = createEditor(module, host.current, () => callbacks.current.onRun());
      editor.onDidChangeModelContent(() => {
        const model = editor?.getModel();
        if (model && !applying.current)
          callbacks.current.onChange(fileName(model), model.getValue());
      });
      setApi({ module, editor });
    });
    return () => {
      cancelled = true;
      editor?.dispose();
    };
  }, []);

  // Dispose this lesson's models when leaving it, so another lesson starts clean.
  useEffect(() => {
    if (!api) return;
    return () => {
      for (const model of api.module.monaco.editor.getModels()) {
        if (model.uri.path.startsWith(`/${slug}/`)) model.dispose();
      }
    };
  }, [api, slug]);

  useEffect(() => {
    if (!api) return;
    applying.current = true;
    for (const file of loaded.files) {
      const model = ensureModel(api.module, slug, file);
      if (model.getValue() !== file.content) model.setValue(file.content);
    }
    applying.current = false;
  }, [api, slug, loaded]);

  useEffect(() => {
    if (!api) return;
    const model = api.module.monaco.editor.getModel(fileUri(api.module, slug, active));
    const current = api.editor.getModel();
    if (!model || current === model) return;
    if (current) viewStates.current.set(fileName(current), api.editor.saveViewState());
    api.editor.setModel(model);
    const saved = viewStates.current.get(active);
    if (saved) api.editor.restoreViewState(saved);
    // The tab changes at once, Monaco's model a render later: this says which file typing edits.
    host.current?.setAttribute('data-file', active);
  }, [api, slug, active, loaded]);

  // After the model switch above (effects run in order): the file shown is the one to reveal.
  useEffect(() => {
    if (!api || !reveal || reveal.file !== active) return;
    const model = api.editor.getModel();
    if (!model || fileName(model) !== reveal.file) return;
    const line = Math.min(Math.max(reveal.line, 1), model.getLineCount());
    api.editor.setPosition({
      lineNumber: line,
      column: model.getLineFirstNonWhitespaceColumn(line) || 1,
    });
    api.editor.revealLineInCenter(line);
    api.editor.focus();
  }, [api, reveal, active]);

  useEffect(() => {
    api?.module.monaco.editor.setTheme(api.module.themeFor(dark));
  }, [api, dark]);

  useEffect(() => {
    api?.editor.updateOptions({ ariaLabel: label });
  }, [api, label]);

  // Monaco has no option for a description; its input element (a textarea or an EditContext
  // element, role textbox) keeps attributes it does not manage.
  useEffect(() => {
    api?.editor
      .getDomNode()
      ?.querySelector('[role="textbox"]')
      ?.setAttribute('aria-describedby', describedBy);
  }, [api, describedBy]);

  const placeholder = loaded.files.find((f) => f.name === active)?.content ?? '';
  return (
    <div className={styles.editor}>
      <div ref={host} className={styles.host} data-testid="code-editor" />
      {!api && (
        <pre className={styles.placeholder} aria-busy="true" aria-label={loadingText}>
          {placeholder}
        </pre>
      )}
    </div>
  );
}

function createEditor(module: MonacoModule, host: HTMLElement, run: () => void) {
  const { monaco } = module;
  const editor = monaco.editor.create(host, {
    model: null,
    automaticLayout: true,
    fontFamily: getComputedStyle(document.body).getPropertyValue('--font-mono'),
    fontSize: 13.5,
    lineHeight: 21,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    tabSize: 4,
    insertSpaces: true,
    detectIndentation: false,
    padding: { top: 12, bottom: 12 },
    renderLineHighlight: 'line',
    overviewRulerLanes: 0,
    scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
    fixedOverflowWidgets: true,
    theme: module.themeFor(window.matchMedia('(prefers-color-scheme: dark)').matches),
  });
  // Ctrl/Cmd+Enter runs, rather than Monaco's "insert line below".
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
  return editor;
}

function fileUri(module: MonacoModule, slug: string, name: string): Monaco.Uri {
  return module.monaco.Uri.from({ scheme: 'file', path: `/${slug}/${name}` });
}

function fileName(model: Monaco.editor.ITextModel): string {
  return model.uri.path.split('/').pop() ?? '';
}

function ensureModel(
  module: MonacoModule,
  slug: string,
  file: SourceFile,
): Monaco.editor.ITextModel {
  const uri = fileUri(module, slug, file.name);
  return (
    module.monaco.editor.getModel(uri) ??
    module.monaco.editor.createModel(file.content, 'python', uri)
  );
}
