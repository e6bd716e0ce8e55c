/** Input building blocks shared by command schemas. */
import { z } from 'zod';

export const id = z.uuid();
export const isoDate = z.iso.date();
export const text = (max: number) => z.string().trim().min(1).max(max);
export const reason = text(1000);
/** A record's stream, e.g. "activity:<uuid>". */
export const streamRef = z.string().regex(/^[a-z][a-z-]*:[0-9a-f-]{36}$/, 'must name a record’s stream, e.g. activity:<id>');
