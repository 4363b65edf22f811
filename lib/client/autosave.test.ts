import { describe, expect, it } from 'vitest';
import { clearFiles, restoreFiles, saveFile, storageKey } from './autosave.ts';
import type { KeyValueStore } from './autosave.ts';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const starter = [
  { name: 'server.py', content: 'starter server' },
  { name: 'util.py', content: 'starter util' },
];

describe('autosave', () => {
  it('keys each file by lesson slug and file name', () => {
    expect(storageKey('tcp-server', 'server.py')).toBe('handshake:v1:files:tcp-server:server.py');
  });

  it('restores saved edits and the starter for files never edited', () => {
    const store = memoryStore();
    saveFile(store, 'tcp-server', { name: 'server.py', content: 'my server' });
    expect(restoreFiles(store, 'tcp-server', starter)).toEqual([
      { name: 'server.py', content: 'my server' },
      { name: 'util.py', content: 'starter util' },
    ]);
  });

  it('keeps lessons apart', () => {
    const store = memoryStore();
    saveFile(store, 'tcp-client', { name: 'server.py', content: 'other lesson' });
    expect(restoreFiles(store, 'tcp-server', starter)[0]!.content).toBe('starter server');
  });

  it('brings back the starter after the saved copies are cleared (Reset)', () => {
    const store = memoryStore();
    saveFile(store, 'tcp-server', { name: 'server.py', content: 'my server' });
    clearFiles(store, 'tcp-server', ['server.py', 'util.py']);
    expect(restoreFiles(store, 'tcp-server', starter)).toEqual(starter);
  });

  it('carries on when storage throws (private mode, quota)', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => saveFile(broken, 'x', starter[0]!)).not.toThrow();
    expect(restoreFiles(broken, 'x', starter)).toEqual(starter);
  });
});
