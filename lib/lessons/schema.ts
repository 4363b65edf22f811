/**
 * The shape of a lesson, declared once. A lesson is a folder `content/NN-slug/` holding
 * `index.en.mdx` and `index.zh.mdx` (prose; frontmatter below), `starter/` and `solution/`
 * (the learner's Python files), and `check.ts` (what runs and how it is judged; see define.ts).
 */
import { z } from 'zod';
import { FileName } from '../protocol.ts';
import { PeerSpec, StartNext } from './peers.ts';

/** Frontmatter of `index.<lang>.mdx`: only what differs between languages. */
export const Frontmatter = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lesson ids are lowercase words joined by -')
      .describe(
        'Stable id that keys learner progress; the same in every language, kept when the folder is renamed',
      ),
    title: z
      .string()
      .min(1)
      .max(120)
      .describe('Lesson title shown in the list and the page header'),
    summary: z
      .string()
      .min(1)
      .max(300)
      .describe('One sentence shown under the title in the lesson list'),
    compareAfterFailedRuns: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'Failed runs after which "Compare with solution" is offered (default 3; a passed run offers it at once)',
      ),
  })
  .strict();
export type Frontmatter = z.infer<typeof Frontmatter>;

/** A learner file to run, by its name in the editor. */
export const FileSpec = z.object({ file: FileName, startNext: StartNext }).strict();

/** One process of a run, in start order. */
export const ProcessSpec = z.union([PeerSpec, FileSpec]);
export type ProcessSpec = z.infer<typeof ProcessSpec>;

/** Limits a lesson may ask for; the server clamps them to its configured bounds. */
export const LessonLimits = z
  .object({
    wallSeconds: z.number().positive().max(300).optional().describe('Wall-clock time of the run'),
    pids: z
      .number()
      .int()
      .positive()
      .max(4096)
      .optional()
      .describe('Processes and threads of the learner processes together (a thread per client)'),
    openFiles: z
      .number()
      .int()
      .positive()
      .max(65536)
      .optional()
      .describe('Open file descriptors per learner process (a socket per client)'),
  })
  .strict()
  .default({});

/** A check's human-facing text in every lesson language. */
export const LocalizedText = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof LocalizedText>;
