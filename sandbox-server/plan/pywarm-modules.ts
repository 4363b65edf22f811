/**
 * Which standard modules a warm Python (jail/pywarm.ts) imports ahead, by kind of run: a
 * lesson's pay only for what its files import, on top of a small base. Pure data and logic, so
 * planning a run needs nothing of the jail.
 */

/**
 * Imported ahead for every lesson whatever its files import: socket and the modules a network
 * program reaches next (~5 ms of CPU, against ~25 ms more for asyncio and ssl).
 */
export const BASE_PREIMPORT: readonly string[] = Object.freeze([
  'socket',
  'select',
  'selectors',
  'threading',
  'struct',
  'time',
]);

/**
 * Standard modules a warm Python may import ahead: only these, so that nothing a front asks for
 * can print, start a thread or touch the network before the run (a `this` or `antigravity`
 * would). The network lessons' modules and the usual helpers beside them, each import free of
 * side effects. Listed in the order they are imported.
 */
export const PREIMPORTABLE: readonly string[] = Object.freeze([
  ...BASE_PREIMPORT,
  'errno',
  'queue',
  'json',
  'hashlib',
  'base64',
  'binascii',
  'zlib',
  'random',
  'secrets',
  'uuid',
  'datetime',
  'ipaddress',
  'collections',
  'dataclasses',
  'enum',
  'typing',
  'functools',
  'itertools',
  'contextlib',
  're',
  'argparse',
  'logging',
  'signal',
  'io',
  'pathlib',
  'tempfile',
  'traceback',
  'runpy',
  'socketserver',
  'ssl',
  'concurrent.futures',
  'asyncio',
  'email.utils',
  'http',
  'http.client',
  'http.server',
  'urllib.parse',
  'urllib.request',
]);

/** Imported ahead for a run without a lesson (the CLI's, the bench's): the slow modules too. */
export const DEFAULT_PREIMPORT: readonly string[] = Object.freeze([
  ...BASE_PREIMPORT,
  'ssl',
  'asyncio',
  'json',
  'hashlib',
  'queue',
]);

/**
 * The modules a warm Python imports ahead for a kind of run: for a lesson, the base and those of
 * `lessonImports` (its starter and solution files' imports) that may be imported ahead; without
 * a lesson (undefined), the default set. In PREIMPORTABLE order, so equal sets compare equal.
 */
export function preimportFor(lessonImports: readonly string[] | undefined): string[] {
  const wanted = new Set(lessonImports === undefined ? DEFAULT_PREIMPORT : BASE_PREIMPORT);
  for (const name of lessonImports ?? []) {
    // `import http.client` is asked for as such; `import concurrent` alone is not worth it.
    if (PREIMPORTABLE.includes(name)) wanted.add(name);
  }
  return PREIMPORTABLE.filter((name) => wanted.has(name));
}
