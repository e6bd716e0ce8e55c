/**
 * Scenario 2: PostgreSQL restarted while the API is under write load.
 *
 * The API runs in this process (openRuntime + createHttpServer) on a throw-away database with the
 * small demo county. Four clients send a steady stream of valid mutations over HTTP (register a
 * person, record a registered person's training attendance, record a deputy's station visit), each
 * with its own command id. Meanwhile the PostgreSQL cluster is restarted (`pg_ctlcluster restart`),
 * and later stopped, left down for several seconds, and started again. While it is down the API
 * must answer (errors, within a bound, never a hang) and stay up (/health answers); once it is back
 * it must recover by itself: successful answers again and the projector back at the head, without
 * restarting anything. Every mutation answered with success must be in the log exactly once; the
 * ones answered with an error are then re-sent with their command id, which must record each once
 * (a duplicate when the errored attempt had in fact committed).
 *
 * NOTE: this restarts the whole 'main' cluster, so anything else using that server sees the
 * restarts too. The cluster is started again in `finally`, whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRuntime, tokenIssuer, type Runtime } from '@yingpan/api';
import { createDomain } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { ensureServerRunning, figure, pgCtl, rows, serveApi, sleep, throwaway, type Throwaway } from './support.ts';

/** What must never reach a client: stack frames, source paths, SQL or driver wording. */
const LEAKS =
  /\bat \S+ \(|\.(ts|js|mjs):\d+|node_modules|"stack"|ECONNREFUSED|terminating connection|shutting down|starting up|Connection terminated|SELECT|INSERT/i;
/**
 * A pool client that loses its connection while checked out (inside `Db.transaction`, between two
 * statements) once emitted 'error' with no listener: an uncaught exception that ended a standalone
 * API process (fixed in services/db). Any such exception fails the run; FAULTS_STRICT=0 only prints.
 */
const STRICT = process.env.FAULTS_STRICT !== '0';
/** Where the standalone API's stderr is kept when it dies. */
const STANDALONE_LOG = path.join(tmpdir(), 'yingpan-faults-standalone-api.stderr.log');
/** No answer may take longer than this, database down or not. */
const ANSWER_BOUND_MS = 15_000;

type Kind = 'registerPerson' | 'recordTrainingAttendance' | 'recordStationVisit';
type Phase = 'before' | 'restarting' | 'after-restart' | 'stopping' | 'down' | 'starting' | 'after-start';

interface Job {
  kind: Kind;
  commandId: string;
  input: Record<string, unknown>;
  /** For a registration: the person it registers. */
  personId?: string;
}

interface Answer {
  ok: boolean;
  duplicate?: boolean;
  position?: number;
  rejection?: string;
  error?: string;
  status: number;
  ms: number;
}

const DOCUMENTS: Record<Kind, string> = {
  registerPerson: `mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) {
    __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`,
  recordTrainingAttendance: `mutation R($input: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $input) {
    __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`,
  recordStationVisit: `mutation R($input: RecordStationVisitInput!) { recordStationVisit(input: $input) {
    __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`,
};

/** Runs the API's real entry point (services/api/src/main.ts, what `npm start` runs) as a process of its own. */
async function startStandaloneApi(
  url: string,
  secret: string,
): Promise<{ child: ChildProcess; base: string; exit: Promise<{ code: number | null; signal: string | null }>; stderr: () => string }> {
  const main = path.join(path.dirname(fileURLToPath(import.meta.resolve('@yingpan/api'))), 'main.ts');
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, DATABASE_URL: url, API_PORT: String(port), YINGPAN_TOKEN_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<void>((resolve) => {
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('yingpan API')) resolve();
    });
  });
  const early = await Promise.race([listening.then(() => null), exit]);
  if (early) throw new Error(`the standalone API exited while starting (${early.code ?? early.signal}): ${stderr}`);
  return { child, base: `http://127.0.0.1:${port}`, exit, stderr: () => stderr };
}

