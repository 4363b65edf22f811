/**
 * The shape of a lesson, declared once. A lesson is a folder `content/NN-slug/` holding
 * `index.en.mdx` and `index.zh.mdx` (prose; frontmatter below), `starter/` and `solution/`
 * (the learner's Python files), and `check.ts` (what runs and how it is judged; see define.ts).
 */
import { z } from 'zod';
import { FileName } from '../protocol.ts';

/** Frontmatter of `index.<lang>.mdx`: only what differs between languages. */
export const Frontmatter = z
  .object({
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
  })
  .strict();
export type Frontmatter = z.infer<typeof Frontmatter>;

/** Names of the peers in the built-in library (sandbox-server/peers/). */
export const BUILTIN_PEERS = [
  'tcp-echo',
  'udp-echo',
  'tcp-greeter',
  'tcp-client',
  'udp-relay',
  'tcp-proxy',
] as const;
export const BuiltinPeer = z.enum(BUILTIN_PEERS);
export type BuiltinPeer = z.infer<typeof BuiltinPeer>;

/** A trusted Node program started next to the learner's code. */
export const PeerSpec = z
  .object({
    peer: BuiltinPeer.describe('Which peer from the built-in library'),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,30}$/)
      .optional()
      .describe('Name shown on its terminal as "peer: NAME"; defaults to the peer type'),
    port: z.number().int().min(1024).max(65535).describe('Port it listens on, or connects to'),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Peer-specific settings, e.g. { lines: ["hi"] } for tcp-client'),
  })
  .strict();
export type PeerSpec = z.infer<typeof PeerSpec>;

/** A learner file to run, by its name in the editor. */
export const FileSpec = z.object({ file: FileName }).strict();

/** One process of a run, in start order. */
export const ProcessSpec = z.union([PeerSpec, FileSpec]);
export type ProcessSpec = z.infer<typeof ProcessSpec>;

/** Limits a lesson may ask for; the server clamps them to its configured bounds. */
export const LessonLimits = z
  .object({ wallSeconds: z.number().positive().max(300).optional() })
  .strict()
  .default({});

/** A check's human-facing text in every lesson language. */
export const LocalizedText = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof LocalizedText>;
