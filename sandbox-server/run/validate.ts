/**
 * Checks the files of a run before anything starts: names the sandbox accepts, sizes in bytes
 * (not characters: a 64 KiB limit must hold for UTF-8 too), no duplicates, not too many.
 */
import { FileName, WIRE_LIMITS, type SourceFile } from '../../lib/protocol.ts';
import { RunInputError } from './input-error.ts';

/** Throws a RunInputError naming the first problem with `files`. */
export function validateFiles(files: SourceFile[]): void {
  if (files.length === 0) throw new RunInputError('bad-message', 'a run needs at least one file');
  if (files.length > WIRE_LIMITS.maxFiles) {
    throw new RunInputError(
      'too-large',
      `a run may have at most ${WIRE_LIMITS.maxFiles} files, not ${files.length}`,
    );
  }
  const seen = new Set<string>();
  for (const file of files) {
    const name = FileName.safeParse(file.name);
    if (!name.success) {
      throw new RunInputError(
        'bad-message',
        `${JSON.stringify(file.name)}: ${name.error.issues[0]?.message}`,
      );
    }
    if (seen.has(file.name)) throw new RunInputError('bad-message', `${file.name} is given twice`);
    seen.add(file.name);
    const bytes = Buffer.byteLength(file.content, 'utf8');
    if (bytes > WIRE_LIMITS.maxFileBytes) {
      const kib = (n: number): string => `${Math.ceil(n / 1024)} KiB`;
      throw new RunInputError(
        'too-large',
        `${file.name} is ${kib(bytes)}; a file may hold at most ${kib(WIRE_LIMITS.maxFileBytes)}`,
      );
    }
  }
}
