/**
 * The two views of the past (facts/as-of.ts) over the non-record tables: entity versions
 * (versions.ts) and the terms and mandates of rm_mandates.
 *
 *   - now:            everything recorded; an entity's state is its newest version
 *   - happened on D:  everything recorded, but only changes that took effect by D (status_on,
 *                     mandate and term dates) — the county as it stood at the end of day D
 *   - known at P / T: only what had been recorded by log position P (or instant T)
 *
 * A query that asks for an entity's state "at the end of day X" combines both: versions visible in
 * the view with status_on <= X (and <= D in the 'happened' view).
 */
import { schemaOf } from '../engine/projection.ts';
import type { AsOf } from '../facts/as-of.ts';
import { mandatesKnownPosition } from '../mandates/as-of.ts';
import { mandates } from '../mandates/projection.ts';

type Param = (value: unknown) => string;

/** The day by which acts and changes have happened in the view, or null when the view is not 'happened'. */
export const happenedBy = (asOf: AsOf): string | null => (asOf.view === 'happened' ? asOf.date : null);

/** The earlier of two optional ISO dates (null means no limit). */
export const earlier = (a: string | null | undefined, b: string | null | undefined): string | null => (a && b ? (a < b ? a : b) : (a ?? b ?? null));

/** Condition on an entity-versions row (alias `e`): it had been recorded in the view. */
export function recordedIn(asOf: AsOf, param: Param, e = 'e'): string {
  if (asOf.view !== 'known') return 'TRUE';
  return 'position' in asOf ? `${e}.valid_from_position <= ${param(asOf.position)}` : `${e}.valid_from_at <= ${param(asOf.at)}::timestamptz`;
}

/**
 * The log position up to which the view knows terms and mandates, as SQL, or null when it knows
 * everything. An instant is turned into the position of the last term or mandate event recorded by
 * then (positions and recording instants grow together).
 */
export function knownPosition(asOf: AsOf, param: Param): string | null {
  return asOf.view === 'known' ? mandatesKnownPosition(asOf, param) : null;
}

/**
 * The state of every entity of `kind` at the end of day `on` (its newest, when null) as seen in the
 * view: a subquery with the entity-versions columns, one row per entity.
 */
export function entityStates(table: string, kind: string, asOf: AsOf, param: Param, on: string | null = null): string {
  const day = earlier(on, happenedBy(asOf));
  return `(SELECT DISTINCT ON (e.entity_id) e.* FROM ${table} e
            WHERE e.kind = ${param(kind)} AND ${recordedIn(asOf, param)}${day ? ` AND e.status_on <= ${param(day)}::date` : ''}
            ORDER BY e.entity_id, e.version DESC)`;
}

/** Every version of entities of `kind` seen in the view: their histories. */
export function entityHistory(table: string, kind: string, asOf: AsOf, param: Param): string {
  const day = happenedBy(asOf);
  return `(SELECT e.* FROM ${table} e
            WHERE e.kind = ${param(kind)} AND ${recordedIn(asOf, param)}${day ? ` AND e.status_on <= ${param(day)}::date` : ''})`;
}

/** Conditions that a term or mandate event (its position column, its date column) is seen in the view. */
function mandateKnowledge(asOf: AsOf, param: Param) {
  const position = knownPosition(asOf, param);
  const by = happenedBy(asOf);
  const day = by ? param(by) : null;
  return (positionColumn: string, dateColumn: string) =>
    `(${position ? `${positionColumn} <= ${position}` : `${positionColumn} IS NOT NULL`}${day ? ` AND ${dateColumn} <= ${day}::date` : ''})`;
}

/** Terms as seen in the view: a subquery (term_id, number, starts_on, planned_end_on, closed_on). */
export function termSpans(asOf: AsOf, param: Param): string {
  const seen = mandateKnowledge(asOf, param);
  return `(SELECT t.term_id, t.number, t.starts_on, t.planned_end_on,
                  CASE WHEN ${seen('t.closed_position', 't.closed_on')} THEN t.closed_on END AS closed_on
             FROM ${schemaOf(mandates)}.terms t
            WHERE ${seen('t.opened_position', 't.starts_on')})`;
}

/**
 * Mandates as seen in the view, like rm_mandates.mandate_spans: valid_to is the mandate's own end,
 * else its term's close, as far as either is seen (NULL: still running in the view).
 */
export function mandateSpans(asOf: AsOf, param: Param): string {
  const seen = mandateKnowledge(asOf, param);
  const ended = seen('m.ended_position', 'm.ended_on');
  const closed = seen('t.closed_position', 't.closed_on');
  return `(SELECT m.mandate_id, m.person_id, m.term_id, t.number AS term_number, m.kind, m.team, m.level, m.district, m.township,
                  m.portfolio, m.public_servant, m.by_election, m.starts_on,
                  CASE WHEN ${ended} THEN m.ended_on END AS ended_on,
                  CASE WHEN ${ended} THEN m.end_reason END AS end_reason,
                  coalesce(CASE WHEN ${ended} THEN m.ended_on END, CASE WHEN ${closed} THEN t.closed_on END) AS valid_to
             FROM ${schemaOf(mandates)}.mandates m JOIN ${schemaOf(mandates)}.terms t USING (term_id)
            WHERE ${seen('m.started_position', 'm.starts_on')})`;
}
