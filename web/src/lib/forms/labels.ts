/** How the forms name seats and people (shared by the pickers and the confirmations). */
import { termNumber } from '../format';
import { type Locale, translate, type Words } from '../i18n';
import { m, named } from '../messages';
import { mandatesFor, type MandateOption } from './engine';

/** 第十八届 · 人大代表 · 县级 · 石桥铺镇 */
export function mandateLabel(locale: Locale, mandate: MandateOption): string {
  return [
    translate(locale, m.term.label, { number: termNumber(locale, mandate.termNumber) }),
    translate(locale, named(m.kind, mandate.kind)),
    mandate.level ? translate(locale, named(m.level, mandate.level)) : null,
    mandate.township,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Names joined as the language lists them. */
export function names(list: readonly { name: string }[]): Words {
  return { zh: list.map((person) => person.name).join('、'), en: list.map((person) => person.name).join(', ') };
}

const GENDER: Record<string, Words> = { MALE: { zh: '男', en: 'male' }, FEMALE: { zh: '女', en: 'female' } };

/**
 * What tells a person apart from namesakes, e.g. "女 · 第十八届 · 人大代表 · 乡镇级 · 石羊镇": the
 * gender, then the seat held on `date` (the first of them, "+1" for more), else the latest seat, or
 * "no seat" when they held none that day.
 */
export function personDetail(locale: Locale, person: { gender?: string | null; mandates: readonly MandateOption[] }, date?: string | null): string {
  const gender = person.gender ? GENDER[person.gender] : undefined;
  const seats = date ? mandatesFor(person, undefined, date) : person.mandates.slice(-1);
  const seat = seats[0] ?? (date ? null : person.mandates.at(-1));
  const parts = [gender ? translate(locale, gender) : null];
  if (seat) parts.push(mandateLabel(locale, seat) + (seats.length > 1 ? ` +${seats.length - 1}` : ''));
  else
    parts.push(date ? translate(locale, { zh: '{date} 无在任任职', en: 'no seat on {date}' }, { date }) : translate(locale, { zh: '无任职', en: 'no seat' }));
  return parts.filter(Boolean).join(' · ');
}
