import { describe, expect, it } from 'vitest';
import {
  describeSockets,
  formatTableAddress,
  isServingSocket,
  parsePortRange,
  parseSocketTable,
  socketStateName,
} from './proc-net.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 51234 1 0000000000000000 100 0 0 10 0
   1: 0100007F:B6E2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 51240 1 0000000000000000 20 4 30 10 -1
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 7777 1 0000000000000000 100 0 0 10 0
`;

const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 0100007F:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 600 2 0000000000000000 0
  101: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 601 2 0000000000000000 0
  102: 0100007F:0FA1 0100007F:270F 01 00000000:00000000 00:00000000 00000000  1000        0 602 2 0000000000000000 0
`;

const range = { low: 32768, high: 60999 };

describe('parseSocketTable', () => {
  it('reads the local port, state and inode of each IPv4 socket', () => {
    expect(parseSocketTable(TCP, 'tcp')).toEqual([
      { protocol: 'tcp', localPort: 8080, state: 0x0a, inode: 51234 },
      { protocol: 'tcp', localPort: 46818, state: 0x01, inode: 51240 },
    ]);
  });

  it('reads IPv6 lines', () => {
    expect(parseSocketTable(TCP6, 'tcp')).toEqual([
      { protocol: 'tcp', localPort: 80, state: 0x0a, inode: 7777 },
    ]);
  });

  it('ignores the header and blank or short lines', () => {
    expect(parseSocketTable('header\n\n  garbage line\n', 'udp')).toEqual([]);
  });
});

describe('isServingSocket', () => {
  it('counts a TCP socket as serving only while it listens', () => {
    const [listening, connected] = parseSocketTable(TCP, 'tcp');
    expect(isServingSocket(listening!, range)).toBe(true);
    expect(isServingSocket(connected!, range)).toBe(false);
  });

  it('counts an unconnected UDP socket on a fixed port, not on an ephemeral one, nor a connected one', () => {
    const [fixed, ephemeral, connected] = parseSocketTable(UDP, 'udp');
    expect(isServingSocket(fixed!, range)).toBe(true);
    expect(isServingSocket(ephemeral!, range)).toBe(false);
    expect(isServingSocket(connected!, range)).toBe(false);
  });
});

describe('parsePortRange', () => {
  it('reads the kernel file and falls back to the Linux default', () => {
    expect(parsePortRange('1024\t65000\n')).toEqual({ low: 1024, high: 65000 });
    expect(parsePortRange('')).toEqual({ low: 32768, high: 60999 });
  });
});

describe('formatTableAddress', () => {
  it('reads IPv4 addresses as the little-endian host printed them', () => {
    expect(formatTableAddress('0100007F:1F90')).toBe('127.0.0.1:8080');
    expect(formatTableAddress('00000000:0000')).toBe('0.0.0.0:0');
    expect(formatTableAddress('0101A8C0:0016')).toBe('192.168.1.1:22');
  });

  it('reads IPv6 addresses, shortened, and IPv4-mapped ones as the IPv4 address', () => {
    expect(formatTableAddress('00000000000000000000000001000000:0050')).toBe('[::1]:80');
    expect(formatTableAddress('00000000000000000000000000000000:1F90')).toBe('[::]:8080');
    expect(formatTableAddress('0000000000000000FFFF00000100007F:1F90')).toBe('127.0.0.1:8080');
    expect(formatTableAddress('000080FE00000000FF030202FEFD0201:0016')).toBe(
      '[fe80::202:3ff:102:fdfe]:22',
    );
  });

  it('refuses what is not an address', () => {
    expect(formatTableAddress('garbage')).toBeNull();
    expect(formatTableAddress('0100007F')).toBeNull();
  });
});

describe('socketStateName', () => {
  it('names TCP states as ss does, and UDP sockets connected or not', () => {
    expect(socketStateName('tcp', 0x01)).toBe('ESTABLISHED');
    expect(socketStateName('tcp', 0x0a)).toBe('LISTEN');
    expect(socketStateName('tcp', 0x08)).toBe('CLOSE_WAIT');
    expect(socketStateName('tcp', 0x42)).toBe('0x42');
    expect(socketStateName('udp', 0x07)).toBe('UNCONN');
    expect(socketStateName('udp', 0x01)).toBe('ESTABLISHED');
  });
});

describe('describeSockets', () => {
  it('describes the wanted inodes only, with a remote end when connected', () => {
    const tcp = describeSockets(TCP, 'tcp', new Set([51234, 51240, 99]));
    expect([...tcp]).toEqual([
      [51234, { proto: 'tcp', local: '127.0.0.1:8080', state: 'LISTEN' }],
      [
        51240,
        { proto: 'tcp', local: '127.0.0.1:46818', remote: '127.0.0.1:8080', state: 'ESTABLISHED' },
      ],
    ]);
    expect([...describeSockets(UDP, 'udp', new Set([600, 602]))]).toEqual([
      [600, { proto: 'udp', local: '127.0.0.1:9999', state: 'UNCONN' }],
      [
        602,
        { proto: 'udp', local: '127.0.0.1:4001', remote: '127.0.0.1:9999', state: 'ESTABLISHED' },
      ],
    ]);
  });
});
