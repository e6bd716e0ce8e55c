/**
 * API writes: the real API (api-server.ts: a copy of the seeded county, the projector running
 * in-process) taking station visits (`recordStationVisit`, as staff, valid inputs drawn from the
 * county: visits.ts) from 1, 8 and 32 clients at once, each client sending its next mutation as
 * soon as the last is answered — next to the baseline, a trivial query (`{ me { role } }`: HTTP,
 * token, GraphQL, no database) from the same number of clients in the same run, just before.
 * A mutation is answered once its events are durable in the log (services/api/src/consistency.ts);
 * the read models follow.
 *
 * Then, on the same server:
 *   - read-your-writes: a visit, then the station's visit book asked with `X-Consistent-With` of
 *     the visit's position, which must list it (the time from sending the mutation to that answer);
 *   - the dashboard's statistics right after a write (so no cached answer can serve them), with
 *     the trivial query timed after a write the same way as the baseline;
 *   - the same visit (one record id) contested by 8 clients at once: exactly one may succeed;
 *   - acknowledged = stored = counted: every acknowledged visit is in the log once (by command id)
 *     and the statistics' station-visit person-times grew by exactly that many.
 *
 *   npm run bench:api-writes -w @yingpan/bench -- [--scale small|county] [--clients 1,8,32] [--per-client N]
 *   (or BENCH_WRITES_SCALE, BENCH_WRITES_CLIENTS, BENCH_WRITES_PER_CLIENT); defaults small, 1,8,32, 60
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresDb } from '@yingpan/db';
import type { ScaleName } from '@yingpan/seed';
import { type ApiServer, startApiServer } from './api-server.ts';
import { percentile } from './measure.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, renderDocument, titled } from './report.ts';
import { type VisitInput, visitPlan } from './visits.ts';
import { webOperation } from './web-documents.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/api-writes.md', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);
const CONSISTENCY_HEADER = 'x-consistent-with';
/**
 * Asks right after a write: the first few are not measured (each connection of the API's pool
 * prepares and plans a statement the first time it runs it, once in the connection's life), then
 * this many are, each after a write of its own.
 */
const AFTER_WRITE_WARM_UP = 5;
const AFTER_WRITE_SAMPLES = 30;

const ME = /* GraphQL */ `{ me { role } }`;
const VISIT = /* GraphQL */ `
  mutation Visit($input: RecordStationVisitInput!) {
    recordStationVisit(input: $input) {
      __typename
      ... on CommandResult { position duplicate }
      ... on Rejection { code messageEn }
    }
  }`;
const VISIT_TOTAL = /* GraphQL */ `
  query VisitTotal { countyStatistics(groupBy: [ACT], first: 100) { edges { node { act personTimes } } } }`;

interface Options {
  scale: ScaleName;
  rebuildCounty: boolean;
  clients: number[];
  perClient: number;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: { scale: { type: 'string' }, clients: { type: 'string' }, 'per-client': { type: 'string' }, 'rebuild-county': { type: 'boolean' } },
  });
  const scale = (values.scale ?? env.BENCH_WRITES_SCALE ?? 'small') as ScaleName;
  if (!['small', 'county'].includes(scale)) throw new Error(`--scale must be small or county, got ${scale}`);
  const clients = (values.clients ?? env.BENCH_WRITES_CLIENTS ?? '1,8,32').split(',').map((n) => sizeOption(n.trim(), undefined, 1, 'clients'));
  return {
    scale,
    rebuildCounty: values['rebuild-county'] ?? false,
    clients,
    perClient: sizeOption(values['per-client'], env.BENCH_WRITES_PER_CLIENT, 60, 'requests per client'),
  };
}

interface Answer {
  ms: number;
  position: number | null;
  rejection?: string;
  error?: string;
  commandId?: string;
}

