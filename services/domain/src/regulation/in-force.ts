/** Which version of a regulation decides a given day. */

/** A version of a regulation as `rulesInForce` needs it. */
export interface VersionInForce {
  /** First day the version applies. */
  effectiveFrom: string;
  /**
   * The day the regulation was repealed, if it was (the first day it no longer applies). It is the
   * regulation's date, so it may be set on every version or only on the last.
   */
  repealedOn: string | null;
}

/**
 * The version in force on `date` (ISO date), or null: before the first version takes effect, or
 * from the repeal on. A version applies from its `effectiveFrom` until the next version's
 * `effectiveFrom`; the order of `versions` does not matter, and of two versions effective the
 * same day the later one in the list wins.
 */
export function rulesInForce<V extends VersionInForce>(versions: readonly V[], date: string): V | null {
  if (versions.some((version) => version.repealedOn !== null && version.repealedOn <= date)) return null;
  let current: V | null = null;
  for (const version of versions) {
    if (version.effectiveFrom <= date && (current === null || version.effectiveFrom >= current.effectiveFrom)) current = version;
  }
  return current;
}
