/**
 * Turns a run request into its processes, in start order, with their names and labels: the
 * lesson's processes when there is a lesson, otherwise each file in the order given.
 * Names are what the protocol and checks use: `client.py`, `peer:echo`.
 */
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import type { StartNext } from '../../lib/lessons/peers.ts';
import type { ProcessKind, SourceFile } from '../../lib/protocol.ts';
import type { PeerConfig } from '../peers/config.ts';
import { peerConfig } from '../peers/catalog.ts';
import { preimportFor } from './pywarm-modules.ts';
import { RunInputError } from './input-error.ts';

/** One process of a run, before it starts. */
export interface PlannedProcess {
  name: string;
  kind: ProcessKind;
  /** Shown above its terminal: the file name, or "peer: echo". */
  label: string;
  /** The learner file it runs (learner processes). */
  file?: string;
  /** What the peer is told (peers). */
  peer?: PeerConfig;
  /** Whether the next process waits for this one to be ready (see StartNext; default it does). */
  startNext?: StartNext;
  /**
   * The standard modules a warm Python imports ahead for it (learner processes of a lesson:
   * jail/pywarm.ts preimportFor); absent without a lesson (the default set).
   */
  preimport?: string[];
}

/** What planning reads of a lesson: its processes, and the modules its own files import. */
export type PlannedLesson = Pick<LessonDefinition, 'processes'> & {
  /** Modules the lesson's starter and solution files import (lib/lessons/python-imports.ts). */
  pythonImports?: readonly string[];
};

/** The processes of a run, in start order; throws RunInputError when the lesson and files disagree. */
export function planProcesses(files: SourceFile[], lesson?: PlannedLesson): PlannedProcess[] {
  if (!lesson) return files.map((file) => learner(file.name));
  const preimport = preimportFor(lesson.pythonImports);
  const names = new Set(files.map((file) => file.name));
  const planned: PlannedProcess[] = [];
  for (const spec of lesson.processes) {
    if ('file' in spec) {
      if (!names.has(spec.file))
        throw new RunInputError('bad-message', {
          code: 'missing-file',
          params: { file: spec.file },
        });
      planned.push({ ...learner(spec.file, spec.startNext), preimport });
      continue;
    }
    const shown = spec.name ?? spec.peer;
    planned.push({
      name: `peer:${shown}`,
      kind: 'peer',
      label: `peer: ${shown}`,
      peer: configOf(spec),
      ...(spec.startNext && { startNext: spec.startNext }),
    });
  }
  const duplicate = planned.find(
    (process, index) => planned.findIndex((other) => other.name === process.name) !== index,
  );
  if (duplicate)
    throw new RunInputError('bad-message', {
      code: 'lesson-broken',
      params: {
        detail: `the process ${duplicate.name} appears twice in the lesson; give peers distinct names`,
      },
    });
  return planned;
}

function learner(file: string, startNext?: StartNext): PlannedProcess {
  return { name: file, kind: 'learner', label: file, file, ...(startNext && { startNext }) };
}

function configOf(spec: Parameters<typeof peerConfig>[0]): PeerConfig {
  try {
    return peerConfig(spec);
  } catch (error) {
    // The protocol caps a diagnostic's length; a peer's option errors are short anyway.
    const detail = (error as Error).message.slice(0, 500);
    throw new RunInputError('bad-message', { code: 'lesson-broken', params: { detail } });
  }
}
