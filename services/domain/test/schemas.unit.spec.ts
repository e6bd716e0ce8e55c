import { describe, expect, it } from 'vitest';
import { text } from '../src/kernel/schemas.ts';

describe('text input', () => {
  it('accepts Chinese, emoji and ordinary punctuation, trimmed', () => {
    expect(text(50).parse('  关于农村饮水的建议 👍 “甲”  ')).toBe('关于农村饮水的建议 👍 “甲”');
  });
  it('refuses NUL, unpaired surrogates, empty and overlong text', () => {
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y', '   ', 'x'.repeat(51)]) expect(text(50).safeParse(bad).success).toBe(false);
  });
});
