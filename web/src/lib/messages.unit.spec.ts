import { describe, expect, it } from 'vitest';
import dictionary from '../../test/fixtures/i18n-dictionary.json';
import { apiWords, fill, translate, type Words } from './i18n';
import { m, named } from './messages';

/** Every message of `tree` (a message may carry sub-messages of its own). */
function* messagesOf(tree: object, path = 'm'): Generator<[string, Words]> {
  const node = tree as Record<string, unknown>;
  if (typeof node.zh === 'string' && typeof node.en === 'string') yield [path, node as unknown as Words];
  for (const [key, child] of Object.entries(node)) if (child && typeof child === 'object') yield* messagesOf(child, `${path}.${key}`);
}

describe('the shared messages', () => {
  const all = [...messagesOf(m)];
  const pairs = new Set(all.map(([, words]) => `${words.zh}\u0000${words.en}`));

  // test/fixtures/i18n-dictionary.json is every (key → zh, en) of the dictionary the messages replaced.
  it('keep every wording of the old dictionary, in both languages', () => {
    const entries = Object.entries(dictionary as Record<string, Words>);
    const lost = entries.filter(([, words]) => !pairs.has(`${words.zh}\u0000${words.en}`)).map(([key]) => key);
    expect(lost).toEqual([]);
    expect(entries.length).toBe(448);
  });

  it('are all non-empty in both languages, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [path, words] of all) {
      expect(words.zh, path).not.toBe('');
      expect(words.en, path).not.toBe('');
      expect(placeholders(words.en), path).toEqual(placeholders(words.zh));
    }
  });
});

describe('translating', () => {
  it('picks the language and fills the placeholders', () => {
    expect(translate('zh-CN', m.public.performance, { year: 2025 })).toBe('2025年度履职');
    expect(translate('en', m.common.shownSoFar, { shown: 3 })).toBe('3 shown');
    expect(translate('en', { zh: '{a}', en: '{a} and {b}' }, { a: 1 })).toBe('1 and {b}');
  });

  it('fills a message in both languages', () => {
    expect(fill({ zh: '共 {n} 条', en: '{n} in all' }, { n: 2 })).toEqual({ zh: '共 2 条', en: '2 in all' });
  });

  it('names an enum value, and an unknown one by itself', () => {
    expect(named(m.act, 'INSPECTION')).toEqual({ zh: '视察', en: 'Inspection visit' });
    expect(named(m.act, 'NEW_KIND')).toEqual({ zh: 'NEW_KIND', en: 'NEW_KIND' });
    expect(named(m.act, 'toString')).toEqual({ zh: 'toString', en: 'toString' });
  });

  it('reads a message the API sent in both languages', () => {
    expect(apiWords({ messageZh: '已撤回', messageEn: 'Withdrawn' })).toEqual({ zh: '已撤回', en: 'Withdrawn' });
    expect(apiWords({ messageZh: '只有中文' })).toEqual({ zh: '只有中文', en: '只有中文' });
  });
});
