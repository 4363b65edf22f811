import { describe, expect, it } from 'vitest';
import { en, fixture, zh } from './fixtures/fixture.ts';
import { fail, noCapture, pass, processFinished } from './outcomes.ts';

describe('pass and fail', () => {
  it('build outcomes, leaving out empty details', () => {
    expect(pass('ok')).toEqual({ pass: true, message: 'ok' });
    expect(fail('no', 'stderr text')).toEqual({
      pass: false,
      message: 'no',
      details: 'stderr text',
    });
    expect(fail('no')).toEqual({ pass: false, message: 'no' });
    expect(fail('no', '')).toEqual({ pass: false, message: 'no' });
  });
});

describe('noCapture', () => {
  it('is null when the run has a capture, even an empty one', () => {
    expect(noCapture(fixture('echo'), en)).toBeNull();
    expect(noCapture(fixture('signal'), en)).toBeNull();
  });

  it('fails in the learner’s language when there is no capture', () => {
    const run = fixture('echo');
    delete run.packets;
    expect(noCapture(run, en)).toEqual({
      pass: false,
      message: 'This run has no packet capture, so its packets cannot be judged. Run it again.',
    });
    expect(noCapture(run, zh)?.message).toBe(
      '这次运行没有抓包，无法判断它的数据包。请再运行一次。',
    );
  });
});

describe('processFinished', () => {
  it('passes a process that exited 0', () => {
    expect(processFinished(fixture('echo'), 'client.py', en)).toEqual({
      pass: true,
      message: 'client.py finished without an error.',
    });
    expect(processFinished(fixture('echo'), 'client.py', zh).message).toBe(
      'client.py 正常结束，没有报错。',
    );
  });

  it('passes a server still serving when the run ended', () => {
    const outcome = processFinished(fixture('echo'), 'echo', en);
    expect(outcome).toEqual({
      pass: true,
      message: 'peer:echo was still serving when the run ended, without an error.',
    });
    expect(processFinished(fixture('echo'), 'echo', zh).message).toBe(
      '运行结束时 peer:echo 仍在正常服务，没有报错。',
    );
  });

  it('fails an exception with explainEnd, the traceback as details', () => {
    const run = fixture('refused');
    const outcome = processFinished(run, 'client.py', en);
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toBe(
      'client.py stopped with an exception: ConnectionRefusedError: [Errno 111] Connection refused. Nothing listens on 127.0.0.1:8081 — is the server running?',
    );
    expect(outcome.details).toBe(run.processes['client.py']!.stderr.trim());
    expect(processFinished(run, 'client.py', zh).message).toBe(
      'client.py 因异常而停止：ConnectionRefusedError: [Errno 111] Connection refused。127.0.0.1:8081 上没有程序在监听——服务器在运行吗？',
    );
  });

  it('fails a hang at the time limit without details when stderr is empty', () => {
    const outcome = processFinished(fixture('recv-hang'), 'client.py', en);
    expect(outcome.pass).toBe(false);
    expect(outcome.message).toMatch(/^client\.py was still running when the time limit stopped it/);
    expect(outcome).not.toHaveProperty('details');
  });

  it('fails a process the run did not have', () => {
    expect(processFinished(fixture('echo'), 'server.py', en)).toEqual({
      pass: false,
      message: 'server.py did not run.',
    });
    expect(processFinished(fixture('echo'), 'server.py', zh).message).toBe('server.py 没有运行。');
  });
});
