/**
 * Live lag: with the real API running on the seeded demo county (see api-server.ts), this process
 * subscribes over server-sent events to what the live dashboard follows — the web client's own
 * `ProjectionChanged` subscription for its `DASHBOARD_MODELS` (web-documents.ts) — and to `logHead`
 * (the bench's own: no page subscribes to it), then records
 * deputies' station visits (`recordStationVisit`, as staff, valid inputs drawn from the seeded
 * county) at a steady rate. For each visit it measures when the subscription delivered a change
 * of the `facts` model (which the dashboard's statistics read) at or past the visit's log position,
 * against the baseline of the mutation's own latency (request sent → HTTP response; the API answers
 * once the command's events are durable in the log, before the read models have applied them).
 *
 *   npm run bench:live -w @yingpan/bench -- [--rate N[,N…]] [--duration S] [--scale small|county]
 *   (or BENCH_LIVE_RATE, BENCH_LIVE_DURATION, BENCH_LIVE_SCALE); default rates 5/s then 20/s, 20 s each
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresDb } from '@yingpan/db';
import type { ScaleName } from '@yingpan/seed';
import { startApiServer, type ApiServer } from './api-server.ts';
import { percentile } from './measure.ts';
import { type VisitInput, visitPlan } from './visits.ts';
import type { MemoryFigures } from './memory.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, markdownTable, renderDocument, titled, type ResultRow } from './report.ts';
import { subscribe } from './sse.ts';
import { dashboardModels, webOperation } from './web-documents.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/live.md', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);
/** The model whose change reflects a station visit on the dashboard (its statistics count it). */
const REFLECTING_MODEL = 'facts';
const WARM_UP = 10;

/** The bench's own subscription, not the web client's (no page follows the log's head): every append's position and hash. */
const LOG_HEAD = /* GraphQL */ `subscription LogHead { logHead { position hash } }`;

interface Options {
  scale: ScaleName;
  /** Build the cached county again (county-cache.ts). */
  rebuildCounty: boolean;
  /** Mutations per second, one run each, in this order. */
  rates: number[];
  seconds: number;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: { scale: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, 'rebuild-county': { type: 'boolean' } },
  });
  const scale = (values.scale ?? env.BENCH_LIVE_SCALE ?? 'small') as ScaleName;
  if (!['small', 'county'].includes(scale)) throw new Error(`--scale must be small or county, got ${scale}`);
  const rates = (values.rate ?? env.BENCH_LIVE_RATE ?? '5,20').split(',').map((rate) => sizeOption(rate.trim(), undefined, 1, 'rate (mutations/s)'));
  return { scale, rebuildCounty: values['rebuild-county'] ?? false, rates, seconds: sizeOption(values.duration, env.BENCH_LIVE_DURATION, 20, 'duration (s)') };
}

const VISIT = /* GraphQL */ `
  mutation Visit($input: RecordStationVisitInput!) {
    recordStationVisit(input: $input) {
      __typename
      ... on CommandResult { position duplicate }
      ... on Rejection { code field messageEn }
    }
  }`;

interface Sent {
  sentAt: number;
  answeredAt: number;
  position: number | null;
  /** A business refusal (the Rejection's code). */
  rejection?: string;
  /** A GraphQL or HTTP error instead of an answer. */
  error?: string;
}

async function recordVisit(server: ApiServer, visit: VisitInput): Promise<Sent> {
  const sentAt = performance.now();
  const response = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query: VISIT, variables: { input: { commandId: randomUUID(), recordId: randomUUID(), ...visit } } }),
  });
  const body = (await response.json()) as { data?: { recordStationVisit: any }; errors?: unknown[] };
  const answeredAt = performance.now();
  const answer = body.data?.recordStationVisit;
  if (answer?.__typename === 'CommandResult') return { sentAt, answeredAt, position: answer.position };
  if (answer?.__typename === 'Rejection') return { sentAt, answeredAt, position: null, rejection: `${answer.code}: ${answer.messageEn}` };
  return { sentAt, answeredAt, position: null, error: `HTTP ${response.status} ${JSON.stringify(body.errors ?? body)}` };
}

