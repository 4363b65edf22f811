/**
 * Scripted runs for the fixture lesson `learner-aids` (server.py and client.py): the events of a
 * run that ends with given checks, and a traceback and packets for a refused connection.
 */
import type { CheckResult, ServerMessage } from '../../../lib/protocol.ts';

/** The slug of the fixture lesson with every learner aid. */
export const LEARNER_AIDS = 'learner-aids';

/** The processes of a run of the fixture lesson. */
export const PROCESSES = [
  { name: 'server.py', kind: 'learner', label: 'server.py' },
  { name: 'client.py', kind: 'learner', label: 'client.py' },
] as const;

export const FAIL: CheckResult[] = [
  { id: 'greets', title: 'Greets', status: 'fail', message: 'No.' },
];
export const PASS: CheckResult[] = [
  { id: 'greets', title: 'Greets', status: 'pass', message: 'Yes.' },
];

/** A run of both files that ends with these checks, client.py having printed `stderr`. */
export function runEvents(runId: string, checks: CheckResult[], stderr = ''): ServerMessage[] {
  const events: ServerMessage[] = [];
  for (const { name } of PROCESSES)
    events.push({ type: 'process-started', runId, process: name, at: 1 });
  if (stderr)
    events.push({ type: 'output', runId, process: 'client.py', stream: 'stderr', data: stderr });
  for (const { name } of PROCESSES) {
    const failed = name === 'client.py' && stderr !== '';
    events.push({
      type: 'process-exited',
      runId,
      process: name,
      end: 'exited',
      exitCode: failed ? 1 : 0,
      signal: null,
      durationMs: 40,
    });
  }
  events.push({ type: 'checks', runId, results: checks });
  return events;
}

/** client.py's traceback when nothing listens on 127.0.0.1:5050. */
export const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/sandbox/client.py", line 3, in <module>',
  '    sock = socket.create_connection(("127.0.0.1", 5050))',
  '  File "/usr/lib/python3.12/socket.py", line 852, in create_connection',
  '    raise exceptions[0]',
  'ConnectionRefusedError: [Errno 111] Connection refused',
  '',
].join('\n');

/** The SYN to 5050 and the RST that refused it. */
export function refusal(runId: string): ServerMessage[] {
  const base = {
    type: 'packet',
    runId,
    proto: 'tcp',
    src: '127.0.0.1',
    dst: '127.0.0.1',
    len: 0,
  } as const;
  return [
    { ...base, n: 1, t: 0, sport: 41000, dport: 5050, flags: ['SYN'], srcOwner: 'client.py' },
    {
      ...base,
      n: 2,
      t: 0.1,
      sport: 5050,
      dport: 41000,
      flags: ['RST', 'ACK'],
      dstOwner: 'client.py',
    },
  ];
}
