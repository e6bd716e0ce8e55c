/**
 * The terms (届) the API shows, gathered from mandates: the schema has no list of terms, but
 * every mandate names its term, and the term's span is the span of its mandates.
 */

export interface TermMandate {
  termId: string;
  termNumber: number;
  startsOn: string;
  plannedEndOn: string;
  validTo?: string | null;
}

export interface TermSpan {
  termId: string;
  number: number;
  /** The first day of its earliest mandate. */
  from: string;
  /** The last day of its latest mandate (its close, else its planned end). */
  to: string;
}

/** Each term once, newest first. */
export function termsFromMandates(mandates: readonly TermMandate[]): TermSpan[] {
  const terms = new Map<string, TermSpan>();
  for (const mandate of mandates) {
    const end = mandate.validTo ?? mandate.plannedEndOn;
    const known = terms.get(mandate.termId);
    if (!known) {
      terms.set(mandate.termId, { termId: mandate.termId, number: mandate.termNumber, from: mandate.startsOn, to: end });
    } else {
      if (mandate.startsOn < known.from) known.from = mandate.startsOn;
      if (end > known.to) known.to = end;
    }
  }
  return [...terms.values()].sort((a, b) => b.number - a.number);
}

/** Years from the year of `from` to the year of `to`, newest first (dates YYYY-MM-DD). */
export function yearsBetween(from: string, to: string): number[] {
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  const years: number[] = [];
  for (let year = last; year >= first; year--) years.push(year);
  return years;
}
