/**
 * County statistics on the small demo county: every figure equals a count taken directly from the
 * log with SQL (by act, team and month; the headline figures; stations and regulations), and the
 * views of the past ('happened' by date, 'known' by position or instant) behave as defined.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '@yingpan/db';
import { everyEngine } from '@yingpan/db/testing';
import { createDomain } from '@yingpan/domain';
import type { SqlEventStore } from '@yingpan/event-store';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import {
  countable,
  countyHeadlines,
  countyRegistry,
  countyStatistics,
  countyStatisticsSets,
  facts,
  mandates,
  RECORD_EVENTS,
  regulations,
  type AsOf,
  type StatisticsRow,
} from '../src/index.ts';
import { APPROVED_FROM_LOG } from './statistics-log.ts';

const DIMENSIONS = { act: 'act', team: 'team', month: "to_char(act_date, 'YYYY-MM')" } as const;
type Dimension = keyof typeof DIMENSIONS;

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`county statistics on ${target.name}`, () => {
    let testDb: CountyDb;
    let store: SqlEventStore;
    let head: number;
    let term17: { term_id: string; starts_on: string; closed_on: string };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      store = testDb.store;
      // The headlines count repealed regulations: the county's office repeals one whose versions all took effect before.
      const { rows: unamended } = await testDb.db.query<{ regulation_id: string }>(
        `SELECT data->>'regulationId' AS regulation_id FROM yingpan.events WHERE type LIKE 'Regulation%'
          GROUP BY 1 HAVING max(coalesce(data->>'effectiveFrom', data->>'repealedOn')) < '2022-06-30' AND bool_and(type <> 'RegulationRepealed')
          ORDER BY 1 LIMIT 1`,
      );
      await createDomain(store).bus.execute(
        'RepealRegulation',
        { regulationId: unamended[0]!.regulation_id, repealedOn: '2022-06-30', reason: '已被新制度替代' },
        { commandId: randomUUID(), actor: { personId: 'county-office', role: 'admin' }, occurredAt: '2022-06-30T02:00:00.000Z' },
      );
      const projector = new Projector(testDb.db, store, [mandates, facts, countyRegistry], { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
      head = (await store.head()).position;
      const { rows } = await testDb.db.query<typeof term17>(
        `SELECT data->>'termId' AS term_id, data->>'closedOn' AS closed_on,
                (SELECT o.data->>'startsOn' FROM yingpan.events o WHERE o.type = 'TermOpened' AND o.data->>'termId' = c.data->>'termId') AS starts_on
           FROM yingpan.events c WHERE type = 'TermClosed'`,
      );
      term17 = rows[0]!;
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    /** Person-times and persons by one dimension, from the log; optionally up to a position, within dates. */
    const fromLog = async (dimension: Dimension, options: { position?: number; to?: string } = {}) => {
      const { rows } = await testDb.db.query<Record<Dimension, string> & { personTimes: number; persons: number }>(
        `${APPROVED_FROM_LOG}
         SELECT ${DIMENSIONS[dimension]} AS "${dimension}", count(*)::int AS "personTimes", count(DISTINCT person_id)::int AS persons
           FROM approved WHERE ($3::date IS NULL OR act_date <= $3::date) GROUP BY 1 ORDER BY 1`,
        [RECORD_EVENTS, options.position ?? head, options.to ?? null],
      );
      return rows;
    };
    const byDimension = (dimension: Dimension, asOf: AsOf, filter: { to?: string } = {}) =>
      countyStatistics(testDb.db, { asOf, groupBy: [dimension], ...filter });
    const total = (rows: StatisticsRow[]) => rows.reduce((sum, row) => sum + row.personTimes, 0);

    it('equals the log by act, by team and by month: person-times and distinct persons', async () => {
      for (const dimension of ['act', 'team', 'month'] as const) {
        const expected = await fromLog(dimension);
        expect(expected.length, dimension).toBeGreaterThan(3);
        expect(await byDimension(dimension, { view: 'now' }), dimension).toEqual(expected);
      }
    });

    it('groups by several dimensions at once, and every grouping adds up to the same total', async () => {
      const all = await countyStatistics(testDb.db, { asOf: { view: 'now' }, groupBy: [] });
      expect(all).toHaveLength(1);
      const byActTeamMonth = await countyStatistics(testDb.db, { asOf: { view: 'now' }, groupBy: ['month', 'act', 'team'] });
      expect(Object.keys(byActTeamMonth[0]!).sort()).toEqual(['act', 'month', 'personTimes', 'persons', 'team']);
      const byLevelTownshipTerm = await countyStatistics(testDb.db, { asOf: { view: 'now' }, groupBy: ['level', 'township', 'term'] });
      expect(new Set(byLevelTownshipTerm.map((row) => row.term))).toEqual(new Set([17, 18]));
      expect(byLevelTownshipTerm.some((row) => row.level === 'township' && row.township)).toBe(true);
      for (const rows of [byActTeamMonth, byLevelTownshipTerm]) expect(total(rows)).toBe(all[0]!.personTimes);
      // A term filter keeps exactly the records made in that term's mandates.
      const inTerm17 = await countyStatistics(testDb.db, { asOf: { view: 'now' }, termId: term17.term_id, groupBy: [] });
      expect(inTerm17[0]!.personTimes).toBe(byLevelTownshipTerm.filter((row) => row.term === 17).reduce((sum, row) => sum + row.personTimes, 0));
    });

    it('names the present’s statements so that each connection plans them once, and plans a view of the past per call', async () => {
      const names: (string | undefined)[] = [];
      const recording: Queryable = {
        query: (text, params, options) => {
          names.push(options?.prepared);
          return testDb.db.query(text, params, options);
        },
        exec: (sql) => testDb.db.exec(sql),
        copyFrom: (table, columns, rows) => testDb.db.copyFrom(table, columns, rows),
      };
      const groupings = [['act', 'team'], ['month']] as const;
      const now = await countyStatisticsSets(recording, { asOf: { view: 'now' } }, groupings);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((name) => name?.startsWith('statistics:'))).toBe(true);
      // The same text, the same name: asked again, the statements are the ones already prepared.
      const first = [...names].sort();
      names.length = 0;
      expect(await countyStatisticsSets(recording, { asOf: { view: 'now' } }, groupings)).toEqual(now);
      expect([...names].sort()).toEqual(first);
      names.length = 0;
      await countyStatisticsSets(recording, { asOf: { view: 'known', position: head } }, groupings);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((name) => name === undefined)).toBe(true);
    });

    it('reads the present over whole months from the counter rows, with the figures every record version gives', async () => {
      const groupings = [['act'], ['month'], ['team', 'township'], ['level'], ['term', 'act'], ['act', 'team'], []] as const;
      const year = (await countyStatistics(testDb.db, { asOf: { view: 'now' }, groupBy: ['month'] })).at(-1)!.month!.slice(0, 4);
      const filters = [
        { asOf: { view: 'now' } as AsOf },
        { asOf: { view: 'now' } as AsOf, from: `${year}-01-01`, to: `${year}-12-31` },
        { asOf: { view: 'now' } as AsOf, from: `${year}-02-01`, to: `${year}-02-${year === '2024' ? '29' : '28'}` },
        { asOf: { view: 'now' } as AsOf, termId: term17.term_id },
      ];
      for (const filter of filters) {
        expect(countable(filter), JSON.stringify(filter)).toBe(true);
        const counted = await countyStatisticsSets(testDb.db, filter, groupings);
        const versions = await countyStatisticsSets(testDb.db, filter, groupings, { versions: true });
        expect(counted, JSON.stringify(filter)).toEqual(versions);
        expect(counted[0]!.length).toBeGreaterThan(0);
      }
      // Other views and ranges read the versions.
      expect(countable({ asOf: { view: 'now' }, from: `${year}-01-02` })).toBe(false);
      expect(countable({ asOf: { view: 'now' }, to: `${year}-01-30` })).toBe(false);
      expect(countable({ asOf: { view: 'happened', date: `${year}-01-31` } })).toBe(false);
      // The counter rows sum to the approved current versions, row for row.
      const { rows } = await testDb.db.query<{ counted: number; versions: number }>(
        `SELECT (SELECT sum(n)::int FROM rm_facts.approved_counts) AS counted,
                (SELECT count(*)::int FROM rm_facts.record_versions WHERE valid_to_position IS NULL AND status = 'approved') AS versions`,
      );
      expect(rows[0]!.counted).toBe(rows[0]!.versions);
      // The kept totals per act and mandate and per month equal the approved current versions grouped so.
      const kept = await testDb.db.query<{ table: string; differing: number; groups: number }>(
        `WITH current AS (SELECT * FROM rm_facts.record_versions WHERE valid_to_position IS NULL AND status = 'approved')
         SELECT 'approved_totals' AS table, count(*)::int AS groups,
                count(*) FILTER (WHERE k.n IS DISTINCT FROM v.n)::int AS differing
           FROM (SELECT act, mandate_id, person_id, n FROM rm_facts.approved_totals WHERE n > 0) k
           FULL JOIN (SELECT act, mandate_id, person_id, count(*)::int AS n FROM current WHERE mandate_id IS NOT NULL GROUP BY 1, 2, 3) v
             USING (act, mandate_id, person_id)
         UNION ALL
         SELECT 'month_totals', count(*)::int,
                count(*) FILTER (WHERE (k.n, k.persons) IS DISTINCT FROM (v.n, v.persons))::int
           FROM (SELECT period, n, persons FROM rm_facts.month_totals WHERE n > 0) k
           FULL JOIN (SELECT date_trunc('month', act_date)::date AS period, count(*)::int AS n, count(DISTINCT person_id)::int AS persons
                        FROM current GROUP BY 1) v USING (period)`,
      );
      for (const { table, groups, differing } of kept.rows) {
        expect(groups, table).toBeGreaterThan(10);
        expect(differing, table).toBe(0);
      }
    });

    it('quotes the headline figures exactly as the log counts them', async () => {
      const { rows } = await testDb.db.query<Record<string, number>>(
        `${APPROVED_FROM_LOG}
         SELECT (SELECT count(*)::int FROM approved WHERE act = 'training') AS "trainingPersonTimes",
                (SELECT count(*)::int FROM approved WHERE act = 'training' AND team = 'committee') AS "committeeTrainingPersonTimes",
                (SELECT count(*)::int FROM approved WHERE act IN ('research', 'inspection', 'law-enforcement-inspection') AND team = 'deputy') AS "supervisionPersonTimes",
                (SELECT count(DISTINCT person_id)::int FROM approved WHERE act = 'committee-meeting-attendance' AND team = 'deputy') AS "committeeMeetingAttendees",
                (SELECT count(*)::int FROM approved WHERE act = 'consultation-recommendation') AS "consultationRecommendations",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'StationEstablished') - (SELECT count(*)::int FROM yingpan.events WHERE type = 'StationClosed') AS "stationsOpen",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'StationEstablished') AS "stationsEstablished",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'StationClosed') AS "stationsClosed",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'RegulationEnacted') - (SELECT count(*)::int FROM yingpan.events WHERE type = 'RegulationRepealed') AS "regulationsInForce",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'RegulationEnacted') AS "regulationsEnacted",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'RegulationAmended') AS "regulationsAmended",
                (SELECT count(*)::int FROM yingpan.events WHERE type = 'RegulationRepealed') AS "regulationsRepealed",
                (SELECT count(DISTINCT data->>'regulationId')::int FROM yingpan.events WHERE type LIKE 'Regulation%') AS "regulationsRevised"`,
        [RECORD_EVENTS, head],
      );
      const expected = rows[0]!;
      expect(expected.trainingPersonTimes).toBeGreaterThan(0);
      expect(expected.committeeTrainingPersonTimes).toBeGreaterThan(0);
      expect(expected.supervisionPersonTimes).toBeGreaterThan(0);
      expect(expected.regulationsRepealed).toBeGreaterThan(0);
      expect(await countyHeadlines(testDb.db, { asOf: { view: 'now' } })).toEqual(expected);
    });

    it('counts a term: its mandates’ records, stations at its close, regulations changed within it', async () => {
      const headlines = await countyHeadlines(testDb.db, { asOf: { view: 'now' }, termId: term17.term_id });
      const { rows } = await testDb.db.query<{ training: number; enacted: number; amended: number; repealed: number; revised: number }>(
        `${APPROVED_FROM_LOG},
         regulation_changes AS (
           SELECT type, data->>'regulationId' AS regulation_id, coalesce(data->>'effectiveFrom', data->>'repealedOn')::date AS on_date
             FROM yingpan.events WHERE type LIKE 'Regulation%')
         SELECT (SELECT count(*)::int FROM approved a WHERE act = 'training'
                    AND a.mandate_id IN (SELECT data->>'mandateId' FROM yingpan.events WHERE type = 'MandateStarted' AND data->>'termId' = $3)) AS training,
                (SELECT count(*)::int FROM regulation_changes WHERE type = 'RegulationEnacted' AND on_date BETWEEN $4::date AND $5::date) AS enacted,
                (SELECT count(*)::int FROM regulation_changes WHERE type = 'RegulationAmended' AND on_date BETWEEN $4::date AND $5::date) AS amended,
                (SELECT count(*)::int FROM regulation_changes WHERE type = 'RegulationRepealed' AND on_date BETWEEN $4::date AND $5::date) AS repealed,
                (SELECT count(DISTINCT regulation_id)::int FROM regulation_changes WHERE on_date BETWEEN $4::date AND $5::date) AS revised`,
        [RECORD_EVENTS, head, term17.term_id, term17.starts_on, term17.closed_on],
      );
      const expected = rows[0]!;
      expect(headlines).toMatchObject({
        trainingPersonTimes: expected.training,
        regulationsEnacted: expected.enacted,
        regulationsAmended: expected.amended,
        regulationsRepealed: expected.repealed,
        regulationsRevised: expected.revised,
        stationsOpen: 6,
      });
      expect(headlines.trainingPersonTimes).toBeLessThan((await countyHeadlines(testDb.db, { asOf: { view: 'now' } })).trainingPersonTimes);
    });

    it('as it happened: the months up to a date, unchanged; nothing after it', async () => {
      const date = '2019-12-31';
      const now = await byDimension('month', { view: 'now' });
      const then = await byDimension('month', { view: 'happened', date });
      expect(then.length).toBeGreaterThan(10);
      expect(then).toEqual(now.filter((row) => row.month! <= '2019-12'));
      expect(await byDimension('act', { view: 'happened', date })).toEqual(await fromLog('act', { to: date }));
      // The same as a 'to' filter on today's knowledge.
      expect(await byDimension('team', { view: 'happened', date })).toEqual(await byDimension('team', { view: 'now' }, { to: date }));
      const headlines = await countyHeadlines(testDb.db, { asOf: { view: 'happened', date } });
      const { rows } = await testDb.db.query<{ enacted: number; amended: number }>(
        `SELECT count(*) FILTER (WHERE type = 'RegulationEnacted')::int AS enacted, count(*) FILTER (WHERE type = 'RegulationAmended')::int AS amended
           FROM yingpan.events WHERE type LIKE 'Regulation%' AND (data->>'effectiveFrom')::date <= $1::date`,
        [date],
      );
      expect(headlines).toMatchObject({ regulationsEnacted: rows[0]!.enacted, regulationsAmended: rows[0]!.amended, regulationsRepealed: 0, stationsOpen: 6 });
    });

    it('as it was known: only what the log held at a position or instant', async () => {
      const half = Math.floor(head / 2);
      const known = await byDimension('act', { view: 'known', position: half });
      expect(known).toEqual(await fromLog('act', { position: half }));
      expect(total(known)).toBeLessThan(total(await byDimension('act', { view: 'now' })));
      expect(await byDimension('team', { view: 'known', position: head })).toEqual(await byDimension('team', { view: 'now' }));
      expect(await byDimension('month', { view: 'known', at: new Date().toISOString() })).toEqual(await byDimension('month', { view: 'now' }));
      expect(await byDimension('act', { view: 'known', position: 0 })).toEqual([]);
      const nothingYet = await countyHeadlines(testDb.db, { asOf: { view: 'known', position: 0 } });
      expect(Object.values(nothingYet).every((value) => value === 0)).toBe(true);
      const { rows } = await testDb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM yingpan.events WHERE type = 'RegulationAmended' AND position <= $1`,
        [half],
      );
      expect((await countyHeadlines(testDb.db, { asOf: { view: 'known', position: half } })).regulationsAmended).toBe(rows[0]!.n);
    });

    it('lists the regulations with every version, as the log holds them, in each view of the past', async () => {
      const { rows: events } = await testDb.db.query<{ type: string; position: string; data: Record<string, unknown> }>(
        `SELECT type, position, data FROM yingpan.events WHERE type LIKE 'Regulation%' ORDER BY position`,
      );
      const listed = await regulations(testDb.db, { asOf: { view: 'now' } });
      // Every regulation enacted is listed once, its steps those of its events in log order, with their dates and texts.
      const enacted = events.filter((event) => event.type === 'RegulationEnacted');
      expect(listed.map((regulation) => regulation.regulationId).sort()).toEqual(enacted.map((event) => String(event.data.regulationId)).sort());
      for (const regulation of listed) {
        const own = events.filter((event) => event.data.regulationId === regulation.regulationId);
        expect(regulation.steps.map((step) => [step.kind, step.effectiveOn, step.text, step.position])).toEqual(
          own.map((event) => [
            event.type.replace('Regulation', '').toLowerCase(),
            event.data.effectiveFrom ?? event.data.repealedOn,
            event.data.summary ?? event.data.changes ?? event.data.reason,
            Number(event.position),
          ]),
        );
        expect(regulation.title).toBe(own[0]!.data.title);
        expect(regulation.status).toBe(own.at(-1)!.type === 'RegulationRepealed' ? 'repealed' : 'in-force');
      }
      expect(listed.some((regulation) => regulation.steps.some((step) => step.kind === 'amended'))).toBe(true);
      // In force first.
      const firstRepealed = listed.findIndex((regulation) => regulation.status === 'repealed');
      expect(firstRepealed).toBeGreaterThan(0);
      expect(listed.slice(firstRepealed).every((regulation) => regulation.status === 'repealed')).toBe(true);

      // As it happened on the day before an amendment took effect: the amendment is not there yet, the version before it is in force.
      const amendment = events.find((event) => event.type === 'RegulationAmended')!;
      const effective = String(amendment.data.effectiveFrom);
      const dayBefore = new Date(Date.parse(`${effective}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const then = (await regulations(testDb.db, { asOf: { view: 'happened', date: dayBefore } })).find(
        (regulation) => regulation.regulationId === amendment.data.regulationId,
      )!;
      expect(then.version).toBe(Number(amendment.data.version) - 1);
      expect(then.steps.every((step) => step.effectiveOn < effective)).toBe(true);
      // As it was known just before the amendment was recorded: the same.
      const known = (await regulations(testDb.db, { asOf: { view: 'known', position: Number(amendment.position) - 1 } })).find(
        (regulation) => regulation.regulationId === amendment.data.regulationId,
      )!;
      expect(known.steps.map((step) => step.position)).not.toContain(Number(amendment.position));
      expect(known.version).toBe(Number(amendment.data.version) - 1);
      // Before the first regulation was recorded, none.
      expect(await regulations(testDb.db, { asOf: { view: 'known', position: Number(events[0]!.position) - 1 } })).toEqual([]);
    });
  });
}
