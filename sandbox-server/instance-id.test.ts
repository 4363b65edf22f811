import { describe, expect, it } from 'vitest';
import { hostInstance, INSTANCE_ID, instanceIdProblem, processInstance } from './instance-id.ts';

describe('instance ids', () => {
  it("derives a server's default id from its host name: stable, valid, different per pod", () => {
    const a = hostInstance('handshake-sandbox-7f9c4-abcde');
    expect(a).toMatch(/^h[a-z0-9]{6}$/);
    expect(instanceIdProblem(a)).toBeNull();
    expect(hostInstance('handshake-sandbox-7f9c4-abcde')).toBe(a);
    expect(hostInstance('handshake-sandbox-7f9c4-fghij')).not.toBe(a);
  });

  it('gives hosts without an id one owned by their process, which no configured id can be', () => {
    expect(processInstance(0, 1234)).toBe('p1234');
    expect(processInstance(2, 1234)).toBe('p1234b');
    expect(instanceIdProblem(processInstance())).not.toBeNull();
    expect(INSTANCE_ID.test('a1b2c3d4')).toBe(true);
    expect(INSTANCE_ID.test('a1b2c3d4e')).toBe(false);
  });
});
