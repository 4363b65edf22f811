/**
 * Makes `@handshake/lesson` resolve to kit.ts for modules Node imports natively (a lesson's
 * check.ts loaded by the judge), wherever the content folder lives. Type-checking maps the same
 * name through tsconfig's `paths`, and vitest through its alias.
 */
import { registerHooks } from 'node:module';

/** The name lessons import the kit by. */
export const KIT_SPECIFIER = '@handshake/lesson';

/** The kit module's URL. */
export const KIT_URL = new URL('./kit.ts', import.meta.url).href;

let registered = false;

/** Registers the resolver in this thread (once; later calls do nothing). */
export function registerKitResolver(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === KIT_SPECIFIER) return { url: KIT_URL, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
