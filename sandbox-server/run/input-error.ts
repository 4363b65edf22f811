/** The error startRun throws for a request it cannot run (bad files, unknown process names). */

/** Codes match lib/protocol.ts ErrorMessage codes, so the transport can forward them as they are. */
export type RunInputErrorCode = 'bad-message' | 'too-large' | 'unknown-process';

/** A problem with what was asked for, described for the person who asked. */
export class RunInputError extends Error {
  readonly code: RunInputErrorCode;

  constructor(code: RunInputErrorCode, message: string) {
    super(message);
    this.name = 'RunInputError';
    this.code = code;
  }
}