describe('scenario 2: PostgreSQL restarted under write load', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await ensureServerRunning();
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('[faults] cleanup failed:', error));
  });

  it('the API answers errors while the database is down, recovers by itself, and every acknowledged mutation is in the log exactly once', async () => {
    // Beside it, the API's real entry point as a process of its own, on a database of its own, under a
    // lighter load. It starts while the in-process API is made ready.
    const secret = `faults-${randomUUID()}-${randomUUID()}`;
    const starting = (async () => {
      const standaloneDb: Throwaway = await throwaway(2);
      cleanups.push(() => standaloneDb.dispose());
      // One event, so that it does not build the demo county on start (it only registers people here).
      await createDomain(await SqlEventStore.open(standaloneDb.db)).bus.execute(
        'RegisterPerson',
        { personId: randomUUID(), name: '独立进程' },
        { commandId: randomUUID(), actor: { personId: 'faults-staff', role: 'staff' }, occurredAt: new Date().toISOString() },
      );
      const standalone = await startStandaloneApi(standaloneDb.url, secret);
      cleanups.push(async () => {
        standalone.child.kill('SIGKILL');
      });
      return { standaloneDb, standalone };
    })();

    // A copy of the suite's seeded county, its read models caught up.
    const target: Throwaway = await throwaway(10, inject('countyTemplate'));
    cleanups.push(() => target.dispose());
    const runtime: Runtime = await openRuntime({ dataDir: 'unused', databaseUrl: target.url }, target.db);
    cleanups.push(() => runtime.close());
    await runtime.projector.catchUp();
    const base = await serveApi(runtime, cleanups);
    const token = await runtime.tokens.mint({ role: 'staff' });
    const { db } = target;

    const { standaloneDb, standalone } = await starting;
    const standaloneToken = await tokenIssuer(new TextEncoder().encode(secret)).mint({ role: 'staff' });
    let standaloneExit: { code: number | null; signal: string | null } | null = null;
    void standalone.exit.then((exit) => (standaloneExit = exit));

    // Errors that escape as uncaught exceptions in this process (see STRICT above).
    const uncaught: string[] = [];
    // The API logs every masked error and the projector every retry: counted, not printed.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    cleanups.push(async () => logged.mockRestore());
    const onUncaught = (error: Error) => uncaught.push(error.message);
    process.on('uncaughtException', onUncaught);
    cleanups.push(async () => {
      process.off('uncaughtException', onUncaught);
    });

    // A training the new people attend, and deputies who visit their station on days after the seed's last.
    const trainingId = randomUUID();
    await runtime.commands.execute(
      'OrganiseTraining',
      { activityId: trainingId, trainingType: 'station-study', title: '重启演练培训', date: '2026-11-20' },
      { commandId: randomUUID(), actor: { personId: 'faults-staff', role: 'staff' }, occurredAt: '2026-11-20T08:00:00.000Z' },
    );
    const deputies = await rows<{ stationId: string; personId: string; mandateId: string }>(
      db,
      `SELECT DISTINCT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId"
         FROM yingpan.events a
         JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
        WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'kind' = 'deputy'
          AND m.data->>'termId' = (SELECT data->>'termId' FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1)
          AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                             AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)`,
    );
    expect(deputies.length).toBeGreaterThan(10);
    const visits = deputies
      .flatMap((deputy) => Array.from({ length: 24 }, (_, day) => ({ ...deputy, date: `2026-11-${String(day + 1).padStart(2, '0')}` })))
      .sort(() => Math.random() - 0.5);

    // The work, made on demand: a registration, an attendance by someone registered, a visit.
    const registered: string[] = [];
    let made = 0;
    const registration = (): Job => {
      const personId = randomUUID();
      return { kind: 'registerPerson', commandId: randomUUID(), personId, input: { personId, name: `重启演练${made}` } };
    };
    const nextJob = (): Job => {
      const turn = made++ % 3;
      if (turn === 1 && registered.length > 0) {
        const personId = registered.shift()!;
        return { kind: 'recordTrainingAttendance', commandId: randomUUID(), input: { trainingId, personId } };
      }
      if (turn === 2 && visits.length > 0) {
        const visit = visits.pop()!;
        return { kind: 'recordStationVisit', commandId: randomUUID(), input: { ...visit, recordId: randomUUID(), summary: '重启演练：进站履职' } };
      }
      return registration();
    };

    const send = async (job: Job, to = base, bearer = token): Promise<Answer> => {
      const started = Date.now();
      try {
        const response = await fetch(`${to}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify({ query: DOCUMENTS[job.kind], variables: { input: { commandId: job.commandId, ...job.input } } }),
          signal: AbortSignal.timeout(ANSWER_BOUND_MS),
        });
        const text = await response.text();
        const ms = Date.now() - started;
        expect(text, 'an answer leaked internals').not.toMatch(LEAKS);
        const body = JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string }[] };
        const result = body.data?.[job.kind];
        if (body.errors?.length || !result)
          return { ok: false, status: response.status, ms, error: body.errors?.map((error) => error.message).join('; ') ?? 'no data' };
        if (result.__typename === 'Rejection') return { ok: false, status: response.status, ms, rejection: result.code };
        return { ok: true, status: response.status, ms, duplicate: result.duplicate, position: result.position };
      } catch (error) {
        // A timeout (the API hung) or a refused connection (the API went away): both are failures of the scenario.
        return { ok: false, status: 0, ms: Date.now() - started, error: `no answer: ${(error as Error).name}: ${(error as Error).message}` };
      }
    };

    let phase: Phase = 'before';
    /** Each request: the phase it was sent in, when it was sent and when it was answered. */
    const log: { job: Job; answer: Answer; phase: Phase; sentAt: number; at: number }[] = [];
    const health: { status: number; ms: number; phase: Phase }[] = [];
    const standaloneLog: { job: Job; answer: Answer }[] = [];
    let running = true;

    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        const job = nextJob();
        const sentIn = phase;
        const sentAt = Date.now();
        const answer = await send(job);
        log.push({ job, answer, phase: sentIn, sentAt, at: Date.now() });
        if (answer.ok && job.kind === 'registerPerson') registered.push(job.personId!);
        await sleep(answer.ok ? 10 : 50);
      }
    });
    const standaloneClients = Array.from({ length: 2 }, async () => {
      while (running && !standaloneExit) {
        const job = registration();
        standaloneLog.push({ job, answer: await send(job, standalone.base, standaloneToken) });
        await sleep(20);
      }
    });
    const prober = (async () => {
      while (running) {
        const started = Date.now();
        let status = 0;
        try {
          status = (await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) })).status;
        } catch {
          status = 0;
        }
        health.push({ status, ms: Date.now() - started, phase });
        await sleep(250);
      }
    })();

    const successesSince = (at: number) => log.filter((entry) => entry.at > at && entry.answer.ok).length;
    const waitForSuccesses = async (since: number, what: string) => {
      const deadline = Date.now() + 60_000;
      while (successesSince(since) < 10) {
        if (Date.now() > deadline) {
          const recent = log
            .filter((entry) => entry.at > since)
            .slice(-5)
            .map((entry) => entry.answer);
          throw new Error(`the API did not recover within 60 s after ${what}; last answers: ${JSON.stringify(recent)}`);
        }
        await sleep(100);
      }
      return Date.now() - since;
    };

    let readyWhileDown: number | null = null;
    let recoveredAfterRestartMs = 0;
    let recoveredAfterStartMs = 0;
    let stoppedAt = 0;
    let startCalledAt = 0;
    try {
      // The load is flowing (on a loaded machine the first answers can take a while).
      await waitForSuccesses(0, 'the start of the load');
      await sleep(1_000);

      // 1. A restart in the middle of the load.
      phase = 'restarting';
      await pgCtl('restart');
      const restarted = Date.now();
      phase = 'after-restart';
      recoveredAfterRestartMs = await waitForSuccesses(restarted, 'pg_ctlcluster restart');
      await sleep(2_000);

      // 2. Stopped, left down for several seconds, started again.
      phase = 'stopping';
      await pgCtl('stop');
      stoppedAt = Date.now();
      phase = 'down';
      await sleep(1_000);
      readyWhileDown = (await fetch(`${base}/ready`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) })).status;
      await sleep(5_000);
      phase = 'starting';
      startCalledAt = Date.now();
      await pgCtl('start');
      const startedAgain = Date.now();
      phase = 'after-start';
      recoveredAfterStartMs = await waitForSuccesses(startedAgain, 'pg_ctlcluster stop … start');
      await sleep(3_000);
    } finally {
      running = false;
      await Promise.all([...clients, ...standaloneClients, prober]);
      await ensureServerRunning();
    }

    // While the database was down: only errors, each answered in time; /health always answered.
    const down = log.filter((entry) => entry.sentAt >= stoppedAt && entry.at <= startCalledAt);
    expect(down.length).toBeGreaterThan(10);
    expect(down.filter((entry) => entry.answer.ok)).toEqual([]);
    const hung = log.filter((entry) => entry.answer.status === 0);
    expect(hung.map((entry) => entry.answer.error)).toEqual([]);
    expect(Math.max(...log.map((entry) => entry.answer.ms))).toBeLessThan(ANSWER_BOUND_MS);
    expect(health.length).toBeGreaterThan(20);
    expect(health.filter((probe) => probe.status !== 200)).toEqual([]);
    expect(readyWhileDown).toBe(503);
    // Business refusals would mean the work itself was wrong (or a lost answer made a retry look like a second act).
    expect(log.filter((entry) => entry.answer.rejection).map((entry) => `${entry.job.kind}: ${entry.answer.rejection}`)).toEqual([]);

    // The projector recovers by itself: every read model reaches the head, none failed.
    const projectorDeadline = Date.now() + 60_000;
    let status = await runtime.projector.status();
    while (status.some((row) => row.failure || row.position < row.headPosition)) {
      expect(status.filter((row) => row.failure)).toEqual([]);
      if (Date.now() > projectorDeadline) throw new Error(`the projector did not catch up after the restarts: ${JSON.stringify(status)}`);
      await sleep(250);
      status = await runtime.projector.status();
    }

    // Every acknowledged mutation is in the log exactly once, at the position its answer named.
    const acknowledged = log.filter((entry) => entry.answer.ok);
    const errored = log.filter((entry) => !entry.answer.ok);
    const countsOf = async (ids: string[]) =>
      new Map(
        (
          await rows<{ id: string; n: number; position: number }>(
            db,
            `SELECT metadata->>'commandId' AS id, count(*)::int AS n, max(position) AS position FROM yingpan.events
              WHERE metadata->>'commandId' = ANY($1::text[]) GROUP BY 1`,
            [ids],
          )
        ).map((row) => [row.id, row]),
      );
    const found = await countsOf(acknowledged.map((entry) => entry.job.commandId));
    const lost = acknowledged.filter((entry) => !found.has(entry.job.commandId));
    const duplicated = acknowledged.filter((entry) => (found.get(entry.job.commandId)?.n ?? 0) > 1);
    expect(lost.map((entry) => entry.job)).toEqual([]);
    expect(duplicated.map((entry) => entry.job)).toEqual([]);
    for (const entry of acknowledged) expect(found.get(entry.job.commandId)!.position).toBe(entry.answer.position);
    const committedDespiteError = await countsOf(errored.map((entry) => entry.job.commandId));

    // The errored ones, re-sent with their command ids, are each recorded once.
    // In their original order (an attendance follows its person's registration), four at a time.
    let resentDuplicates = 0;
    for (let i = 0; i < errored.length; i += 4) {
      const answers = await Promise.all(errored.slice(i, i + 4).map((entry) => send(entry.job)));
      for (const [k, again] of answers.entries()) {
        expect(again, JSON.stringify(errored[i + k]!.job)).toMatchObject({ ok: true });
        if (again.duplicate) resentDuplicates += 1;
      }
    }
    expect(resentDuplicates).toBe(committedDespiteError.size);
    const all = await countsOf(log.map((entry) => entry.job.commandId));
    expect(log.filter((entry) => all.get(entry.job.commandId)?.n !== 1).map((entry) => entry.job)).toEqual([]);
    const verified = await runtime.store.verify();
    expect(verified.ok).toBe(true);

    // The standalone process: still up and answering, or gone (and why).
    await sleep(500);
    const standaloneAlive =
      standaloneExit === null &&
      (await fetch(`${standalone.base}/health`).then(
        (r) => r.status === 200,
        () => false,
      ));
    const standaloneAcknowledged = standaloneLog.filter((entry) => entry.answer.ok);
    const standaloneFound = await rows<{ n: number }>(
      standaloneDb.db,
      `SELECT count(*)::int AS n FROM yingpan.events WHERE metadata->>'commandId' = ANY($1::text[])`,
      [standaloneAcknowledged.map((entry) => entry.job.commandId)],
    );
    expect(standaloneFound[0]!.n).toBe(standaloneAcknowledged.length);
    if (!standaloneAlive) writeFileSync(STANDALONE_LOG, standalone.stderr());
    const standaloneEnd = standaloneAlive
      ? 'still up and answering'
      : `EXITED (${JSON.stringify(standaloneExit)}) with: ${/^\w*Error: .*$|^error: .*$/m.exec(standalone.stderr())?.[0] ?? standalone.stderr().slice(-300)} (its stderr: ${STANDALONE_LOG})`;

    const byPhase = (which: Phase[]) => log.filter((entry) => which.includes(entry.phase) && !entry.answer.ok).length;
    const slowestDown = Math.max(...down.map((entry) => entry.answer.ms));
    figure(
      `postgres restarts under API write load: ${log.length} mutations attempted, ${acknowledged.length} acknowledged, ` +
        `${acknowledged.length - lost.length} found exactly once, ${lost.length} lost, ${duplicated.length} duplicated; ` +
        `${errored.length} errors (${byPhase(['restarting', 'after-restart'])} around the restart, ${down.length} while down ${((startCalledAt - stoppedAt) / 1000).toFixed(1)} s, ` +
        `${byPhase(['stopping'])} while stopping, ${byPhase(['starting', 'after-start'])} around the start; slowest answer while down ${slowestDown} ms), ` +
        `${committedDespiteError.size} of the errored had committed; re-sent with their ids: ${errored.length} recorded once (${resentDuplicates} as duplicates); ` +
        `2 restarts survived (successes again ${(recoveredAfterRestartMs / 1000).toFixed(1)} s after the restart, ${(recoveredAfterStartMs / 1000).toFixed(1)} s after the start), ` +
        `/health ${health.filter((probe) => probe.status === 200).length}/${health.length} answered 200, /ready ${readyWhileDown} while down, projector at head ${status[0]!.headPosition}`,
    );
    figure(
      `postgres restarts, process survival: ${uncaught.length} uncaught exceptions in the in-process API (${[...new Set(uncaught)].join(' | ') || 'none'}); ` +
        `standalone API process (services/api/src/main.ts): ${standaloneEnd}; ${standaloneAcknowledged.length}/${standaloneLog.length} of its mutations acknowledged, all found; ` +
        `the in-process API logged ${logged.mock.calls.filter((call) => String(call[0]).startsWith('[projector]')).length} projector retries and ${logged.mock.calls.length} error lines in all`,
    );
    if (uncaught.length > 0 || !standaloneAlive) {
      figure(
        'KNOWN WEAKNESS: a pooled client that loses its connection inside Db.transaction (services/db/src/db.ts) emits an unhandled ' +
          "'error' event; a standalone API process dies of it. See services/faults/README.md. FAULTS_STRICT=0 lets this pass.",
      );
    }
    if (STRICT) {
      expect(uncaught).toEqual([]);
      expect(standaloneEnd).toBe('still up and answering');
    }
  });
});
