/**
 * API load: the real API (openRuntime + createHttpServer on PostgreSQL, projector running) on the
 * seeded demo county, in a process of its own, driven over HTTP by autocannon from this process
 * with a fixed number of connections for a fixed time per query. Each query the county dashboard
 * (and the station pages) send — the web client's own documents (web-documents.ts), with the
 * variables of its default view — is measured next to the baseline, `{ me { role } }` (answered
 * from the bearer token: HTTP, token check, GraphQL parse/validate/execute, no database) on the
 * same server in the same run. The server's memory (RSS, V8 heap) is sampled during each run and
 * compared with the same process at rest.
 *
 *   npm run bench:api-load -w @yingpan/bench -- [--scale small|county] [--duration S] [--connections N] [--only TEXT]
 *   (or BENCH_API_SCALE, BENCH_API_DURATION, BENCH_API_CONNECTIONS)
 *
 * --only TEXT measures only the queries whose name contains TEXT (and the baseline) and prints the
 * report without writing the results file: for profiling one query (BENCH_API_PROFILE, api-server.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { postgresDb } from '@yingpan/db';
import type { ScaleName } from '@yingpan/seed';
// graphql is the web's and the API's dependency (hoisted to the root node_modules), not the bench's own.
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { graphql, startApiServer, type ApiServer } from './api-server.ts';
import { percentile } from './measure.ts';
import type { MemoryFigures } from './memory.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, format, ratio, renderDocument, titled } from './report.ts';
import { webOperation } from './web-documents.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/api-load.md', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);

/** The baseline, the bench's own document (no page sends it): answered from the bearer token alone, no database. */
const ME = /* GraphQL */ `{ me { role } }`;

interface Options {
  scale: ScaleName;
  /** Build the cached county again (county-cache.ts). */
  rebuildCounty: boolean;
  seconds: number;
  connections: number;
  /** Only the queries whose name contains this (the report is printed, not written). */
  only?: string;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'rebuild-county': { type: 'boolean' },
      only: { type: 'string' },
    },
  });
  const scale = (values.scale ?? env.BENCH_API_SCALE ?? 'small') as ScaleName;
  if (!['small', 'county'].includes(scale)) throw new Error(`--scale must be small or county, got ${scale}`);
  return {
    scale,
    rebuildCounty: values['rebuild-county'] ?? false,
    seconds: sizeOption(values.duration, env.BENCH_API_DURATION, 10, 'duration (s)'),
    connections: sizeOption(values.connections, env.BENCH_API_CONNECTIONS, 10, 'connections'),
    only: values.only,
  };
}

interface Query {
  name: string;
  document: string;
  variables: Record<string, unknown>;
  /** What the answer holds, for the log (and to be sure it is not empty). */
  describe(data: any): string;
}

interface Run {
  query: Query;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, GraphQL errors, connection errors and timeouts. */
  failures: number;
  peak: MemoryFigures;
}

/** The web client's documents the benchmark sends, printed from its codegen output. */
interface WebDocuments {
  terms: string;
  dashboardFigures: string;
  scoreBands: string;
  dashboardCompliance: string;
  stationList: string;
  stationCompliance: string;
}

async function webDocuments(): Promise<WebDocuments> {
  return {
    terms: await webOperation('Terms'),
    dashboardFigures: await webOperation('DashboardFigures'),
    scoreBands: await webOperation('ScoreBands'),
    dashboardCompliance: await webOperation('DashboardCompliance'),
    stationList: await webOperation('StationList'),
    stationCompliance: await webOperation('StationCompliance'),
  };
}

/** The response keys of the `countyStatistics` selections of a document's operation (its aliases: one per grouping). */
function statisticsGroupings(document: string): string[] {
  const operation = parse(document).definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return (operation?.selectionSet.selections ?? []).flatMap((selection) =>
    selection.kind === Kind.FIELD && selection.name.value === 'countyStatistics' ? [selection.alias?.value ?? selection.name.value] : [],
  );
}

