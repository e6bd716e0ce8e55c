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
