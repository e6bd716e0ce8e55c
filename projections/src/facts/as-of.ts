/**
 * The two views of the past, as SQL conditions over versioned facts (see facts/projection.ts).
 * "as it happened": today's knowledge of acts up to a date. "as it was known": only what had been
 * recorded by a log position or an instant.
 */
export type AsOf = { view: 'now' } | { view: 'happened'; date: string } | { view: 'known'; position: number } | { view: 'known'; at: string };

export const NOW: AsOf = { view: 'now' };

/**
 * A WHERE fragment selecting the versions of record facts visible in the view, for the table
 * alias `v`; `param` adds a query parameter and returns its placeholder.
 */
export function versionsVisible(asOf: AsOf, param: (value: unknown) => string, v = 'v'): string {
  switch (asOf.view) {
    case 'now':
      return `${v}.valid_to_position IS NULL`;
    case 'happened':
      return `${v}.valid_to_position IS NULL AND ${v}.act_date <= ${param(asOf.date)}::date`;
    case 'known':
      if ('position' in asOf) {
        const p = param(asOf.position);
        return `${v}.valid_from_position <= ${p} AND (${v}.valid_to_position IS NULL OR ${v}.valid_to_position > ${p})`;
      } else {
        const t = param(asOf.at);
        return `${v}.valid_from_at <= ${t}::timestamptz AND (${v}.valid_to_at IS NULL OR ${v}.valid_to_at > ${t}::timestamptz)`;
      }
  }
}

/** Collects positional parameters for a query. */
export class Params {
  readonly values: unknown[] = [];
  readonly add = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}
