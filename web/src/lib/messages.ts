/**
 * Bilingual messages kept beside the feature that shows them (the handover, record and export
 * pages), so those features do not grow the shared dictionary in i18n.ts: each message is
 * `{ zh, en }`, and `$tx(message, params)` picks the interface's language and fills `{name}`.
 * A message from the API (a Rejection's messageZh / messageEn) is one too.
 */
import { derived } from 'svelte/store';
import { format, locale, type Locale } from './i18n';

export interface Bilingual {
  zh: string;
  en: string;
}

export type Params = Record<string, string | number>;

/** The message in `language`, placeholders filled. */
export function pick(language: Locale, message: Bilingual, params?: Params): string {
  return format(language === 'en' ? message.en : message.zh, params);
}

/** Fills a message's placeholders in both languages (so a stored message can follow a language switch). */
export function fill(message: Bilingual, params: Params): Bilingual {
  return { zh: format(message.zh, params), en: format(message.en, params) };
}

/** `$tx(message, params)` in markup. */
export const tx = derived(locale, ($locale) => (message: Bilingual, params?: Params) => pick($locale, message, params));
