/**
 * Which records a station's 学习簿 (study book) lists besides its station-study trainings: a station
 * visit whose summary says the deputy studied there (学习). The event carries no field for it — the
 * clerk writes what was done — so the rule reads the summary, here and nowhere else; the facts read
 * model keeps its answer per record version (`study`), and the station books read that.
 */

/** Words in a station visit's summary that make it a study visit. */
export const STUDY_VISIT_WORDS = ['学习'] as const;

/** Is this record (its act and data, as stored or as corrected) a study visit at a station? */
export function isStudyVisit(record: { act: string; summary?: unknown }): boolean {
  const { summary } = record;
  return record.act === 'station-visit' && typeof summary === 'string' && STUDY_VISIT_WORDS.some((word) => summary.includes(word));
}
