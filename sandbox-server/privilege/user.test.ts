import { describe, expect, it } from 'vitest';
import { resolveUser } from './user.ts';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  'handshake:x:990:985::/home/handshake:/usr/sbin/nologin',
  'wheelie:x:991:0::/:/usr/sbin/nologin',
  'broken line',
].join('\n');

describe('resolveUser', () => {
  it('finds a user by name, with its primary group', () => {
    expect(resolveUser('handshake', PASSWD)).toEqual({ name: 'handshake', uid: 990, gid: 985 });
  });

  it('finds a user by uid', () => {
    expect(resolveUser('65534', PASSWD)).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
  });

  it('takes a uid without a passwd entry as uid = gid', () => {
    expect(resolveUser('4242', PASSWD)).toEqual({ name: '4242', uid: 4242, gid: 4242 });
  });

  it('refuses root by name or number, and a user whose group is root', () => {
    expect(() => resolveUser('root', PASSWD)).toThrow(/is root/);
    expect(() => resolveUser('0', PASSWD)).toThrow(/is root/);
    expect(() => resolveUser('wheelie', PASSWD)).toThrow(/is root/);
  });

  it('refuses an unknown name', () => {
    expect(() => resolveUser('nosuch', PASSWD)).toThrow(/no such user/);
  });
});
