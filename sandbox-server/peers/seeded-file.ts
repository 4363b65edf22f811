/**
 * The file-sender's files: bytes that look random, the same for the same run seed and file
 * number on every machine, made as an AES-128-CTR keystream (fast: megabytes in milliseconds)
 * and produced in chunks, so an 8 MiB file is hashed and sent without ever being held whole.
 */
import { createCipheriv, createHash } from 'node:crypto';

/** Bytes produced per chunk. */
export const FILE_CHUNK_BYTES = 64 * 1024;

/** A seeded file's chunks, in order; call again for a fresh pass over the same bytes. */
export function* fileChunks(seed: number, file: number, size: number): Generator<Buffer> {
  const key = createHash('sha256').update(`handshake-file:${seed}:${file}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = Buffer.alloc(FILE_CHUNK_BYTES);
  for (let at = 0; at < size; at += FILE_CHUNK_BYTES) {
    yield cipher.update(zeros.subarray(0, Math.min(FILE_CHUNK_BYTES, size - at)));
  }
}

/** The SHA-256 (hex) of a seeded file, hashed chunk by chunk. */
export function fileSha256(seed: number, file: number, size: number): string {
  const hash = createHash('sha256');
  for (const chunk of fileChunks(seed, file, size)) hash.update(chunk);
  return hash.digest('hex');
}