/**
 * The queries as the pages send them in their default view: the present (no `asOf`), no term and
 * no year chosen (web/src/routes/dashboard.ts `scopeFor(undefined, undefined)` is `{}`), so the
 * score bands are this year's (`bandYear`); the station list with no township; the compliance of
 * the station with the most deputies, this year.
 */
async function dashboardQueries(server: ApiServer, documents: WebDocuments): Promise<Query[]> {
  const year = new Date().getFullYear();
  const db = postgresDb({ connectionString: server.databaseUrl, max: 1 });
  // The station with the most deputies assigned: its compliance report is the largest.
  const { rows } = await db
    .query<{ station: string }>(
      `SELECT data->>'stationId' AS station FROM yingpan.events WHERE type = 'DeputyAssignedToStation' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    )
    .finally(() => db.close());
  const stationId = rows[0]!.station;
  const page = (connection: any) => `${connection.edges.length} rows${connection.pageInfo?.hasNextPage ? ' (more pages)' : ''}`;
  const groupings = statisticsGroupings(documents.dashboardFigures);
  if (groupings.length === 0) throw new Error('the web client’s DashboardFigures no longer selects countyStatistics');
  return [
    { name: 'dashboard: Terms', document: documents.terms, variables: {}, describe: (data) => `${data.terms.length} terms` },
    {
      name: `dashboard: DashboardFigures (headlines + ${groupings.length} statistics groupings)`,
      document: documents.dashboardFigures,
      variables: {},
      describe: (data) => `${Object.keys(data.countyHeadlines).length} headline figures; ${groupings.map((key) => `${key} ${page(data[key])}`).join(', ')}`,
    },
    {
      name: `dashboard: ScoreBands ${year}`,
      document: documents.scoreBands,
      variables: { year },
      describe: (data) => `${data.scoreBands.scored} people scored`,
    },
    {
      name: `dashboard: DashboardCompliance ${year} (every station)`,
      document: documents.dashboardCompliance,
      variables: { year },
      describe: (data) => `${data.stationCompliance.deputies.totalCount} deputies × ${data.stationCompliance.periods.length} periods`,
    },
    { name: 'stations: StationList (first page, no township)', document: documents.stationList, variables: {}, describe: (data) => page(data.stations) },
    {
      name: `station: StationCompliance ${year} (the station with the most deputies)`,
      document: documents.stationCompliance,
      variables: { stationId, year },
      describe: (data) => `${data.stationCompliance.deputies.edges.length} deputies × ${data.stationCompliance.periods.length} periods`,
    },
  ];
}

/** `connections` connections for `seconds`, each sending the same request again as soon as it is answered. */
async function load(server: ApiServer, query: Query, options: Options): Promise<Run> {
  const latencies: number[] = [];
  await server.memory(true);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${server.base}/graphql`,
        method: 'POST',
        connections: options.connections,
        duration: options.seconds,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query: query.document, variables: query.variables }),
        // A GraphQL error still comes with HTTP 200: count it as a mismatch.
        verifyBody: (body) => !String(body).includes('"errors"'),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon's own histogram keeps whole milliseconds; these are exact.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latencies.push(responseTime);
    });
  });
  const { peak } = await server.memory();
  latencies.sort((a, b) => a - b);
  const failures = result.non2xx + result.errors + result.timeouts + result.mismatches;
  const run: Run = {
    query,
    requestsPerSecond: (result['2xx'] - result.mismatches) / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: result['2xx'],
    failures,
    peak,
  };
  log(
    `${query.name}: ${run.requestsPerSecond.toFixed(1)} req/s, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms, ` +
      `${failures} failures; server peak RSS ${peak.rssMiB.toFixed(0)} MiB`,
  );
  return run;
}

