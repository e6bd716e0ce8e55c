/**
 * The two views of the past (facts/as-of.ts) applied to what scores need besides records: the
 * scoring rules and the mandates (whose span decides the share of a year held).
 *
 *   - now: everything known today.
 *   - as it happened on D: today's knowledge, limited to what had happened by D: mandates started
 *     by D, ends and term closes dated by D. Rules are today's (they decide each act by its date).
 *   - as it was known at position P (or instant T): only what had been recorded by then.
 *
 * A year still in progress on the view's date is scored on the records visible so far against the
 * duties due so far: a period (month, quarter, the year) not over on that day is not missed yet, so
 * the yearly duties are not due before the year ends. Such a score is flagged `provisional`
 * (评价中) and gets no band until the year is over.
 */
import { countyToday, localDate } from '@yingpan/domain';
import { NOW, versionsVisible, type AsOf } from '../facts/as-of.ts';
import { mandatesKnownPosition } from '../mandates/as-of.ts';

/** A WHERE fragment selecting the visible rows of `rule_versions` for the alias `r`. */
export const rulesVisible = (asOf: AsOf, param: (value: unknown) => string, r = 'r') => versionsVisible(asOf.view === 'happened' ? NOW : asOf, param, r);

/**
 * For rm_mandates.mandates `m` joined to rm_mandates.terms `t`: the condition for a visible mandate
 * and the SQL of its end and its term's close as far as the view knows them (NULL when not yet).
 */
export function mandatesVisible(asOf: AsOf, param: (value: unknown) => string): { where: string; endedOn: string; closedOn: string } {
  switch (asOf.view) {
    case 'now':
      return { where: 'true', endedOn: 'm.ended_on', closedOn: 't.closed_on' };
    case 'happened': {
      const d = `${param(asOf.date)}::date`;
      return {
        where: `m.starts_on <= ${d}`,
        endedOn: `CASE WHEN m.ended_on <= ${d} THEN m.ended_on END`,
        closedOn: `CASE WHEN t.closed_on <= ${d} THEN t.closed_on END`,
      };
    }
    case 'known': {
      const p = mandatesKnownPosition(asOf, param);
      return {
        where: `m.started_position <= ${p}`,
        endedOn: `CASE WHEN m.ended_position <= ${p} THEN m.ended_on END`,
        closedOn: `CASE WHEN t.closed_position <= ${p} THEN t.closed_on END`,
      };
    }
  }
}

/** The calendar day a view stands on: its date or instant, else today. */
export function viewDate(asOf: AsOf): string {
  if (asOf.view === 'happened') return asOf.date;
  if (asOf.view === 'known' && 'at' in asOf) return localDate(asOf.at);
  return countyToday();
}
