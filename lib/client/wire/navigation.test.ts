import { describe, expect, it } from 'vitest';
import { HEAD_HEIGHT, rowHeight } from './geometry.ts';
import { layoutSequence } from './layout.ts';
import { CARD, cardPosition, columnHeads, keyTarget, tabbableRow } from './navigation.ts';
import { syntheticCapture } from './synthetic-capture.ts';
import { rowOffsets } from './viewport.ts';

const layout = layoutSequence(syntheticCapture({ connections: 2, exchanges: 1 }));
const kinds = layout.rows.map((row) => row.kind);

describe('keyboard moves', () => {
  it('skips headings and heads, and stops at the ends', () => {
    expect(kinds.slice(0, 2)).toEqual(['phase', 'packet']);
    expect(keyTarget(layout.rows, 1, 'ArrowUp')).toBe(1);
    expect(keyTarget(layout.rows, 1, 'ArrowDown')).toBe(2);
    const firstAfterHeading = kinds.indexOf('phase', 2) + 1;
    expect(keyTarget(layout.rows, firstAfterHeading - 2, 'ArrowDown')).toBe(firstAfterHeading);
    expect(keyTarget(layout.rows, 5, 'Home')).toBe(1);
    expect(keyTarget(layout.rows, 1, 'End')).toBe(layout.rows.length - 1);
    expect(keyTarget(layout.rows, 1, 'PageDown')).toBeGreaterThan(8);
    expect(keyTarget(layout.rows, 1, 'x')).toBeNull();
  });

  it('gives Tab the focused row while it is in view, else the first arrow in view', () => {
    expect(tabbableRow(layout.rows, 5, 0, 10)).toBe(5);
    expect(tabbableRow(layout.rows, 40, 0, 10)).toBe(1);
    expect(tabbableRow(layout.rows, null, 0, 0)).toBe(-1);
  });
});

describe('columnHeads', () => {
  it('names each column by the endpoint in it at the top of the view', () => {
    const ports = (row: number) => columnHeads(layout, row).map((l) => l.endpoint.port);
    expect(ports(0)).toEqual([40001, 9000]);
    expect(ports(layout.rows.length - 1)).toEqual([40002, 9000]);
    const start = kinds.indexOf('start');
    expect(ports(start - 1)).toEqual([40001, 9000]);
    expect(ports(start)).toEqual([40002, 9000]);
  });
});

describe('cardPosition', () => {
  const offsets = rowOffsets(layout.rows, rowHeight);

  it('puts the card under its arrow, kept inside the drawing', () => {
    const view = { top: 0, height: 800, width: 900 };
    expect(cardPosition(200, 600, offsets, 1, view)).toEqual({
      left: 400 - CARD.width / 2,
      top: HEAD_HEIGHT + offsets[2]! - 2,
      above: false,
    });
    expect(cardPosition(880, 890, offsets, 1, view).left).toBe(900 - CARD.width - 8);
  });

  it('puts it above an arrow near the bottom of the view', () => {
    const view = { top: 0, height: 420, width: 900 };
    expect(cardPosition(200, 600, offsets, 8, view)).toMatchObject({
      top: HEAD_HEIGHT + offsets[8]! + 4,
      above: true,
    });
  });
});
