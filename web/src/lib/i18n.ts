/**
 * A small dictionary-based i18n: zh-CN is the default, en the second language. `t` is a store
 * of the translate function for the current locale, so markup reads `$t('nav.training')`.
 */
import { derived, writable } from 'svelte/store';

const zhCN = {
  'app.title': '营盘 · 人大履职档案',
  'app.skip': '跳到正文',
  'nav.label': '主导航',
  'nav.training': '培训人次',
  'locale.label': '界面语言',
  'home.lead': '县人大代表履职的永久记录。',
  'home.goto': '查看培训人次',
  'common.loading': '加载中…',
  'common.loadFailed': '数据加载失败：{message}',
  'common.retry': '重试',
  'training.title': '培训人次',
  'training.lead': '按培训类型统计的参训人次。',
  'training.table.caption': '各类培训的参训人次',
  'training.table.type': '培训类型',
  'training.table.personTimes': '人次',
  'training.table.share': '占比',
  'training.table.total': '合计',
  'training.table.empty': '暂无培训类型数据。',
  'form.title': '登记参训',
  'form.training': '培训',
  'form.training.placeholder': '请选择培训',
  'form.training.empty': '暂无培训，无法登记。',
  'form.training.option': '{date} · {title}（{attendees} 人次）',
  'form.person': '人员',
  'form.person.placeholder': '请选择人员',
  'form.person.empty': '暂无人员，无法登记。',
  'form.occurredAt': '参训时间（可选）',
  'form.occurredAt.hint': '留空表示当前时间。',
  'form.submit': '登记',
  'form.submitting': '提交中…',
  'form.recorded': '已登记',
  'form.duplicate': '已登记（重复提交，未重复计数）',
  'form.required.training': '请选择培训',
  'form.required.person': '请选择人员',
  'form.invalid.occurredAt': '请输入有效的时间',
  'form.networkError': '提交失败，请重试（重试不会重复登记）：{message}',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  'app.title': 'Yingpan · Congress Duty Record',
  'app.skip': 'Skip to content',
  'nav.label': 'Main navigation',
  'nav.training': 'Training person-times',
  'locale.label': 'Language',
  'home.lead': "The permanent record of county people's congress deputies' duty performance.",
  'home.goto': 'See training person-times',
  'common.loading': 'Loading…',
  'common.loadFailed': 'Could not load data: {message}',
  'common.retry': 'Retry',
  'training.title': 'Training person-times',
  'training.lead': 'Person-times of attendance per kind of training.',
  'training.table.caption': 'Person-times per kind of training',
  'training.table.type': 'Training type',
  'training.table.personTimes': 'Person-times',
  'training.table.share': 'Share',
  'training.table.total': 'Total',
  'training.table.empty': 'No training types yet.',
  'form.title': 'Record attendance',
  'form.training': 'Training',
  'form.training.placeholder': 'Choose a training',
  'form.training.empty': 'No trainings yet, nothing to record.',
  'form.training.option': '{date} · {title} ({attendees} person-times)',
  'form.person': 'Person',
  'form.person.placeholder': 'Choose a person',
  'form.person.empty': 'No people yet, nothing to record.',
  'form.occurredAt': 'Attended at (optional)',
  'form.occurredAt.hint': 'Leave empty for now.',
  'form.submit': 'Record',
  'form.submitting': 'Submitting…',
  'form.recorded': 'Recorded',
  'form.duplicate': 'Recorded (repeated submit, counted once)',
  'form.required.training': 'Choose a training',
  'form.required.person': 'Choose a person',
  'form.invalid.occurredAt': 'Enter a valid time',
  'form.networkError': 'Submit failed, please retry (a retry will not record twice): {message}',
};

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const dictionaries: Record<Locale, Dictionary> = { 'zh-CN': zhCN, en };

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(dictionaries[locale][key] ?? zhCN[key], params);
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

export const t = derived(locale, ($locale) => (key: MessageKey, params?: Record<string, string | number>) => translate($locale, key, params));
