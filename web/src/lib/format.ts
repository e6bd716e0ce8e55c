/** Small formatting helpers shared by the pages (numbers, points, term ordinals, date spans). */
import type { Locale } from './i18n';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1..99 in Chinese numerals as ordinals are written (十七, 二十, 二十一); other numbers as digits. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** The term's ordinal as the locale writes it: 十八 in Chinese (for 第十八届), 18 otherwise. */
export function termNumber(locale: Locale, n: number): string {
  return locale === 'zh-CN' ? chineseNumber(n) : String(n);
}

/** Rounds away floating-point noise (scores are in halves and tenths at most). */
export function roundPoints(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Points with their sign: +3, −1.5, 0 (a true minus sign, not a hyphen). */
export function formatPoints(value: number): string {
  const rounded = roundPoints(value);
  if (rounded === 0) return '0';
  const text = String(Math.abs(rounded));
  return rounded > 0 ? `+${text}` : `−${text}`;
}

/** A score without a sign (null: not scored). */
export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : String(roundPoints(value));
}

/** A share 0..1 as a percentage, e.g. 0.5 → 50%. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}
