/**
 * tcp-framer: listens on 127.0.0.1:PORT; on each connection sends its `messages` (placeholders
 * drawn from the seed) framed as lines or length-prefixed (peers/frames.ts), all in one write,
 * so a reader that takes one recv() for one message sees them run together. Then it reads the
 * client's framed messages until the client's FIN, reports each, and closes.
 */
import net from 'node:net';
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { PeerConfig, PeerGo, TcpFramerOptions } from './config.ts';
import { encodeFrame, FrameDecoder, type FramingError } from './frames.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Most received messages reported per connection: a flood of tiny ones must stay bounded. */
export const MAX_REPORTED_MESSAGES = 200;

/** Runs the framer until the run stops it. */
export function runTcpFramer(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const { framing, messages } = config.options as unknown as TcpFramerOptions;
  const expand = expanderOf(go);
  // The client ends its messages with a FIN; this side still closes cleanly after it.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const from = trackConnection(socket, io);
    void expand.then((draw) => {
      if (socket.destroyed) return;
      sendMessages(socket, from, draw);
      readMessages(socket, from);
    });
  });

  function sendMessages(socket: net.Socket, from: string, draw: Expand): void {
    const frames = messages.map((template) => {
      const text = draw(template);
      const frame = encodeFrame(text, framing);
      io.say({ code: 'peer-message-sent', params: { data: quote(text), bytes: frame.length } });
      io.report('sent', { from, data: text, bytes: frame.length });
      return frame;
    });
    if (frames.length > 0) socket.write(Buffer.concat(frames));
  }

  function readMessages(socket: net.Socket, from: string): void {
    const decoder = new FrameDecoder(framing);
    let count = 0;
    const fail = (error: FramingError): void => {
      io.report('framing-error', { from, ...error });
      io.say(describeError(error));
    };
    socket.on('data', (data) => {
      const { messages: decoded, error } = decoder.push(data);
      for (const text of decoded) {
        count += 1;
        if (count > MAX_REPORTED_MESSAGES) continue;
        io.report('received-message', { from, data: text });
        io.say({ code: 'peer-message-received', params: { data: quote(text) } });
        if (count === MAX_REPORTED_MESSAGES)
          io.say({ code: 'peer-messages-capped', params: { max: MAX_REPORTED_MESSAGES } });
      }
      if (!error) return;
      fail(error);
      socket.destroy();
    });
    socket.on('end', () => {
      const error = decoder.end();
      if (error) fail(error);
      else io.say({ code: 'peer-framer-done', params: { count } });
      io.report('client-ended', { from, messages: count });
      socket.end();
    });
  }

  listenOrExit(server, config.port, io);
  io.say({ code: 'peer-framing', params: { framing } });
}

function describeError(error: FramingError): PeerLine {
  switch (error.reason) {
    case 'length-too-long':
      return { code: 'peer-frame-length-too-long', params: error };
    case 'line-too-long':
      return { code: 'peer-frame-line-too-long', params: error };
    case 'incomplete':
      return { code: 'peer-frame-incomplete', params: error };
    case 'not-utf8':
      return { code: 'peer-frame-not-utf8', params: error };
  }
}