/** Arrivals of one kind of update: (position, time read), positions non-decreasing. */
class Arrivals {
  readonly items: { position: number; at: number }[] = [];
  private waiters: { position: number; resolve: () => void }[] = [];

  add(position: number, at: number): void {
    this.items.push({ position, at });
    this.waiters = this.waiters.filter((waiter) => {
      if (position < waiter.position) return true;
      waiter.resolve();
      return false;
    });
  }

  /** When an update at or past `position` was first read, or NaN if none came. */
  firstAtOrPast(position: number): number {
    return this.items.find((item) => item.position >= position)?.at ?? Number.NaN;
  }

  reached(position: number, timeoutMs: number): Promise<boolean> {
    if (this.items.some((item) => item.position >= position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }
}

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
const sorted = (values: number[]) => values.filter(Number.isFinite).sort((a, b) => a - b);

interface RateRun {
  rate: number;
  sent: Sent[];
  /** From the first send to the last send, and to the last answer (s). */
  sendingSeconds: number;
  answeredSeconds: number;
  mutation: number[];
  factsAfterResponse: number[];
  factsAfterSend: number[];
  headAfterSend: number[];
  dashboardMessages: number;
  loggedErrors: { errors: number; concurrency: number };
  rest: MemoryFigures;
  peak: MemoryFigures;
}

interface Feeds {
  facts: Arrivals;
  heads: Arrivals;
  dashboardMessages(): number;
}

/** `visits` at `rate` per second, open loop; then waits (up to 15 s) until both subscriptions have shown the last one. */
async function runAtRate(server: ApiServer, feeds: Feeds, visits: VisitInput[], rate: number): Promise<RateRun> {
  const rest = (await server.memory(true)).now;
  const errorsBefore = server.loggedErrors();
  const messagesBefore = feeds.dashboardMessages();
  log(`recording ${visits.length} visits at ${rate}/s…`);
  const start = performance.now();
  const inFlight: Promise<Sent>[] = [];
  for (const [i, visit] of visits.entries()) {
    await sleepUntil(start + (i * 1000) / rate);
    inFlight.push(recordVisit(server, visit));
  }
  const sendingSeconds = (performance.now() - start) / 1000;
  const sent = await Promise.all(inFlight);
  const answeredSeconds = (performance.now() - start) / 1000;
  const last = Math.max(0, ...sent.map((s) => s.position ?? 0));
  const delivered = (await feeds.facts.reached(last, 15_000)) && (await feeds.heads.reached(last, 15_000));
  if (!delivered) log('warning: the subscriptions had not shown the last visit 15 s after it was answered');
  const { peak } = await server.memory();
  const errorsAfter = server.loggedErrors();
  const recorded = sent.filter((s) => s.position !== null);
  const problems = sent.filter((s) => s.position === null);
  for (const problem of problems.slice(0, 2)) log(`not recorded: ${problem.rejection ?? problem.error}`);
  const run: RateRun = {
    rate,
    sent,
    sendingSeconds,
    answeredSeconds,
    mutation: sorted(recorded.map((s) => s.answeredAt - s.sentAt)),
    factsAfterResponse: sorted(recorded.map((s) => feeds.facts.firstAtOrPast(s.position!) - s.answeredAt)),
    factsAfterSend: sorted(recorded.map((s) => feeds.facts.firstAtOrPast(s.position!) - s.sentAt)),
    headAfterSend: sorted(recorded.map((s) => feeds.heads.firstAtOrPast(s.position!) - s.sentAt)),
    dashboardMessages: feeds.dashboardMessages() - messagesBefore,
    loggedErrors: { errors: errorsAfter.errors - errorsBefore.errors, concurrency: errorsAfter.concurrency - errorsBefore.concurrency },
    rest,
    peak,
  };
  log(
    `at ${rate}/s: ${recorded.length} recorded, ${problems.length} not, answered within ${answeredSeconds.toFixed(1)} s; ` +
      `facts shown p50 ${percentile(run.factsAfterResponse, 50).toFixed(1)} ms after the response; mutation p50 ${percentile(run.mutation, 50).toFixed(1)} ms`,
  );
  return run;
}

function rowsFor(run: RateRun): ResultRow[] {
  const at = `at ${run.rate}/s`;
  const rows: ResultRow[] = [];
  const pair = (what: string, values: number[]) => {
    for (const p of [50, 99])
      rows.push({
        benchmark: `${at}, p${p}: ${what} (baseline: the mutation’s latency)`,
        unit: 'ms',
        yingpan: percentile(values, p),
        baseline: percentile(run.mutation, p),
      });
  };
  pair(`dashboard subscription shows the visit (\`${REFLECTING_MODEL}\` at its position), counted from the mutation’s HTTP response`, run.factsAfterResponse);
  pair('dashboard subscription shows the visit, counted from sending the mutation', run.factsAfterSend);
  pair('`logHead` subscription shows the visit’s position, counted from sending the mutation', run.headAfterSend);
  rows.push(
    {
      benchmark: `${at}: API server peak RSS during the write load (baseline: just before it)`,
      unit: 'MiB',
      yingpan: run.peak.rssMiB,
      baseline: run.rest.rssMiB,
    },
    {
      benchmark: `${at}: API server peak V8 heap used during the write load (baseline: just before it)`,
      unit: 'MiB',
      yingpan: run.peak.heapUsedMiB,
      baseline: run.rest.heapUsedMiB,
    },
  );
  return rows;
}

function describeRun(run: RateRun): string {
  const recorded = run.sent.filter((s) => s.position !== null).length;
  const rejected = run.sent.filter((s) => s.rejection).length;
  const failed = run.sent.filter((s) => s.error).length;
  const early = run.factsAfterResponse.filter((lag) => lag < 0).length;
  return (
    `At ${run.rate}/s: ${run.sent.length} sent over ${run.sendingSeconds.toFixed(1)} s, the last answered after ${run.answeredSeconds.toFixed(1)} s ` +
    `(${(recorded / run.answeredSeconds).toFixed(1)} recorded/s); recorded ${recorded}, refused by a rule ${rejected}, failed with an error ${failed}` +
    `${run.loggedErrors.errors > 0 ? ` (the server logged ${run.loggedErrors.errors} unexpected errors, ${run.loggedErrors.concurrency} of them ConcurrencyError: the command handler gave up after its retries)` : ''}; ` +
    `the dashboard subscription sent ${run.dashboardMessages.toLocaleString('en-US')} messages; ${recorded - run.factsAfterSend.length} recorded visits never showed on it; ` +
    `${early} of ${run.factsAfterResponse.length} showed before the mutation’s own response (a negative lag).`
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  // Before the server starts: codegen may have to run, and a missing operation should fail at once.
  const projectionChanged = await webOperation('ProjectionChanged');
  const models = await dashboardModels();
  if (!models.includes(REFLECTING_MODEL)) throw new Error(`the dashboard no longer follows ${REFLECTING_MODEL} (its DASHBOARD_MODELS: ${models.join(', ')})`);
  const server = await startApiServer({ scale: options.scale, seed: 1, rebuildCounty: options.rebuildCounty });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.stop().finally(() => process.exit(130)));
  const db = postgresDb({ connectionString: server.databaseUrl, max: 1 });
  try {
    const counts = options.rates.map((rate) => rate * options.seconds);
    const plan = await visitPlan(db, WARM_UP + counts.reduce((sum, n) => sum + n, 0));
    log(
      `${plan.length} station visits planned over ${new Set(plan.map((visit) => visit.stationId)).size} stations and ${new Set(plan.map((visit) => visit.personId)).size} deputies`,
    );

    const facts = new Arrivals();
    const heads = new Arrivals();
    let dashboardMessages = 0;
    const url = `${server.base}/graphql`;
    const dashboard = await subscribe(url, server.token, projectionChanged, { names: models }, (payload, at) => {
      if (payload.errors) throw new Error(`dashboard subscription: ${JSON.stringify(payload.errors)}`);
      dashboardMessages++;
      const change = payload.data.projectionChanged as { name: string; position: number };
      if (change.name === REFLECTING_MODEL) facts.add(change.position, at);
    });
    const head = await subscribe(url, server.token, LOG_HEAD, {}, (payload, at) => {
      if (payload.errors) throw new Error(`logHead subscription: ${JSON.stringify(payload.errors)}`);
      heads.add(payload.data.logHead.position as number, at);
    });
    const feeds: Feeds = { facts, heads, dashboardMessages: () => dashboardMessages };
    try {
      log(`warm-up: ${WARM_UP} visits one by one, each until the subscriptions show it…`);
      for (const visit of plan.slice(0, WARM_UP)) {
        const sent = await recordVisit(server, visit);
        if (sent.position === null) throw new Error(`a warm-up visit was not recorded: ${sent.rejection ?? sent.error}`);
        if (!(await facts.reached(sent.position, 10_000)) || !(await heads.reached(sent.position, 10_000)))
          throw new Error('the subscriptions delivered nothing');
      }
      const runs: RateRun[] = [];
      let next = WARM_UP;
      for (const [i, rate] of options.rates.entries()) {
        runs.push(await runAtRate(server, feeds, plan.slice(next, next + counts[i]!), rate));
        next += counts[i]!;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }

      const machine = await describeMachine(db);
      const county = server.county;
      const workload = [
        `Workload: the ${options.scale} demo county (seed 1: ${county.events.toLocaleString('en-US')} events, ${county.people} people, ${county.stations} stations), ` +
          'the API as `npm start` runs it (openRuntime on PostgreSQL, projector following the log) in a Node.js process of its own. This process holds two ' +
          `server-sent-event subscriptions — the web client’s own \`ProjectionChanged\` document with \`names: [${models.map((name) => `"${name}"`).join(', ')}]\` ` +
          '(the dashboard’s DASHBOARD_MODELS, as the live dashboard subscribes) and the benchmark’s own `logHead` — and sends `recordStationVisit` mutations ' +
          'as staff (a deputy’s visit to their station on a day without one, backdated from yesterday, ' +
          `round-robin over ${new Set(plan.map((visit) => visit.personId)).size} deputies and ${new Set(plan.map((visit) => visit.stationId)).size} stations, so over as many station streams) ` +
          `at a steady rate for ${options.seconds} s per rate (${options.rates.map((rate) => `${rate}/s`).join(', then ')}), open loop (each sent on schedule whether or not ` +
          `earlier ones were answered), after ${WARM_UP} unreported visits.`,
        '',
        ...runs.flatMap((run) => [describeRun(run), '']),
      ];
      const report = renderDocument(
        titled('yingpan live updates under a steady write load'),
        machine,
        workload.slice(0, -1),
        [markdownTable(runs.flatMap(rowsFor))],
        [
          'All times are read in this process (performance.now()): a mutation when it is sent and when its response has been read, an update when its chunk is read off the stream. ' +
            'Percentiles are over the recorded visits. A ratio above 1 means the live update takes longer than the mutation itself. ' +
            'Memory: the API process only (not PostgreSQL), sampled every 25 ms.',
        ],
      );
      process.stdout.write(report);
      mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
      writeFileSync(RESULTS_FILE, report);
      log(`written to ${RESULTS_FILE}`);
    } finally {
      await dashboard.cancel();
      await head.cancel();
    }
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
