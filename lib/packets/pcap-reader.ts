/**
 * A streaming reader of classic libpcap files (not pcapng): feed it chunks cut anywhere, get
 * whole records back. Both byte orders, µs and ns timestamps. It never throws on bad input: an
 * unknown magic or an impossible record length stops it with `error` set (a pcap cannot be
 * resynchronised), and bytes of an unfinished record at the end are counted, not parsed.
 */

/** The file header's facts that records need. */
export interface PcapHeader {
  linkType: number;
  snaplen: number;
  littleEndian: boolean;
  nanoseconds: boolean;
}

/** One captured frame. */
export interface PcapRecord {
  /** Seconds and nanoseconds since the epoch (kept apart: ns since the epoch exceed 2^53). */
  sec: number;
  nsec: number;
  /** The captured bytes (at most the snapshot length). */
  data: Uint8Array;
  /** The frame's length on the wire. */
  origLen: number;
  /** The record as stored in the file (its 16-byte header, then the data). */
  raw: Uint8Array;
}

/** Size of the file header and of each record header. */
export const PCAP_HEADER_BYTES = 24;
export const RECORD_HEADER_BYTES = 16;
/** Largest record accepted: libpcap's own ceiling (MAXIMUM_SNAPLEN) for non-USB links. */
export const MAX_RECORD_BYTES = 262_144;

const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const PCAPNG_MAGIC = 0x0a0d0d0a;

/** Reads a pcap stream chunk by chunk. */
export class PcapReader {
  /** The file header, once its 24 bytes have arrived. */
  header: PcapHeader | null = null;
  /** The first bytes of the file header exactly as received (to write a pcap back out). */
  headerBytes: Uint8Array | null = null;
  /** Why reading stopped, if the input is not a pcap or is corrupt. */
  error: string | null = null;
  private parts: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes the next unit needs: the file header, a record header, or a whole record. */
  private need = PCAP_HEADER_BYTES;

  /** Takes the next chunk; returns every record it completed. */
  push(chunk: Uint8Array): PcapRecord[] {
    const records: PcapRecord[] = [];
    if (this.error !== null || chunk.length === 0) return records;
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.need) return records;
    // Join only once a whole unit is there, so tiny chunks never cost a copy each.
    const bytes = this.parts.length === 1 ? this.parts[0]! : concat(this.parts, this.buffered);
    let offset = 0;
    while (this.error === null && bytes.length - offset >= this.need) {
      offset = this.step(bytes, offset, records);
    }
    const rest = this.error === null ? bytes.subarray(offset) : new Uint8Array(0);
    this.parts = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return records;
  }

  /** Bytes received but not part of a whole record: at the end of input, a truncated file. */
  get leftoverBytes(): number {
    return this.buffered;
  }

  /** Consumes the file header or one record at `offset`, or learns how long the record is. */
  private step(bytes: Uint8Array, offset: number, records: PcapRecord[]): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    if (this.header === null) {
      this.header = readFileHeader(view, (message) => (this.error = message));
      this.headerBytes = bytes.slice(offset, offset + PCAP_HEADER_BYTES);
      this.need = RECORD_HEADER_BYTES;
      return offset + PCAP_HEADER_BYTES;
    }
    const little = this.header.littleEndian;
    const inclLen = view.getUint32(8, little);
    if (inclLen > MAX_RECORD_BYTES) {
      this.error = `a record of ${inclLen} bytes exceeds ${MAX_RECORD_BYTES}: corrupt capture`;
      return offset;
    }
    if (this.need === RECORD_HEADER_BYTES && inclLen > 0) {
      this.need = RECORD_HEADER_BYTES + inclLen;
      return offset;
    }
    this.need = RECORD_HEADER_BYTES;
    const frac = view.getUint32(4, little);
    const end = offset + RECORD_HEADER_BYTES + inclLen;
    records.push({
      sec: view.getUint32(0, little),
      nsec: this.header.nanoseconds ? frac : frac * 1000,
      data: bytes.subarray(offset + RECORD_HEADER_BYTES, end),
      origLen: Math.max(view.getUint32(12, little), inclLen),
      raw: bytes.subarray(offset, end),
    });
    return end;
  }
}

function readFileHeader(view: DataView, fail: (message: string) => void): PcapHeader | null {
  const magic = view.getUint32(0, true);
  let littleEndian: boolean;
  if (magic === MAGIC_MICRO || magic === MAGIC_NANO) littleEndian = true;
  else if (swap32(magic) === MAGIC_MICRO || swap32(magic) === MAGIC_NANO) littleEndian = false;
  else {
    fail(magic === PCAPNG_MAGIC ? 'pcapng files are not supported' : 'not a pcap file');
    return null;
  }
  return {
    littleEndian,
    nanoseconds: view.getUint32(0, littleEndian) === MAGIC_NANO,
    snaplen: view.getUint32(16, littleEndian),
    // The upper bits may carry FCS information; the link type is the low 16.
    linkType: view.getUint32(20, littleEndian) & 0xffff,
  };
}

function swap32(value: number): number {
  return (
    (((value & 0xff) << 24) |
      ((value & 0xff00) << 8) |
      ((value >>> 8) & 0xff00) |
      (value >>> 24)) >>>
    0
  );
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
