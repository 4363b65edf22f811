/** Picking the lesson language from the URL or the browser's Accept-Language header. */
import { Lang } from '../../lib/protocol.ts';

/** Narrows a route segment to a lesson language. */
export function isLang(value: string): value is Lang {
  return (Lang.options as readonly string[]).includes(value);
}

/** The best lesson language for an Accept-Language header (`zh-CN,zh;q=0.9,en;q=0.8`); English by default. */
export function preferredLang(header: string | null): Lang {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0] ?? '', q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.lang).find(isLang) ?? 'en';
}
