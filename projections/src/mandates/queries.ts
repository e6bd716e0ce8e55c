/**
 * The terms (届) as seen in a view: each term's span and whether it had closed. A handful of rows
 * (one per term) from rm_mandates.terms; the dashboard's and the handover's term pickers read them.
 */
import type { Queryable } from '@yingpan/db';
import { Params, type AsOf } from '../facts/as-of.ts';
import { termSpans } from '../statistics/as-of.ts';

export interface TermRow {
  termId: string;
  /** Its ordinal, e.g. 17 for 第十七届. */
  number: number;
  startsOn: string;
  plannedEndOn: string;
  /** The day it closed (换届), if that is seen in the view. */
  closedOn: string | null;
}

/** Every term opened in the view, newest first. */
export async function termsInView(db: Queryable, asOf: AsOf): Promise<TermRow[]> {
  const params = new Params();
  const { rows } = await db.query<TermRow>(
    `SELECT t.term_id AS "termId", t.number, to_char(t.starts_on, 'YYYY-MM-DD') AS "startsOn",
            to_char(t.planned_end_on, 'YYYY-MM-DD') AS "plannedEndOn", to_char(t.closed_on, 'YYYY-MM-DD') AS "closedOn"
       FROM ${termSpans(asOf, params.add)} t
      ORDER BY t.number DESC`,
    params.values,
  );
  return rows;
}
