/**
 * The demo county's bands look like a county's (docs/scoring.md): in the years that are over, few
 * deputies are 不称职 and some are 优秀, and together the years fall in the ranges a county would
 * publish; the year still running (TEST_TODAY is 2026-12-04) has scores so far and no band. The
 * small county has about 33 deputies a year, so one year alone is noisy: the ranges are checked
 * over the years together, each year only against a flood.
 *
 * Prints each year's distribution:
 *   cd projections && npx vitest run test/score-bands.int.spec.ts
 */
import { countyToday } from '@yingpan/domain';
import { everyEngine } from '@yingpan/db/testing';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import { facts, mandates, scorecards, scoresByBand, scoringRules, type ScoresByBand } from '../src/index.ts';

const target = everyEngine[0]!;
const NOW = { view: 'now' } as const;
const COMPLETED = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
const BANDS = ['优秀', '称职', '基本称职', '不称职'] as const;
/** The shares a county would publish for a year that is over (docs/scoring.md). */
const RANGES: Record<(typeof BANDS)[number], [number, number]> = { 优秀: [0.1, 0.2], 称职: [0.55, 0.75], 基本称职: [0.1, 0.25], 不称职: [0, 0.05] };

const count = (result: ScoresByBand, label: string) => result.bands.find((band) => band.label === label)?.count ?? 0;
const banded = (result: ScoresByBand) => result.bands.reduce((sum, band) => sum + band.count, 0);
const percent = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(0)}%`;

describe('the demo county’s bands', () => {
  let testDb: CountyDb;
  const years = new Map<number, ScoresByBand>();

  beforeAll(async () => {
    testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
    const store = testDb.store;
    const projector = new Projector(testDb.db, store, [mandates, facts, scoringRules], { batchSize: 2000 });
    await projector.prepare();
    await projector.catchUp();
    for (const year of [...COMPLETED, 2026]) years.set(year, await scoresByBand(testDb.db, { year }, NOW));
    const lines = [...years.values()].map(
      (result) =>
        `${result.year}  ${result.provisional ? '评价中' : BANDS.map((label) => `${label} ${count(result, label)} (${percent(count(result, label), banded(result))})`).join('  ')}` +
        `  — scored ${result.scored}, no band ${result.withheld}`,
    );
    console.log(`Bands of the small demo county standing on ${countyToday()}:\n${lines.join('\n')}`);
  });
  afterAll(async () => {
    await testDb?.dispose();
  });

  it('stands on the fixed test day, in a year still running', () => {
    expect(countyToday()).toBe('2026-12-04');
  });

  it('gives every year that is over some 优秀 and no flood of 不称职', () => {
    for (const year of COMPLETED) {
      const result = years.get(year)!;
      expect(result.provisional, `${year}`).toBe(false);
      expect(banded(result), `${year}`).toBeGreaterThan(25);
      expect(count(result, '优秀'), `${year}`).toBeGreaterThan(0);
      expect(count(result, '不称职') / banded(result), `${year}`).toBeLessThanOrEqual(0.1);
    }
  });

  it('falls, over the years that are over, in the ranges a county publishes', () => {
    const total = COMPLETED.reduce((sum, year) => sum + banded(years.get(year)!), 0);
    for (const label of BANDS) {
      const share = COMPLETED.reduce((sum, year) => sum + count(years.get(year)!, label), 0) / total;
      const [low, high] = RANGES[label];
      expect(share, label).toBeGreaterThanOrEqual(low);
      expect(share, label).toBeLessThanOrEqual(high);
    }
  });

  it('gives no band for the year still running: every deputy’s score so far is 评价中', async () => {
    const running = years.get(2026)!;
    expect(running).toMatchObject({ provisional: true, bands: [] });
    expect(running.scored).toBeGreaterThan(25);
    expect(running.withheld).toBe(running.scored);
    const { rows } = await testDb.db.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM rm_mandates.mandates WHERE kind = 'deputy' AND starts_on <= '2026-12-31' AND coalesce(ended_on, '9999-12-31') >= '2026-01-01'`,
    );
    const cards = await scorecards(testDb.db, { year: 2026, personIds: rows.map((row) => row.person_id) }, NOW);
    const scored = cards.flatMap((card) => card.mandates);
    expect(scored.length).toBe(running.scored);
    for (const mandate of scored) {
      const [year] = mandate.years;
      expect(mandate).toMatchObject({ provisional: true, band: null });
      expect(year).toMatchObject({ provisional: true, band: null, bandWithheld: 'in-progress' });
      // December and the fourth quarter are still running, and nothing yearly is due before the year ends.
      for (const duty of year!.duties) {
        expect(
          duty.periods.filter((period) => !period.met && !period.pending).every((period) => period.to < '2026-12-01' && !/^\d{4}(-Q4)?$/.test(period.period)),
          duty.id,
        ).toBe(true);
      }
    }
    // Most deputies have done most of what was due so far.
    const scores = scored.map((mandate) => mandate.score!).sort((a, b) => a - b);
    expect(scores[Math.floor(scores.length / 2)]).toBeGreaterThan(70);
  });
});
