/**
 * The CLI's arguments (node:util parseArgs), checked into one plain object. Pure: reads no
 * files; every problem becomes a CliUsageError with a one-line message.
 */
import { parseArgs } from 'node:util';
import { BUILTIN_PEERS, type BuiltinPeer } from '../../lib/lessons/peers.ts';
import { Lang } from '../../lib/protocol.ts';
import { LIMIT_BOUNDS } from '../limits.ts';

/** A mistake in how the CLI was called. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** A peer asked for with --peer. */
export interface CliPeer {
  peer: BuiltinPeer;
  port: number;
  /** `,KEY=VALUE` after the port: numbers as numbers, `a|b` as a list, other text as text. */
  options?: Record<string, unknown>;
}

/** What `run` was asked to do. */
export interface RunCommand {
  command: 'run';
  files: string[];
  peers: CliPeer[];
  /** File name → stdin text (already unescaped). */
  stdin: Record<string, string>;
  timeoutSeconds?: number;
  json: boolean;
  lesson?: string;
  solution: boolean;
  /** The language of the checks' messages (`--lang zh`). */
  lang: Lang;
  /** Capture the run's packets (`--no-capture` turns it off). */
  capture: boolean;
  /** Write the run's capture to this file as a pcap (`--pcap FILE`). */
  pcap?: string;
  /** The seed of the run's faults (`--seed N`, to repeat a run); random when absent. */
  seed?: number;
}

/** The parsed command line. */
export type CliCommand = RunCommand | { command: 'help' };

const DEFAULT_PEER_PORT = 8080;

/** Parses argv (without node and the script). */
export function parseCliArgs(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        peer: { type: 'string', multiple: true, default: [] },
        stdin: { type: 'string', multiple: true, default: [] },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        lesson: { type: 'string' },
        solution: { type: 'boolean', default: false },
        lang: { type: 'string', default: 'en' },
        'no-capture': { type: 'boolean', default: false },
        pcap: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command, ...files] = positionals;
  if (command === undefined) throw new CliUsageError('missing command: use `run` (see --help)');
  if (command !== 'run')
    throw new CliUsageError(`unknown command "${command}": the only command is \`run\``);
  return checkRun({
    command: 'run',
    files,
    peers: values.peer.map(parsePeer),
    stdin: parseStdin(values.stdin),
    timeoutSeconds: values.timeout === undefined ? undefined : parseTimeout(values.timeout),
    json: values.json,
    lesson: values.lesson,
    solution: values.solution,
    lang: parseLang(values.lang),
    capture: !values['no-capture'],
    pcap: values.pcap,
    seed: values.seed === undefined ? undefined : parseSeed(values.seed),
  });
}

function checkRun(run: RunCommand): RunCommand {
  if (run.lesson === undefined) {
    if (run.files.length === 0)
      throw new CliUsageError('no files to run (give FILE... or --lesson SLUG)');
    if (run.solution) throw new CliUsageError('--solution needs --lesson SLUG');
  } else if (run.peers.length > 0) {
    throw new CliUsageError(
      '--peer cannot be combined with --lesson (the lesson names its own peers)',
    );
  }
  if (run.pcap !== undefined && !run.capture)
    throw new CliUsageError('--pcap needs the capture: drop --no-capture');
  if (run.pcap === '') throw new CliUsageError('--pcap needs a file name');
  return run;
}

/** `tcp-echo`, `tcp-echo:9000,waitForEnd=true`, `udp-relay:9000,target=8080,loss=0.3`. */
export function parsePeer(text: string): CliPeer {
  const [head, ...pairs] = text.split(',');
  const [name, port, ...rest] = head!.split(':');
  if (!(BUILTIN_PEERS as readonly string[]).includes(name!) || rest.length > 0) {
    throw new CliUsageError(
      `--peer ${text}: expected NAME[:PORT][,KEY=VALUE...] with NAME one of ${BUILTIN_PEERS.join(', ')}`,
    );
  }
  const number = port === undefined ? DEFAULT_PEER_PORT : Number(port);
  if (!Number.isInteger(number) || number < 1024 || number > 65535) {
    throw new CliUsageError(`--peer ${text}: the port must be a whole number from 1024 to 65535`);
  }
  const peer: CliPeer = { peer: name as BuiltinPeer, port: number };
  if (pairs.length > 0) peer.options = parsePeerOptions(text, pairs);
  return peer;
}

function parsePeerOptions(text: string, pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliUsageError(`--peer ${text}: expected KEY=VALUE, got "${pair}"`);
    options[pair.slice(0, at)] = optionValue(pair.slice(at + 1));
  }
  return options;
}

/** A list (`a|b`), a boolean, a number, or else the text itself. */
function optionValue(value: string): unknown {
  if (value.includes('|')) return value.split('|');
  if (value === 'true' || value === 'false') return value === 'true';
  return value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** A whole number from 0 to 2^32 - 1. */
function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || seed > 0xffffffff)
    throw new CliUsageError(`--seed ${text}: give a whole number from 0 to 4294967295`);
  return seed;
}

/** `FILE=TEXT` pairs into a map; `\n` in TEXT becomes a newline, `\\` a backslash. */
export function parseStdin(pairs: string[]): Record<string, string> {
  const stdin: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliUsageError(`--stdin ${pair}: expected FILE=TEXT`);
    const file = pair.slice(0, at);
    const text = pair
      .slice(at + 1)
      .replace(/\\(n|\\)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : '\\'));
    stdin[file] = (stdin[file] ?? '') + text;
  }
  return stdin;
}

function parseTimeout(text: string): number {
  const seconds = Number(text);
  const { min, max } = LIMIT_BOUNDS;
  if (!Number.isFinite(seconds) || seconds < min.wallSeconds || seconds > max.wallSeconds) {
    throw new CliUsageError(
      `--timeout ${text}: give seconds from ${min.wallSeconds} to ${max.wallSeconds}`,
    );
  }
  return seconds;
}

function parseLang(text: string): Lang {
  const lang = Lang.safeParse(text);
  if (!lang.success)
    throw new CliUsageError(`--lang ${text}: give one of ${Lang.options.join(', ')}`);
  return lang.data;
}
