import { describe, expect, it } from 'vitest';
import {
  crowdConnections,
  crowdOf,
  firstFrom,
  serverClosedEach,
  unclosedAfterFin,
} from './crowd.ts';
import { withEnd } from './explain-end.ts';
import { en, fixture, zh } from './fixtures/fixture.ts';

describe('crowdOf', () => {
  it('tells the stalled connection from the normal ones and counts the lines each got back', () => {
    const crowd = crowdOf(fixture('crowd-threads'));
    expect([...crowd.stalled]).toEqual([1]);
    expect(crowd.normal('connected').map((r) => r.connection)).toEqual([2, 3, 4, 5]);
    expect(crowd.normal('reply-matched')).toHaveLength(8);
    expect([1, 2, 3, 4, 5].map((k) => crowd.matchedOn(k))).toEqual([0, 2, 2, 2, 2]);
    expect(crowd.done).toMatchObject({ ok: true, served: 4, servedWhileStalled: 4 });
  });

  it('shows a sequential server serving nobody while the stalled client waits', () => {
    const crowd = crowdOf(fixture('crowd-sequential'), 'peer:crowd');
    expect(crowd.normal('reply-matched')).toEqual([]);
    expect(crowd.normal('timeout').map((r) => r.connection)).toEqual([2, 3, 4, 5]);
    expect(crowd.done).toMatchObject({ ok: false, servedWhileStalled: 0 });
  });

  it('is empty for a run without that crowd', () => {
    const crowd = crowdOf(fixture('echo'));
    expect(crowd.stalled.size).toBe(0);
    expect(crowd.done).toBeUndefined();
    expect(crowd.matchedOn(2)).toBe(0);
  });
});

describe('crowdConnections and firstFrom', () => {
  it('lists the normal connections to the port, not the stalled one that sent 3 bytes', () => {
    const run = fixture('crowd-threads');
    const connections = crowdConnections(run, 8080);
    expect(connections).toHaveLength(4);
    for (const connection of connections) {
      expect(firstFrom(connection, connection.client.port, 'FIN')).toBeDefined();
      expect(firstFrom(connection, 8080, 'FIN')).toBeDefined();
      expect(firstFrom(connection, 8080, 'RST')).toBeUndefined();
    }
    expect(crowdConnections(run, 9999)).toEqual([]);
  });
});

describe('unclosedAfterFin', () => {
  it('passes a server that closed each connection after its FIN', () => {
    expect(unclosedAfterFin(fixture('crowd-threads'), 8080, 500)).toBeUndefined();
  });

  it('finds the connection whose server stayed open after the client shut down its side', () => {
    const run = fixture('crowd-threads');
    const first = crowdConnections(run, 8080)[0]!;
    const serverFin = firstFrom(first, 8080, 'FIN')!;
    const clientFin = firstFrom(first, first.client.port, 'FIN')!;
    serverFin.t = clientFin.t + 600; // the server closed 600 ms after the client's FIN
    expect(unclosedAfterFin(run, 8080, 500)?.client.port).toBe(first.client.port);
    expect(unclosedAfterFin(run, 8080, 700)).toBeUndefined();
  });
});

describe('withEnd', () => {
  it('adds nothing for a server the run stopped, and how a process died otherwise', () => {
    expect(withEnd(fixture('crowd-threads'), en, 'server.py', 'Text.')).toBe('Text.');
    const died = withEnd(fixture('refused'), en, 'client.py', 'Text.');
    expect(died).toMatch(/^Text\. .*ConnectionRefusedError/);
    expect(withEnd(fixture('refused'), zh, 'client.py', '文字。')).toMatch(/^文字。[^ ]/);
  });
});

describe('serverClosedEach', () => {
  const options = {
    server: 'server.py',
    port: 8080,
    withinMs: 500,
    advice: { en: 'close it when recv() returns b""', zh: 'recv() 返回 b"" 时关闭它' },
  };

  it('passes a server that closed each connection after its client was done', () => {
    expect(serverClosedEach(fixture('crowd-threads'), en, options)).toMatchObject({ pass: true });
  });

  it("names the client left open, with the lesson's advice, in both languages", () => {
    const run = fixture('crowd-threads');
    const first = crowdConnections(run, 8080)[0]!;
    firstFrom(first, 8080, 'FIN')!.t = firstFrom(first, first.client.port, 'FIN')!.t + 900;
    const port = first.client.port;
    expect(serverClosedEach(run, en, options)).toEqual({
      pass: false,
      message: `The client on port ${port} shut down its side, and your server did not close that connection within 500 ms: close it when recv() returns b"".`,
    });
    expect(serverClosedEach(run, zh, options).message).toContain('recv() 返回 b"" 时关闭它。');
  });

  it('says so when no client got to send, and when the run has no capture', () => {
    expect(serverClosedEach(fixture('refused'), en, options).message).toMatch(
      /^No client got to send a line to your server on 127\.0\.0\.1:8080\./,
    );
    const uncaptured = { ...fixture('crowd-threads'), packets: undefined };
    expect(serverClosedEach(uncaptured, en, options).pass).toBe(false);
  });
});
