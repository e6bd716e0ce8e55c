/**
 * One i18n mechanism: every message is `Words { zh, en }` (the shared ones in messages.ts as `m`,
 * a feature's own beside it, a Rejection's messageZh / messageEn from the API). zh-CN is the default,
 * en the second language. `t` is a store of the translate function for the current locale, so markup
 * reads `$t(m.nav.training)` or `$t(message, { name })`; `{name}` placeholders are filled from params.
 */
import { derived, writable } from 'svelte/store';
import type { Words } from './vocabulary.generated';

export type { Words };
export type Params = Record<string, string | number>;

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** Fills `{name}` placeholders; unknown ones are left as they are. */
function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** The message in `language`, placeholders filled. */
export function translate(language: Locale, message: Words, params?: Params): string {
  return format(language === 'en' ? message.en : message.zh, params);
}

/** Fills a message's placeholders in both languages (so a stored message can follow a language switch). */
export function fill(message: Words, params: Params): Words {
  return { zh: format(message.zh, params), en: format(message.en, params) };
}

/** A message the API sent in both languages (a Rejection's or an error's messageZh / messageEn), as Words. */
export function apiWords(answer: { messageZh?: string | null; messageEn?: string | null }): Words {
  const zh = answer.messageZh ?? answer.messageEn ?? '';
  return { zh, en: answer.messageEn ?? zh };
}

const STORAGE_KEY = 'yingpan.locale';

function initialLocale(): Locale {
  if (typeof localStorage === 'undefined') return DEFAULT_LOCALE;
  const saved = localStorage.getItem(STORAGE_KEY);
  return (locales as readonly string[]).includes(saved ?? '') ? (saved as Locale) : DEFAULT_LOCALE;
}

export const locale = writable<Locale>(initialLocale());

locale.subscribe((value) => {
  if (typeof document !== 'undefined') document.documentElement.lang = value;
  if (typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, value);
});

/** `$t(message, params)` in markup. */
export const t = derived(locale, ($locale) => (message: Words, params?: Params) => translate($locale, message, params));
