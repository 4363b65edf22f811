import { describe, expect, it } from 'vitest';
import { privilegesHeld } from './unprivileged.ts';

const status = (uid: string, gid: string, groups: string, capEff = '0000000000000000') =>
  [
    'Name:\tnode',
    `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`,
    `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    `Groups:\t${groups}`,
    'CapInh:\t0000000000000000',
    'CapPrm:\t0000000000000000',
    `CapEff:\t${capEff}`,
    'CapBnd:\t000001ffffffffff',
    'CapAmb:\t0000000000000000',
  ].join('\n');

describe('privilegesHeld', () => {
  it('accepts nobody with no groups and no capabilities', () => {
    expect(privilegesHeld(status('65534', '65534', ' '))).toEqual([]);
  });

  it('names root uids, root gids, group 0 and effective capabilities', () => {
    expect(privilegesHeld(status('0', '0', '0', '000001ffffffffff'))).toEqual([
      'uids 0 0 0 0',
      'gids 0 0 0 0',
      'member of group 0',
      'CapEff 000001ffffffffff',
    ]);
  });

  it('refuses a saved uid of 0 (setuid could regain root)', () => {
    const text = status('65534', '65534', '').replace(
      'Uid:\t65534\t65534\t65534\t65534',
      'Uid:\t65534\t65534\t0\t65534',
    );
    expect(privilegesHeld(text)).toEqual(['uids 65534 65534 0 65534']);
  });

  it('refuses a status it cannot read', () => {
    expect(privilegesHeld('')).toContain('uids ');
  });
});
