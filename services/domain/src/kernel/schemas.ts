/** Input building blocks shared by command schemas. */
import { z } from 'zod';

export const id = z.uuid();
export const isoDate = z.iso.date();
/** NUL and unpaired surrogates cannot be stored in the log (PostgreSQL text and jsonb refuse them). */
const STORABLE = /^[^\u0000\uD800-\uDFFF]*$|^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(STORABLE, 'contains characters that cannot be stored (NUL or a broken surrogate pair)');
export const reason = text(1000);
/** A record's stream, e.g. "activity:<uuid>". */
export const streamRef = z.string().regex(/^[a-z][a-z-]*:[0-9a-f-]{36}$/, 'must name a record’s stream, e.g. activity:<id>');
