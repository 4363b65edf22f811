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
// prose code blocks (--code-bg), which Monaco colours too, and on the solution comparison's tinted
// changed lines and changed characters (stacked). The base themes' Python number, type and comment
// (light) and keyword, string and comment (dark) colours fall short there, so they are darkened or
// lightened in hue; the diff tints are kept faint enough for every token (computed with each token
// over editor background, highlighted line, line tint and character tint).
monaco.editor.defineTheme('handshake-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'number', foreground: '066a45' },
    { token: 'type', foreground: '006363' },
    { token: 'comment', foreground: '006600' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editor.lineHighlightBackground': '#f4f6fa',
    'editorLineNumber.foreground': '#687080',
    'editorLineNumber.dimmedForeground': '#687080',
    'editorLineNumber.activeForeground': '#1b1f27',
    'editorIndentGuide.background1': '#eceef2',
    'diffEditor.insertedLineBackground': '#2da44e18',
    'diffEditor.insertedTextBackground': '#2da44e28',
    'diffEditor.removedLineBackground': '#cf222e10',
    'diffEditor.removedTextBackground': '#cf222e18',
  },
});

monaco.editor.defineTheme('handshake-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'keyword', foreground: '6cb0e8' },
    { token: 'string', foreground: 'dba285' },
    { token: 'comment', foreground: '7fb36a' },
  ],
  colors: {
    'editor.background': '#15181d',
    'editor.lineHighlightBackground': '#1b1f26',
    'editorLineNumber.foreground': '#858d9a',
    'editorLineNumber.dimmedForeground': '#858d9a',
    'editorLineNumber.activeForeground': '#e6e8ec',
    'editorIndentGuide.background1': '#232830',
    'diffEditor.insertedLineBackground': '#3fb95018',
    'diffEditor.insertedTextBackground': '#3fb95020',
    'diffEditor.removedLineBackground': '#f8514918',
    'diffEditor.removedTextBackground': '#f8514928',
  },
});

/** The Monaco theme for a colour scheme. */
export function themeFor(dark: boolean): string {
  return dark ? 'handshake-dark' : 'handshake-light';
}

export { monaco };
