/** Building learner-facing sentences in both languages at once. */
import type { LocalizedText } from '../lessons/schema.ts';

export type { LocalizedText };

/** The sentences `parts` one after the other, in each language's own way. */
export function joinText(...parts: Array<LocalizedText | undefined>): LocalizedText {
  const present = parts.filter((part): part is LocalizedText => part !== undefined);
  return {
    en: present.map((part) => part.en).join(' '),
    zh: present.map((part) => part.zh).join(''),
  };
}

/** `text` closed with the right full stop, unless it already ends a sentence. */
export function endSentence(text: string, lang: 'en' | 'zh'): string {
  if (/[.!?。！？]$/.test(text)) return text;
  return text + (lang === 'en' ? '.' : '。');
}

/** The port of an address like `127.0.0.1:8080` or `[::1]:8080`. */
export function portOf(address: string | undefined): number | undefined {
  const port = Number(address?.slice(address.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
