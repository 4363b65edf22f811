/**
 * What the chat bots will say in a run, drawn from its seed before any bot connects: unique
 * nicknames (none inside another, so a line naming one never seems to name another), unique
 * lines (so each received line tells which message it is), and the marker of the flood's
 * filler lines. The same seed gives the same plan.
 */
import type { ChatBotsOptions } from './config.ts';
import type { Expand } from './payload.ts';

/** Bytes of one filler line of the flood, "\n" included. */
export const FLOOD_LINE_BYTES = 4096;
/** Draws tried for a unique nickname or line before the bot's number is added to it. */
const DRAWS = 20;

/** One run's nicknames, lines and flood. */
export interface ChatPlan {
  nicks: string[];
  /** Per bot, the lines it sends (none for the slow bot). */
  lines: string[][];
  /** The bot that sends the flood (the last one), or null without a flood. */
  flooder: number | null;
  floodLines: number;
  /** A seeded token every filler line carries, never part of a nickname or a line. */
  floodMarker: string;
}

/** True when `nick` and a nickname in `taken` are equal or one holds the other. */
function clashes(nick: string, taken: readonly string[]): boolean {
  return taken.some((other) => other.includes(nick) || nick.includes(other));
}

/** A value of `draw` not clashing with `taken`; after DRAWS tries, one made so with `suffix`. */
function unique(draw: () => string, taken: readonly string[], suffix: string): string {
  for (let tries = 0; tries < DRAWS; tries++) {
    const value = draw();
    if (!clashes(value, taken)) return value;
  }
  let value = `${draw()}${suffix}`;
  while (clashes(value, taken)) value += suffix;
  return value;
}

/** The plan of a run whose text comes from `expand`. */
export function chatPlan(options: ChatBotsOptions, expand: Expand): ChatPlan {
  const nicks: string[] = [];
  for (let bot = 0; bot < options.bots; bot++)
    nicks.push(unique(() => expand(options.nick), nicks, `_${bot + 1}`));
  const sent: string[] = [];
  const lines = nicks.map((_, bot) => {
    if (bot === 0 && options.slow) return [];
    return options.lines.map((template) => {
      // A line must not name a bot either, or it would look like a notice about that bot.
      const line = unique(() => expand(template), [...sent, ...nicks], ` ${bot + 1}`);
      sent.push(line);
      return line;
    });
  });
  const flood = options.slow && options.floodBytes > 0;
  const floodMarker = unique(() => `~${expand('{token}')}`, [...sent, ...nicks], '~');
  return {
    nicks,
    lines,
    flooder: flood ? options.bots - 1 : null,
    floodLines: flood ? Math.ceil(options.floodBytes / FLOOD_LINE_BYTES) : 0,
    floodMarker,
  };
}

/** Filler line `n` of the flood: the marker, its number, padding, exactly FLOOD_LINE_BYTES. */
export function floodLine(plan: ChatPlan, n: number): string {
  const head = `${plan.floodMarker} ${n} `;
  return `${head}${'.'.repeat(FLOOD_LINE_BYTES - head.length - 1)}\n`;
}
