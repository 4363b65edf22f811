/**
 * Monaco, self-hosted: the full ESM editor (find, suggestions, bracket matching… and every
 * language's highlighting, each loaded only when used), bundled by Next and served by the app.
 * Nothing is fetched from a CDN. Import this only in the browser (from an effect): Monaco touches
 * `window` at module load.
 */
import * as monaco from 'monaco-editor';

self.MonacoEnvironment = {
  // Python needs no language worker; the editor worker does diffing and word completion.
  getWorker: () =>
    new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' }),
};

monaco.editor.defineTheme('handshake-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#ffffff',
    'editor.lineHighlightBackground': '#f4f6fa',
    'editorLineNumber.foreground': '#a3a9b5',
    'editorLineNumber.activeForeground': '#5b6372',
    'editorIndentGuide.background1': '#eceef2',
  },
});

monaco.editor.defineTheme('handshake-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#15181d',
    'editor.lineHighlightBackground': '#1b1f26',
    'editorLineNumber.foreground': '#4d5562',
    'editorLineNumber.activeForeground': '#a1a8b5',
    'editorIndentGuide.background1': '#232830',
  },
});

/** The Monaco theme for a colour scheme. */
export function themeFor(dark: boolean): string {
  return dark ? 'handshake-dark' : 'handshake-light';
}

export { monaco };
