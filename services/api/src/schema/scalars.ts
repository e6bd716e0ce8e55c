/**
 * The two time scalars. `Date` is a calendar day, `YYYY-MM-DD` (the county's days: a mandate's first
 * day, an act's day); `DateTime` is an ISO 8601 instant with its offset (when an event was recorded).
 * Both are strings on the wire and in resolvers; both are checked on the way in (a bad argument is a
 * GraphQL error naming the value) and on the way out (a read model handing back anything else is a bug).
 * The errors are the API's request errors (`requestError`, errors.ts): `invalid-input`, in English and Chinese.
 */
import { Kind, type ValueNode } from 'graphql';
import { requestError } from '../errors.ts';
import { builder } from './builder.ts';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A real calendar day written YYYY-MM-DD (2024-02-30 is not one). */
export function isIsoDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO 8601 instant with an offset (Z or ±hh:mm) naming a real moment. */
export function isIsoInstant(value: string): boolean {
  return INSTANT.test(value) && isIsoDay(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

function checked(name: string, check: (value: string) => boolean, expected: { en: string; zh: string }) {
  return (value: unknown): string => {
    if (typeof value !== 'string' || !check(value)) {
      const got = JSON.stringify(value);
      throw requestError('invalid-input', { en: `${name} must be ${expected.en}; got ${got}`, zh: `${name} 应为${expected.zh}，收到 ${got}` });
    }
    return value;
  };
}

function literal(name: string, parse: (value: unknown) => string) {
  return (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw requestError('invalid-input', { en: `${name} must be written as a string`, zh: `${name} 应写成字符串` });
    return parse(ast.value);
  };
}

const parseDay = checked('Date', isIsoDay, { en: 'a calendar day YYYY-MM-DD', zh: '日历日期 YYYY-MM-DD' });

export const DateScalar = builder.scalarType('Date', {
  description: 'A calendar day, YYYY-MM-DD (no time, no zone: the county’s day).',
  serialize: parseDay,
  parseValue: parseDay,
  parseLiteral: literal('Date', parseDay),
});

const parseInstant = checked('DateTime', isIsoInstant, {
  en: 'an ISO 8601 instant with an offset, e.g. 2024-01-01T08:00:00+08:00',
  zh: '带时区的 ISO 8601 时刻，如 2024-01-01T08:00:00+08:00',
});

export const DateTimeScalar = builder.scalarType('DateTime', {
  description: 'An instant: ISO 8601 with a date, a time and an offset (Z or ±hh:mm), e.g. 2024-01-01T08:00:00.000Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseInstant(value)),
  parseValue: parseInstant,
  parseLiteral: literal('DateTime', parseInstant),
});
