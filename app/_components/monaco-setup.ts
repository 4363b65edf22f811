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

// Token and line-number colours meet WCAG AA (4.5:1) on the editor, its highlighted line and the
// prose code blocks (--code-bg), which Monaco colours too. The base themes' Python number and type
// (light) and comment (dark) colours fall short there, so they are darkened or lightened in hue.
monaco.editor.defineTheme('handshake-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'number', foreground: '087a50' },
    { token: 'type', foreground: '007575' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editor.lineHighlightBackground': '#f4f6fa',
    'editorLineNumber.foreground': '#687080',
    'editorLineNumber.dimmedForeground': '#687080',
    'editorLineNumber.activeForeground': '#1b1f27',
    'editorIndentGuide.background1': '#eceef2',
  },
});

monaco.editor.defineTheme('handshake-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '6a9955' }],
  colors: {
    'editor.background': '#15181d',
    'editor.lineHighlightBackground': '#1b1f26',
    'editorLineNumber.foreground': '#858d9a',
    'editorLineNumber.dimmedForeground': '#858d9a',
    'editorLineNumber.activeForeground': '#e6e8ec',
    'editorIndentGuide.background1': '#232830',
  },
});

/** The Monaco theme for a colour scheme. */
export function themeFor(dark: boolean): string {
  return dark ? 'handshake-dark' : 'handshake-light';
}

export { monaco };
