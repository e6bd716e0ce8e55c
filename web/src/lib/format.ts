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

/** The pill tone of a rating band: 优秀 good, 称职 fine, 基本称职 a warning, anything lower bad; none for no band. */
export function bandTone(band: string | null | undefined): '' | 'ok' | 'info' | 'warn' | 'bad' {
  return band === '优秀' ? 'ok' : band === '称职' ? 'info' : band === '基本称职' ? 'warn' : band ? 'bad' : '';
}

/** The county's time zone: its days and clock times are China Standard Time (UTC+8, no daylight saving). */
export const COUNTY_TIME_ZONE = 'Asia/Shanghai';
const COUNTY_OFFSET = '+08:00';

/** An ISO instant as the county's clock read it, YYYY-MM-DD HH:MM:SS (the text as given when it is not an instant). */
export function formatInstant(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  const shifted = new Date(time + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/**
 * An ISO instant as a date and a 24-hour time, written as the reader's language writes them
 * (2026/12/6 14:03:05 in Chinese, 06/12/2026, 14:03:05 in English): when one signed in, added a passkey, granted a role.
 */
export function formatDateTime(locale: Locale, iso: string): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });
}

/** The instant a county day (YYYY-MM-DD) begins, as the API's instant filters take it. */
export function countyDayStart(day: string): string {
  return `${day}T00:00:00${COUNTY_OFFSET}`;
}

/** The instant the county day after `day` begins: the exclusive end of a range that includes `day`. */
export function countyDayEnd(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
  return countyDayStart(next);
}
