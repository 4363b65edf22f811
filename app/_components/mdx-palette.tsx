'use client';

/**
 * The components every lesson may use in its MDX without importing them. Authors: see the props
 * documented on each component below (docs/authoring.md lists them too).
 */
import type { ReactNode } from 'react';
import { CodeBlock } from './code-block.tsx';
import { Hints } from './hints.tsx';
import type { MdxComponentName } from '../../lib/lessons/mdx-components.ts';
import { Predict } from './predict.tsx';
import { Quiz } from './quiz.tsx';
import { useUiText } from './ui-text-context.tsx';
import { SequenceDiagram as EmbeddedSequenceDiagram } from './wire/embedded-diagram.tsx';
import type { SequenceDiagramProps } from './wire/embedded-diagram.tsx';
import styles from './mdx-palette.module.css';

type CalloutKind = 'note' | 'tip' | 'warning';

function Callout({
  kind,
  title,
  children,
}: {
  kind: CalloutKind;
  title?: string;
  children: ReactNode;
}) {
  const t = useUiText();
  const heading = title ?? t[kind];
  return (
    <aside className={`${styles.callout} ${styles[kind]}`} aria-label={heading}>
      <p className={styles.calloutTitle}>
        <span aria-hidden="true" className={styles.calloutIcon}>
          {kind === 'warning' ? '!' : kind === 'tip' ? '✦' : 'i'}
        </span>
        {heading}
      </p>
      <div className={styles.calloutBody}>{children}</div>
    </aside>
  );
}

/**
 * `<Note title?>…</Note>`: background or an aside the learner may skip.
 * Props: `title` (string, optional; defaults to "Note" / "注意").
 */
export function Note({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="note" title={title}>
      {children}
    </Callout>
  );
}

/**
 * `<Tip title?>…</Tip>`: a shortcut or good habit.
 * Props: `title` (string, optional; defaults to "Tip" / "小技巧").
 */
export function Tip({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="tip" title={title}>
      {children}
    </Callout>
  );
}

/**
 * `<Warning title?>…</Warning>`: a common mistake or something that will bite.
 * Props: `title` (string, optional; defaults to "Warning" / "警告").
 */
export function Warning({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="warning" title={title}>
      {children}
    </Callout>
  );
}

/**
 * `<Hint title?>…</Hint>`: collapsed until the learner opens it, for gradual help. Inside
 * `<Hints>` it is one level of graduated hints instead (hints.tsx renders it there).
 * Props: `title` (string, optional; defaults to "Hint" / "提示", or "Hint 2 of 3" in `<Hints>`).
 */
export function Hint({ title, children }: { title?: string; children: ReactNode }) {
  const t = useUiText();
  return (
    <details className={styles.hint}>
      <summary>{title ?? t.hint}</summary>
      <div className={styles.hintBody}>{children}</div>
    </details>
  );
}

/**
 * `<SequenceDiagram capture? labels? view? conn? height? caption? />`: the packets of a run as a
 * sequence diagram (with socket-state timelines and a table, and a connection filter).
 * - Without `capture`: the current run on this lesson page, live while it runs.
 * - `capture` (string, optional): a recorded capture shipped in the lesson folder, e.g.
 *   `"./handshake.pcap"` (plain file name, `.pcap`, next to `index.en.mdx`), readable before
 *   running anything and downloadable.
 * - `labels` (object, optional): names for a recording's ports, e.g. `{{ "5000": "server.py" }}`
 *   (keys are a port or `addr:port`); a run names its ports itself.
 * - `view` (`"diagram"` | `"states"` | `"table"`, optional): the view shown first.
 * - `conn` (number, optional): show only this connection at first.
 * - `height` (number, optional): height in pixels, default 380. `caption` (string, optional).
 */
export function SequenceDiagram(props: SequenceDiagramProps) {
  return <EmbeddedSequenceDiagram {...props} />;
}

/** Passed to every lesson's MDX as `components`: exactly the names lib/lessons/mdx-components.ts lists. */
export const mdxPalette = {
  Note,
  Tip,
  Warning,
  Hint,
  Hints,
  Predict,
  Quiz,
  SequenceDiagram,
  pre: CodeBlock,
} satisfies Record<MdxComponentName | 'pre', unknown>;
