import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedFolder, envSeenFrom, VIEW_DIR } from './checkout-access.ts';

describe('closedFolder', () => {
  it('finds the first folder from / down that others cannot enter', () => {
    const closed = new Set(['/root']);
    const permits = (folder: string) => !closed.has(folder);
    expect(closedFolder('/root/handshake', permits)).toBe('/root');
    expect(closedFolder('/opt/handshake', permits)).toBeNull();
  });
});

describe('envSeenFrom', () => {
  const checkout = '/root/handshake';
  // Next's types declare NODE_ENV as always present; these environments leave it out.
  const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

  it('leaves the default content folder to the working directory', () => {
    expect(envSeenFrom(VIEW_DIR, checkout, env({ PORT: '3000' }))).toEqual({ PORT: '3000' });
  });

  it('moves a content folder inside the checkout into the view', () => {
    const inside = env({ HANDSHAKE_CONTENT_DIR: '/root/handshake/my-lessons' });
    expect(envSeenFrom(VIEW_DIR, checkout, inside).HANDSHAKE_CONTENT_DIR).toBe(
      `${VIEW_DIR}/my-lessons`,
    );
  });

  it('keeps one outside the checkout, and makes a relative one absolute from the starter', () => {
    const outside = env({ HANDSHAKE_CONTENT_DIR: '/srv/lessons' });
    expect(envSeenFrom(VIEW_DIR, checkout, outside).HANDSHAKE_CONTENT_DIR).toBe('/srv/lessons');
    const relative = env({ HANDSHAKE_CONTENT_DIR: 'lessons' });
    expect(envSeenFrom('/opt/handshake', '/opt/handshake', relative).HANDSHAKE_CONTENT_DIR).toBe(
      path.resolve('lessons'),
    );
  });

  it('moves a data folder inside the checkout into the view too', () => {
    const inside = env({ HANDSHAKE_DATA_DIR: '/root/handshake/data' });
    expect(envSeenFrom(VIEW_DIR, checkout, inside).HANDSHAKE_DATA_DIR).toBe(`${VIEW_DIR}/data`);
  });
});
