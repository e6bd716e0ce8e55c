/** Input building blocks shared by command schemas. */
import { z } from 'zod';

export const id = z.uuid();

/**
 * The days a record may name: from 1980 (the county congresses' standing committees date from
 * 1980) to the end of 2099. A day outside is refused naming the range, whatever the command.
 */
export const EARLIEST_DATE = '1980-01-01';
export const LATEST_DATE = '2099-12-31';
export const isoDate = z.iso.date().refine((day) => day >= EARLIEST_DATE && day <= LATEST_DATE, {
  message: `must lie between ${EARLIEST_DATE} and ${LATEST_DATE}`,
  params: { zh: `须在 ${EARLIEST_DATE} 至 ${LATEST_DATE} 之间` },
});

/**
 * A mainland China phone number: a mobile (11 digits from 13…19, optionally +86 in front) or a
 * landline with its area code (010-12345678, 0832 1234567, an extension after a dash), spaces
 * and dashes as people write them.
 */
export const MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;
export const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:[-转]\d{1,6})?$/;
export const isPhoneNumber = (value: string): boolean => {
  const compact = value.replace(/[\s()（）]/g, '');
  return MOBILE.test(compact.replace(/-/g, '')) || LANDLINE.test(compact);
};
export const phone = z
  .string()
  .trim()
  .max(30)
  .refine(isPhoneNumber, {
    message: 'must be a mainland mobile (e.g. 13800138000) or a landline with its area code (e.g. 0832-1234567)',
    params: { zh: '须为手机号（如 13800138000）或带区号的固定电话（如 0832-1234567）' },
  });
/** NUL and unpaired surrogates cannot be stored in the log (PostgreSQL text and jsonb refuse them). */
const STORABLE = /^[^\u0000\uD800-\uDFFF]*$|^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

export const text = (max: number) =>
  z.string().trim().min(1).max(max).regex(STORABLE, 'contains characters that cannot be stored (NUL or a broken surrogate pair)');
export const reason = text(1000);
/** A record's stream, e.g. "activity:<uuid>". */
export const streamRef = z.string().regex(/^[a-z][a-z-]*:[0-9a-f-]{36}$/, 'must name a record’s stream, e.g. activity:<id>');
