/**
 * What an empty log is started with (YINGPAN_SEED_SCALE): a demo county at one of the scales, or
 * `none` — an empty county, which a real county fills through the setup page and the Excel import.
 */
import { SCALES, type ScaleName } from './county.ts';

export type SeedChoice = ScaleName | 'none';

/** The seed of the demo county an empty log is started with (services/api/src/main.ts). */
export const DEMO_SEED = 1;

export const SEED_CHOICES: readonly SeedChoice[] = ['none', ...(Object.keys(SCALES) as ScaleName[]), 'province'];

/** The choice named by `value`; unset: the small demo on the embedded store, the county one on PostgreSQL. Throws on an unknown name. */
export function seedChoiceOf(value: string | undefined, onPostgres: boolean): SeedChoice {
  const chosen = value?.trim() || (onPostgres ? 'county' : 'small');
  if ((SEED_CHOICES as readonly string[]).includes(chosen)) return chosen as SeedChoice;
  throw new Error(`YINGPAN_SEED_SCALE=${chosen}: expected one of ${SEED_CHOICES.join(', ')}`);
}
