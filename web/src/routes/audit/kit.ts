/** The auditor's kit (核验包) as /audit asks for it: the address of the download and the file's name. */

export type KitFormat = 'html' | 'json';

/** What the kit is of: a person's record for a term, or a station's books for a year. */
export type KitSelection = { kind: 'person'; personId: string; term: number } | { kind: 'station'; stationId: string; year: number };

/** `/audit/kit?…` for a selection (the web server forwards it to the API's `GET /kit`). */
export function kitHref(selection: KitSelection, format: KitFormat): string {
  const query = new URLSearchParams(
    selection.kind === 'person' ? { person: selection.personId, term: String(selection.term) } : { station: selection.stationId, year: String(selection.year) },
  );
  query.set('format', format);
  return `/audit/kit?${query}`;
}

/**
 * The file name a `Content-Disposition` gives: RFC 5987's `filename*` (UTF-8, percent-encoded)
 * when present, else the plain `filename`, else `fallback`.
 */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // A malformed name: the plain one below.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(disposition) ?? /filename\s*=\s*([^;]+)/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** The terms a person held a seat in, newest first (each once). */
export function termsHeld(mandates: readonly { termNumber: number }[]): number[] {
  return [...new Set(mandates.map((mandate) => mandate.termNumber))].sort((a, b) => b - a);
}