async function post(server: ApiServer, query: string, variables: Record<string, unknown>, position?: number) {
  const response = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.token}`,
      ...(position ? { [CONSISTENCY_HEADER]: String(position) } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

async function recordVisit(server: ApiServer, visit: VisitInput, recordId = randomUUID()): Promise<Answer> {
  const commandId = randomUUID();
  const started = performance.now();
  const { status, body } = await post(server, VISIT, { input: { commandId, recordId, ...visit } });
  const ms = performance.now() - started;
  const answer = body.data?.recordStationVisit;
  if (answer?.__typename === 'CommandResult') return { ms, position: answer.position, commandId };
  if (answer?.__typename === 'Rejection') return { ms, position: null, rejection: `${answer.code}: ${answer.messageEn}` };
  return { ms, position: null, error: `HTTP ${status} ${JSON.stringify(body.errors ?? body)}` };
}

async function trivial(server: ApiServer): Promise<Answer> {
  const started = performance.now();
  const { status, body } = await post(server, ME, {});
  const ms = performance.now() - started;
  return body.data?.me ? { ms, position: null } : { ms, position: null, error: `HTTP ${status} ${JSON.stringify(body)}` };
}

/**
 * CPU time (user + system, ms) used so far by the API process and by the PostgreSQL backends
 * connected to its database, from /proc (Linux; null elsewhere). On a shared machine throughput
 * follows the share of the cores a run gets; the CPU a mutation costs does not.
 */
function cpuNow(server: ApiServer, database: string): { api: number; postgres: number } | null {
  const ticks = (pid: number | string) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    } catch {
      return 0;
    }
  };
  try {
    let postgres = 0;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let title = '';
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (title.startsWith('postgres: ') && title.includes(` ${database} `)) postgres += ticks(pid);
    }
    return { api: ticks(server.pid), postgres };
  } catch {
    return null;
  }
}

interface Phase {
  name: string;
  /** CPU ms per answered request: the API process, and its database's PostgreSQL backends. */
  cpu?: { api: number; postgres: number } | null;
  clients: number;
  answers: Answer[];
  seconds: number;
}

/** `clients` clients, each sending `perClient` requests one after another (the next as soon as one is answered). */
async function phase(name: string, clients: number, perClient: number, send: (client: number, index: number) => Promise<Answer>): Promise<Phase> {
  const answers: Answer[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let index = 0; index < perClient; index++) answers.push(await send(client, index));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const ok = answers.filter((answer) => !answer.error && !answer.rejection);
  const times = ok.map((answer) => answer.ms).sort((a, b) => a - b);
  log(
    `${name}, ${clients} client(s): ${(ok.length / seconds).toFixed(1)}/s, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms` +
      `, ${answers.length - ok.length} refused or failed`,
  );
  const firstProblem = answers.find((answer) => answer.error || answer.rejection);
  if (firstProblem) log(`  first refusal: ${firstProblem.error ?? firstProblem.rejection}`);
  return { name, clients, answers, seconds };
}

interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
}

const table = (rows: Row[]) =>
  [
    '| what | yingpan | baseline, same run | ratio |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.name} | ${row.value} | ${row.baseline} | ${row.ratio} |`),
  ].join('\n');

const okOf = (run: Phase) => run.answers.filter((answer) => !answer.error && !answer.rejection);
const timesOf = (run: Phase) =>
  okOf(run)
    .map((answer) => answer.ms)
    .sort((a, b) => a - b);
const rate = (run: Phase) => okOf(run).length / run.seconds;

/** Interleaves the plan by station, so that clients sending at the same moment write to different streams where the county allows. */
function byStation(plan: VisitInput[]): VisitInput[] {
  const queues = new Map<string, VisitInput[]>();
  for (const visit of plan) queues.set(visit.stationId, [...(queues.get(visit.stationId) ?? []), visit]);
  const out: VisitInput[] = [];
  while (out.length < plan.length) for (const queue of queues.values()) if (queue.length > 0) out.push(queue.shift()!);
  return out;
}

/** Person-times of station visits in the statistics, read once the read models reflect `position`. */
async function visitPersonTimes(server: ApiServer, position?: number): Promise<number> {
  const { body } = await post(server, VISIT_TOTAL, {}, position);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const row = body.data.countyStatistics.edges.find((edge: any) => edge.node.act === 'STATION_VISIT');
  return row?.node.personTimes ?? 0;
}

