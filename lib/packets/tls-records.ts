/**
 * What TLS records a TCP payload starts with, named as RFC 8446 names them, for the Network
 * view: `ClientHello (SNI localhost)`, `ServerHello, ChangeCipherSpec, Application Data ×2`.
 * Only the record headers and the ClientHello's server name are read — both travel in clear
 * text, which is the point of showing them; everything after the ServerHello is ciphertext
 * (in TLS 1.3 even the certificate and the alerts go as "Application Data" records).
 */

/** TLS record content types (RFC 8446 §5.1). */
const RECORD_TYPES: Readonly<Record<number, string>> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
};
/** The names of the TLS alerts a client may end a handshake with (RFC 8446 §6). */
export const TLS_ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  80: 'internal_error',
  90: 'user_canceled',
  109: 'missing_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Handshake message types a record in clear text may start with (RFC 8446 §4). */
const HANDSHAKE_TYPES: Readonly<Record<number, string>> = {
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  14: 'ServerHelloDone',
  16: 'ClientKeyExchange',
};
/** The largest record a peer may send: 2^14 bytes plus expansion (RFC 8446 §5.2). */
const MAX_RECORD = (1 << 14) + 256;
/** Most records named for one packet; a longer train ends with "…". */
const MAX_NAMED = 8;
/** A host name as SNI carries it: letters, digits, dots and hyphens (RFC 6066 §3). */
const HOST_NAME = /^[A-Za-z0-9.-]{1,253}$/;

/** The TLS records `payload` starts with, or undefined when it does not start with one. */
export function describeTls(payload: Uint8Array): string | undefined {
  const names: string[] = [];
  let at = 0;
  while (at + 5 <= payload.length && names.length <= MAX_NAMED) {
    const type = RECORD_TYPES[payload[at]!];
    const length = (payload[at + 3]! << 8) | payload[at + 4]!;
    if (!type || payload[at + 1] !== 3 || payload[at + 2]! > 4 || length > MAX_RECORD) break;
    const body = payload.subarray(at + 5, at + 5 + length);
    names.push(
      type === 'Handshake' ? handshakeName(body) : type === 'Alert' ? alertName(body) : type,
    );
    at += 5 + length;
  }
  return names.length === 0 ? undefined : grouped(names);
}

/** "A, B ×3, C", at most MAX_NAMED names. */
function grouped(names: string[]): string {
  const parts: string[] = [];
  let count = 0;
  names.slice(0, MAX_NAMED).forEach((name, i, shown) => {
    count += 1;
    if (shown[i + 1] === name) return;
    parts.push(count > 1 ? `${name} ×${count}` : name);
    count = 0;
  });
  return parts.join(', ') + (names.length > MAX_NAMED ? ', …' : '');
}

/** An alert in clear text (level, description) by its name; an encrypted one stays "Alert". */
function alertName(body: Uint8Array): string {
  const name = body.length === 2 ? TLS_ALERTS[body[1]!] : undefined;
  return name ? `Alert (${name})` : 'Alert';
}

/** The handshake message a record's body starts with; a ClientHello with its server name. */
function handshakeName(body: Uint8Array): string {
  const name = HANDSHAKE_TYPES[body[0] ?? -1] ?? 'Handshake';
  if (name !== 'ClientHello') return name;
  const sni = serverName(body);
  return sni ? `ClientHello (SNI ${sni})` : 'ClientHello';
}

/** The host name of a ClientHello's server_name extension, when it was captured whole. */
export function serverName(hello: Uint8Array): string | undefined {
  const read = reader(hello);
  // type(1) length(3) version(2) random(32), then three length-prefixed lists.
  if (!read.skip(4 + 2 + 32) || !read.skipVector(1) || !read.skipVector(2) || !read.skipVector(1))
    return undefined;
  const end = read.u16();
  if (end === undefined) return undefined;
  const stop = Math.min(hello.length, read.at + end);
  while (read.at + 4 <= stop) {
    const type = read.u16()!;
    const length = read.u16()!;
    if (type !== 0) {
      read.skip(length);
      continue;
    }
    // server_name_list(2), then name_type(1) = host_name (0), then the name.
    if (!read.skip(2) || hello[read.at] !== 0 || !read.skip(1)) return undefined;
    const size = read.u16();
    if (size === undefined || read.at + size > hello.length) return undefined;
    const text = new TextDecoder().decode(hello.subarray(read.at, read.at + size));
    return HOST_NAME.test(text) ? text : undefined;
  }
  return undefined;
}

/** A cursor over `bytes` whose reads fail (undefined / false) past the end. */
function reader(bytes: Uint8Array) {
  const cursor = {
    at: 0,
    skip(n: number): boolean {
      cursor.at += n;
      return cursor.at <= bytes.length;
    },
    u16(): number | undefined {
      if (cursor.at + 2 > bytes.length) return undefined;
      const value = (bytes[cursor.at]! << 8) | bytes[cursor.at + 1]!;
      cursor.at += 2;
      return value;
    },
    /** Skips a vector whose length takes `width` bytes (1 or 2). */
    skipVector(width: 1 | 2): boolean {
      const length = width === 1 ? bytes[cursor.at] : cursor.u16();
      if (length === undefined) return false;
      if (width === 1) cursor.at += 1;
      return cursor.skip(length);
    },
  };
  return cursor;
}
