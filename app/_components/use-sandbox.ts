'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { chunkUtf8 } from '../../lib/client/line-discipline.ts';
import type { LineEffect } from '../../lib/client/line-discipline.ts';
import {
  applyEvent,
  connectionLost,
  IDLE,
  isActive,
  newRunId,
  startRun,
} from '../../lib/client/run-state.ts';
import type { RunState } from '../../lib/client/run-state.ts';
import { fetchConnectionTicket } from '../../lib/client/run-token.ts';
import { SandboxSocket } from '../../lib/client/sandbox-socket.ts';
import type { ConnectionState } from '../../lib/client/sandbox-socket.ts';
import { resolveSandboxUrl } from '../../lib/client/sandbox-url.ts';
import { PacketLog } from '../../lib/client/wire/packet-log.ts';
import { fromPacketEvent } from '../../lib/client/wire/wire-packet.ts';
import { formatOutput, TerminalFeed } from '../../lib/client/terminal-feed.ts';
import { renderNotice } from '../../lib/notices/catalog.ts';
import { WIRE_LIMITS } from '../../lib/protocol.ts';
import type { Lang, RunLimits, RunRequest, ServerMessage, SourceFile } from '../../lib/protocol.ts';

export interface Connection {
  state: ConnectionState;
  /** Close code of the last drop (e.g. 4003 when the sandbox refused this origin). */
  closeCode: number | null;
  limits: RunLimits | null;
}

export interface SandboxSession {
  connection: Connection;
  run: RunState;
  /** Terminal text of the current run, per process. */
  feed: TerminalFeed;
  /** Packets captured in the current run, in order. */
  packets: PacketLog;
  /**
   * Starts a run of these files, stopping the current one first. With `seed`, its faults repeat
   * those of the run that had that seed; without, the server picks a new one.
   */
  start: (files: SourceFile[], seed?: number) => void;
  stop: () => void;
  /** The sandbox server the current run went to (its capture is downloaded there). */
  runServer: string | null;
  /** Delivers what the line discipline decided for a process's terminal. */
  input: (process: string, effect: Exclude<LineEffect, { type: 'echo' }>) => void;
}

/** Connects to the sandbox for one lesson page and keeps the current run's state. */
export function useSandbox({
  url,
  routed = false,
  lesson,
  lang,
}: {
  url: string | null;
  /** The app says which of several servers to connect to, each time. */
  routed?: boolean;
  lesson: string;
  lang: Lang;
}): SandboxSession {
  const [feed] = useState(() => new TerminalFeed());
  const [packets] = useState(() => new PacketLog());
  const [run, setRun] = useState<RunState>(IDLE);
  const [runServer, setRunServer] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>({
    state: 'connecting',
    closeCode: null,
    limits: null,
  });
  // The socket's callbacks read the run through a ref: they must see the newest run id at once,
  // not the one of the render that created them.
  const runRef = useRef<RunState>(IDLE);
  const socketRef = useRef<SandboxSocket | null>(null);
  const lessonRef = useRef(lesson);
  // The current run's request, kept to send it again when its page moves to another server.
  const requestRef = useRef<{ message: RunRequest; moved: boolean; resend: boolean } | null>(null);

  const update = useCallback((next: RunState) => {
    runRef.current = next;
    setRun(next);
  }, []);

  useEffect(() => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'output' || message.type === 'output-skipped') {
        // Skipped output is said where it was missing, in the page language.
        const data =
          message.type === 'output' ? message.data : `\n${renderNotice(message.notice, lang)}\n`;
        const stream = message.type === 'output' ? message.stream : 'stderr';
        if (message.runId === runRef.current.runId)
          feed.write(message.process, formatOutput(stream, data));
        return;
      }
      if (message.type === 'packet') {
        // Like output, packets bypass the reducer: thousands of them must not each copy state.
        if (message.runId === runRef.current.runId) packets.push(fromPacketEvent(message));
        return;
      }
      if (message.type === 'fault') {
        // A fault marks the packet it concerns, in the same log.
        if (message.runId === runRef.current.runId) packets.addFault(message);
        return;
      }
      if (message.type === 'queued' && message.runId === runRef.current.runId)
        void moveWhileQueued(message.runId);
      update(applyEvent(runRef.current, message, performance.now()));
    };
    // A run waiting in a full server's queue moves, once, to a server with a slot free now.
    const moveWhileQueued = async (runId: string) => {
      const current = requestRef.current;
      if (!current || current.moved || current.message.runId !== runId) return;
      current.moved = true;
      const waiting = () => runRef.current.runId === runId && runRef.current.phase === 'queued';
      if (!(await socket.moveWhileWaiting(waiting))) return;
      const message = { ...current.message, runId: newRunId() };
      requestRef.current = { message, moved: true, resend: true };
      feed.reset();
      packets.reset();
      update(startRun(message.runId));
    };
    const resend = () => {
      const current = requestRef.current;
      if (!current?.resend) return;
      current.resend = false;
      if (!socket.send(current.message)) update(connectionLost(runRef.current));
      setRunServer(socket.url);
    };
    const socket = new SandboxSocket({
      url: resolveSandboxUrl(url, window.location),
      // A learner who joined a class is recorded; everyone else gets null and runs anonymously.
      connection: (request) => fetchConnectionTicket(request),
      routed,
      onMessage,
      onState: (state, info) => {
        setConnection({ state, ...info });
        // Tells the server which lesson is on screen, so a sandbox is ready before Run.
        if (state === 'ready') socket.send({ type: 'viewing', lesson: lessonRef.current });
        if (state === 'ready') resend();
        if (state === 'reconnecting') {
          if (requestRef.current) requestRef.current.resend = false;
          update(connectionLost(runRef.current));
        }
      },
    });
    socketRef.current = socket;
    socket.connect();
    return () => {
      socket.close();
      socketRef.current = null;
    };
  }, [url, routed, lang, feed, packets, update]);

  useEffect(() => {
    lessonRef.current = lesson;
    socketRef.current?.send({ type: 'viewing', lesson }); // not sent (false) until ready
  }, [lesson]);

  const stop = useCallback(() => {
    if (requestRef.current?.resend) {
      // Stopped while moving to another server: it never started there, and now never will.
      requestRef.current.resend = false;
      return update(IDLE);
    }
    const { runId } = runRef.current;
    if (runId && isActive(runRef.current)) socketRef.current?.send({ type: 'stop', runId });
  }, [update]);

  const start = useCallback(
    (files: SourceFile[], seed?: number) => {
      stop(); // a new Run replaces the old one; its late events are dropped by run id
      const runId = newRunId();
      feed.reset();
      packets.reset();
      update(startRun(runId));
      const request = { type: 'run' as const, runId, lesson, lang, files };
      const message = seed === undefined ? request : { ...request, seed };
      requestRef.current = { message, moved: false, resend: false };
      const sent = socketRef.current?.send(message) ?? false;
      if (!sent) update(connectionLost(runRef.current));
      setRunServer(socketRef.current?.url ?? null);
    },
    [feed, packets, lang, lesson, stop, update],
  );

  const input = useCallback((process: string, effect: Exclude<LineEffect, { type: 'echo' }>) => {
    const { runId } = runRef.current;
    const socket = socketRef.current;
    if (!runId || !socket) return;
    if (effect.type === 'send') {
      for (const data of chunkUtf8(effect.data, WIRE_LIMITS.maxStdinBytes))
        socket.send({ type: 'stdin', runId, process, data });
    } else {
      socket.send({ type: effect.type, runId, process });
    }
  }, []);

  return { connection, run, feed, packets, start, stop, input, runServer };
}
