/** A person page's logic: which years can be scored, how the explanation adds up, which rules to compare. */
import { roundPoints } from '$lib/format';
import type { Words } from '$lib/i18n';
import { m, named } from '$lib/messages';

export interface HeldMandate {
  startsOn: string;
  plannedEndOn: string;
  validTo?: string | null;
}

/**
 * The years a person held some mandate, newest first, never past the view's day (a year that
 * has not begun in the view has nothing to score).
 */
export function scoringYears(mandates: readonly HeldMandate[], viewDay: string): number[] {
  if (mandates.length === 0) return [];
  const viewYear = Number(viewDay.slice(0, 4));
  const first = Math.min(...mandates.map((mandate) => Number(mandate.startsOn.slice(0, 4))));
  const last = Math.min(viewYear, Math.max(...mandates.map((mandate) => Number((mandate.validTo ?? mandate.plannedEndOn).slice(0, 4)))));
  const years: number[] = [];
  for (let year = last; year >= first; year--) years.push(year);
  return years;
}

/** The chosen year if it can still be chosen, else the newest. */
export function pickYear(years: readonly number[], chosen: number | null): number | null {
  if (chosen !== null && years.includes(chosen)) return chosen;
  return years[0] ?? null;
}

export interface Line {
  points: number;
}

/** What the explanation's lines add up to. */
export function explanationSum(lines: readonly Line[]): number {
  return roundPoints(lines.reduce((sum, line) => sum + line.points, 0));
}

/** The lines explain the score shown: they add up to it (a year not scored has no total to explain). */
export function explainsTotal(total: number | null | undefined, lines: readonly Line[]): boolean {
  if (total === null || total === undefined) return lines.length === 0 || explanationSum(lines) === 0;
  return explanationSum(lines) === roundPoints(total);
}

export interface RulesVersion {
  regulationId: string;
  version: number;
}

export const rulesKey = (rules: RulesVersion): string => `${rules.regulationId}#${rules.version}`;

export function parseRulesKey(key: string): RulesVersion | null {
  const match = /^(.+)#(\d+)$/.exec(key);
  return match ? { regulationId: match[1]!, version: Number(match[2]) } : null;
}

/**
 * The version to compare with by default: another version of the regulation that scored the
 * year (the one before it if there is one, else the next), else none.
 */
export function defaultComparison(versions: readonly RulesVersion[], applied: RulesVersion | null | undefined): RulesVersion | null {
  if (!applied) return null;
  const others = versions.filter((rules) => rules.regulationId === applied.regulationId && rules.version !== applied.version);
  const earlier = others.filter((rules) => rules.version < applied.version).sort((a, b) => b.version - a.version);
  const later = others.filter((rules) => rules.version > applied.version).sort((a, b) => a.version - b.version);
  const found = earlier[0] ?? later[0];
  // Only the key: the API's RulesVersionInput takes no other field.
  return found ? { regulationId: found.regulationId, version: found.version } : null;
}

/** Other score minus the score in force (null when either is not scored). */
export function scoreDifference(current: number | null | undefined, other: number | null | undefined): number | null {
  if (current === null || current === undefined || other === null || other === undefined) return null;
  return roundPoints(other - current);
}

/** A duty period's cell status for the grid: met, missed, still running (not over and not met yet), or nothing required. */
export function periodStatus(period: { met: boolean; pending?: boolean; required: number }): 'met' | 'missed' | 'pending' | 'free' {
  if (period.required === 0) return 'free';
  return period.met ? 'met' : period.pending ? 'pending' : 'missed';
}

/** What stands in a year's band's place when it has none: 评价中 while the year runs, 不评定等次 for a part year, else 未计分. */
export function bandText(year: { band?: string | null; bandWithheld?: string | null }, t: (message: Words) => string): string {
  if (year.band) return year.band;
  return year.bandWithheld ? t(named(m.score.withheld, year.bandWithheld)) : t(m.score.notScored);
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day within a year, as a part's heading writes it: 11月19日, or 19 Nov. */
export function monthDay(date: string, locale: string): string {
  const [month, day] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  return locale === 'zh-CN' ? `${month}月${day}日` : `${day} ${MONTHS_EN[month - 1]}`;
}

/** The mandates that are parts of a year split at a term change (shown inside it, not on their own). */
export function partMandates(splits: readonly { parts: readonly { mandateId: string }[] }[]): Set<string> {
  return new Set(splits.flatMap((split) => split.parts.map((part) => part.mandateId)));
}
