/**
 * Evaluation scores on the small demo county: every explanation adds up to its score, only approved
 * records count (a retracted one stops counting, a corrected one counts as corrected), the views of
 * the past behave as defined, rule versions can be compared, and the dashboard's band counts agree
 * with the scorecards taken one by one.
 */
import { randomUUID } from 'node:crypto';
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { createDomain, SCORING_RULES_2021, SCORING_RULES_2024, type CommandContext } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import type { AsOf } from '../src/facts/as-of.ts';
import { facts, listScoringRules, mandates, scorecard, scorecards, scoresByBand, scoringRules, type MandateScore, type YearScore } from '../src/index.ts';

const cents = (points: number) => Math.round(points * 100);
const explainedSum = (year: Pick<YearScore, 'explanation'>) => year.explanation.reduce((sum, line) => sum + cents(line.points), 0);
/** Every record id a year's score mentions, in its explanation or its duty periods. */
const recordsOf = (year: YearScore) => [
  ...year.explanation.flatMap((line) => line.records.map((record) => record.recordId)),
  ...year.duties.flatMap((duty) => duty.periods.flatMap((period) => period.recordIds)),
];

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`evaluation scores on ${target.name}`, () => {
    let testDb: CountyDb;
    let store: SqlEventStore;
    let head: number;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      store = testDb.store;
      const projector = new Projector(testDb.db, store, [mandates, facts, scoringRules], { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
      head = (await store.head()).position;
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    /** The people holding a deputy mandate at some time in `year`. */
    const deputiesIn = async (year: number) => {
      const { rows } = await testDb.db.query<{ person_id: string }>(
        `SELECT DISTINCT person_id FROM rm_mandates.mandate_spans
          WHERE kind = 'deputy' AND starts_on <= $1::date AND coalesce(valid_to, '9999-12-31') >= $2::date ORDER BY person_id`,
        [`${year}-12-31`, `${year}-01-01`],
      );
      return rows.map((row) => row.person_id);
    };
    const yearScores = async (year: number, asOf: AsOf, rulesVersion?: { regulationId: string; version: number }) => {
      const scores: MandateScore[] = [];
      for (const personId of await deputiesIn(year)) scores.push(...(await scorecard(testDb.db, { personId, year, rulesVersion }, asOf)).mandates);
      return scores;
    };
    /** A record whose history has the given shape, in a deputy mandate. */
    const recordWith = async (condition: string) => {
      const { rows } = await testDb.db.query<{ record_id: string; person_id: string; year: number; changed_at: number }>(
        `SELECT v.record_id, v.person_id, extract(year FROM v.act_date)::int AS year, v.valid_from_position AS changed_at
           FROM rm_facts.record_versions v JOIN rm_mandates.mandates m USING (mandate_id)
          WHERE m.kind = 'deputy' AND v.valid_to_position IS NULL AND ${condition}
          ORDER BY v.valid_from_position LIMIT 1`,
      );
      expect(rows[0]).toBeDefined();
      return rows[0]!;
    };

    it('keeps both versions of the scoring rules, effective 2017 and 2024', async () => {
      const versions = await listScoringRules(testDb.db, { view: 'now' });
      expect(versions.map((version) => [version.version, version.effectiveFrom, version.repealedOn])).toEqual([
        [1, '2017-01-01', null],
        [2, '2024-01-01', null],
      ]);
      expect(versions[1]!.rules.coreDuties.some((duty) => !duty.core)).toBe(true);
      expect(await listScoringRules(testDb.db, { view: 'known', position: versions[1]!.position - 1 })).toHaveLength(1);
    });

    it('explains every score: the lines add up to it, for every deputy and year', async () => {
      let years = 0;
      for (const year of [2017, 2021, 2024, 2026]) {
        const scores = await yearScores(year, { view: 'now' });
        expect(scores.length).toBeGreaterThan(20);
        for (const mandate of scores) {
          const [scored] = mandate.years;
          expect(explainedSum(scored!)).toBe(cents(mandate.score!));
          expect(mandate.score).toBeGreaterThanOrEqual(0);
          expect(mandate.score).toBeLessThanOrEqual(100);
          expect(scored!.explanation[0]!.kind).toBe('base');
          expect(mandate.dutiesMet + mandate.dutiesMissed).toBeGreaterThan(0);
          years += 1;
        }
      }
      expect(years).toBeGreaterThan(100);
      // 2021 holds the term change: most deputies held two mandates, each scored for its part of the year.
      const changeYear = await yearScores(2021, { view: 'now' });
      const split = changeYear.filter((mandate) => mandate.years[0]!.held.share < 1);
      expect(split.length).toBeGreaterThan(changeYear.length / 2);
      expect(split.some((mandate) => mandate.termNumber === 18 && mandate.years[0]!.held.from === '2021-11-20')).toBe(true);
    });

    it('normalises a mandate begun mid-year: caps scaled, duties checked only from its start', async () => {
      const { rows } = await testDb.db.query<{ person_id: string; starts_on: string }>(
        `SELECT person_id, to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM rm_mandates.mandates WHERE by_election AND kind = 'deputy' LIMIT 1`,
      );
      const { person_id: personId, starts_on: startsOn } = rows[0]!;
      const year = Number(startsOn.slice(0, 4));
      const [mandate] = (await scorecard(testDb.db, { personId, year }, { view: 'now' })).mandates;
      const scored = mandate!.years[0]!;
      expect(scored.held.from).toBe(startsOn);
      expect(scored.held.share).toBeLessThan(1);
      const monthly = scored.duties.find((duty) => duty.id === 'monthly-station-visit')!;
      expect(monthly.periods[0]!.period).toBe(startsOn.slice(0, 7));
      expect(monthly.periods.length).toBe(13 - Number(startsOn.slice(5, 7)));
      expect(explainedSum(scored)).toBe(cents(mandate!.score!));
    });

    it('does not count a record once it is retracted, but did while it stood', async () => {
      const retracted = await recordWith(`v.status = 'retracted' AND v.act_date >= '2017-01-01'`); // 2016 predates the rules
      const now = await scorecard(testDb.db, { personId: retracted.person_id, year: retracted.year }, { view: 'now' });
      expect(now.mandates.length).toBeGreaterThan(0);
      expect(now.mandates.flatMap((mandate) => mandate.years.flatMap(recordsOf))).not.toContain(retracted.record_id);
      const before = await scorecard(testDb.db, { personId: retracted.person_id, year: retracted.year }, { view: 'known', position: retracted.changed_at - 1 });
      const traced = before.mandates.flatMap((mandate) => mandate.years.flatMap((year) => year.explanation.flatMap((line) => line.records)));
      expect(traced.map((record) => record.recordId)).toContain(retracted.record_id);
    });

    it('counts a corrected record with its corrected data, traced to the correction', async () => {
      const corrected = await recordWith('v.corrected');
      const find = async (asOf: AsOf) => {
        const card = await scorecard(testDb.db, { personId: corrected.person_id, year: corrected.year }, asOf);
        return card.mandates
          .flatMap((mandate) => mandate.years.flatMap((year) => year.explanation.flatMap((line) => line.records)))
          .find((record) => record.recordId === corrected.record_id);
      };
      const { rows } = await testDb.db.query<{ version: number; date: string }>(
        `SELECT version, to_char(act_date, 'YYYY-MM-DD') AS date FROM rm_facts.record_versions WHERE record_id = $1 ORDER BY version`,
        [corrected.record_id],
      );
      expect(rows.length).toBe(2);
      expect(rows[1]!.date).not.toBe(rows[0]!.date);
      expect(await find({ view: 'now' })).toMatchObject({ date: rows[1]!.date, position: corrected.changed_at });
      expect(await find({ view: 'known', position: corrected.changed_at - 1 })).toMatchObject({ date: rows[0]!.date });
    });

    it('as it happened on an earlier date, a year in progress counts only the duties due by then, and no band', async () => {
      const early = await yearScores(2026, { view: 'happened', date: '2026-06-30' });
      const late = await yearScores(2026, { view: 'now' });
      expect(early.map((mandate) => mandate.mandateId)).toEqual(late.map((mandate) => mandate.mandateId));
      expect([...early, ...late].every((mandate) => mandate.provisional && mandate.band === null && mandate.years[0]!.bandWithheld === 'in-progress')).toBe(
        true,
      );
      const penalised = (mandate: MandateScore) =>
        new Map(mandate.years[0]!.explanation.filter((line) => line.kind === 'penalty').map((line) => [`${line.dutyId}@${line.period}`, cents(line.points)]));
      let grew = 0;
      for (const [index, before] of early.entries()) {
        const after = late[index]!;
        const [then, now] = [before.years[0]!, after.years[0]!];
        // On 30 June the months to May and the first quarter were over; June, the second quarter and the year were running.
        const due = then.duties.flatMap((duty) => duty.periods.filter((period) => !period.pending && !period.met).map((period) => period.period));
        expect(
          due.every((period) => period < '2026-06' || period === '2026-Q1'),
          due.join(),
        ).toBe(true);
        expect(then.duties.filter((duty) => duty.frequency === 'yearly').every((duty) => duty.missed === 0)).toBe(true);
        // Later acts only add points and meet duties; a period missed then is missed now; only later
        // deductions and the penalties of periods over since can lower the score.
        expect(now.subtotals.points).toBeGreaterThanOrEqual(then.subtotals.points);
        const [thenPenalties, nowPenalties] = [penalised(before), penalised(after)];
        for (const key of thenPenalties.keys()) expect(nowPenalties.has(key), key).toBe(true);
        if (now.held.share === 1 && now.subtotals.clamp === 0 && then.subtotals.clamp === 0) {
          const laterDeductions = now.explanation
            .filter((line) => line.kind === 'deduction')
            .flatMap((line) => line.records)
            .filter((record) => record.date > '2026-06-30')
            .reduce((sum, record) => sum - cents(record.points), 0);
          const newPenalties = [...nowPenalties].filter(([key]) => !thenPenalties.has(key)).reduce((sum, [, points]) => sum - points, 0);
          expect(cents(before.score!)).toBeLessThanOrEqual(cents(after.score!) + laterDeductions + newPenalties);
        }
        if (now.subtotals.points > then.subtotals.points) grew += 1;
        expect(before.years.flatMap(recordsOf).every((id) => after.years.flatMap(recordsOf).includes(id))).toBe(true);
      }
      expect(grew).toBeGreaterThan(early.length / 2);
    });

    it('as it was known: nothing at position 0, everything at the head or at this instant', async () => {
      const now = await scoresByBand(testDb.db, { year: 2024 }, { view: 'now' });
      expect(now.scored).toBeGreaterThan(20);
      expect((await scoresByBand(testDb.db, { year: 2024 }, { view: 'known', position: 0 })).scored).toBe(0);
      expect(await scoresByBand(testDb.db, { year: 2024 }, { view: 'known', position: head })).toEqual(now);
      expect(await scoresByBand(testDb.db, { year: 2024 }, { view: 'known', at: new Date(Date.now() + 1000).toISOString() })).toEqual(now);
    });

    it('scores under the 2021 and the 2024 rules differently, on request', async () => {
      const [v1, v2] = await listScoringRules(testDb.db, { view: 'now' });
      const inForce = await yearScores(2023, { view: 'now' });
      const under2024 = await yearScores(2023, { view: 'now' }, { regulationId: v2!.regulationId, version: 2 });
      expect(inForce.every((mandate) => mandate.years[0]!.rulesApplied.every((ref) => ref.version === v1!.version))).toBe(true);
      expect(under2024.every((mandate) => mandate.years[0]!.rulesApplied.every((ref) => ref.version === 2))).toBe(true);
      const differing = inForce.filter((mandate, index) => mandate.score !== under2024[index]!.score);
      expect(differing.length).toBeGreaterThan(0);
      // The pairing duty (the "X" added in 2024) is checked only under the 2024 rules.
      expect(inForce.some((mandate) => mandate.years[0]!.duties.some((duty) => duty.id === 'quarterly-pairing'))).toBe(false);
      expect(under2024.every((mandate) => mandate.years[0]!.duties.some((duty) => duty.id === 'quarterly-pairing'))).toBe(true);
      for (const mandate of under2024) expect(explainedSum(mandate.years[0]!)).toBe(cents(mandate.score!));
      await expect(
        scorecard(testDb.db, { personId: inForce[0]!.personId, year: 2023, rulesVersion: { regulationId: v1!.regulationId, version: 9 } }, { view: 'now' }),
      ).rejects.toThrow(/not known/);
    });

    it('counts bands for the dashboard exactly as the scorecards one by one (a year split at a term change once)', async () => {
      for (const year of [2021, 2024]) {
        const byBand = await scoresByBand(testDb.db, { year }, { view: 'now' });
        const cards = await scorecards(testDb.db, { personIds: await deputiesIn(year), year }, { view: 'now' });
        const parts = new Set(cards.flatMap((card) => card.splitYears.flatMap((split) => split.parts.map((part) => part.mandateId))));
        // One seat-year each: a mandate's year, or a year split at the term change.
        const oneByOne = [
          ...cards.flatMap((card) =>
            card.mandates.filter((mandate) => !parts.has(mandate.mandateId)).map((mandate) => ({ ...mandate.years[0]!, band: mandate.band })),
          ),
          ...cards.flatMap((card) => card.splitYears),
        ];
        expect(byBand.scored).toBe(oneByOne.length);
        expect(byBand.provisional).toBe(false);
        const expected = new Map<string, number>();
        for (const seatYear of oneByOne) if (seatYear.band) expected.set(seatYear.band, (expected.get(seatYear.band) ?? 0) + 1);
        expect(byBand.bands.map((band) => [band.label, band.count])).toEqual(byBand.bands.map((band) => [band.label, expected.get(band.label) ?? 0]));
        expect(byBand.bands.map((band) => band.label)).toEqual(['优秀', '称职', '基本称职', '不称职']);
        // A seat-year held less than half the year is scored, not banded.
        const partYears = oneByOne.filter((seatYear) => seatYear.held.share < 0.5);
        expect(oneByOne.filter((seatYear) => seatYear.band === null)).toEqual(partYears);
        expect(partYears.every((seatYear) => seatYear.bandWithheld === 'part-year')).toBe(true);
        expect(byBand.withheld).toBe(partYears.length);
        expect(byBand.bands.reduce((sum, band) => sum + band.count, 0) + byBand.withheld).toBe(byBand.scored);
        // Only 2021 holds a term change: there re-elected deputies' years are split, their parts without a band of their own.
        expect(parts.size > 0).toBe(year === 2021);
        for (const card of cards) {
          for (const mandate of card.mandates.filter((candidate) => parts.has(candidate.mandateId))) {
            expect(mandate).toMatchObject({ band: null });
            expect(mandate.years[0]!.bandWithheld).toBe('term-change');
          }
          for (const split of card.splitYears) {
            expect(split.parts.map((part) => part.termNumber)).toEqual([17, 18]);
            expect(split.parts.map((part) => part.score.held.to)).toEqual(['2021-11-19', '2021-12-31']);
            expect(explainedSum(split)).toBe(cents(split.total!));
          }
        }
      }
      // The term change: deputies newly seated on 20 November 2021 held 42 days of it; the re-elected held the whole year.
      const changeYear = await scoresByBand(testDb.db, { year: 2021 }, { view: 'now' });
      expect(changeYear.withheld).toBeGreaterThan(10);
      const reElected = (await scorecards(testDb.db, { personIds: await deputiesIn(2021), year: 2021 }, { view: 'now' })).flatMap((card) => card.splitYears);
      expect(reElected.length).toBeGreaterThan(5);
      expect(reElected.every((split) => split.held.share === 1 && split.band !== null)).toBe(true);
      expect((await scoresByBand(testDb.db, { year: 2024 }, { view: 'now' })).bands.find((band) => band.label === '称职')!.minScore).toBe(75);
      // The year in progress: scored so far, no band yet.
      const running = await scoresByBand(testDb.db, { year: 2026 }, { view: 'now' });
      expect(running).toMatchObject({ provisional: true, bands: [] });
      expect(running.withheld).toBe(running.scored);
      expect(running.scored).toBeGreaterThan(20);
    });

    it('scores many people at once exactly as one by one, in the order asked (unknown people get empty cards)', async () => {
      const { rows } = await testDb.db.query<{ person_id: string; term_id: string }>(
        `SELECT DISTINCT ON (m.person_id) m.person_id, m.term_id FROM rm_mandates.mandates m WHERE m.kind = 'deputy' ORDER BY m.person_id DESC LIMIT 12`,
      );
      const personIds = [...rows.map((row) => row.person_id), '00000000-0000-4000-8000-000000000000'];
      for (const asOf of [{ view: 'now' }, { view: 'happened', date: '2024-06-30' }] as const) {
        const together = await scorecards(testDb.db, { personIds, year: 2024 }, asOf);
        const oneByOne = await Promise.all(personIds.map((personId) => scorecard(testDb.db, { personId, year: 2024 }, asOf)));
        expect(together).toEqual(oneByOne);
        expect(together.filter((card) => card.mandates.length > 0).length).toBeGreaterThan(5);
      }
      const byTerm = await scorecards(testDb.db, { personIds: rows.slice(0, 3).map((row) => row.person_id), termId: rows[0]!.term_id }, { view: 'now' });
      expect(byTerm).toEqual(
        await Promise.all(rows.slice(0, 3).map((row) => scorecard(testDb.db, { personId: row.person_id, termId: rows[0]!.term_id }, { view: 'now' }))),
      );
      expect(await scorecards(testDb.db, { personIds: [], year: 2024 }, { view: 'now' })).toEqual([]);
    });

    it('scores a term as its years weighted by the days held', async () => {
      const { rows } = await testDb.db.query<{ person_id: string; term_id: string }>(
        `SELECT m.person_id, m.term_id FROM rm_mandates.mandates m JOIN rm_mandates.terms t USING (term_id) WHERE t.number = 17 AND m.kind = 'deputy' LIMIT 1`,
      );
      const card = await scorecard(testDb.db, { personId: rows[0]!.person_id, termId: rows[0]!.term_id }, { view: 'now' });
      const [mandate] = card.mandates;
      expect(mandate!.years.map((year) => year.year)).toEqual([2017, 2018, 2019, 2020, 2021]); // 2016 predates the rules
      const weighted =
        mandate!.years.reduce((sum, year) => sum + year.total! * year.held.days, 0) / mandate!.years.reduce((sum, year) => sum + year.held.days, 0);
      expect(mandate!.score).toBeCloseTo(weighted, 2);
      for (const year of mandate!.years) expect(explainedSum(year)).toBe(cents(year.total!));
      expect(mandate!.dutiesMet + mandate!.dutiesMissed).toBe(mandate!.years.reduce((sum, year) => sum + year.dutiesMet + year.dutiesMissed, 0));
    });
  });

  describe.skipIf(target.skipReason !== null)(`the scoring rules model on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    const as = (): CommandContext => ({ commandId: randomUUID(), actor: { personId: randomUUID(), role: 'admin' }, occurredAt: '2024-06-01T02:00:00.000Z' });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('keeps the versions of scoring regulations only, and a repeal as a new version of the rows', async () => {
      const { bus } = createDomain(store);
      const projector = new Projector(testDb.db, store, [scoringRules]);
      await projector.prepare();
      const scoring = randomUUID();
      const station = randomUUID();
      await bus.execute(
        'EnactRegulation',
        {
          regulationId: scoring,
          title: '《代表履职监督量化评价暂行办法》',
          category: 'scoring',
          effectiveFrom: '2017-01-01',
          summary: '积分制',
          scoringRules: SCORING_RULES_2021,
        },
        as(),
      );
      await bus.execute(
        'EnactRegulation',
        {
          regulationId: station,
          title: '《代表联络站接待选民制度》',
          category: 'station',
          effectiveFrom: '2017-01-01',
          summary: '每月固定接待日',
          scoringRules: null,
        },
        as(),
      );
      await bus.execute('AmendRegulation', { regulationId: station, effectiveFrom: '2020-01-01', changes: '调整接待日', scoringRules: null }, as());
      await new Promise((resolve) => setTimeout(resolve, 5)); // recording instants are in milliseconds
      await bus.execute(
        'AmendRegulation',
        { regulationId: scoring, effectiveFrom: '2024-01-01', changes: '提高建议分值', scoringRules: SCORING_RULES_2024 },
        as(),
      );
      await projector.catchUp();
      const beforeRepeal = (await store.head()).position;
      await bus.execute('RepealRegulation', { regulationId: scoring, repealedOn: '2025-01-01', reason: '被新办法取代' }, as());
      await projector.catchUp();

      const now = await listScoringRules(testDb.db, { view: 'now' });
      expect(now.map((version) => [version.regulationId, version.version, version.repealedOn])).toEqual([
        [scoring, 1, '2025-01-01'],
        [scoring, 2, '2025-01-01'],
      ]);
      expect(now[1]!.rules).toEqual(SCORING_RULES_2024);
      const known = await listScoringRules(testDb.db, { view: 'known', position: beforeRepeal });
      expect(known.map((version) => version.repealedOn)).toEqual([null, null]);
      expect(known.map((version) => version.position)).toEqual(now.map((version) => version.position));
      const [amendment] = (await store.readAll({ after: 0, limit: 100 })).filter(
        (event) => event.type === 'RegulationAmended' && (event.data as { regulationId: string }).regulationId === scoring,
      );
      const justBefore = new Date(Date.parse(amendment!.metadata.recordedAt) - 1).toISOString();
      expect(await listScoringRules(testDb.db, { view: 'known', at: justBefore })).toHaveLength(1);
    });
  });
}
