/**
 * Sign-in and the per-request session check, on PostgreSQL: the account service the API uses
 * (`@yingpan/api/accounts`) over a throw-away database with one staff account.
 *
 * - A password sign-in (argon2id at OWASP's parameters, the throttle's bookkeeping, a new server
 *   session), p50 and p99 one after another, next to verifying the same argon2id hash alone in the
 *   same run: the floor any sign-in with that hash pays.
 * - The session check every signed-in request makes (`actorOfSession`: the session by its token's
 *   hash, the account and its grants as of today), p50 and p99, next to a trivial query on the same
 *   pool (`SELECT 1`) and a row by primary key.
 *
 *   npm run bench:auth -w @yingpan/bench -- [--sign-ins=N] [--checks=N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARGON2_OPTIONS, accountServiceFor, hashPassword } from '@yingpan/api/accounts';
import { openRuntime } from '@yingpan/api/runtime';
import { postgresDb } from '@yingpan/db';
import { verify } from '@node-rs/argon2';
import { percentile } from './measure.ts';
import { databaseUrl, sizeOption } from './options.ts';
import { describeMachine, renderReport, titled, type ResultRow } from './report.ts';

const RESULTS_FILE = fileURLToPath(new URL('../results/auth.md', import.meta.url));

/** p50 and p99 of `op` run `count` times one after another, after a few warm-up runs. */
async function latencies(count: number, op: (index: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let index = 0; index < Math.min(5, count); index++) await op(index);
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await op(index);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];

async function main(): Promise<void> {
  const signIns = sizeOption(option('sign-ins'), process.env.BENCH_AUTH_SIGN_INS, 60, 'sign-ins');
  const checks = sizeOption(option('checks'), process.env.BENCH_AUTH_CHECKS, 3_000, 'checks');
  const url = databaseUrl();
  process.env.DATABASE_URL = url;
  const { createTestDatabase } = await import('@yingpan/db/testing');
  const database = await createTestDatabase(url);
  const db = postgresDb({ connectionString: database.url, max: 4 });
  const runtime = await openRuntime({ databaseUrl: database.url, dataDir: 'unused' }, db);
  try {
    runtime.startProjector();
    const accounts = accountServiceFor(runtime);
    await accounts.prepare();
    // An administrator as the command line acts (an administrator signed in must first enrol an authenticator app).
    const admin = { personId: 'bench', role: 'admin', name: null } as const;
    const address = '127.0.0.1';
    const userAgent = 'bench';
    const password = 'station-books-2026';
    const accountId = await accounts.createAccount(admin, { username: 'clerk', displayName: '办公室工作人员', password });
    await accounts.grantRole(admin, { accountId, role: 'staff', scope: { kind: 'county' } });
    await runtime.waitForProjections((await runtime.store.head()).position);

    console.error(`[bench] ${signIns} password sign-ins`);
    const tokens: string[] = [];
    let sessionId = '';
    const signIn = await latencies(signIns, async () => {
      const outcome = await accounts.signIn({ username: 'clerk', password, address, userAgent });
      if (!outcome.ok) throw new Error(`sign-in refused: ${outcome.reason}`);
      tokens.push(outcome.token);
      sessionId = outcome.sessionId;
    });
    const hash = await hashPassword(password);
    const argon = await latencies(signIns, async () => {
      if (!(await verify(hash, password))) throw new Error('argon2 verify failed');
    });

    console.error(`[bench] ${checks} session checks`);
    const token = tokens.at(-1)!;
    const check = await latencies(checks, async () => {
      if (!(await accounts.actorOfSession(token))) throw new Error('the session was not found');
    });
    const trivial = await latencies(checks, () => db.query('SELECT 1'));
    const byKey = await latencies(checks, () => db.query('SELECT session_id FROM yingpan_auth.sessions WHERE session_id = $1', [sessionId]));

    const rows: ResultRow[] = [
      { benchmark: 'password sign-in (argon2id, throttle, new session): p50', unit: 'ms', yingpan: signIn.p50, baseline: argon.p50 },
      { benchmark: 'password sign-in: p99', unit: 'ms', yingpan: signIn.p99, baseline: argon.p99 },
      { benchmark: 'session check per request (actorOfSession): p50', unit: 'ms', yingpan: check.p50, baseline: trivial.p50 },
      { benchmark: 'session check per request: p99', unit: 'ms', yingpan: check.p99, baseline: trivial.p99 },
      { benchmark: 'session check vs one row by primary key: p50', unit: 'ms', yingpan: check.p50, baseline: byKey.p50 },
    ];
    const machine = await describeMachine(db);
    const workload = [
      `One staff account (county grant) in a throw-away PostgreSQL database, the account service the API uses. ${signIns} password sign-ins one after another ` +
        `(argon2id ${ARGON2_OPTIONS.memoryCost} KiB, ${ARGON2_OPTIONS.timeCost} passes, ${ARGON2_OPTIONS.parallelism} lane; each opens a server session), then ${checks} checks of one session. ` +
        'Baselines in the same run: verifying the same argon2id hash alone (sign-in rows); `SELECT 1` and one session row by primary key on the same pool (session rows). Targets: sign-in p50 ≤ 300 ms, session check p50 ≤ 1 ms.',
    ];
    const report = renderReport(titled('yingpan sign-in benchmark'), machine, workload, rows);
    process.stdout.write(report);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, report);
    console.error(`[bench] written to ${RESULTS_FILE}`);
  } finally {
    await runtime.close().catch(() => {});
    await db.close().catch(() => {});
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
