import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures/fixture.ts';
import { receivedText, reportsOf, sentText } from './reports.ts';

describe('reportsOf', () => {
  it('lists a peer’s reports in order, by short or full name', () => {
    const run = fixture('echo');
    const events = reportsOf(run, 'echo').map((report) => report.event);
    expect(events).toEqual(['listening', 'connection', 'received', 'closed']);
    expect(reportsOf(run, 'peer:echo')).toEqual(reportsOf(run, 'echo'));
  });

  it('keeps only the reports of the event asked for', () => {
    const received = reportsOf(fixture('udp'), 'echo', 'received');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ data: 'ping 1', process: 'peer:echo' });
  });

  it('is empty for a learner process or an unknown name', () => {
    expect(reportsOf(fixture('echo'), 'client.py')).toEqual([]);
    expect(reportsOf(fixture('echo'), 'nobody')).toEqual([]);
  });
});

describe('receivedText and sentText', () => {
  it('concatenates what the peer received, multibyte text intact', () => {
    expect(receivedText(fixture('echo'), 'echo')).toBe('hello 你好');
    expect(receivedText(fixture('udp'), 'peer:echo')).toBe('ping 1');
    expect(receivedText(fixture('refused'), 'echo')).toBe('');
  });

  it('concatenates the data of sent reports in order, skipping reports without text', () => {
    // The recorded peers did not report `sent` yet: the reports are added as the contract says.
    const run = fixture('echo');
    for (const data of ['hel', 'lo', undefined, ' 你好'])
      run.reports.push({ event: 'sent', ...(data ? { data } : {}), process: 'peer:echo' });
    expect(sentText(run, 'echo')).toBe('hello 你好');
    expect(sentText(fixture('echo'), 'echo')).toBe('');
  });
});
