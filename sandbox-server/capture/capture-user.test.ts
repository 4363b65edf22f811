import { describe, expect, it } from 'vitest';
import { captureUserFrom, findUser } from './capture-user.ts';

const passwd = [
  'root:x:0:0:root:/root:/bin/bash',
  'tcpdump:x:102:109::/nonexistent:/usr/sbin/nologin',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
].join('\n');

describe('capture user', () => {
  it('finds an account by name', () => {
    expect(findUser(passwd, 'tcpdump')).toEqual({ uid: 102, gid: 109 });
    expect(findUser(passwd, 'tcp')).toBeNull();
  });

  it('never picks root, even if an account named so has uid 0', () => {
    expect(findUser('tcpdump:x:0:0::/:/bin/sh', 'tcpdump')).toBeNull();
  });

  it('runs captures as tcpdump when the host has that account', () => {
    expect(captureUserFrom(passwd)).toEqual({ uid: 102, gid: 109 });
  });

  it('falls back to nobody without a tcpdump account, a safe one, or a passwd file', () => {
    const nobody = { uid: 65534, gid: 65534 };
    expect(captureUserFrom(passwd.replace(/^tcpdump:.*$/m, ''))).toEqual(nobody);
    expect(captureUserFrom('tcpdump:x:0:0::/:/bin/sh')).toEqual(nobody);
    expect(captureUserFrom(null)).toEqual(nobody);
  });
});
