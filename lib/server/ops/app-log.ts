/**
 * The web app's log: the JSON lines of every Handshake process (sandbox-server/ops/log.ts) with
 * `process: "app"`. Next.js's own start-up lines stay as Next prints them.
 */
import { createLogger, type Logger } from '../../../sandbox-server/ops/log.ts';

const KEY = Symbol.for('handshake.appLog');
const holder = globalThis as { [KEY]?: Logger };

/** The app's logger, made on first use. */
export function appLog(): Logger {
  holder[KEY] ??= createLogger('app');
  return holder[KEY];
}
