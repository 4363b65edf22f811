/**
 * Windowing for long diagrams and tables: rows have known heights, so their offsets are one
 * prefix sum and the rows in view are found by binary search; only those are put in the DOM.
 */

/** The top of each row and, last, the total height: `offsets[i]` to `offsets[i + 1]` is row i. */
export function rowOffsets<T>(rows: readonly T[], heightOf: (row: T) => number): Float64Array {
  const offsets = new Float64Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i]! + heightOf(rows[i]!);
  return offsets;
}

/** The index of the row at height `y` (clamped to the rows). */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid]! <= y) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The rows to render for a viewport at `top` of `height`, with `overscan` rows either side. */
export function visibleRows(
  offsets: Float64Array,
  top: number,
  height: number,
  overscan = 6,
): { first: number; last: number } {
  const count = offsets.length - 1;
  if (count <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, rowAt(offsets, top) - overscan);
  const last = Math.min(count - 1, rowAt(offsets, top + height) + overscan);
  return { first, last };
}

/** The scroll position that brings row `index` into a viewport of `height`, or null if it is. */
export function scrollToShow(
  offsets: Float64Array,
  index: number,
  top: number,
  height: number,
): number | null {
  const rowTop = offsets[index] ?? 0;
  const rowBottom = offsets[index + 1] ?? rowTop;
  if (rowTop < top) return rowTop;
  if (rowBottom > top + height) return Math.max(0, rowBottom - height);
  return null;
}
