/**
 * The dashboard's list-shaped queries run compiled (graphql-jit, compiled-execution.ts): their
 * answers — data and errors, locations included — are the ones graphql-js gives for the same
 * request on the same county, for the dashboard's and the station pages' own queries, views of the
 * past, refusals and bad arguments; and only those operations run compiled.
 */
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { COMPILED_FIELDS, fieldNodesAt, runsCompiled } from '../src/compiled-execution.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { schema } from '../src/schema/index.ts';
import { postGraphQL, tokenFor } from './graphql-client.ts';

const FIGURES = /* GraphQL */ `
  fragment Headlines on CountyHeadlines { trainingPersonTimes supervisionPersonTimes stationsOpen }
  query Figures($asOf: AsOfInput, $termId: ID, $from: Date, $to: Date) {
    countyHeadlines(asOf: $asOf, termId: $termId, from: $from, to: $to) { ...Headlines }
    byAct: countyStatistics(groupBy: [ACT], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 100) {
      edges { node { act personTimes } }
      pageInfo { hasNextPage endCursor }
    }
    byMonth: countyStatistics(groupBy: [MONTH], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 200) {
      edges { node { month personTimes } }
    }
    byTeamTownship: countyStatistics(groupBy: [TEAM, TOWNSHIP], asOf: $asOf, termId: $termId, from: $from, to: $to, first: 200) {
      totalCount
      edges { cursor node { team township personTimes persons } }
    }
    byLevel: countyStatistics(groupBy: [LEVEL], asOf: $asOf, first: 10) { edges { node { level personTimes persons } } }
  }`;

const BANDS = /* GraphQL */ `
  query Bands($year: Int!, $asOf: AsOfInput) {
    scoreBands(year: $year, asOf: $asOf) { year scored provisional withheld bands { label count minScore } }
  }`;

