/**
 * Where the sequence diagram puts things, in pixels: row heights, the time and bracket gutters,
 * and the lifelines' x positions for a given width. Widths below the lifelines' minimum spacing
 * make the drawing wider than its box (it scrolls sideways) rather than crowding the labels.
 */
import type { Row } from './layout.ts';

/** Height of each kind of row. */
export const ROW_HEIGHT = { start: 46, phase: 30, packet: 46, burst: 50 } as const;

/** Height of the sticky lifeline heads above the rows. */
export const HEAD_HEIGHT = 52;

const TIME_WIDTH = 62;
const LANE_WIDTH = 8;
/** Room beside the outer lifelines for the state labels (`SYN_RECEIVED`). */
const SIDE = 104;
const MIN_SPACING = 176;
const MAX_SPACING = 420;

/** The x positions of one drawing. */
export interface DiagramGeometry {
  width: number;
  /** Right edge of the time column (times are right-aligned to it). */
  timeRight: number;
  /** x of each bracket lane. */
  lanes: number[];
  /** Left edge of the drawing proper (headings start here). */
  left: number;
  /** x of each lifeline. */
  xs: number[];
}

/** The height of a row. */
export function rowHeight(row: Row): number {
  return ROW_HEIGHT[row.kind];
}

/** Places `lifelines` lifeline columns and `lanes` bracket lanes in `available` pixels of width. */
export function diagramGeometry(
  lifelines: number,
  lanes: number,
  available: number,
): DiagramGeometry {
  const laneXs = Array.from({ length: lanes }, (_, i) => TIME_WIDTH + 6 + i * LANE_WIDTH);
  const left = TIME_WIDTH + 10 + lanes * LANE_WIDTH;
  const first = left + SIDE;
  if (lifelines <= 1) {
    const width = Math.max(available, first + SIDE);
    return {
      width,
      timeRight: TIME_WIDTH - 6,
      lanes: laneXs,
      left,
      xs: [(first + width - SIDE) / 2],
    };
  }
  const width = Math.max(available, first + (lifelines - 1) * MIN_SPACING + SIDE);
  const spacing = Math.min(MAX_SPACING, (width - first - SIDE) / (lifelines - 1));
  // Centre the lifelines in what is left once the spacing is capped.
  const start = first + (width - first - SIDE - spacing * (lifelines - 1)) / 2;
  const xs = Array.from({ length: lifelines }, (_, i) => start + i * spacing);
  return { width, timeRight: TIME_WIDTH - 6, lanes: laneXs, left, xs };
}

/** The head of an arrow ending at (x, y), pointing along the line from (fromX, fromY). */
export function arrowHead(fromX: number, fromY: number, x: number, y: number, size = 8): string {
  const angle = Math.atan2(y - fromY, x - fromX);
  const point = (turn: number) =>
    `${x - size * Math.cos(angle + turn)},${y - size * Math.sin(angle + turn)}`;
  return `${x},${y} ${point(0.42)} ${point(-0.42)}`;
}
