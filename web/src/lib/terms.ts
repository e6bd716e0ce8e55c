/** The terms (届) as the pages use them: the API's `terms`, each with the span it covers. */

export interface Term {
  termId: string;
  number: number;
  startsOn: string;
  plannedEndOn: string;
  closedOn?: string | null;
}

export interface TermSpan {
  termId: string;
  number: number;
  /** Its first day. */
  from: string;
  /** Its last day: its close if it had closed in the view, else its planned end. */
  to: string;
}

/** Each term with its span, newest first. */
export function termSpans(terms: readonly Term[]): TermSpan[] {
  return terms
    .map((term) => ({ termId: term.termId, number: term.number, from: term.startsOn, to: term.closedOn ?? term.plannedEndOn }))
    .sort((a, b) => b.number - a.number);
}

/** Years from the year of `from` to the year of `to`, newest first (dates YYYY-MM-DD). */
export function yearsBetween(from: string, to: string): number[] {
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  const years: number[] = [];
  for (let year = last; year >= first; year--) years.push(year);
  return years;
}
