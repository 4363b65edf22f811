/**
 * Moving through the sequence diagram without a mouse, and where its header card goes: pure
 * functions of the layout, so the windowed view stays a thin renderer.
 */
import { HEAD_HEIGHT } from './geometry.ts';
import type { Lifeline, Row, SequenceLayout } from './layout.ts';

const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };

/** Rows that take the focus: arrows and bursts (headings and heads are read with them). */
export function isInteractive(row: Row | undefined): boolean {
  return row?.kind === 'packet' || row?.kind === 'burst';
}

/** The row a navigation key moves to from `current`, skipping headings; null for other keys. */
export function keyTarget(rows: readonly Row[], current: number, key: string): number | null {
  const seek = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < rows.length; i += step) if (isInteractive(rows[i])) return i;
    return null;
  };
  if (key === 'Home') return seek(0, 1);
  if (key === 'End') return seek(rows.length - 1, -1);
  const step = KEY_STEPS[key];
  if (step === undefined) return null;
  const target = Math.max(0, Math.min(rows.length - 1, current + step));
  return seek(target, step > 0 ? 1 : -1) ?? seek(target, step > 0 ? -1 : 1);
}

/** The one row Tab reaches: the focused one while it is rendered, else the first in view. */
export function tabbableRow(
  rows: readonly Row[],
  focused: number | null,
  first: number,
  last: number,
): number {
  if (focused !== null && focused >= first && focused <= last && isInteractive(rows[focused]))
    return focused;
  for (let i = first; i <= last; i++) if (isInteractive(rows[i])) return i;
  return -1;
}

/** Per column, the lifeline in it at `row`: the one alive there, else the next, else the last. */
export function columnHeads(layout: SequenceLayout, row: number): Lifeline[] {
  return layout.byColumn.map((indices) => {
    const lifelines = indices.map((i) => layout.lifelines[i]!);
    const current = lifelines.findLast((lifeline) => lifeline.first <= row);
    if (current && current.last >= row) return current;
    return lifelines.find((lifeline) => lifeline.first > row) ?? current!;
  });
}

/** Size the header card is placed for. */
export const CARD = { width: 360, height: 170 } as const;

/**
 * Where the header card of row `index` goes, in drawing coordinates: centred under its arrow
 * (from x1 to x2), or above it when below would leave the view.
 */
export function cardPosition(
  x1: number,
  x2: number,
  offsets: Float64Array,
  index: number,
  view: { top: number; height: number; width: number },
): { left: number; top: number; above: boolean } {
  const middle = (x1 + x2) / 2;
  const left = Math.max(8, Math.min(view.width - CARD.width - 8, middle - CARD.width / 2));
  const rowTop = HEAD_HEIGHT + offsets[index]!;
  const rowBottom = HEAD_HEIGHT + offsets[index + 1]!;
  const bottom = view.top + view.height;
  const above = rowBottom + CARD.height > bottom && rowTop - CARD.height > view.top;
  return { left, top: above ? rowTop + 4 : rowBottom - 2, above };
}
