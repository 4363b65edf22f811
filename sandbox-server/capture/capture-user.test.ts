import { describe, expect, it } from 'vitest';
import { captureUser, findUser } from './capture-user.ts';

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

  it('resolves to an unprivileged account on this host', () => {
    expect(captureUser().uid).toBeGreaterThan(0);
  });
});
