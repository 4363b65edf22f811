/**
 * A payload preview that is safe to put anywhere (a terminal, a tooltip, a screen reader):
 * printable ASCII and well-formed UTF-8 are shown, while control characters, invisible
 * formatting (bidi overrides, zero-width) and bytes that are not UTF-8 are escaped, so the
 * learner's program can neither hide text nor drive the viewer.
 */

/** Bytes of payload a preview covers. */
export const PREVIEW_BYTES = 64;

// Control, format (bidi, zero-width), separator, surrogate, private and unassigned code points.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u;

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

/** The first `PREVIEW_BYTES` of `payload` as escaped text (`\n`, `\xff`, `\u{202e}`, `\\`). */
export function safePreview(payload: Uint8Array, maxBytes = PREVIEW_BYTES): string {
  const end = Math.min(payload.length, maxBytes);
  let text = '';
  for (let i = 0; i < end;) {
    const byte = payload[i]!;
    const named = NAMED[byte];
    if (named !== undefined) {
      text += named;
      i++;
    } else if (byte >= 0x20 && byte < 0x7f) {
      text += String.fromCharCode(byte);
      i++;
    } else {
      const decoded = byte >= 0xc2 ? decodeUtf8(payload, i, end) : null;
      if (decoded === null) {
        text += `\\x${byte.toString(16).padStart(2, '0')}`;
        i++;
      } else {
        const char = String.fromCodePoint(decoded.codePoint);
        text += UNSAFE.test(char) ? `\\u{${decoded.codePoint.toString(16)}}` : char;
        i += decoded.length;
      }
    }
  }
  return text;
}

/** One well-formed UTF-8 sequence starting at `start` and ending before `end`, or null. */
function decodeUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
): { codePoint: number; length: number } | null {
  const lead = bytes[start]!;
  const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
  if (length === 0 || start + length > end) return null;
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[start + k]!;
    if ((next & 0xc0) !== 0x80) return null;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const smallest = [0, 0, 0x80, 0x800, 0x10000][length]!;
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  if (codePoint < smallest || codePoint > 0x10ffff) return null;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return null;
  return { codePoint, length };
}
