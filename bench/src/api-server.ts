/**
 * Starting the real API for a benchmark: a throw-away copy of the seeded demo county (built once
 * through the domain commands and cached as a template database: see county-cache.ts), then the
 * API in a child Node.js process (api-server-child.ts) listening on an ephemeral port of 127.0.0.1,
 * signing tokens with a secret made for the run (so the benchmark can mint sign-ins for any role).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tokenIssuer, type MintOptions } from '@yingpan/api';
import type { CountySummary, ScaleName } from '@yingpan/seed';
import { countyDatabase, type CountyDatabase } from './county-cache.ts';
import type { MemoryFigures } from './memory.ts';

export type ParentRequest = { type: 'memory'; id: number; reset: boolean } | { type: 'stop' };
export type ChildReply =
  | { type: 'ready'; port: number; token: string; memory: MemoryFigures }
  | { type: 'memory'; id: number; now: MemoryFigures; peak: MemoryFigures };

export interface ApiServer {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** A staff bearer token. */
  token: string;
  /** The seeded county. */
  county: CountySummary;
  /** The child's memory right after it started listening. */
  startMemory: MemoryFigures;
  /** The database the API runs on (for reading test inputs). */
  databaseUrl: string;
  /** The API process's id (for reading its CPU time). */
  pid: number;
  /** Where the county came from (a copy of the cached template, or built) and how long that took. */
  countySource: string;
  countySeconds: number;
  /** A sign-in token this API accepts, e.g. `mint({ role: 'deputy', personId })`. */
  mint(options: MintOptions): Promise<string>;
  /** Errors the server logged so far (yoga logs each unexpected resolver error), and how many were ConcurrencyErrors. */
  loggedErrors(): { errors: number; concurrency: number };
  /** The server process's memory now, and its peaks since the last reset (`reset`: start new peaks). */
  memory(reset?: boolean): Promise<{ now: MemoryFigures; peak: MemoryFigures }>;
  /** Stops the server and drops the database. */
  stop(): Promise<void>;
}

const log = (line: string) => console.error(`[bench] ${line}`);
const CHILD = fileURLToPath(new URL('./api-server-child.ts', import.meta.url));

export async function startApiServer(options: { scale: ScaleName; seed: number; rebuildCounty?: boolean }): Promise<ApiServer> {
  const database: CountyDatabase = await countyDatabase({ scale: options.scale, seed: options.seed, rebuild: options.rebuildCounty ?? false });
  const county = database.county;
  const secret = randomBytes(32).toString('base64url');
  const issuer = tokenIssuer(new TextEncoder().encode(secret));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null) {
      child.send({ type: 'stop' } satisfies ParentRequest);
      const exited = once(child, 'exit');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await database.drop();
  };
  try {
    log(`starting the API (${county.events.toLocaleString('en-US')} events; the projector catches up first)…`);
    // fork keeps this process's --import tsx, so the child runs TypeScript too. BENCH_API_PROFILE=<dir>: the
    // server writes a V8 CPU profile of its whole life there (open it in Chrome DevTools), for finding where time goes.
    const profile = process.env.BENCH_API_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_API_PROFILE] : [];
    child = fork(CHILD, [], {
      env: { ...process.env, BENCH_API_DATABASE_URL: database.url, BENCH_API_TOKEN_SECRET: secret },
      execArgv: [...process.execArgv, ...profile],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const running = child;
    // The server's log passes through; its error lines are counted (yoga prints "ERR <error>" for each unexpected one).
    const logged = { errors: 0, concurrency: 0 };
    let partial = '';
    running.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        // eslint-disable-next-line no-control-regex
        const plain = line.replace(/\u001b\[[0-9;]*m/g, '');
        if (/^ERR\b/.test(plain)) {
          logged.errors++;
          if (plain.includes('ConcurrencyError')) logged.concurrency++;
        }
      }
    });
    const ready = await new Promise<Extract<ChildReply, { type: 'ready' }>>((resolve, reject) => {
      running.once('exit', (code) => reject(new Error(`the API process exited (code ${code}) before it was ready`)));
      running.on('message', (message: ChildReply) => {
        if (message.type === 'ready') resolve(message);
      });
    });
    let nextId = 1;
    const pending = new Map<number, (reply: { now: MemoryFigures; peak: MemoryFigures }) => void>();
    running.on('message', (message: ChildReply) => {
      if (message.type === 'memory') pending.get(message.id)?.(message);
      if (message.type === 'memory') pending.delete(message.id);
    });
    return {
      base: `http://127.0.0.1:${ready.port}`,
      token: ready.token,
      county,
      startMemory: ready.memory,
      databaseUrl: database.url,
      pid: running.pid!,
      countySource: database.source,
      countySeconds: database.seconds,
      mint: (mintOptions) => issuer.mint(mintOptions),
      loggedErrors: () => ({ ...logged }),
      memory(reset = false) {
        const id = nextId++;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          running.send({ type: 'memory', id, reset } satisfies ParentRequest);
        });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** POSTs one GraphQL document as the staff member; throws on an HTTP or GraphQL error. */
export async function graphql<T = any>(server: ApiServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (response.status !== 200 || body.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data!;
}
