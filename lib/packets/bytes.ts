/** Big-endian reads from a byte array; callers check bounds first (a packet is untrusted). */

/** The unsigned 16-bit number at `offset`. */
export function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

/** The unsigned 32-bit number at `offset`. */
export function u32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset]! << 24) |
      (bytes[offset + 1]! << 16) |
      (bytes[offset + 2]! << 8) |
      bytes[offset + 3]!) >>>
    0
  );
}
