/**
 * The pinyin of a person's name, as pickers search it: typing `zs` or `zhangs` finds 张三, as most
 * Chinese office software does. pinyin-pro reads a name's first character as a surname
 * (`surname: 'head'`), so 单 is shan, 曾 zeng, 解 xie and 仇 qiu, as people say them.
 */
import { pinyin } from 'pinyin-pro';

export interface NamePinyin {
  /** The first letter of each syllable, lower-case: `zs` for 张三. */
  initials: string;
  /** Every syllable without tones or spaces, lower-case: `zhangsan`. */
  pinyin: string;
}

/** Letters and digits only, lower-case (a name may hold a Latin letter, a dot or a space). */
const plain = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

export function namePinyin(name: string): NamePinyin {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive', v: true });
  return {
    initials: plain(syllables.map((syllable) => syllable.charAt(0)).join('')),
    pinyin: plain(syllables.join('')),
  };
}

/** A search text as pinyin is stored: lower-case letters and digits, or null when it has none or holds anything else (e.g. 汉字). */
export function asPinyinQuery(text: string): string | null {
  const trimmed = text.trim().toLowerCase().replace(/[\s']/g, '');
  return /^[a-z0-9]+$/.test(trimmed) ? trimmed : null;
}
