/**
 * The two views of the past (facts/as-of.ts) applied to the station tables. Every table in
 * `rm_stations` keeps the facts' versioning columns (valid_from/to_position, valid_from/to_at) and
 * names the domain date its row starts on; end dates ("the last day") are shown only once they
 * have come in the "as it happened" view, so a stint that ended later is still running on the date.
 */
import type { Queryable } from '@yingpan/db';
import { countyToday, localDate } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { versionsVisible, type AsOf } from '../facts/as-of.ts';
import { facts } from '../facts/projection.ts';
import { stations } from './projection.ts';

/** A WHERE fragment selecting the rows of alias `t` visible in the view; `startsOn` is its domain date column. */
export function rowsVisible(asOf: AsOf, param: (value: unknown) => string, t: string, startsOn: string): string {
  return asOf.view === 'happened' ? `${t}.valid_to_position IS NULL AND ${t}.${startsOn} <= ${param(asOf.date)}::date` : versionsVisible(asOf, param, t);
}

/** An end date as the view sees it: in "as it happened" on D, an end after D has not come yet (NULL). */
export function endAsOf(asOf: AsOf, param: (value: unknown) => string, column: string): string {
  return asOf.view === 'happened' ? `(CASE WHEN ${column} <= ${param(asOf.date)}::date THEN ${column} END)` : column;
}

/**
 * The day the view stands on, for deadlines and periods still running: today; the date asked;
 * the instant asked; or, for a log position, the day the last record or station fact known at it
 * was recorded.
 */
export async function dayOfView(db: Queryable, asOf: AsOf): Promise<string> {
  if (asOf.view === 'happened') return asOf.date;
  if (asOf.view === 'now') return countyToday();
  if ('at' in asOf) return localDate(asOf.at);
  const { rows } = await db.query<{ at: Date | string | null }>(
    `SELECT greatest(${[`${schemaOf(facts)}.record_versions`, `${schemaOf(stations)}.receptions`, `${schemaOf(stations)}.opinion_steps`]
      .map((table) => `(SELECT max(valid_from_at) FROM ${table} WHERE valid_from_position <= $1)`)
      .join(', ')}) AS at`,
    [asOf.position],
  );
  const at = rows[0]?.at;
  return at ? localDate(new Date(at)) : countyToday();
}
