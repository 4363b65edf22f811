import { describe, expect, it } from 'vitest';
import { findUnknownComponent } from './mdx-components.ts';

describe('findUnknownComponent', () => {
  it('accepts the palette and components the lesson imports', () => {
    const source = [
      "import Diagram from './diagram.tsx'",
      "import { Chart as Plot } from './chart.tsx'",
      '',
      '<Hints><Hint>one</Hint></Hints> <Diagram /> <Plot />',
    ].join('\n');
    expect(findUnknownComponent(source)).toBeUndefined();
  });

  it('names an unknown tag with its line and column, skipping code', () => {
    const source = [
      '# Title',
      '',
      '```python',
      '<Socket>',
      '```',
      'Use `<Bad>` or <Hintz>x</Hintz>',
    ].join('\n');
    expect(findUnknownComponent(source)).toEqual({ name: 'Hintz', line: 6, column: 16 });
  });
});
