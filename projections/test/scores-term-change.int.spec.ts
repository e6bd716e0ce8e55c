/**
 * A year split at a term change, from a given history: term 17 closes on 19 November 2021 and term
 * 18 opens the next day; 甲 is re-elected (a mandate in each term), 乙 is not, 丙 is new. 甲's 2021
 * scorecard gives the part before the change and the part after it, each with its own days, duties
 * (pro-rated to them), acts and explanation, and the year as a whole, banded once; the dashboard's
 * band counts count 甲's year once; and the views of the past see the split only once it happened.
 */
import { randomUUID } from 'node:crypto';
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { createDomain, SCORING_RULES_2021, type CommandContext } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import { facts, mandates, scorecard, scoresByBand, scoringRules, type YearScore } from '../src/index.ts';

const cents = (points: number) => Math.round(points * 100);
const explained = (lines: { points: number }[]) => lines.reduce((sum, line) => sum + cents(line.points), 0);
const earned = (score: YearScore) => cents(score.subtotals.points) + cents(score.subtotals.deductions) + cents(score.subtotals.penalties);
const homeVisits = (score: YearScore) => score.duties.find((duty) => duty.id === 'quarterly-home-visit')!.periods;
const pointsRecords = (score: YearScore) =>
  score.explanation.filter((line) => line.kind === 'points').flatMap((line) => line.records.map((record) => record.recordId));

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`a year split at a term change, on ${target.name}`, () => {
    let testDb: TestDb;
    let projector: Projector;
    const term17 = randomUUID();
    const term18 = randomUUID();
    const people = { 甲: randomUUID(), 乙: randomUUID(), 丙: randomUUID() };
    const m17 = { 甲: randomUUID(), 乙: randomUUID() };
    const m18 = { 甲: randomUUID(), 丙: randomUUID() };
    /** 甲's home visits: four in the old term (Q1–Q4), one in the new (Q4), and 乙's in the old. */
    const visits17 = ['2021-02-10', '2021-05-10', '2021-08-10', '2021-10-10'].map((date) => ({ date, recordId: randomUUID() }));
    const visit18 = { date: '2021-12-10', recordId: randomUUID() };
    let beforeNewMandate: number;

    beforeAll(async () => {
      testDb = await target.open();
      const store = await SqlEventStore.open(testDb.db);
      const { bus } = createDomain(store);
      const as = (role: string): CommandContext => ({
        commandId: randomUUID(),
        actor: { personId: randomUUID(), role },
        occurredAt: '2022-01-05T02:00:00.000Z',
      });
      const run = (name: string, input: object, role = 'staff') => bus.execute(name, input, as(role));
      await run(
        'EnactRegulation',
        {
          regulationId: randomUUID(),
          title: '《代表履职监督量化评价暂行办法》',
          category: 'scoring',
          effectiveFrom: '2017-01-01',
          summary: '积分制',
          scoringRules: SCORING_RULES_2021,
        },
        'admin',
      );
      await run('OpenTerm', { termId: term17, number: 17, startsOn: '2016-11-20', plannedEndOn: '2021-11-19' }, 'admin');
      for (const [name, personId] of Object.entries(people)) await run('RegisterPerson', { personId, name, publicServant: false });
      const seat = { kind: 'deputy', level: 'county', township: '石羊镇', district: '石羊镇第1选区', publicServant: false };
      for (const name of ['甲', '乙'] as const) {
        await run('StartMandate', { ...seat, mandateId: m17[name], personId: people[name], termId: term17, startsOn: '2016-11-20' });
      }
      const visit = (name: keyof typeof people, mandateId: string, date: string, recordId = randomUUID()) =>
        run('RecordHomeVisit', { recordId, personId: people[name], mandateId, date, place: '石羊镇一村', visited: '村民代表12人', summary: '回选区听取意见' });
      for (const { date, recordId } of visits17) await visit('甲', m17.甲, date, recordId);
      for (const date of ['2021-03-10', '2021-06-10']) await visit('乙', m17.乙, date);
      await run('CloseTerm', { termId: term17, closedOn: '2021-11-19' }, 'admin');
      await run('OpenTerm', { termId: term18, number: 18, startsOn: '2021-11-20', plannedEndOn: '2026-11-19' }, 'admin');
      beforeNewMandate = (await store.head()).position;
      await run('StartMandate', { ...seat, mandateId: m18.甲, personId: people.甲, termId: term18, startsOn: '2021-11-20' });
      await run('StartMandate', { ...seat, mandateId: m18.丙, personId: people.丙, termId: term18, startsOn: '2021-11-20' });
      await visit('甲', m18.甲, visit18.date, visit18.recordId);
      projector = new Projector(testDb.db, store, [mandates, facts, scoringRules]);
      await projector.prepare();
      await projector.catchUp();
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('gives the re-elected deputy’s year in two parts, each with its days, duties and acts, and the year as a whole', async () => {
      const card = await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'now' });
      expect(card.splitYears).toHaveLength(1);
      const [split] = card.splitYears;
      expect(split!.parts.map((part) => [part.mandateId, part.termNumber, part.label])).toEqual([
        [m17.甲, 17, '第十七届部分（1月1日–11月19日）'],
        [m18.甲, 18, '第十八届部分（11月20日–12月31日）'],
      ]);
      const [before, after] = split!.parts.map((part) => part.score);
      expect([before!.held.days, after!.held.days]).toEqual([323, 42]);
      expect(split!.held).toMatchObject({ from: '2021-01-01', to: '2021-12-31', days: 365, share: 1 });

      // The quarterly home visit: Q1–Q4 in the old term (its Q4 pro-rated to 50 of 92 days), Q4 in the new (42 of 92).
      expect(homeVisits(before!).map((period) => [period.period, period.met])).toEqual([
        ['2021-Q1', true],
        ['2021-Q2', true],
        ['2021-Q3', true],
        ['2021-Q4', true],
      ]);
      expect(homeVisits(before!).at(-1)!.share).toBeCloseTo(50 / 92, 6);
      expect(homeVisits(after!).map((period) => [period.period, period.from, period.to, period.met, period.recordIds])).toEqual([
        ['2021-Q4', '2021-11-20', '2021-12-31', true, [visit18.recordId]],
      ]);
      expect(homeVisits(after!)[0]!.share).toBeCloseTo(42 / 92, 6);
      // Each act counted once, on its own side of the change.
      expect(pointsRecords(before!).sort()).toEqual(visits17.map((visit) => visit.recordId).sort());
      expect(pointsRecords(after!)).toEqual([visit18.recordId]);
      // The monthly station visit, never made: missed in every month each part held, November in both, each pro-rated.
      const stationNov = (score: YearScore) =>
        score.duties.find((duty) => duty.id === 'monthly-station-visit')!.periods.find((period) => period.period === '2021-11')!;
      expect(cents(stationNov(before!).penalty) + cents(stationNov(after!).penalty)).toBe(100);

      // Each part explains its own score; the year's lines are the base, each part's points and penalties, and add up to the year's total.
      for (const part of [before!, after!]) {
        expect(explained(part.explanation)).toBe(cents(part.total!));
        expect(part).toMatchObject({ band: null, bandWithheld: 'term-change' });
      }
      expect(split!.explanation.map((line) => [line.kind, line.mandateId ?? null])).toEqual([
        ['base', null],
        ['part', m17.甲],
        ['part', m18.甲],
      ]);
      expect(cents(split!.total!)).toBe(6000 + earned(before!) + earned(after!));
      expect(explained(split!.explanation)).toBe(cents(split!.total!));
      expect(split!.band).toMatch(/优秀|称职|基本称职|不称职/);
      expect(split).toMatchObject({ provisional: false, bandWithheld: null, kind: 'deputy', level: 'county', personId: people.甲 });
      // The parts are the card's two mandates, without a band of their own.
      expect(card.mandates.map((mandate) => [mandate.mandateId, mandate.band, mandate.years[0]!.total])).toEqual([
        [m17.甲, null, before!.total],
        [m18.甲, null, after!.total],
      ]);
    });

    it('splits nothing for a deputy who was not re-elected, nor for one newly elected', async () => {
      const gone = await scorecard(testDb.db, { personId: people.乙, year: 2021 }, { view: 'now' });
      expect(gone.splitYears).toEqual([]);
      expect(gone.mandates[0]!.years[0]!.held).toMatchObject({ to: '2021-11-19', days: 323 });
      expect(gone.mandates[0]!.band).not.toBeNull();
      const fresh = await scorecard(testDb.db, { personId: people.丙, year: 2021 }, { view: 'now' });
      expect(fresh.splitYears).toEqual([]);
      expect(fresh.mandates[0]!.years[0]!.bandWithheld).toBe('part-year');
    });

    it('counts the split year once on the dashboard, with the year’s band', async () => {
      const byBand = await scoresByBand(testDb.db, { year: 2021 }, { view: 'now' });
      const [甲, 乙] = [
        (await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'now' })).splitYears[0]!,
        (await scorecard(testDb.db, { personId: people.乙, year: 2021 }, { view: 'now' })).mandates[0]!,
      ];
      expect(byBand).toMatchObject({ scored: 3, withheld: 1, provisional: false });
      const expected = new Map<string, number>();
      for (const band of [甲.band!, 乙.band!]) expected.set(band, (expected.get(band) ?? 0) + 1);
      expect(byBand.bands.filter((band) => band.count > 0).map((band) => [band.label, band.count])).toEqual(
        byBand.bands.filter((band) => expected.has(band.label)).map((band) => [band.label, expected.get(band.label)]),
      );
    });

    it('as it happened: no split before the change, a provisional one after it, counting only what had happened', async () => {
      const before = await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'happened', date: '2021-11-10' });
      expect(before.splitYears).toEqual([]);
      expect(before.mandates.map((mandate) => [mandate.mandateId, mandate.lastDay, mandate.provisional])).toEqual([[m17.甲, null, true]]);

      const early = await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'happened', date: '2021-12-05' });
      const [split] = early.splitYears;
      expect(split).toMatchObject({ provisional: true, band: null, bandWithheld: 'in-progress' });
      const after = split!.parts[1]!.score;
      // On 5 December the new term's visit of the 10th had not happened: its fourth quarter is still running, not missed.
      expect(homeVisits(after)[0]).toMatchObject({ met: false, pending: true, penalty: 0, recordIds: [] });
      expect(pointsRecords(after)).toEqual([]);
      expect(explained(split!.explanation)).toBe(cents(split!.total!));
    });

    it('as it was known: no split before the new mandate was recorded, the split at the head', async () => {
      const then = await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'known', position: beforeNewMandate });
      expect(then.splitYears).toEqual([]);
      expect(then.mandates.map((mandate) => [mandate.mandateId, mandate.lastDay])).toEqual([[m17.甲, '2021-11-19']]);
      expect(then.mandates[0]!.band).not.toBeNull();
      const head = (await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'known', position: 1_000_000 })).splitYears;
      expect(head).toEqual((await scorecard(testDb.db, { personId: people.甲, year: 2021 }, { view: 'now' })).splitYears);
    });

    it('keeps a term’s scorecard per mandate: the term 17 seat’s 2021 is its part, with no split', async () => {
      const card = await scorecard(testDb.db, { personId: people.甲, termId: term17 }, { view: 'now' });
      expect(card.splitYears).toEqual([]);
      expect(card.mandates[0]!.years.map((year) => year.year)).toEqual([2017, 2018, 2019, 2020, 2021]);
      expect(card.mandates[0]!.years.at(-1)!.held).toMatchObject({ from: '2021-01-01', to: '2021-11-19' });
    });
  });
}
