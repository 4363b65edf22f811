import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonPythonImports, pythonImports } from './python-imports.ts';

const file = (name: string, content: string) => ({ name, content });

describe('pythonImports', () => {
  it('finds plain, dotted, aliased, from and indented imports, sorted and once each', () => {
    const found = pythonImports([
      file(
        'client.py',
        [
          'import socket',
          'import asyncio, ssl as tls',
          'from concurrent.futures import ThreadPoolExecutor',
          'import http.client; x = 1',
          'def f():',
          '    import json  # late',
          'from socket import (',
          '    AF_INET,',
          ')',
        ].join('\n'),
      ),
      file('server.py', 'import socket\nimport selectors\n'),
    ]);
    expect(found).toEqual([
      'asyncio',
      'concurrent.futures',
      'http.client',
      'json',
      'selectors',
      'socket',
      'ssl',
    ]);
  });

  it("leaves out the lesson's own modules, relative imports, comments and non-imports", () => {
    const found = pythonImports([
      file('main.py', 'import helper\nfrom helper.sub import x\nfrom . import y\n# import ssl\n'),
      file('helper.py', 'important = 1\nprint("import asyncio")\nimported = 2\n'),
    ]);
    expect(found).toEqual([]);
  });
});

describe('lessonPythonImports', () => {
  it("reads the lesson's starter and solution files (content/)", () => {
    const content = path.resolve('content');
    expect(lessonPythonImports(content, 'asyncio-streams')).toEqual(['asyncio', 'time']);
    expect(lessonPythonImports(content, 'tcp-client')).toEqual(['socket']);
  });
});
