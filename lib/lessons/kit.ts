/**
 * Everything a lesson's `check.ts` may import, under one name: `import { defineLesson } from
 * '@handshake/lesson'`. The name, not a path into this repository, so a content folder works
 * wherever it lives (HANDSHAKE_CONTENT_DIR); kit-resolver.ts maps it to this file at run time.
 * Besides defineLesson and the record types, it carries the check helper library (lib/checks).
 */
export * from './define.ts';
export * from '../checks/index.ts';
/** The sentence of a notice (a fault peer's `note`) in a language, as the learner reads it. */
export { renderNotice } from '../notices/catalog.ts';