async function main() {
  const options = parseOptions(process.argv.slice(2), process.env);
  const server = await startApiServer({ scale: options.scale, seed: 1, rebuildCounty: options.rebuildCounty });
  const db = postgresDb({ connectionString: server.databaseUrl, max: 2 });
  try {
    const machine = await describeMachine(db);
    const dashboard = await webOperation('DashboardFigures');
    const extraVisits = 8 + 20 + 2 * (AFTER_WRITE_WARM_UP + AFTER_WRITE_SAMPLES) + 5;
    const needed = options.clients.reduce((sum, clients) => sum + clients * options.perClient, 0) + extraVisits;
    const plan = byStation(await visitPlan(db, needed));
    let next = 0;
    const take = () => plan[next++]!;
    const countedBefore = await visitPersonTimes(server);
    const acknowledged: Answer[] = [];

    // Warm-up: the first requests compile the server's code paths.
    await phase('warm-up, trivial', 4, 10, () => trivial(server));
    acknowledged.push(...okOf(await phase('warm-up, writes', 1, 5, () => recordVisit(server, take()))));

    const databaseName = new URL(server.databaseUrl).pathname.slice(1);
    const runs: { baseline: Phase; writes: Phase }[] = [];
    for (const clients of options.clients) {
      const baseline = await phase('trivial query', clients, options.perClient, () => trivial(server));
      const cpuBefore = cpuNow(server, databaseName);
      const writes = await phase('recordStationVisit', clients, options.perClient, () => recordVisit(server, take()));
      const cpuAfter = cpuNow(server, databaseName);
      const answered = okOf(writes).length;
      writes.cpu =
        cpuBefore && cpuAfter && answered > 0
          ? { api: (cpuAfter.api - cpuBefore.api) / answered, postgres: (cpuAfter.postgres - cpuBefore.postgres) / answered }
          : null;
      if (writes.cpu) log(`  CPU per mutation: API ${writes.cpu.api.toFixed(2)} ms, PostgreSQL ${writes.cpu.postgres.toFixed(2)} ms`);
      acknowledged.push(...okOf(writes));
      runs.push({ baseline, writes });
    }

    // Read your write: the visit, then the record asked at the visit's position.
    const RECORD = /* GraphQL */ `query Record($recordId: ID!) { actRecord(recordId: $recordId) { date } }`;
    const readBack: { writeMs: number; totalMs: number; seen: boolean }[] = [];
    for (let i = 0; i < 20; i++) {
      const visit = take();
      const recordId = randomUUID();
      const started = performance.now();
      const answer = await recordVisit(server, visit, recordId);
      if (answer.position === null) throw new Error(`read-your-writes visit refused: ${answer.error ?? answer.rejection}`);
      acknowledged.push(answer);
      const { body } = await post(server, RECORD, { recordId }, answer.position);
      const totalMs = performance.now() - started;
      readBack.push({ writeMs: answer.ms, totalMs, seen: body.data?.actRecord?.date === visit.date });
    }
    const seenCount = readBack.filter((entry) => entry.seen).length;
    log(`read-your-writes: ${seenCount} of ${readBack.length} visits read back at their position`);

    // Statistics right after a write: no cached answer can serve them.
    const afterWrite = async (ask: (position: number) => Promise<void>) => {
      const times: number[] = [];
      for (let i = 0; i < AFTER_WRITE_WARM_UP + AFTER_WRITE_SAMPLES; i++) {
        const answer = await recordVisit(server, take());
        if (answer.position === null) throw new Error(`visit refused: ${answer.error ?? answer.rejection}`);
        acknowledged.push(answer);
        const started = performance.now();
        await ask(answer.position);
        if (i >= AFTER_WRITE_WARM_UP) times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const trivialAfter = await afterWrite(async (position) => {
      const { body } = await post(server, ME, {}, position);
      if (!body.data) throw new Error(JSON.stringify(body));
    });
    const statisticsAfter = await afterWrite(async (position) => {
      const { body } = await post(server, dashboard, {}, position);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    });
    log(
      `dashboard statistics after a write: p50 ${percentile(statisticsAfter, 50).toFixed(1)} ms; trivial query: ${percentile(trivialAfter, 50).toFixed(1)} ms`,
    );

    // The same record contested by 8 clients.
    const contested = take();
    const recordId = randomUUID();
    const contest = await Promise.all(Array.from({ length: 8 }, () => recordVisit(server, contested, recordId)));
    const winners = contest.filter((answer) => answer.position !== null);
    acknowledged.push(...winners);
    log(
      `contested: ${winners.length} success(es), ${contest.filter((answer) => answer.rejection).length} refusal(s), ${contest.filter((answer) => answer.error).length} error(s)`,
    );

    // Acknowledged = stored = counted.
    const lastPosition = Math.max(...acknowledged.map((answer) => answer.position ?? 0));
    const countedAfter = await visitPersonTimes(server, lastPosition);
    const { rows } = await db.query<{ command_id: string; n: number }>(
      `SELECT metadata->>'commandId' AS command_id, count(*)::int AS n FROM yingpan.events WHERE metadata->>'commandId' = ANY($1::text[]) GROUP BY 1`,
      [acknowledged.map((answer) => answer.commandId!)],
    );
    const stored = rows.filter((row) => row.n === 1).length;
    const doubled = rows.filter((row) => row.n > 1).length;
    log(`acknowledged ${acknowledged.length}, stored once ${stored}, more than once ${doubled}, counted +${countedAfter - countedBefore}`);

    const rowsOut: Row[] = runs.flatMap(({ baseline, writes }) => {
      const w = timesOf(writes);
      const b = timesOf(baseline);
      return [
        {
          name: `${writes.clients} client(s) × ${options.perClient}: mutations/s · trivial queries/s`,
          value: `${rate(writes).toFixed(1)}/s`,
          baseline: `${rate(baseline).toFixed(1)}/s`,
          ratio: (rate(writes) / rate(baseline)).toFixed(2),
        },
        {
          name: `${writes.clients} client(s): p50 · p99 of a mutation (trivial query)`,
          value: `${percentile(w, 50).toFixed(1)} · ${percentile(w, 99).toFixed(1)} ms`,
          baseline: `${percentile(b, 50).toFixed(1)} · ${percentile(b, 99).toFixed(1)} ms`,
          ratio: `${(percentile(w, 50) / percentile(b, 50)).toFixed(2)} · ${(percentile(w, 99) / percentile(b, 99)).toFixed(2)}`,
        },
        {
          name: `${writes.clients} client(s): CPU per mutation, API process · its PostgreSQL backends`,
          value: writes.cpu ? `${writes.cpu.api.toFixed(2)} · ${writes.cpu.postgres.toFixed(2)} ms` : 'not read (no /proc)',
          baseline: '',
          ratio: '',
        },
        {
          name: `${writes.clients} client(s): refused · failed`,
          value: `${writes.answers.filter((a) => a.rejection).length} · ${writes.answers.filter((a) => a.error).length}`,
          baseline: `— · ${baseline.answers.filter((a) => a.error).length}`,
          ratio: '',
        },
      ];
    });
    const totals = readBack.map((entry) => entry.totalMs).sort((a, b) => a - b);
    const writesOnly = readBack.map((entry) => entry.writeMs).sort((a, b) => a - b);
    rowsOut.push(
      {
        name: `read your write: the mutation, then the record (actRecord) asked at its position, p50 (read back ${seenCount} of ${readBack.length})`,
        value: `${percentile(totals, 50).toFixed(1)} ms`,
        baseline: `mutation alone ${percentile(writesOnly, 50).toFixed(1)} ms`,
        ratio: (percentile(totals, 50) / percentile(writesOnly, 50)).toFixed(2),
      },
      {
        name: 'dashboard figures (DashboardFigures) right after a write, uncached: p50 · as req/s',
        value: `${percentile(statisticsAfter, 50).toFixed(1)} ms · ${(1000 / percentile(statisticsAfter, 50)).toFixed(0)}/s`,
        baseline: `trivial query after a write ${percentile(trivialAfter, 50).toFixed(1)} ms · ${(1000 / percentile(trivialAfter, 50)).toFixed(0)}/s`,
        ratio: (percentile(trivialAfter, 50) / percentile(statisticsAfter, 50)).toFixed(2),
      },
      {
        name: 'one visit contested by 8 clients: successes · refusals · errors',
        value: `${winners.length} · ${contest.filter((a) => a.rejection).length} · ${contest.filter((a) => a.error).length}`,
        baseline: 'exactly 1 success',
        ratio: '',
      },
      {
        name: 'acknowledged · stored once · stored twice · counted in the statistics',
        value: `${acknowledged.length} · ${stored} · ${doubled} · +${countedAfter - countedBefore}`,
        baseline: 'all equal, none twice',
        ratio: '',
      },
    );
    const report = renderDocument(
      titled('yingpan API writes: mutations that do not wait for the read models'),
      machine,
      [
        `- Scale: ${options.scale} (${server.county.events.toLocaleString('en-US')} events; ${server.countySource}).`,
        `- Each client sends its next request as soon as the last is answered; ${options.perClient} requests per client; clients ${options.clients.join(', ')}.`,
        '- Baseline: `{ me { role } }` from the same number of clients just before each write run (HTTP, token, GraphQL; no database).',
      ],
      [table(rowsOut)],
      [
        'A mutation is answered once its events are durable in the log; the projector applies them afterwards, and a request carrying ' +
          '`X-Consistent-With: <position>` waits for the read models it reads to reach that position. Times are read in this process ' +
          '(request sent → response read). The asks right after a write (the trivial query, then the dashboard figures): ' +
          `${AFTER_WRITE_WARM_UP} not measured (each connection of the API's pool plans a statement the first time it runs it), then ` +
          `${AFTER_WRITE_SAMPLES}, each after a write of its own. Run on a shared machine: the load average above is what else was running.`,
      ],
    );
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    log(`written to ${RESULTS_FILE}`);
  } finally {
    await db.close();
    await server.stop();
  }
}

databaseUrl();
main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
