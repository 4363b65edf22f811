/** The error startRun throws for a request it cannot run (bad files, unknown process names). */
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { Notice } from '../../lib/protocol.ts';

/** Codes match lib/protocol.ts ErrorMessage codes, so the transport can forward them as they are. */
export type RunInputErrorCode = 'bad-message' | 'too-large' | 'unknown-process';

/** A problem with what was asked for: its notice goes to whoever asked; `message` is for logs. */
export class RunInputError extends Error {
  readonly code: RunInputErrorCode;
  readonly notice: Notice;

  constructor(code: RunInputErrorCode, notice: Notice) {
    super(renderNotice(notice, 'en'));
    this.name = 'RunInputError';
    this.code = code;
    this.notice = notice;
  }
}
