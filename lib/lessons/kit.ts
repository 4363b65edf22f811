/**
 * What a lesson's check.ts imports as `@handshake/lesson`: defineLesson and the record types,
 * and the check helper library.
 */
export * from './define.ts';
export * from '../checks/index.ts';
