/** How the forms name seats and people (shared by the pickers and the confirmations). */
import { termNumber } from '../format';
import { translate, type Locale, type MessageKey } from '../i18n';
import type { Bilingual } from '../messages';
import type { MandateOption } from './engine';

/** 第十八届 · 人大代表 · 县级 · 石桥铺镇 */
export function mandateLabel(locale: Locale, mandate: MandateOption): string {
  return [
    translate(locale, 'term.label', { number: termNumber(locale, mandate.termNumber) }),
    translate(locale, `kind.${mandate.kind}` as MessageKey),
    mandate.level ? translate(locale, `level.${mandate.level}` as MessageKey) : null,
    mandate.township,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Names joined as the language lists them. */
export function names(list: readonly { name: string }[]): Bilingual {
  return { zh: list.map((person) => person.name).join('、'), en: list.map((person) => person.name).join(', ') };
}
