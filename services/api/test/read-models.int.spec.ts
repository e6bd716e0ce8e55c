/**
 * The read models through GraphQL: people and mandates, scores, handover, stations and statistics
 * answer what the projections' query functions (or SQL on the read models and the log) answer on
 * the small demo county; views of the past change the answers where they should; bad arguments
 * come back as errors; pages are capped; and batch loading keeps the SQL statements per request
 * flat whatever the page size.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@yingpan/db';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import {
  compliance,
  countyHeadlines,
  countyStatistics,
  handoverDossier,
  inherited,
  listScoringRules,
  NOW,
  predecessorRecord,
  regulations,
  scorecard,
  scoresByBand,
  stationBooks,
  stationList,
  type AsOf,
} from '@yingpan/projections';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { MAX_PAGE_SIZE } from '../src/schema/builder.ts';
import { STATISTICS_PAGE_SIZE } from '../src/schema/statistics.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';

/** The GraphQL enum name of a domain value: `station-visit` → `STATION_VISIT`. */
const enumOf = (value: string | null | undefined) => (value === null || value === undefined ? null : value.toUpperCase().replaceAll('-', '_'));

/** Counts the SQL statements run through `db.query` (and remembers their text). */
function counting(db: Db) {
  const seen = { count: 0, texts: [] as string[] };
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'query') {
        return (text: string, params?: readonly unknown[]) => {
          seen.count += 1;
          seen.texts.push(text);
          return target.query(text, params);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, seen };
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`read models over GraphQL on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let seen: ReturnType<typeof counting>['seen'];
    let db: Db;
    const fixtures = {} as {
      term17: string;
      term18: string;
      termClosedAt: number;
      /** A person with a mandate in each term. */
      returning: string;
      /** A county-level deputy of term 18. */
      deputy: string;
      station: { stationId: string; township: string };
    };

    /** The role these tests act in. */
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );
    /** The data of a query that must succeed. */
    const ok = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await gql(query, variables);
      expect(result.errors).toBeUndefined();
      return result.data;
    };
    /** SQL statements one request runs. */
    const statementsOf = async (query: string, variables: Record<string, unknown> = {}) => {
      const before = seen.count;
      await ok(query, variables);
      return seen.count - before;
    };
    const rows = async <R>(text: string, params: unknown[] = []) => (await db.query<R>(text, params)).rows;
    const one = async <R>(text: string, params: unknown[] = []) => (await rows<R>(text, params))[0]!;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      const wrapped = counting(testDb.db);
      seen = wrapped.seen;
      db = testDb.db;
      // The projector is caught up once and not started: nothing else queries while a request is counted.
      runtime = await openRuntime({ dataDir: 'unused' }, wrapped.db);
      await runtime.projector.catchUp();
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'staff');

      const terms = await rows<{ term_id: string; number: number }>('SELECT term_id, number FROM rm_mandates.terms ORDER BY number');
      fixtures.term17 = terms.find((term) => term.number === 17)!.term_id;
      fixtures.term18 = terms.find((term) => term.number === 18)!.term_id;
      fixtures.termClosedAt = (await one<{ position: number }>(`SELECT position FROM yingpan.events WHERE type = 'TermClosed'`)).position;
      fixtures.returning = (
        await one<{ person_id: string }>(
          `SELECT m.person_id FROM rm_mandates.mandates m JOIN rm_mandates.terms t USING (term_id)
          GROUP BY m.person_id HAVING count(DISTINCT t.number) = 2 ORDER BY m.person_id LIMIT 1`,
        )
      ).person_id;
      fixtures.deputy = (
        await one<{ person_id: string }>(
          `SELECT m.person_id FROM rm_mandates.mandates m JOIN rm_mandates.terms t USING (term_id)
          WHERE t.number = 18 AND m.kind = 'deputy' AND m.level = 'county' ORDER BY m.person_id LIMIT 1`,
        )
      ).person_id;
      fixtures.station = (await stationList(db, { asOf: NOW })).sort((a, b) => b.counts.stationVisits - a.counts.stationVisits)[0]!;
    }, 120_000);
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    describe('people and mandates', () => {
      const PAGE = /* GraphQL */ `
        query Page($first: Int, $after: String, $search: String) {
          peopleConnection(first: $first, after: $after, search: $search) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { personId name } }
          }
        }`;

      it('pages through the directory by name, as SQL on rm_directory.people orders it', async () => {
        const all = await rows<{ personId: string; name: string }>('SELECT person_id AS "personId", name FROM rm_directory.people ORDER BY name, person_id');
        const first = (await ok(PAGE, { first: 10 })).peopleConnection;
        expect(first.totalCount).toBe(all.length);
        expect(first.edges.map((edge: any) => edge.node)).toEqual(all.slice(0, 10));
        expect(first.pageInfo.hasNextPage).toBe(true);
        const second = (await ok(PAGE, { first: 10, after: first.pageInfo.endCursor })).peopleConnection;
        expect(second.edges.map((edge: any) => edge.node)).toEqual(all.slice(10, 20));

        const rest = (await ok(PAGE, { first: 1000 })).peopleConnection;
        expect(rest.edges).toHaveLength(Math.min(all.length, MAX_PAGE_SIZE));

        const surname = all[0]!.name.slice(0, 1);
        const found = (await ok(PAGE, { first: 100, search: surname })).peopleConnection;
        const expected = all.filter((person) => person.name.includes(surname));
        expect(found.totalCount).toBe(expected.length);
        expect(found.edges.map((edge: any) => edge.node)).toEqual(expected);
      });

      it('gives a person’s mandates across terms as rm_mandates holds them, and as they stood in the past', async () => {
        const MANDATES = /* GraphQL */ `
          query Person($id: ID!, $asOf: AsOfInput) {
            person(id: $id) { personId name mandates(asOf: $asOf) { mandateId termNumber kind team level township startsOn validTo } }
          }`;
        const expected = await rows<any>(
          `SELECT m.mandate_id AS "mandateId", t.number AS "termNumber", m.kind, m.team, m.level, m.township,
                  to_char(m.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(coalesce(m.ended_on, t.closed_on), 'YYYY-MM-DD') AS "validTo"
             FROM rm_mandates.mandates m JOIN rm_mandates.terms t USING (term_id) WHERE m.person_id = $1 ORDER BY m.starts_on, m.mandate_id`,
          [fixtures.returning],
        );
        const { name } = await one<{ name: string }>('SELECT name FROM rm_directory.people WHERE person_id = $1', [fixtures.returning]);
        const now = (await ok(MANDATES, { id: fixtures.returning })).person;
        expect(now.name).toBe(name);
        expect(now.mandates).toEqual(expected.map((row) => ({ ...row, kind: enumOf(row.kind), team: enumOf(row.team), level: enumOf(row.level) })));
        expect(new Set(now.mandates.map((mandate: any) => mandate.termNumber))).toEqual(new Set([17, 18]));

        // Before the change: only the term-17 mandate, still running (the close had not happened, nor been recorded).
        for (const asOf of [
          { view: 'HAPPENED', date: '2019-06-30' },
          { view: 'KNOWN', position: fixtures.termClosedAt - 1 },
        ]) {
          const past = (await ok(MANDATES, { id: fixtures.returning, asOf })).person.mandates;
          expect(past.map((mandate: any) => mandate.termNumber)).toEqual([17]);
          expect(past[0].validTo).toBeNull();
        }
        expect((await ok(MANDATES, { id: '00000000-0000-4000-8000-000000000000' })).person).toBeNull();
      });

      it('loads a page of people with their mandates in the same few statements for 5 people as for 50', async () => {
        const QUERY = /* GraphQL */ `query ($first: Int) { peopleConnection(first: $first) { edges { node { name mandates { kind } } } } }`;
        const five = await statementsOf(QUERY, { first: 5 });
        const fifty = await statementsOf(QUERY, { first: 50 });
        expect(fifty).toBe(five);
        expect(five).toBeLessThanOrEqual(3);
        const nested = /* GraphQL */ `query ($first: Int) { peopleConnection(first: $first) { edges { node { mandates { kind person { name } } } } } }`;
        expect(await statementsOf(nested, { first: 50 })).toBe(await statementsOf(nested, { first: 5 }));
      });
    });

    describe('scores', () => {
      const CARD = /* GraphQL */ `
        query Card($personId: ID!, $year: Int, $termId: ID, $rulesVersion: RulesVersionInput, $asOf: AsOfInput) {
          scorecard(personId: $personId, year: $year, termId: $termId, rulesVersion: $rulesVersion, asOf: $asOf) {
            personId year termId person { name }
            mandates {
              mandateId termNumber kind level score band provisional dutiesMet dutiesMissed
              years {
                year total band held { days share }
                duties { id core met missed periods { period met count recordIds } }
                explanation { kind points label act records { recordId position points } }
              }
            }
          }
        }`;
      /** The parts of a projection scorecard the query asks for, in the API's shape. */
      const shaped = (card: Awaited<ReturnType<typeof scorecard>>) =>
        card.mandates.map((mandate) => ({
          mandateId: mandate.mandateId,
          termNumber: mandate.termNumber,
          kind: enumOf(mandate.kind),
          level: enumOf(mandate.level),
          score: mandate.score,
          band: mandate.band,
          provisional: mandate.provisional,
          dutiesMet: mandate.dutiesMet,
          dutiesMissed: mandate.dutiesMissed,
          years: mandate.years.map((year) => ({
            year: year.year,
            total: year.total,
            band: year.band,
            held: { days: year.held.days, share: year.held.share },
            duties: year.duties.map((duty) => ({
              id: duty.id,
              core: duty.core,
              met: duty.met,
              missed: duty.missed,
              periods: duty.periods.map((period) => ({ period: period.period, met: period.met, count: period.count, recordIds: period.recordIds })),
            })),
            explanation: year.explanation.map((line) => ({
              kind: enumOf(line.kind),
              points: line.points,
              label: line.label,
              act: enumOf(line.act),
              records: line.records.map((record) => ({ recordId: record.recordId, position: record.position, points: record.points })),
            })),
          })),
        }));

      it('scores a deputy’s year and term as the scores read model does, every point explained', async () => {
        const year = (await ok(CARD, { personId: fixtures.deputy, year: 2023 })).scorecard;
        const expected = await scorecard(db, { personId: fixtures.deputy, year: 2023 }, NOW);
        expect(expected.mandates.length).toBeGreaterThan(0);
        expect(year.mandates).toEqual(shaped(expected));
        for (const mandate of year.mandates) {
          const lines = mandate.years[0].explanation.reduce((sum: number, line: any) => sum + Math.round(line.points * 100), 0);
          expect(lines / 100).toBe(mandate.years[0].total);
        }
        expect(year.person.name).toBeTruthy();

        const term = (await ok(CARD, { personId: fixtures.returning, termId: fixtures.term17 })).scorecard;
        expect(term.termId).toBe(fixtures.term17);
        expect(term.mandates).toEqual(shaped(await scorecard(db, { personId: fixtures.returning, termId: fixtures.term17 }, NOW)));
      });

      it('scores as it happened mid-year (provisional) and under a chosen rules version, as the read model does', async () => {
        const asOf: AsOf = { view: 'happened', date: '2023-06-30' };
        const midYear = (await ok(CARD, { personId: fixtures.deputy, year: 2023, asOf: { view: 'HAPPENED', date: '2023-06-30' } })).scorecard;
        expect(midYear.mandates).toEqual(shaped(await scorecard(db, { personId: fixtures.deputy, year: 2023 }, asOf)));
        expect(midYear.mandates[0].provisional).toBe(true);
        const full = (await ok(CARD, { personId: fixtures.deputy, year: 2023 })).scorecard;
        expect(full.mandates[0].provisional).toBe(false);
        expect(midYear.mandates[0].dutiesMet).toBeLessThanOrEqual(full.mandates[0].dutiesMet);

        const versions = await listScoringRules(db, NOW);
        expect(versions.length).toBeGreaterThan(1);
        const oldest = { regulationId: versions[0]!.regulationId, version: versions[0]!.version };
        const compared = (await ok(CARD, { personId: fixtures.deputy, year: 2023, rulesVersion: oldest })).scorecard;
        expect(compared.mandates).toEqual(shaped(await scorecard(db, { personId: fixtures.deputy, year: 2023, rulesVersion: oldest }, NOW)));
      });

      it('lists the rules versions known in a view, and counts mandates per band as the read model does', async () => {
        const RULES = /* GraphQL */ `query ($asOf: AsOfInput) { scoringRules(asOf: $asOf) { regulationId version title effectiveFrom position rules { baseScore bands { label minScore } appliesTo } } }`;
        const versions = await listScoringRules(db, NOW);
        const now = (await ok(RULES)).scoringRules;
        expect(now.map((version: any) => [version.regulationId, version.version, version.effectiveFrom, version.position])).toEqual(
          versions.map((version) => [version.regulationId, version.version, version.effectiveFrom, version.position]),
        );
        expect(now[0].rules.bands).toEqual(versions[0]!.rules.bands);
        const newest = Math.max(...versions.map((version) => version.position));
        const before = (await ok(RULES, { asOf: { view: 'KNOWN', position: newest - 1 } })).scoringRules;
        expect(before).toHaveLength((await listScoringRules(db, { view: 'known', position: newest - 1 })).length);
        expect(before.length).toBeLessThan(now.length);

        const BANDS = /* GraphQL */ `query ($year: Int!, $level: Level, $township: String, $asOf: AsOfInput) {
          scoreBands(year: $year, level: $level, township: $township, asOf: $asOf) { year scored provisional withheld bands { label minScore count } } }`;
        expect((await ok(BANDS, { year: 2023 })).scoreBands).toEqual(await scoresByBand(db, { year: 2023 }, NOW));
        expect((await ok(BANDS, { year: 2023, level: 'COUNTY' })).scoreBands).toEqual(await scoresByBand(db, { year: 2023, level: 'county' }, NOW));
        const past = (await ok(BANDS, { year: 2023, asOf: { view: 'HAPPENED', date: '2023-03-31' } })).scoreBands;
        expect(past).toEqual(await scoresByBand(db, { year: 2023 }, { view: 'happened', date: '2023-03-31' }));
        expect(past.provisional).toBe(true);

        // The bands of the whole county cost as many statements as one township's: the read models'
        // checkpoints (for the read cache), then rules, mandates and records.
        const township = fixtures.station.township;
        const county = await statementsOf(BANDS, { year: 2022 });
        expect(await statementsOf(BANDS, { year: 2022, township })).toBe(county);
        expect(await statementsOf(BANDS, { year: 2019 })).toBe(county);
        expect(county).toBeLessThanOrEqual(5);
        // Asked again while no read model has moved: only the checkpoints are read.
        expect(await statementsOf(BANDS, { year: 2022 })).toBe(1);
        expect(await statementsOf(BANDS, { year: 2022, township })).toBe(1);
      });

      it('answers bad scorecard arguments with errors', async () => {
        const both = await gql(CARD, { personId: fixtures.deputy, year: 2023, termId: fixtures.term18 });
        expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'year' });
        const unknown = await gql(CARD, { personId: fixtures.deputy, year: 2023, rulesVersion: { regulationId: fixtures.term18, version: 1 } });
        expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'rulesVersion' });
        const notAnId = await gql(CARD, { personId: 'someone', year: 2023 });
        expect(notAnId.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'personId' });
      });
    });

    describe('handover', () => {
      const DOSSIER = /* GraphQL */ `
        query Dossier($termId: ID!, $asOf: AsOfInput) {
          handoverDossier(termId: $termId, asOf: $asOf) {
            term { number closedOn } nextTerm { number }
            seats(first: 100) { totalCount edges { node { seat { mandateId person { name } } record { act count } returnedAs { termNumber } } } }
            stations { totalCount edges { node { stationId managerChanged nextManager { personId } } } }
            portfolios { portfolio flagged }
            pairings { totalCount }
            openItems(first: 100) { totalCount edges { node { key kind statusAtClose flagged reason inheritor { personId rule } history { version position } } } }
            flagged: openItems(flagged: true) { totalCount }
          }
        }`;

      it('lists the terms newest first, each closed only once its close is seen in the view', async () => {
        const TERMS = /* GraphQL */ `query ($asOf: AsOfInput) { terms(asOf: $asOf) { termId number startsOn plannedEndOn closedOn } }`;
        const stored = await rows<{ term_id: string; number: number; starts_on: string; planned_end_on: string; closed_on: string | null }>(
          `SELECT term_id, number, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(planned_end_on, 'YYYY-MM-DD') AS planned_end_on,
                  to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM rm_mandates.terms ORDER BY number DESC`,
        );
        const now = (await ok(TERMS, {})).terms;
        expect(now).toEqual(
          stored.map((term) => ({
            termId: term.term_id,
            number: term.number,
            startsOn: term.starts_on,
            plannedEndOn: term.planned_end_on,
            closedOn: term.closed_on,
          })),
        );
        expect(now.map((term: { number: number }) => term.number)).toEqual([18, 17]);
        expect(now[1].closedOn).not.toBeNull();
        // Before the close was recorded, term 17 is open and term 18 not yet opened.
        const before = (await ok(TERMS, { asOf: { view: 'KNOWN', position: fixtures.termClosedAt - 1 } })).terms;
        expect(before.find((term: { number: number }) => term.number === 17).closedOn).toBeNull();
        expect((await ok(TERMS, { asOf: { view: 'HAPPENED', date: '2021-06-30' } })).terms).toEqual([{ ...now[1], closedOn: null }]);
      });

      it('gives the dossier of the closed term as the handover read model does, and none before the close', async () => {
        const dossier = (await ok(DOSSIER, { termId: fixtures.term17 })).handoverDossier;
        const expected = (await handoverDossier(db, { termId: fixtures.term17, asOf: NOW }))!;
        expect(dossier.term).toEqual({ number: 17, closedOn: expected.term.closedOn });
        expect(dossier.nextTerm).toEqual({ number: 18 });
        expect(dossier.seats.totalCount).toBe(expected.seats.length);
        expect(dossier.seats.edges.map((edge: any) => edge.node)).toEqual(
          expected.seats.slice(0, 100).map((seat) => ({
            seat: { mandateId: seat.mandateId, person: { name: seat.person.name } },
            record: seat.record.map((count) => ({ act: enumOf(count.act), count: count.count })),
            returnedAs: seat.returnedAs && { termNumber: seat.returnedAs.termNumber },
          })),
        );
        expect(dossier.stations.totalCount).toBe(expected.stations.length);
        expect(dossier.portfolios).toEqual(expected.portfolios.map((portfolio) => ({ portfolio: portfolio.portfolio, flagged: portfolio.flagged })));
        expect(dossier.pairings.totalCount).toBe(expected.pairings.length);
        expect(dossier.openItems.totalCount).toBe(expected.openItems.length);
        expect(expected.openItems.length).toBeGreaterThan(0);
        expect(dossier.openItems.edges.map((edge: any) => edge.node)).toEqual(
          expected.openItems.slice(0, 100).map((item) => ({
            key: item.key,
            kind: enumOf(item.kind),
            statusAtClose: item.statusAtClose,
            flagged: item.flagged,
            reason: enumOf(item.reason),
            inheritor: item.inheritor && { personId: item.inheritor.personId, rule: enumOf(item.inheritor.rule) },
            history: item.history.map((version) => ({ version: version.version, position: version.position })),
          })),
        );
        expect(dossier.flagged.totalCount).toBe(expected.openItems.filter((item) => item.flagged).length);

        // Without a term: the one that closed last in the view (none had before the close).
        const LATEST = /* GraphQL */ `query ($asOf: AsOfInput) { handoverDossier(asOf: $asOf) { term { termId number } openItems { totalCount } } }`;
        expect((await ok(LATEST, {})).handoverDossier).toEqual({
          term: { termId: fixtures.term17, number: 17 },
          openItems: { totalCount: expected.openItems.length },
        });
        expect((await ok(LATEST, { asOf: { view: 'KNOWN', position: fixtures.termClosedAt - 1 } })).handoverDossier).toBeNull();

        expect((await ok(DOSSIER, { termId: fixtures.term18 })).handoverDossier).toBeNull();
        expect((await ok(DOSSIER, { termId: fixtures.term17, asOf: { view: 'HAPPENED', date: '2021-06-30' } })).handoverDossier).toBeNull();
        expect((await ok(DOSSIER, { termId: fixtures.term17, asOf: { view: 'KNOWN', position: fixtures.termClosedAt - 1 } })).handoverDossier).toBeNull();
        const known = (await ok(DOSSIER, { termId: fixtures.term17, asOf: { view: 'KNOWN', position: fixtures.termClosedAt } })).handoverDossier;
        expect(known.openItems.totalCount).toBe(
          (await handoverDossier(db, { termId: fixtures.term17, asOf: { view: 'known', position: fixtures.termClosedAt } }))!.openItems.length,
        );
      });

      it('tells an inheritor what they inherited, and anyone a mandate’s record, as the read model does', async () => {
        const dossier = (await handoverDossier(db, { termId: fixtures.term17, asOf: NOW }))!;
        const heir = dossier.openItems.find((item) => item.inheritor)!.inheritor!.personId;
        const INHERITED = /* GraphQL */ `query ($personId: ID!) { inherited(personId: $personId, first: 100) { totalCount edges { node { term { number } item { key inheritor { personId } } } } } }`;
        const mine = (await ok(INHERITED, { personId: heir })).inherited;
        const expected = await inherited(db, { personId: heir, asOf: NOW });
        expect(mine.totalCount).toBe(expected.length);
        expect(mine.edges.map((edge: any) => [edge.node.term.number, edge.node.item.key, edge.node.item.inheritor.personId])).toEqual(
          expected.map((item) => [item.term.number, item.key, heir]),
        );

        const RECORD = /* GraphQL */ `query ($mandateId: ID!, $asOf: AsOfInput) {
          predecessorRecord(mandateId: $mandateId, asOf: $asOf) { seat { mandateId termNumber } counts { act count } records(first: 100) { totalCount edges { node { recordId act date } } } } }`;
        const seat = [...dossier.seats].sort((a, b) => b.record.length - a.record.length)[0]!;
        const record = (await ok(RECORD, { mandateId: seat.mandateId })).predecessorRecord;
        const full = (await predecessorRecord(db, { mandateId: seat.mandateId, asOf: NOW }))!;
        expect(record.seat).toEqual({ mandateId: seat.mandateId, termNumber: 17 });
        expect(record.counts).toEqual(full.counts.map((count) => ({ act: enumOf(count.act), count: count.count })));
        expect(record.records.totalCount).toBe(full.records.length);
        expect(record.records.edges.map((edge: any) => edge.node.recordId)).toEqual(full.records.slice(0, 100).map((entry) => entry.recordId));

        const early = (await ok(RECORD, { mandateId: seat.mandateId, asOf: { view: 'HAPPENED', date: '2018-12-31' } })).predecessorRecord;
        const expectedEarly = (await predecessorRecord(db, { mandateId: seat.mandateId, asOf: { view: 'happened', date: '2018-12-31' } }))!;
        expect(early.records.totalCount).toBe(expectedEarly.records.length);
        expect(early.records.totalCount).toBeLessThan(record.records.totalCount);
      });
    });

    describe('stations', () => {
      it('lists the stations as the stations read model does, and none before they were set up', async () => {
        const STATIONS = /* GraphQL */ `query ($township: String, $asOf: AsOfInput) {
          stations(township: $township, asOf: $asOf, first: 100) { totalCount edges { node { stationId name type township manager { name fromOn } counts { deputies receptions opinions openOpinions stationVisits } } } } }`;
        const shape = (list: Awaited<ReturnType<typeof stationList>>) =>
          list.map((station) => ({
            stationId: station.stationId,
            name: station.name,
            type: enumOf(station.type),
            township: station.township,
            manager: station.manager && { name: station.manager.name, fromOn: station.manager.fromOn },
            counts: {
              deputies: station.counts.deputies,
              receptions: station.counts.receptions,
              opinions: station.counts.opinions,
              openOpinions: station.counts.openOpinions,
              stationVisits: station.counts.stationVisits,
            },
          }));
        const all = (await ok(STATIONS)).stations;
        expect(all.edges.map((edge: any) => edge.node)).toEqual(shape(await stationList(db, { asOf: NOW })));
        const township = (await ok(STATIONS, { township: fixtures.station.township })).stations;
        expect(township.edges.map((edge: any) => edge.node)).toEqual(shape(await stationList(db, { township: fixtures.station.township, asOf: NOW })));
        expect(township.totalCount).toBeLessThan(all.totalCount);
        const asOf: AsOf = { view: 'happened', date: '2019-12-31' };
        expect((await ok(STATIONS, { asOf: { view: 'HAPPENED', date: '2019-12-31' } })).stations.edges.map((edge: any) => edge.node)).toEqual(
          shape(await stationList(db, { asOf })),
        );
        expect((await ok(STATIONS, { asOf: { view: 'HAPPENED', date: '2016-11-19' } })).stations.totalCount).toBe(0);
      });

      const BOOKS = /* GraphQL */ `
        query Books($stationId: ID!, $from: Date, $to: Date, $asOf: AsOfInput, $first: Int, $after: String) {
          stationBooks(stationId: $stationId, from: $from, to: $to, asOf: $asOf) {
            day from to
            station { summary { name counts { opinions } } managers { name fromOn toOn } }
            roster { personId mandateId level fromOn toOn }
            receptions(first: 100) { totalCount edges { node { receptionId heldOn votersReceived opinionCount deputies { personId recordId } } } }
            opinions(first: 100) { totalCount edges { node { opinionId category status deadline satisfaction receivedBy { personId } } } }
            handling(first: 100) { totalCount edges { node { opinionId status overdue late steps { stepNo status overdue } } } }
            activities(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { recordId act status } } }
            study { totalCount }
            duty { personId counts { stationVisits homeVisits voterReceptions dutyReports } records { totalCount } }
          }
        }`;
      const shapeBooks = (books: NonNullable<Awaited<ReturnType<typeof stationBooks>>>) => ({
        day: books.day,
        from: books.from,
        to: books.to,
        station: {
          summary: { name: books.station.name, counts: { opinions: books.station.counts.opinions } },
          managers: books.station.managers.map((manager) => ({ name: manager.name, fromOn: manager.fromOn, toOn: manager.toOn })),
        },
        roster: books.roster.map((entry) => ({
          personId: entry.personId,
          mandateId: entry.mandateId,
          level: enumOf(entry.level),
          fromOn: entry.fromOn,
          toOn: entry.toOn,
        })),
        receptions: {
          totalCount: books.receptions.length,
          edges: books.receptions.slice(0, 100).map((entry) => ({
            // the first page
            node: {
              receptionId: entry.receptionId,
              heldOn: entry.heldOn,
              votersReceived: entry.votersReceived,
              opinionCount: entry.opinions,
              deputies: entry.deputies.map((deputy) => ({ personId: deputy.personId, recordId: deputy.recordId })),
            },
          })),
        },
        opinions: {
          totalCount: books.opinions.length,
          edges: books.opinions.slice(0, 100).map((entry) => ({
            // the first page
            node: {
              opinionId: entry.opinionId,
              category: entry.category,
              status: enumOf(entry.status),
              deadline: entry.deadline,
              satisfaction: enumOf(entry.satisfaction),
              receivedBy: { personId: entry.receivedBy.personId },
            },
          })),
        },
        handling: {
          totalCount: books.handling.length,
          edges: books.handling.slice(0, 100).map((entry) => ({
            // the first page
            node: {
              opinionId: entry.opinionId,
              status: enumOf(entry.status),
              overdue: entry.overdue,
              late: entry.late,
              steps: entry.steps.map((step) => ({ stepNo: step.stepNo, status: enumOf(step.status), overdue: step.overdue })),
            },
          })),
        },
        study: { totalCount: books.study.length },
        duty: books.duty.map((entry) => ({
          personId: entry.personId,
          counts: {
            stationVisits: entry.counts['station-visit'],
            homeVisits: entry.counts['home-visit'],
            voterReceptions: entry.counts['voter-reception'],
            dutyReports: entry.counts['duty-report'],
          },
          records: { totalCount: entry.records.length },
        })),
      });

      it('keeps the roster and six books as the read model does, not asking it for voters’ personal data for a role that may not see them', async () => {
        const { stationId } = fixtures.station;
        const staff = token;
        token = await tokenFor(runtime, 'committee-member', randomUUID());
        const from = seen.texts.length;
        const books = await ok(BOOKS, { stationId })
          .then((answer) => answer.stationBooks)
          .finally(() => (token = staff));
        const expected = (await stationBooks(db, { stationId, asOf: NOW }))!;
        const { activities, ...rest } = books;
        expect(rest).toEqual(shapeBooks(expected));
        expect(expected.opinions.length).toBeGreaterThan(0);
        // The read model was not asked for the voters' data: its statements select NULL for them.
        const sql = seen.texts.slice(from).join('\n');
        expect(sql).toContain('NULL AS voter_name');
        expect(sql).not.toMatch(/t\.voter_name|t\.voter_phone|t\.voter_address|t\.content/);

        // The activity book is longer than a page: 20 by default, at most MAX_PAGE_SIZE, the rest on the next page.
        expect(expected.activities.length).toBeGreaterThan(MAX_PAGE_SIZE);
        expect(activities.totalCount).toBe(expected.activities.length);
        expect(activities.edges).toHaveLength(20);
        const capped = (await ok(BOOKS, { stationId, first: 10_000 })).stationBooks.activities;
        expect(capped.edges).toHaveLength(MAX_PAGE_SIZE);
        expect(capped.pageInfo.hasNextPage).toBe(true);
        // Page after page to the end.
        const edges = [...capped.edges];
        for (let page = capped; page.pageInfo.hasNextPage; ) {
          page = (await ok(BOOKS, { stationId, first: MAX_PAGE_SIZE, after: page.pageInfo.endCursor })).stationBooks.activities;
          expect(page.edges.length).toBeLessThanOrEqual(MAX_PAGE_SIZE);
          edges.push(...page.edges);
        }
        expect(edges.map((edge: any) => edge.node.recordId)).toEqual(expected.activities.map((record) => record.recordId));

        // Personal data has one field, `voter`, served by access.ts's rule (see access.int.spec.ts).
        const type = (await ok(`{ __type(name: "OpinionEntry") { fields { name } } }`)).__type.fields.map((field: any) => field.name);
        expect(type.filter((name: string) => /voter|phone|address|content|personal/i.test(name))).toEqual(['voter']);
      });

      it('prints the books as they stood on a past date, and over a chosen period', async () => {
        const { stationId } = fixtures.station;
        const asOf: AsOf = { view: 'happened', date: '2019-12-31' };
        const past = (await ok(BOOKS, { stationId, asOf: { view: 'HAPPENED', date: '2019-12-31' } })).stationBooks;
        const expected = (await stationBooks(db, { stationId, asOf }))!;
        const { activities, ...rest } = past;
        expect(rest).toEqual(shapeBooks(expected));
        expect(activities.totalCount).toBe(expected.activities.length);
        const now = (await stationBooks(db, { stationId, asOf: NOW }))!;
        expect(past.receptions.totalCount).toBeLessThan(now.receptions.length);

        const period = (await ok(BOOKS, { stationId, from: '2018-01-01', to: '2018-12-31' })).stationBooks;
        const inPeriod = (await stationBooks(db, { stationId, from: '2018-01-01', to: '2018-12-31', asOf: NOW }))!;
        expect(period.receptions.totalCount).toBe(inPeriod.receptions.length);
        expect(period.activities.totalCount).toBe(inPeriod.activities.length);

        const bad = await gql(BOOKS, { stationId, from: '2018-02-30' });
        expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input' });
        expect(bad.errors?.[0]?.message).toMatch(/"\$from".*Date must be a calendar day/);
      });

      it('reports compliance with 月进站、季回家、年述职 as the read model does', async () => {
        const COMPLIANCE = /* GraphQL */ `query ($stationId: ID, $township: String, $year: Int!, $asOf: AsOfInput) {
          stationCompliance(stationId: $stationId, township: $township, year: $year, asOf: $asOf) {
            year day
            deputies(first: 100) { totalCount edges { node { personId met missed cells { act period status recordIds } } } }
            periods { act period met { totalCount } missed { totalCount } pending { totalCount } }
          } }`;
        const shape = (report: Awaited<ReturnType<typeof compliance>>) => ({
          year: report.year,
          day: report.day,
          deputies: {
            totalCount: report.deputies.length,
            edges: report.deputies.map((deputy) => ({
              node: {
                personId: deputy.personId,
                met: deputy.met,
                missed: deputy.missed,
                cells: deputy.cells.map((cell) => ({ act: enumOf(cell.act), period: cell.period, status: enumOf(cell.status), recordIds: cell.recordIds })),
              },
            })),
          },
          periods: report.periods.map((period) => ({
            act: enumOf(period.act),
            period: period.period,
            met: { totalCount: period.met.length },
            missed: { totalCount: period.missed.length },
            pending: { totalCount: period.pending.length },
          })),
        });
        const { township, stationId } = fixtures.station;
        const byTownship = (await ok(COMPLIANCE, { township, year: 2023 })).stationCompliance;
        expect(byTownship).toEqual(shape(await compliance(db, { township, year: 2023, asOf: NOW })));
        expect(byTownship.deputies.totalCount).toBeGreaterThan(0);
        const byStation = (await ok(COMPLIANCE, { stationId, year: 2023 })).stationCompliance;
        expect(byStation).toEqual(shape(await compliance(db, { stationId, year: 2023, asOf: NOW })));

        const asOf: AsOf = { view: 'happened', date: '2023-05-15' };
        const midYear = (await ok(COMPLIANCE, { township, year: 2023, asOf: { view: 'HAPPENED', date: '2023-05-15' } })).stationCompliance;
        expect(midYear).toEqual(shape(await compliance(db, { township, year: 2023, asOf })));
        const pending = (report: any) => report.periods.reduce((sum: number, period: any) => sum + period.pending.totalCount, 0);
        expect(pending(midYear)).toBeGreaterThan(0);
        expect(pending(byTownship)).toBe(0);

        const both = await gql(COMPLIANCE, { township, stationId, year: 2023 });
        expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'township' });
      });
    });

    describe('statistics', () => {
      const STATS = /* GraphQL */ `query ($groupBy: [StatisticsDimension!]!, $termId: ID, $from: Date, $to: Date, $asOf: AsOfInput, $first: Int) {
        countyStatistics(groupBy: $groupBy, termId: $termId, from: $from, to: $to, asOf: $asOf, first: $first) {
          totalCount pageInfo { hasNextPage } edges { node { act team level township term month personTimes persons } } } }`;
      const shape = (list: Awaited<ReturnType<typeof countyStatistics>>) =>
        list.map((row) => ({
          act: enumOf(row.act),
          team: row.team === 'unknown' ? null : enumOf(row.team),
          level: enumOf(row.level),
          township: row.township ?? null,
          term: row.term ?? null,
          month: row.month ?? null,
          personTimes: row.personTimes,
          persons: row.persons,
        }));

      it('groups person-times as the statistics read model does, a capped page at a time', async () => {
        const byActTeam = (await ok(STATS, { groupBy: ['ACT', 'TEAM'], first: 100 })).countyStatistics;
        expect(byActTeam.edges.map((edge: any) => edge.node)).toEqual(shape(await countyStatistics(db, { groupBy: ['act', 'team'], asOf: NOW })));
        const [total] = (await ok(STATS, { groupBy: [] })).countyStatistics.edges;
        const { count } = await one<{ count: number }>(
          `SELECT count(*)::int AS count FROM rm_facts.record_versions WHERE valid_to_position IS NULL AND status = 'approved'`,
        );
        expect(total.node.personTimes).toBe(count);

        const fine = (await ok(STATS, { groupBy: ['ACT', 'TOWNSHIP', 'MONTH'], first: MAX_PAGE_SIZE })).countyStatistics;
        const expected = await countyStatistics(db, { groupBy: ['act', 'township', 'month'], asOf: NOW });
        expect(expected.length).toBeGreaterThan(MAX_PAGE_SIZE);
        expect(fine.totalCount).toBe(expected.length);
        expect(fine.edges).toHaveLength(MAX_PAGE_SIZE);
        expect(fine.pageInfo.hasNextPage).toBe(true);
        expect(fine.edges.map((edge: any) => edge.node)).toEqual(shape(expected.slice(0, MAX_PAGE_SIZE)));
        // Statistics pages hold up to STATISTICS_PAGE_SIZE groups (a dashboard's chart in one request), and no more.
        const whole = (await ok(STATS, { groupBy: ['ACT', 'TOWNSHIP', 'MONTH'], first: STATISTICS_PAGE_SIZE + 1 })).countyStatistics;
        expect(whole.edges).toHaveLength(Math.min(expected.length, STATISTICS_PAGE_SIZE));
        expect(whole.edges.map((edge: any) => edge.node)).toEqual(shape(expected.slice(0, STATISTICS_PAGE_SIZE)));

        const term = (await ok(STATS, { groupBy: ['TERM'], termId: fixtures.term17 })).countyStatistics.edges.map((edge: any) => edge.node);
        expect(term).toEqual(shape(await countyStatistics(db, { groupBy: ['term'], termId: fixtures.term17, asOf: NOW })));
        const asOf: AsOf = { view: 'known', position: fixtures.termClosedAt };
        const known = (await ok(STATS, { groupBy: ['ACT'], asOf: { view: 'KNOWN', position: fixtures.termClosedAt }, first: 100 })).countyStatistics;
        expect(known.edges.map((edge: any) => edge.node)).toEqual(shape(await countyStatistics(db, { groupBy: ['act'], asOf })));
      });

      it('gives the headline figures as the read model does, now and as they happened', async () => {
        const HEADLINES = /* GraphQL */ `query ($termId: ID, $from: Date, $to: Date, $asOf: AsOfInput) {
          countyHeadlines(termId: $termId, from: $from, to: $to, asOf: $asOf) {
            trainingPersonTimes committeeTrainingPersonTimes supervisionPersonTimes committeeMeetingAttendees consultationRecommendations
            stationsOpen stationsEstablished stationsClosed regulationsInForce regulationsEnacted regulationsAmended regulationsRepealed regulationsRevised } }`;
        const now = (await ok(HEADLINES)).countyHeadlines;
        expect(now).toEqual(await countyHeadlines(db, { asOf: NOW }));
        const asOf: AsOf = { view: 'happened', date: '2019-12-31' };
        const past = (await ok(HEADLINES, { asOf: { view: 'HAPPENED', date: '2019-12-31' } })).countyHeadlines;
        expect(past).toEqual(await countyHeadlines(db, { asOf }));
        expect(past.trainingPersonTimes).toBeLessThan(now.trainingPersonTimes);
        const term = (await ok(HEADLINES, { termId: fixtures.term17, from: '2018-01-01' })).countyHeadlines;
        expect(term).toEqual(await countyHeadlines(db, { termId: fixtures.term17, from: '2018-01-01', asOf: NOW }));
      });
    });

    describe('regulations', () => {
      it('lists the regulations and their versions as the read model does, to the public too, now and as they happened', async () => {
        const REGULATIONS = /* GraphQL */ `query ($asOf: AsOfInput) {
          regulations(asOf: $asOf) { regulationId title category categoryZh status version enactedOn repealedOn
            steps { kind kindZh version effectiveOn text scoring position recordedAt } } }`;
        const strip = (list: any[]) => list.map(({ categoryZh, steps, ...rest }) => ({ ...rest, steps: steps.map(({ kindZh, ...step }: any) => step) }));
        const now = (await ok(REGULATIONS)).regulations;
        expect(now.length).toBeGreaterThan(0);
        expect(strip(now)).toEqual(await regulations(db, { asOf: NOW }));
        expect(now.find((regulation: any) => regulation.category === 'scoring').categoryZh).toBe('履职量化评价');
        expect(now[0].steps[0].kindZh).toBe('立');
        const past = (await ok(REGULATIONS, { asOf: { view: 'HAPPENED', date: '2019-12-31' } })).regulations;
        expect(strip(past)).toEqual(await regulations(db, { asOf: { view: 'happened', date: '2019-12-31' } }));
        expect(past.flatMap((regulation: any) => regulation.steps).length).toBeLessThan(now.flatMap((regulation: any) => regulation.steps).length);
        const signedIn = token;
        token = null;
        try {
          expect((await ok(REGULATIONS)).regulations).toEqual(now);
        } finally {
          token = signedIn;
        }
      });
    });

    describe('bad arguments', () => {
      it('answers a malformed asOf, id, date or cursor with an error naming it, and keeps serving', async () => {
        const HEADLINES = /* GraphQL */ `query ($asOf: AsOfInput, $termId: ID, $to: Date) { countyHeadlines(asOf: $asOf, termId: $termId, to: $to) { trainingPersonTimes } }`;
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ asOf: { view: 'HAPPENED', date: '2019-13-45' } }, 'asOf.date (scalar)'],
          [{ asOf: { view: 'HAPPENED' } }, 'asOf.date'],
          [{ asOf: { view: 'KNOWN' } }, 'asOf'],
          [{ asOf: { view: 'KNOWN', at: 'yesterday' } }, 'asOf.at'],
          [{ asOf: { view: 'KNOWN', position: -1 } }, 'asOf.position'],
          [{ termId: 'term 17' }, 'termId'],
          [{ to: '31/12/2019' }, 'to'],
        ];
        // A Date or DateTime the scalar refuses is named in the message ('Variable "$asOf" got invalid value … at "asOf.date"').
        const byScalar: Record<string, RegExp> = {
          'asOf.date (scalar)': /"asOf\.date".*Date must be a calendar day/,
          'asOf.at': /"asOf\.at".*DateTime must be an ISO 8601 instant/,
          to: /"\$to".*Date must be a calendar day/,
        };
        for (const [variables, field] of cases) {
          const result = await gql(HEADLINES, variables);
          expect(result.data ?? null).toBeNull();
          const scalar = byScalar[field];
          expect(result.errors?.[0]?.extensions).toMatchObject(scalar ? { code: 'invalid-input' } : { code: 'invalid-input', field });
          if (scalar) expect(result.errors?.[0]?.message).toMatch(scalar);
          expect(result.errors?.[0]?.message).not.toMatch(/Unexpected error/);
        }
        const mandates = await gql(`query ($id: ID!) { person(id: $id) { mandates(asOf: { view: HAPPENED, date: "soon" }) { kind } } }`, {
          id: fixtures.returning,
        });
        expect(mandates.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input' });
        expect(mandates.errors?.[0]?.message).toMatch(/Date must be a calendar day YYYY-MM-DD; got "soon"/);
        const cursor = await gql(`{ peopleConnection(first: 2, after: "not-a-cursor") { edges { cursor } } }`);
        expect(cursor.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'after' });
        expect((await ok(`{ countyHeadlines { stationsOpen } }`)).countyHeadlines.stationsOpen).toBeGreaterThan(0);
      });
    });
  });
}
