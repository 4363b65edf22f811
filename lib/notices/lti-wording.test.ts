import { describe, expect, it } from 'vitest';
import {
  LTI_PAGE_TEXT,
  LTI_REFUSAL_WORDING,
  ltiRefusalSentences,
  type LtiRefusalCode,
} from './lti-wording.ts';

describe('LTI wording', () => {
  it('words every refusal in English and Chinese, each differently', () => {
    const codes = Object.keys(LTI_REFUSAL_WORDING) as LtiRefusalCode[];
    for (const lang of ['en', 'zh'] as const) {
      const sentences = codes.map((code) => LTI_REFUSAL_WORDING[code][lang]);
      expect(sentences.every((s) => s.length > 5)).toBe(true);
      expect(new Set(sentences).size).toBe(codes.length);
    }
    expect(codes.every((code) => /[\u4e00-\u9fff]/.test(LTI_REFUSAL_WORDING[code].zh))).toBe(true);
  });

  it('tells what to do next: open the activity again, or ask an administrator', () => {
    expect(ltiRefusalSentences('token-expired', 'en')[1]).toMatch(/again/);
    expect(ltiRefusalSentences('bad-signature', 'zh')[1]).toMatch(/管理员/);
  });

  it('has every page sentence in both languages', () => {
    for (const text of Object.values(LTI_PAGE_TEXT)) {
      expect(text.en.length).toBeGreaterThan(0);
      expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
