/** The people list's logic. */

export interface MandateSummary {
  termNumber: number;
  startsOn: string;
}

/** The mandate a list shows for a person: the newest (latest term, then latest start). */
export function latestMandate<M extends MandateSummary>(mandates: readonly M[]): M | undefined {
  let latest: M | undefined;
  for (const mandate of mandates) {
    if (!latest || mandate.termNumber > latest.termNumber || (mandate.termNumber === latest.termNumber && mandate.startsOn > latest.startsOn)) {
      latest = mandate;
    }
  }
  return latest;
}

/** Each item once, in first-seen order (pages can shift while more are loaded). */
export function dedupe<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && (seen.add(item.id), true));
}
