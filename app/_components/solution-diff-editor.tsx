'use client';

/**
 * Monaco's diff editor through @monaco-editor/react, given the app's own self-hosted Monaco
 * (monaco-setup.ts) so nothing is fetched from a CDN. Loaded only in the browser (dynamic import).
 */
import { DiffEditor, loader } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
import { monaco, themeFor } from './monaco-setup.ts';
import { useDarkMode } from './use-dark-mode.ts';

loader.config({ monaco });

/** One file's diff: the learner's text (left) against the solution's (right), both read only. */
export default function SolutionDiffEditor({
  slug,
  file,
  yours,
  solution,
  yoursLabel,
  solutionLabel,
  loading,
}: {
  slug: string;
  file: string;
  yours: string;
  solution: string;
  yoursLabel: string;
  solutionLabel: string;
  loading: string;
}) {
  const dark = useDarkMode();
  // Own model paths: the learner's editor models (file:///slug/name) must stay untouched.
  const paths = [`diff-yours:///${slug}/${file}`, `diff-solution:///${slug}/${file}`] as const;
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

  // The library disposes its models before the diff widget lets go of them (Monaco then throws
  // "TextModel got disposed before DiffEditorWidget model got reset"): detach, then dispose here.
  useEffect(
    () => () => {
      editor.current?.setModel(null);
      for (const path of paths) monaco.editor.getModel(monaco.Uri.parse(path))?.dispose();
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by file: paths never change
    [],
  );

  // A new options object on every render would make the library re-apply them all; kept stable.
  const options = useMemo(
    () => ({
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13.5,
      lineHeight: 21,
      originalAriaLabel: yoursLabel,
      modifiedAriaLabel: solutionLabel,
    }),
    [yoursLabel, solutionLabel],
  );

  return (
    <DiffEditor
      originalModelPath={paths[0]}
      modifiedModelPath={paths[1]}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      onMount={(mounted) => {
        editor.current = mounted;
        keepLabel(mounted.getOriginalEditor(), yoursLabel);
        keepLabel(mounted.getModifiedEditor(), solutionLabel);
      }}
      original={yours}
      modified={solution}
      language="python"
      theme={themeFor(dark)}
      loading={loading}
      options={options}
    />
  );
}

/**
 * Gives one side of the diff its accessible name, and gives it back whenever Monaco takes it away:
 * the diff editor passes `originalAriaLabel`/`modifiedAriaLabel` on to its sides only while they
 * change, so its first options pass (and every later one, e.g. switching to the inline view)
 * leaves both textboxes with an empty aria-label.
 */
function keepLabel(side: monaco.editor.ICodeEditor, label: string): void {
  const restore = () => {
    if (side.getOption(monaco.editor.EditorOption.ariaLabel) !== label)
      side.updateOptions({ ariaLabel: label });
  };
  restore();
  side.onDidChangeConfiguration(restore);
}