const COMPLIANCE = /* GraphQL */ `
  query Compliance($year: Int!, $stationId: ID, $asOf: AsOfInput) {
    stationCompliance(year: $year, stationId: $stationId, asOf: $asOf) {
      year
      day
      periods { period dutyLabel act met(first: 1) { totalCount } missed(first: 1) { totalCount } }
      deputies(first: 100) {
        totalCount
        edges { node { personId name level met missed cells { period dutyLabel status required recordIds } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

const STATIONS = /* GraphQL */ `
  query Stations($township: String, $asOf: AsOfInput, $after: String) {
    stations(township: $township, asOf: $asOf, first: 30, after: $after) {
      totalCount
      edges { node { stationId name township type manager { personId name } counts { deputies receptions opinions stationVisits } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('which operations run compiled', () => {
  const compiled = (document: string, variables: Record<string, unknown> = {}) => runsCompiled(schema, parse(document), undefined, variables);

  it('the dashboard’s and the station pages’ queries, and nothing else', () => {
    expect(compiled(FIGURES)).toBe(true);
    expect(compiled(BANDS, { year: 2024 })).toBe(true);
    expect(compiled(COMPLIANCE, { year: 2024 })).toBe(true);
    expect(compiled(STATIONS)).toBe(true);
    expect(compiled('{ me { role } }')).toBe(false);
    // One root field of another kind beside them: graphql-js for the whole operation.
    expect(compiled('{ scoreBands(year: 2024) { year } me { role } }')).toBe(false);
    expect(compiled('mutation { signOut }')).toBe(false);
    expect(compiled('{ __typename }')).toBe(false);
  });

  it('not when graphql-js refuses its variables: its message names the field of the input', () => {
    expect(compiled(BANDS, { year: 'this year' })).toBe(false);
    expect(compiled(FIGURES, { asOf: { date: 42 } })).toBe(false);
    expect(compiled(BANDS, {})).toBe(false);
  });

  it('finds the field nodes an error’s path points at, through aliases, fragments and list indexes', () => {
    const document = parse(FIGURES);
    expect(fieldNodesAt(document, undefined, ['byTeamTownship', 'edges', 3, 'node', 'persons']).map((node) => node.loc?.startToken.line)).toEqual([14]);
    expect(fieldNodesAt(document, undefined, ['countyHeadlines', 'stationsOpen']).map((node) => node.name.value)).toEqual(['stationsOpen']);
    expect(fieldNodesAt(document, undefined, ['nowhere'])).toEqual([]);
    expect([...COMPILED_FIELDS].every((field) => schema.getQueryType()!.getFields()[field])).toBe(true);
  });
});

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`compiled answers equal graphql-js's on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let compiledApp: ReturnType<typeof createApp>;
    let plainApp: ReturnType<typeof createApp>;
    let staff: string;
    let stationId: string;
    let township: string;
    let year: number;
    /** The operations the compiled app ran compiled. */
    const ranCompiled: (string | undefined)[] = [];

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      compiledApp = createApp(runtime, { onCompiled: (name) => ranCompiled.push(name) });
      plainApp = createApp(runtime, { compiledExecution: false });
      staff = await tokenFor(runtime, 'staff');
      const { rows } = await testDb.db.query<{ station_id: string; township: string }>(
        'SELECT station_id, township FROM rm_stations.stations ORDER BY station_id LIMIT 1',
      );
      stationId = rows[0]!.station_id;
      township = rows[0]!.township;
      year = new Date().getUTCFullYear();
    }, 120_000);
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    /** The same request to both apps: the answers must be equal, status included. */
    const same = async (token: string | null, query: string, variables: Record<string, unknown> = {}) => {
      ranCompiled.length = 0;
      const [compiled, plain] = await Promise.all([postGraphQL(compiledApp, token, query, variables), postGraphQL(plainApp, token, query, variables)]);
      expect(compiled).toEqual(plain);
      return compiled;
    };
    /** The operation of the last `same` that ran compiled, if it did. */
    const lastCompiled = () => ranCompiled.at(-1);

    it('the dashboard’s figures, now, for a term and over dates, and as they stood at a past position', async () => {
      const now = await same(staff, FIGURES);
      expect(lastCompiled()).toBe('Figures');
      expect(now.errors).toBeUndefined();
      expect(now.data.byMonth.edges.length).toBeGreaterThan(10);
      expect(now.data.byTeamTownship.edges.length).toBeGreaterThan(3);
      await same(staff, FIGURES, { from: `${year - 3}-01-01`, to: `${year - 1}-12-31` });
      await same(staff, FIGURES, { asOf: { position: 5000 } });
      await same(staff, FIGURES, { asOf: { date: `${year - 4}-06-30` }, from: `${year - 5}-01-01` });
    });

    it('score bands, the county’s compliance, a station’s compliance table and the station list', async () => {
      await same(staff, BANDS, { year });
      expect((await same(staff, BANDS, { year: year - 1 })).data.scoreBands.bands.length).toBeGreaterThan(0);
      expect((await same(staff, COMPLIANCE, { year })).data.stationCompliance.periods.length).toBeGreaterThan(0);
      const table = await same(staff, COMPLIANCE, { year, stationId });
      expect(table.data.stationCompliance.deputies.edges.length).toBeGreaterThan(0);
      expect(lastCompiled()).toBe('Compliance');
      expect((await same(staff, STATIONS)).data.stations.edges.length).toBeGreaterThan(0);
      expect(lastCompiled()).toBe('Stations');
      await same(staff, STATIONS, { township });
    });

    it('refusals and bad arguments: the same errors, with their locations', async () => {
      const publicAnswer = await same(null, COMPLIANCE, { year, stationId });
      expect(publicAnswer.errors?.[0]).toMatchObject({ path: ['stationCompliance'], locations: [{ line: 3, column: 5 }] });
      const badCursor = await same(staff, STATIONS, { after: 'not a cursor' });
      expect(badCursor.errors?.[0]).toMatchObject({ path: ['stations'], extensions: { code: 'invalid-input', field: 'after' } });
      expect(lastCompiled()).toBe('Stations');
      const badDay = await same(staff, FIGURES, { to: '2024-13-45' });
      expect(badDay.errors?.[0]?.message).toMatch(/"\$to".*Date must be a calendar day/);
      // Refused by graphql-js's check of the variables: run on graphql-js.
      expect(lastCompiled()).toBeUndefined();
      const reversed = await same(staff, FIGURES, { from: '2024-05-01', to: '2024-04-01' });
      expect(reversed.errors?.length).toBeGreaterThan(0);
      expect(reversed.errors?.every((error: any) => error.locations?.length === 1)).toBe(true);
      await same(staff, COMPLIANCE, { year, stationId: '00000000-0000-0000-0000-000000000000' });
    });
  });
}
