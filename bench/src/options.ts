/** Command-line flags and environment: where to run and how big. */
import { parseArgs } from 'node:util';

export const DEFAULT_DATABASE_URL = 'postgres://root@127.0.0.1:5432/test';

export interface Options {
  /** The server to benchmark on; a throw-away database is created there. */
  databaseUrl: string;
  /** 'full', 'quick' or 'scale N', for the report. */
  mode: string;
  /** Single-event appends per single-append phase (1 writer, then `writers` writers). */
  singleAppends: number;
  /** Events appended in batches of `batchSize`. */
  batchedEvents: number;
  batchSize: number;
  /** Concurrent writers in the concurrent single-append phase. */
  writers: number;
  /** Events per page when reading the whole log. */
  pageSize: number;
}

const USAGE = `Usage: npm run bench -w @yingpan/bench -- [--quick] [--scale N]
  --quick     about 15 s: a fifth of the full size
  --scale N   multiply the full size by N (also BENCH_SCALE=N)
  DATABASE_URL  the PostgreSQL server (default ${DEFAULT_DATABASE_URL})`;

/** The full run (scale 1) takes about 1–2 minutes on a 2-core machine. */
const FULL = { singleAppends: 5_000, batchedEvents: 100_000 };

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, scale: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  const scaleText = values.scale ?? env.BENCH_SCALE;
  const scale = values.quick ? 0.2 : Number(scaleText ?? 1);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${scaleText}\n${USAGE}`);
  const batchSize = 1_000;
  return {
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    mode: values.quick ? 'quick' : scale === 1 ? 'full' : `scale ${scale}`,
    singleAppends: Math.max(100, Math.round(FULL.singleAppends * scale)),
    // Whole batches only, so every batch has the same size.
    batchedEvents: Math.max(1, Math.round((FULL.batchedEvents * scale) / batchSize)) * batchSize,
    batchSize,
    writers: 8,
    pageSize: 5_000,
  };
}

/**
 * A positive whole number from a flag, else an environment variable, else the default; `scale`
 * multiplies the default only (an explicit size is taken as given).
 */
export function sizeOption(flag: string | undefined, env: string | undefined, fallback: number, name: string, scale = 1): number {
  const text = flag ?? env;
  if (text === undefined || text === '') return Math.max(1, Math.round(fallback * scale));
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got ${text}`);
  return value;
}

/** The server to run on: DATABASE_URL, else the default (settled before @yingpan/db/testing is imported). */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  return env.DATABASE_URL;
}
