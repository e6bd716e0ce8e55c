/** Time travel on the schema: every history-aware field takes an `asOf`. */
import type { AsOf } from '@yingpan/projections';
import { ValidationError } from '@yingpan/domain';
import { builder } from './builder.ts';

export const HistoryView = builder.enumType('HistoryView', {
  description: 'Two views of the past.',
  values: {
    HAPPENED: { value: 'happened', description: 'As it happened: today’s knowledge of the acts up to `date` (by the day each act happened).' },
    KNOWN: { value: 'known', description: 'As it was known: only what had been recorded by log `position` or instant `at`.' },
  },
});

export const AsOfInput = builder.inputType('AsOfInput', {
  description: 'A past moment. Omit the argument for the present.',
  fields: (t) => ({
    view: t.field({ type: HistoryView, required: true }),
    date: t.field({ type: 'Date', description: 'HAPPENED: an ISO date (YYYY-MM-DD).' }),
    position: t.int({ description: 'KNOWN: a log position.' }),
    at: t.field({ type: 'DateTime', description: 'KNOWN: an ISO 8601 instant (instead of a position).' }),
  }),
});

/**
 * Turns the GraphQL argument into the read models' AsOf; an incomplete one is a ValidationError
 * (the Date and DateTime scalars have already refused a malformed day or instant).
 */
export function toAsOf(input: { view: 'happened' | 'known'; date?: string | null; position?: number | null; at?: string | null } | null | undefined): AsOf {
  if (!input) return { view: 'now' };
  if (input.view === 'happened') {
    if (!input.date) {
      throw new ValidationError([{ field: 'asOf.date', message: 'HAPPENED needs a date YYYY-MM-DD' }]);
    }
    return { view: 'happened', date: input.date };
  }
  if (input.position !== null && input.position !== undefined) {
    if (input.position < 0) throw new ValidationError([{ field: 'asOf.position', message: 'a log position is 0 or more' }]);
    return { view: 'known', position: input.position };
  }
  if (input.at) return { view: 'known', at: new Date(input.at).toISOString() };
  throw new ValidationError([{ field: 'asOf', message: 'KNOWN needs a position or an instant' }]);
}
