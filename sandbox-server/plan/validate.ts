/**
 * Checks the files of a run before anything starts: names the sandbox accepts, sizes in bytes
 * (not characters: a 64 KiB limit must hold for UTF-8 too), no duplicates, not too many.
 */
import { FileName, WIRE_LIMITS, type SourceFile } from '../../lib/protocol.ts';
import { RunInputError } from './input-error.ts';

/** Throws a RunInputError naming the first problem with `files`. */
export function validateFiles(files: SourceFile[]): void {
  if (files.length === 0) throw new RunInputError('bad-message', { code: 'no-files', params: {} });
  if (files.length > WIRE_LIMITS.maxFiles) {
    throw new RunInputError('too-large', {
      code: 'too-many-files',
      params: { count: files.length, max: WIRE_LIMITS.maxFiles },
    });
  }
  const seen = new Set<string>();
  for (const { name: file, content } of files) {
    if (!FileName.safeParse(file).success)
      throw new RunInputError('bad-message', { code: 'bad-file-name', params: { file } });
    if (seen.has(file))
      throw new RunInputError('bad-message', { code: 'duplicate-file', params: { file } });
    seen.add(file);
    if (Buffer.byteLength(content, 'utf8') > WIRE_LIMITS.maxFileBytes) {
      throw new RunInputError('too-large', {
        code: 'file-too-large',
        params: { file, maxBytes: WIRE_LIMITS.maxFileBytes },
      });
    }
  }
}
