/**
 * `run`: reads the files, builds the run (CLI peers around the files, or a lesson), runs it in
 * a fresh sandbox, renders the events and returns the exit status. Ctrl-C stops the run cleanly.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LessonDefinition, RunRecord } from '../../lib/lessons/define.ts';
import { defaultContentDir, listLessonFolders } from '../../lib/lessons/folders.ts';
import { readLessonFiles, UnknownLessonError } from '../../lib/lessons/load-definition.ts';
import { Judge } from '../judge/judge.ts';
import {
  WIRE_LIMITS,
  type CheckResult,
  type RunEvent,
  type SourceFile,
} from '../../lib/protocol.ts';
import type { CaptureFile } from '../capture/capture.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { PEER_CATALOG } from '../peers/catalog.ts';
import { SandboxHost } from '../run/sandbox-host.ts';
import { CliUsageError, type RunCommand } from './args.ts';
import { exitCodeFor } from './exit-code.ts';
import { TextRenderer } from './text-output.ts';

/** Runs the command and resolves with the process exit status. */
export async function runCommand(command: RunCommand): Promise<number> {
  const { files, lesson, judge } = await gather(command);
  for (const name of Object.keys(command.stdin)) {
    if (!files.some((file) => file.name === name))
      throw new CliUsageError(`--stdin ${name}=…: no such file in this run`);
  }
  const pcap = command.pcap === undefined ? null : openPcapFile(command.pcap);
  // One run: nothing made ahead. The id is this process's (`p<pid>`), apart from any server's.
  const host = new SandboxHost({ readyNetns: 0 });
  const render = command.json ? jsonLine : textRenderer();
  let checks: CheckResult[] = [];
  let captured: CaptureFile | null = null;
  const handle = host.startRun(
    {
      runId: `cli-${process.pid}-${Date.now().toString(36)}`,
      files,
      lesson,
      judge,
      lang: command.lang,
      limits: {
        ...DEFAULT_LIMITS,
        wallSeconds: command.timeoutSeconds ?? DEFAULT_LIMITS.wallSeconds,
      },
      stdin: command.stdin,
      capture: { enabled: command.capture },
      onCapture: pcap ? (file) => (captured = file) : undefined,
      seed: command.seed,
    },
    (event) => {
      if (event.type === 'checks') checks = event.results;
      render(event);
    },
  );
  const stop = (): void => {
    process.stderr.write('stopping the run…\n');
    handle.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const record = await handle.done;
    if (pcap) pcap.write(captured);
    return exitCodeFor(record, checks);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Opens `--pcap FILE` before the run, so a path that cannot be written is a usage error rather
 * than a run wasted; `write` puts the capture in it and says so on stderr (stdout may be NDJSON).
 */
function openPcapFile(file: string): { write(capture: CaptureFile | null): void } {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (error) {
    throw new CliUsageError(`--pcap ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return {
    write(capture) {
      try {
        if (capture) writeSync(fd, capture.bytes);
      } finally {
        closeSync(fd);
      }
      process.stderr.write(
        capture
          ? `pcap: ${capture.packets} packets (${capture.bytes.length} bytes${capture.truncated ? ', truncated at the capture limit' : ''}) written to ${file}\n`
          : `pcap: nothing was captured (the capture could not start); ${file} is empty\n`,
      );
    },
  };
}

function jsonLine(event: RunEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function textRenderer(): (event: RunEvent) => void {
  const renderer = new TextRenderer({
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  return (event) => renderer.handle(event);
}

interface Gathered {
  files: SourceFile[];
  lesson?: Pick<LessonDefinition, 'processes' | 'limits'>;
  judge?: (record: RunRecord) => Promise<CheckResult[]>;
}

async function gather(command: RunCommand): Promise<Gathered> {
  const given = command.files.map(readSource);
  if (command.lesson === undefined) return { files: given, lesson: peersAround(given, command) };
  const contentDir = defaultContentDir();
  const slug = command.lesson;
  // The lesson is loaded and judged by the judge, exactly as the server does it.
  const judge = new Judge(contentDir);
  const lesson = await judge.load(slug).catch((error: unknown) => {
    throw new CliUsageError((error as Error).message);
  });
  if (!lesson)
    throw new CliUsageError(new UnknownLessonError(slug, knownSlugs(contentDir)).message);
  const base = readLessonFiles(
    contentDir,
    command.lesson,
    command.solution ? 'solution' : 'starter',
  );
  const byName = new Map(base.map((file) => [file.name, file]));
  for (const file of given) byName.set(file.name, file);
  const judged = lesson.checks.length > 0;
  return {
    files: [...byName.values()],
    lesson,
    judge: judged ? (record) => judge.judge(slug, record, command.lang) : undefined,
  };
}

/** With --peer, the run is a small ad-hoc lesson: server peers, then the files, then clients. */
function peersAround(files: SourceFile[], command: RunCommand): LessonDefinition | undefined {
  if (command.peers.length === 0) return undefined;
  const role = (peer: { peer: keyof typeof PEER_CATALOG }) => PEER_CATALOG[peer.peer].role;
  const named = command.peers.map((peer, index) => ({
    ...peer,
    // Two peers of one type need distinct process names.
    name:
      command.peers.filter((other) => other.peer === peer.peer).length > 1
        ? `${peer.peer}-${index + 1}`
        : undefined,
  }));
  // The options come from the command line; planning the run validates them.
  const processes = [
    ...named.filter((peer) => role(peer) === 'server'),
    ...files.map((file) => ({ file: file.name })),
    ...named.filter((peer) => role(peer) === 'client'),
  ] as LessonDefinition['processes'];
  return { processes };
}

/** Reads a FILE argument; its name in the sandbox is its base name. */
function readSource(file: string): SourceFile {
  const name = path.basename(file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliUsageError(`${file}: no such file`);
  }
  if (size > WIRE_LIMITS.maxFileBytes) {
    throw new CliUsageError(
      `${file} is ${Math.ceil(size / 1024)} KiB; a file may hold at most ${WIRE_LIMITS.maxFileBytes / 1024} KiB`,
    );
  }
  return { name, content: readFileSync(file, 'utf8') };
}

function knownSlugs(contentDir: string): string[] {
  return existsSync(contentDir) ? listLessonFolders(contentDir).map((folder) => folder.slug) : [];
}