function loadTable(baseline: Run, runs: Run[]): string {
  const header = '| query | req/s | × baseline | p50 latency | × baseline | p99 latency | × baseline | requests (failed) |';
  const line = (run: Run) =>
    `| ${run.query.name} | ${format(run.requestsPerSecond, 'req/s')} | ${ratio(run.requestsPerSecond, baseline.requestsPerSecond)} | ` +
    `${format(run.p50, 'ms')} | ${ratio(run.p50, baseline.p50)} | ${format(run.p99, 'ms')} | ${ratio(run.p99, baseline.p99)} | ` +
    `${run.requests.toLocaleString('en-US')} (${run.failures}) |`;
  return [header, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |', ...[baseline, ...runs].map(line)].join('\n');
}

function memoryTable(rest: MemoryFigures, runs: Run[]): string {
  const line = (name: string, figures: MemoryFigures) =>
    `| ${name} | ${format(figures.rssMiB, 'MiB')} | ${ratio(figures.rssMiB, rest.rssMiB)} | ${format(figures.heapUsedMiB, 'MiB')} | ${ratio(figures.heapUsedMiB, rest.heapUsedMiB)} |`;
  return [
    '| API server process | peak RSS | × at rest | peak V8 heap used | × at rest |',
    '| --- | ---: | ---: | ---: | ---: |',
    line('baseline: at rest, after start-up and one request of each query', rest),
    ...runs.map((run) => line(`under load: ${run.query.name}`, run.peak)),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  // Before the server starts: codegen may have to run, and a missing operation should fail at once.
  const documents = await webDocuments();
  const server = await startApiServer({ scale: options.scale, seed: 1, rebuildCounty: options.rebuildCounty });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.stop().finally(() => process.exit(130)));
  try {
    const queries = (await dashboardQueries(server, documents)).filter((query) => !options.only || query.name.includes(options.only));
    if (queries.length === 0) throw new Error(`--only ${options.only}: no query's name contains it`);
    const me: Query = { name: 'baseline: `{ me { role } }`', document: ME, variables: {}, describe: (data) => `role ${data.me.role}` };
    for (const query of [me, ...queries]) log(`${query.name}: ${query.describe(await graphql(server, query.document, query.variables))}`);
    // Let the process settle after start-up and the checks, then read its memory at rest.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rest = (await server.memory(true)).now;

    log(`warming up (${Math.min(3, options.seconds)} s per query, not reported)…`);
    for (const query of [me, ...queries]) await load(server, query, { ...options, seconds: Math.min(3, options.seconds) });
    const baseline = await load(server, me, options);
    const runs: Run[] = [];
    for (const query of queries) runs.push(await load(server, query, options));

    const db = postgresDb({ connectionString: server.databaseUrl, max: 1 });
    const machine = await describeMachine(db).finally(() => db.close());
    const county = server.county;
    const workload = [
      `Workload: the ${options.scale} demo county (seed 1: ${county.events.toLocaleString('en-US')} events, ${county.people} people, ${county.stations} stations), ` +
        'the API as `npm start` runs it (openRuntime on PostgreSQL, projector following the log) in a Node.js process of its own, on 127.0.0.1; ' +
        `autocannon in this process: ${options.connections} connections, each sending the next request when the last is answered, for ${options.seconds} s per query ` +
        '(after an unreported 3 s warm-up round of every query), signed in as staff (bearer token). The documents are the web client’s own, printed from its codegen output ' +
        '(web/src/lib/gql), with the variables of its default view (the present, no term or year chosen; the current year for score bands and compliance; ' +
        'no township for the station list; for compliance, the station with the most deputies). One page per request (a page that needs more asks again). ' +
        'Latency is per request as autocannon saw it (exact, not its whole-millisecond histogram). The load generator, the API and PostgreSQL share the machine’s cores.',
    ];
    const report = renderDocument(
      titled('yingpan API under load'),
      machine,
      workload,
      [loadTable(baseline, runs), memoryTable(rest, [baseline, ...runs])],
      [
        'A ratio below 1 on req/s, or above 1 on ms, means the query is slower than the baseline. Memory: the API process only (not PostgreSQL), sampled every 25 ms, ' +
          'peaks since the start of each run (runs in the order shown: what a run leaves allocated and not yet collected counts towards the next one’s peak).',
      ],
    );
    process.stdout.write(report);
    if (options.only) return log('--only: the results file is left as it was');
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    log(`written to ${RESULTS_FILE}`);
  } finally {
    await server.stop();
  }
}

databaseUrl();
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
