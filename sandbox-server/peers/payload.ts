/**
 * Per-run text for the peers: a lesson writes `"order {number} for {word}\n"` and each run sends
 * different, seeded values, so a learner program that prints a constant instead of what it
 * received fails, while a re-run with the same seed sends the same text again.
 */
import { PLACEHOLDER_PATTERN, type Placeholder } from '../../lib/lessons/placeholders.ts';
import type { PeerGo } from './config.ts';
import { mixSeed, seededRandom, type Random } from './prng.ts';

/** Lowercase English words: short, common, harmless in any order. */
// prettier-ignore
export const WORDS: readonly string[] = [
  'apple', 'river', 'stone', 'cloud', 'tiger', 'lemon', 'piano', 'ocean', 'maple', 'candle',
  'garden', 'rocket', 'silver', 'forest', 'pepper', 'window', 'bridge', 'castle', 'dragon', 'falcon',
  'planet', 'violet', 'harbor', 'meadow', 'pencil', 'button', 'copper', 'island', 'jacket', 'kettle',
  'ladder', 'marble', 'needle', 'orange', 'parrot', 'rabbit', 'saddle', 'tomato', 'velvet', 'walnut',
  'anchor', 'basket', 'cactus', 'desert', 'engine', 'feather', 'glacier', 'hammer', 'igloo', 'jungle',
  'koala', 'lantern', 'magnet', 'nectar', 'olive', 'pebble', 'quartz', 'ribbon', 'salmon', 'tunnel',
  'umbrella', 'valley', 'wagon', 'yogurt', 'zebra', 'acorn', 'beacon', 'cherry', 'dolphin', 'ember',
  'fossil', 'goose', 'honey', 'ivory', 'jasmine', 'kiwi', 'lotus', 'mango', 'nutmeg', 'oyster',
  'panda', 'quill', 'raven', 'spruce', 'tulip', 'unicorn', 'vapor', 'willow', 'yarn', 'zinc',
  'amber', 'breeze', 'comet', 'dune', 'echo', 'fern', 'grape', 'hazel', 'iris', 'juniper',
];

/** Common Chinese characters (each three bytes in UTF-8): nature, things, colours. */
export const HANZI =
  '山水风云花草木石日月星天雨雪春夏秋冬东南西北红黄蓝绿白金银铜河海湖江鱼鸟马牛羊猫' +
  '竹松梅兰菊桃李茶米面书画琴棋灯门窗桥路城村田林泉光影虹雷电冰火土沙岛湾港船车舟' +
  '笔纸墨砚杯碗盘钟鼓歌诗文字音韵晴朗清明和平安乐美好新友家园';

/** A `{zh}` is 2 to 4 characters long. */
const ZH_MIN = 2;
const ZH_MAX = 4;
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_LENGTH = 8;
/** `{number}` is a whole number below this. */
const NUMBER_LIMIT = 100_000;
/** Salt that keeps the text stream apart from a fault peer's streams of the same seed. */
const TEXT_SALT = 0x7e47;

/** Expands the placeholders of a template, each occurrence with a fresh seeded value. */
export type Expand = (template: string) => string;

/** The expander of a peer whose go line carried `seed`: one stream, drawn in call order. */
export function createExpander(seed: number): Expand {
  const random = seededRandom(mixSeed(seed, TEXT_SALT));
  return (template) =>
    template.replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
      name in DRAW ? DRAW[name as Placeholder](random) : whole,
    );
}

/** An integer in [0, limit). */
function below(random: Random, limit: number): number {
  return Math.floor(random() * limit);
}

function pick(random: Random, choices: string): string {
  return choices[below(random, choices.length)]!;
}

const DRAW: Record<Placeholder, (random: Random) => string> = {
  word: (random) => WORDS[below(random, WORDS.length)]!,
  number: (random) => String(below(random, NUMBER_LIMIT)),
  token: (random) => Array.from({ length: TOKEN_LENGTH }, () => pick(random, TOKEN_CHARS)).join(''),
  zh: (random) => {
    const length = ZH_MIN + below(random, ZH_MAX - ZH_MIN + 1);
    return Array.from({ length }, () => pick(random, HANZI)).join('');
  },
};

/** The expander of a peer, once its go line has brought the seed. */
export function expanderOf(go: Promise<PeerGo>): Promise<Expand> {
  return go.then(({ seed }) => createExpander(seed));
}
