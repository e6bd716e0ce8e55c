/**
 * Scenario 5: the primary PostgreSQL killed under write load through two API processes, then the
 * API process running the projector killed, then the standby restarted, then the standby's disk filled.
 *
 * A real pg_auto_failover cluster (infra/ha/cluster.sh: a monitor, a primary and a synchronous
 * standby on loopback ports) in a folder of its own. Two API processes (services/api/src/main.ts,
 * what `npm start` runs) are given the cluster's multi-host DATABASE_URL; four clients send a
 * steady stream of mutations (register a person, record a registered person's attendance at one of
 * eight trainings), each with its own command id, two through each API — a client whose API is gone
 * sends to the other, as a load balancer would. A subscription (`projectionChanged`) is held open
 * on the API that does not run the projector.
 *
 * 1. `kill -9` of the primary's postmaster. The monitor promotes the standby; the APIs find the
 *    new primary; commands that failed meanwhile are retried inside the API (same command id).
 *    Measured: the time from the kill to the first acknowledged write sent after it (goal ≤ 10 s).
 * 2. `kill -9` of the API process holding the projector lock: the other takes the lock over.
 * 3. `kill -9` of the standby's postmaster; its keeper starts it again. The primary's commits wait
 *    for it, or go on alone (`wait_primary`) once the monitor has seen it gone; it catches up and is
 *    a secondary again.
 * 4. The standby's disk filled to the last byte (each node's folder is a file system of its own,
 *    `YINGPAN_HA_NODE_DISK`; `cluster.sh fill-disk`), then given its space back. Where this process
 *    may not mount a file system (not root, or no CAP_SYS_ADMIN) this step is skipped, and says so.
 *    After 3 and 4 the standby holds the log up to the primary's head, hash for hash.
 *
 * Checked: every answer is a success or the typed database-unavailable (never a 5xx, an opaque error
 * or a hang); every acknowledged mutation is in the log exactly once at the position it was given;
 * the unanswered ones re-sent with their command ids are each recorded once; the chain verifies;
 * the projector resumes on the new primary (every projection at the head, none failed); the
 * subscription kept delivering after the failover. Prints lost = 0, duplicated = 0 and the times.
 *
 * Needs Debian's postgresql-15-auto-failover and pg-auto-failover-cli (it fails, naming them, when
 * they are missing) and root or the postgres user. FAULTS_HA_PORT (default 6100) is the monitor's
 * port; the nodes take the next two.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROJECTOR_LOCK, tokenIssuer } from '@yingpan/api';
import { postgresDb } from '@yingpan/db';
import { createDomain } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, describe, expect, it } from 'vitest';
import { figure, rows, sleep } from './common.ts';

const CLUSTER_SCRIPT = fileURLToPath(new URL('../../../infra/ha/cluster.sh', import.meta.url));
const HA_DIR = path.join(tmpdir(), `yingpan-faults-ha-${randomBytes(4).toString('hex')}`);
const HA_PORT = Number(process.env.FAULTS_HA_PORT || 6100);
/** No answer may take longer than this (the API retries a command for up to 20 s across a failover). */
const ANSWER_BOUND_MS = 30_000;
const run = promisify(execFile);

/** Whether this process may mount a file system (root with CAP_SYS_ADMIN): then each node gets a disk of its own to fill. */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(tmpdir(), 'yingpan-faults-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'yingpan-faults-probe', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
/** Each node's disk (a tmpfs): room for its data folder, its WAL and a base backup, and little more. */
const NODE_DISK = canMount() ? '512M' : null;

async function cluster(...args: string[]): Promise<string> {
  const env = { ...process.env, YINGPAN_HA_DIR: HA_DIR, YINGPAN_HA_PORT: String(HA_PORT), ...(NODE_DISK ? { YINGPAN_HA_NODE_DISK: NODE_DISK } : {}) };
  const { stdout } = await run(CLUSTER_SCRIPT, args, { env, timeout: 300_000 });
  return stdout;
}

/** The last event a node holds, read on that node itself (a standby answers reads). */
async function headOn(name: string): Promise<{ position: number; hash: string } | null> {
  const node = postgresDb({ connectionString: `postgres://postgres@127.0.0.1:${HA_PORT + (name === 'node1' ? 1 : 2)}/yingpan`, max: 1 });
  try {
    return (await rows<{ position: number; hash: string }>(node, 'SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1'))[0] ?? null;
  } finally {
    await node.close();
  }
}

/** Each node's keeper and postmaster PIDs and its role now. */
async function nodes(): Promise<{ name: string; keeper: number; postmaster: number; state: string }[]> {
  return (await cluster('pids'))
    .trim()
    .split('\n')
    .map((line) => {
      const [name, keeper, postmaster, state = ''] = line.split(' ');
      return { name: name!, keeper: Number(keeper), postmaster: Number(postmaster), state };
    });
}

interface Api {
  child: ChildProcess;
  base: string;
  pid: number;
  exited: boolean;
}

/**
 * A free TCP port below the machine's ephemeral range: a port drawn from that range may be taken by
 * an outgoing connection in the seconds before the API process listens on it.
 */
async function freePort(): Promise<number> {
  let below = 32_768;
  try {
    below = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || below;
  } catch {}
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * Math.max(1, below - 20_000));
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

/** The API's real entry point as a process of its own (started again on another port if its port was taken meanwhile). */
async function startApi(url: string, secret: string): Promise<Api> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startApiOnce(url, secret);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startApiOnce(url: string, secret: string): Promise<Api> {
  const main = path.join(path.dirname(fileURLToPath(import.meta.resolve('@yingpan/api'))), 'main.ts');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, DATABASE_URL: url, API_PORT: String(port), YINGPAN_TOKEN_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const api: Api = { child, base: `http://127.0.0.1:${port}`, pid: child.pid!, exited: false };
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.on('exit', () => (api.exited = true));
  await new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('yingpan API')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`an API process exited while starting (${code ?? signal}): ${stderr}`)));
  });
  return api;
}

type Kind = 'registerPerson' | 'recordTrainingAttendance';
const DOCUMENTS: Record<Kind, string> = {
  registerPerson: `mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) {
    __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`,
  recordTrainingAttendance: `mutation R($input: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $input) {
    __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`,
};

interface Job {
  kind: Kind;
  commandId: string;
  input: Record<string, unknown>;
  personId?: string;
}

interface Answer {
  ok: boolean;
  position?: number;
  duplicate?: boolean;
  /** The typed error code, a Rejection's code, or "no answer" (the API process was gone). */
  code?: string;
  status: number;
  ms: number;
  text?: string;
}

const PG_AUTOCTL = '/usr/bin/pg_autoctl';
const INSTALL = 'apt-get install -y postgresql-15-auto-failover pg-auto-failover-cli';
/** In `npm test` the scenario is skipped, and says so, where the packages are not installed; `npm run test:faults` fails instead. */
const skipped = process.env.YINGPAN_FAILOVER_OPTIONAL === '1' && !existsSync(PG_AUTOCTL);
if (skipped) console.warn(`[faults] SKIPPED: the failover scenario needs pg_auto_failover (${PG_AUTOCTL} is missing): ${INSTALL}`);

if (!skipped && !NODE_DISK)
  console.warn("[faults] SKIPPED step 4, the standby's disk filled: this process may not mount a file system (it needs root with CAP_SYS_ADMIN)");

/** What the fault suite reads of the API's `systemStatus`. */
interface SystemStatusSeen {
  cluster: boolean;
  replication: { synchronousStandbys: number | null; commitsWaitForStandby: boolean } | null;
  projectorLeaderPid: number | null;
  projectorHere: boolean;
}

describe.skipIf(skipped)('scenario 5: the primary PostgreSQL, the projector’s API process and the standby failing under write load', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('[faults] cleanup failed:', error));
  });

  it('loses and doubles nothing, fails over within seconds, another API process takes the projector over, and writes go on while the standby is down or its disk full', async () => {
    if (!existsSync(PG_AUTOCTL)) throw new Error(`[faults] pg_autoctl is missing: ${INSTALL}`);
    const upStarted = Date.now();
    cleanups.push(() => cluster('down'));
    await cluster('up');
    const upSeconds = (Date.now() - upStarted) / 1000;
    const url = (await cluster('url')).trim();
    const db = postgresDb({ connectionString: url, max: 4 });
    cleanups.push(() => db.close());

    // Eight trainings (so that the log is not empty and main.ts builds no demo county), then two APIs.
    const store = await SqlEventStore.open(db);
    const trainings: string[] = [];
    for (let i = 0; i < 8; i++) {
      const activityId = randomUUID();
      await createDomain(store).bus.execute(
        'OrganiseTraining',
        { activityId, trainingType: 'station-study', title: `切换演练培训${i + 1}`, date: `2026-11-${String(10 + i)}` },
        { commandId: randomUUID(), actor: { personId: 'faults-staff', role: 'staff' }, occurredAt: '2026-11-09T08:00:00.000Z' },
      );
      trainings.push(activityId);
    }
    const secret = `faults-${randomUUID()}-${randomUUID()}`;
    const apis = await Promise.all([startApi(url, secret), startApi(url, secret)]);
    for (const api of apis) cleanups.push(async () => api.child.kill('SIGKILL'));
    const issuer = tokenIssuer(new TextEncoder().encode(secret));
    const token = await issuer.mint({ role: 'staff' });
    const adminToken = await issuer.mint({ role: 'admin' });

    /** The API process holding the projector lock, from the application_name of the lock's connection. */
    const leaderPid = async (): Promise<number | null> => {
      const found = await rows<{ name: string }>(
        db,
        `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
        [PROJECTOR_LOCK],
      ).catch(() => []);
      const pid = Number(/pid (\d+)/.exec(found[0]?.name ?? '')?.[1]);
      return Number.isFinite(pid) && pid > 0 ? pid : null;
    };
    const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000): Promise<T> => {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = await probe().catch(() => null);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`[faults] ${what} within ${ms / 1000} s`);
        await sleep(100);
      }
    };
    const firstLeader = await until('an API process took the projector lock', leaderPid);
    expect(apis.map((api) => api.pid)).toContain(firstLeader);

    // A subscription held open on the API that does not run the projector.
    const follower = apis.find((api) => api.pid !== firstLeader)!;
    const heard: { at: number; position: number }[] = [];
    const subscription = new AbortController();
    cleanups.push(async () => subscription.abort());
    const subscribed = (async () => {
      const response = await fetch(`${follower.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'subscription { projectionChanged { name position } }' }),
        signal: subscription.signal,
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        for (const match of decoder.decode(chunk as Uint8Array, { stream: true }).matchAll(/"position":(\d+)/g))
          heard.push({ at: Date.now(), position: Number(match[1]) });
      }
    })().catch(() => {});

    // The load: registrations, and attendances of those registered, with their command ids.
    const registered: string[] = [];
    let made = 0;
    const nextJob = (): Job => {
      if (made++ % 2 === 1 && registered.length > 0) {
        const personId = registered.shift()!;
        return { kind: 'recordTrainingAttendance', commandId: randomUUID(), input: { trainingId: trainings[made % trainings.length], personId } };
      }
      const personId = randomUUID();
      return { kind: 'registerPerson', commandId: randomUUID(), personId, input: { personId, name: `切换演练${made}` } };
    };
    const send = async (job: Job, api: Api): Promise<Answer> => {
      const started = Date.now();
      try {
        const response = await fetch(`${api.base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: DOCUMENTS[job.kind], variables: { input: { commandId: job.commandId, ...job.input } } }),
          signal: AbortSignal.timeout(ANSWER_BOUND_MS),
        });
        const text = await response.text();
        const ms = Date.now() - started;
        const body = JSON.parse(text) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
        const result = body.data?.[job.kind];
        if (body.errors?.length || !result) return { ok: false, status: response.status, ms, code: body.errors?.[0]?.extensions?.code ?? 'OPAQUE', text };
        if (result.__typename === 'Rejection') return { ok: false, status: response.status, ms, code: `rejection:${result.code}` };
        return { ok: true, status: response.status, ms, position: result.position, duplicate: result.duplicate };
      } catch (error) {
        const ms = Date.now() - started;
        // A refused or reset connection: the API process is gone. A timeout: it hung.
        return { ok: false, status: 0, ms, code: (error as Error).name === 'TimeoutError' ? 'HUNG' : 'no answer' };
      }
    };

    const log: { job: Job; answer: Answer; api: number; sentAt: number; at: number }[] = [];
    let running = true;
    const clients = Array.from({ length: 4 }, async (_, index) => {
      while (running) {
        const job = nextJob();
        let which = index % 2;
        if (apis[which]!.exited) which = 1 - which;
        const sentAt = Date.now();
        let answer = await send(job, apis[which]!);
        log.push({ job, answer, api: which, sentAt, at: Date.now() });
        // The API went away under it: the same job, same command id, to the other one.
        if (answer.code === 'no answer' && !apis[1 - which]!.exited) {
          answer = await send(job, apis[1 - which]!);
          log.push({ job, answer, api: 1 - which, sentAt, at: Date.now() });
        }
        if (answer.ok && job.kind === 'registerPerson') registered.push(job.personId!);
        await sleep(answer.ok ? 20 : 100);
      }
    });
    const successesAfter = (at: number) => log.filter((entry) => entry.sentAt >= at && entry.answer.ok);

    let killedAt = 0;
    let firstWriteMs = 0;
    let killedPrimary = '';
    let apiKilledAt = 0;
    let takeoverMs = 0;
    let secondLeader = 0;
    let killedApi = 0;
    let rejoinedMs = 0;
    let before: Awaited<ReturnType<typeof nodes>> = [];
    /** Steps 3 and 4, each: the node, when the fault began and ended, when the standby was a secondary again holding the primary's head. */
    const standbySteps: { what: string; node: string; at: number; aloneAt?: number; clearedAt: number; backAt: number; heldHead: number }[] = [];
    /**
     * Waits until `name` is a secondary again (a live postmaster other than `not`) beside a primary that waits for it
     * again (not `wait_primary`), and holds the log up to the primary's head.
     */
    const standbyBack = async (name: string, not: number) => {
      await until(
        `${name} a secondary again, beside a primary that waits for it again`,
        async () => {
          const now = await nodes();
          return (
            now.some((node) => node.name === name && node.state === 'secondary' && node.postmaster > 0 && node.postmaster !== not) &&
            now.some((node) => node.state === 'primary')
          );
        },
        120_000,
      );
      const head = await store.head();
      await until(`${name} holding the log up to the primary's head ${head.position}`, async () => {
        const held = await headOn(name);
        return (
          held &&
          held.position >= head.position &&
          (await rows<{ hash: string }>(db, 'SELECT hash FROM yingpan.events WHERE position = $1', [held.position]))[0]?.hash === held.hash
        );
      });
      return head.position;
    };
    try {
      await until('the load flowing', async () => successesAfter(0).length >= 20);
      await sleep(2_000);

      // 1. kill -9 the primary's postmaster.
      before = await nodes();
      const primary = before.find((node) => node.state === 'primary');
      expect(primary, JSON.stringify(before)).toBeDefined();
      killedPrimary = primary!.name;
      killedAt = Date.now();
      process.kill(primary!.postmaster, 'SIGKILL');
      const first = await until('a write acknowledged after the kill', async () => successesAfter(killedAt)[0], 60_000);
      firstWriteMs = first.at - killedAt;
      await until('ten writes acknowledged after the kill', async () => successesAfter(killedAt).length >= 10);
      // The killed node comes back (its keeper restarts it) as the new primary's standby. Waited for:
      // whoever chose it as the writable host before the failover must now choose again, not read
      // from a standby that answers every query but holds no lock and takes no write.
      await until(
        'the killed node back as a secondary',
        async () => (await nodes()).find((node) => node.name === killedPrimary && node.state === 'secondary'),
        120_000,
      );
      rejoinedMs = Date.now() - killedAt;
      await sleep(2_000);

      // 2. kill -9 the API process holding the projector lock.
      const leader = await until('a projector leader after the failover', leaderPid);
      const victim = apis.find((api) => api.pid === leader);
      expect(victim, `the lock's holder ${leader} is one of the two API processes`).toBeDefined();
      apiKilledAt = Date.now();
      killedApi = victim!.pid;
      victim!.child.kill('SIGKILL');
      secondLeader = await until('another API process took the projector lock', async () => {
        const pid = await leaderPid();
        return pid !== null && pid !== leader ? pid : null;
      });
      takeoverMs = Date.now() - apiKilledAt;
      await until('ten writes acknowledged after the API was killed', async () => successesAfter(apiKilledAt).length >= 10);
      await sleep(2_000);

      /**
       * How many synchronous standbys an API counts, and whether the primary's commits wait for one: on
       * `/ready` for monitoring, and in `systemStatus`, which the administrator's 系统状态 page reads (it
       * calls a cluster with none the primary saving alone); that answer also names the projector's leader.
       */
      const replicationSeen = async (synchronousStandbys: number) =>
        until(`/ready and systemStatus counting ${synchronousStandbys} synchronous standby(s)`, async () => {
          const api = apis.find((candidate) => !candidate.exited)!;
          const body = (await (await fetch(`${api.base}/ready`)).json()) as {
            replication?: { synchronousStandbys: number | null; commitsWaitForStandby: boolean };
          };
          const waits = synchronousStandbys > 0;
          if (body.replication?.synchronousStandbys !== synchronousStandbys || body.replication.commitsWaitForStandby !== waits) return false;
          const answer = (await (
            await fetch(`${api.base}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
              body: JSON.stringify({
                query: '{ systemStatus { cluster replication { synchronousStandbys commitsWaitForStandby } projectorLeaderPid projectorHere } }',
              }),
            })
          ).json()) as { data?: { systemStatus: SystemStatusSeen } };
          const status = answer.data?.systemStatus;
          const leading = await leaderPid();
          return (
            status?.cluster === true &&
            status.replication?.synchronousStandbys === synchronousStandbys &&
            status.replication.commitsWaitForStandby === waits &&
            status.projectorLeaderPid === leading &&
            status.projectorHere === (leading === api.pid)
          );
        });
      await replicationSeen(1);

      // 3. kill -9 the standby's postmaster: its keeper starts it again.
      const standby = await until('a secondary', async () => (await nodes()).find((node) => node.state === 'secondary'), 120_000);
      const standbyKilledAt = Date.now();
      process.kill(standby.postmaster, 'SIGKILL');
      await until('ten writes acknowledged after the standby was killed', async () => successesAfter(standbyKilledAt).length >= 10);
      const restartedHead = await standbyBack(standby.name, standby.postmaster);
      standbySteps.push({
        what: "kill -9 of the standby's postgres",
        node: standby.name,
        at: standbyKilledAt,
        clearedAt: standbyKilledAt,
        backAt: Date.now(),
        heldHead: restartedHead,
      });
      await sleep(2_000);

      // 4. The standby's disk filled to the last byte, then given its space back.
      if (NODE_DISK) {
        const full = await until('a secondary', async () => (await nodes()).find((node) => node.state === 'secondary'), 120_000);
        const filledAt = Date.now();
        await cluster('fill-disk', full.name);
        // The primary goes on alone: the monitor stops it waiting for a standby that cannot write.
        await until('the primary committing alone', async () => (await nodes()).some((node) => node.state === 'wait_primary'), 60_000);
        const aloneAt = Date.now();
        // What monitoring sees meanwhile: acknowledged records on the primary alone.
        await replicationSeen(0);
        await until("ten writes acknowledged with the standby's disk full", async () => successesAfter(aloneAt).length >= 10);
        await sleep(2_000);
        const freedAt = Date.now();
        await cluster('free-disk', full.name);
        const refilledHead = await standbyBack(full.name, 0);
        await replicationSeen(1);
        standbySteps.push({
          what: "the standby's disk full",
          node: full.name,
          at: filledAt,
          aloneAt,
          clearedAt: freedAt,
          backAt: Date.now(),
          heldHead: refilledHead,
        });
        await sleep(1_000);
      }
    } finally {
      running = false;
      await Promise.all(clients);
    }
    const survivor = apis.find((api) => !api.exited)!;
    expect(secondLeader).toBe(survivor.pid);

    // Answers: successes, the typed database-unavailable, a business refusal of a race on one
    // training, or no answer from the API process that was killed — never a 5xx, an opaque error or a hang.
    const codes = new Map<string, number>();
    for (const entry of log) if (!entry.answer.ok) codes.set(entry.answer.code!, (codes.get(entry.answer.code!) ?? 0) + 1);
    const unexpected = log.filter(
      (entry) => !entry.answer.ok && !['database-unavailable', 'rejection:concurrent-change', 'no answer'].includes(entry.answer.code!),
    );
    expect(unexpected.map((entry) => `${entry.job.kind}: ${entry.answer.status} ${entry.answer.code} ${entry.answer.text ?? ''}`)).toEqual([]);
    expect(log.filter((entry) => entry.answer.status >= 500)).toEqual([]);
    expect(log.filter((entry) => entry.answer.code === 'no answer' && entry.api !== apis.indexOf(apis.find((api) => api.exited)!))).toEqual([]);
    expect(Math.max(...log.map((entry) => entry.answer.ms))).toBeLessThan(ANSWER_BOUND_MS);

    // The cluster failed over: the killed node is not the primary any more.
    const after = await until('a primary again', async () => {
      const now = await nodes();
      return now.some((node) => node.state === 'primary') ? now : null;
    });
    const newPrimary = after.find((node) => node.state === 'primary')!.name;
    expect(newPrimary).not.toBe(killedPrimary);
    // The cluster's own part: when the monitor saw the standby open for writes (wait_primary).
    const monitor = postgresDb({ connectionString: `postgres://autoctl_node@127.0.0.1:${HA_PORT}/pg_auto_failover`, max: 1 });
    // The monitor's account of the failover: each node's reported and goal states, from the kill on.
    const timeline = await rows<{ ms: number; node: string; reported: string; goal: string }>(
      monitor,
      `SELECT (extract(epoch FROM eventtime) * 1000)::float8 - $1 AS ms, nodename AS node, reportedstate::text AS reported, goalstate::text AS goal
         FROM pgautofailover.event WHERE eventtime > to_timestamp($1 / 1000.0) ORDER BY eventid LIMIT 40`,
      [killedAt],
    ).catch(() => []);
    const opened = await rows<{ ms: number }>(
      monitor,
      `SELECT (extract(epoch FROM min(eventtime)) * 1000)::float8 - $1 AS ms FROM pgautofailover.event
        WHERE nodename = $2 AND reportedstate IN ('wait_primary', 'primary') AND eventtime > to_timestamp($1 / 1000.0)`,
      [killedAt, newPrimary],
    )
      .catch(() => [])
      .finally(() => monitor.close());
    const clusterMs = opened[0]?.ms ?? Number.NaN;

    // The projector resumes on the new primary: every projection at the head, none failed.
    const projected = await until('every projection at the head on the new primary', async () => {
      const status = await rows<{ name: string; position: number; failure: unknown }>(db, 'SELECT name, position, failure FROM yingpan.projection_checkpoints');
      const head = (await store.head()).position;
      expect(status.filter((row) => row.failure)).toEqual([]);
      return status.length > 0 && status.every((row) => row.position === head) ? head : null;
    });

    // Every acknowledged mutation exactly once, at the position its answer named.
    const acknowledged = log.filter((entry) => entry.answer.ok);
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

    // Those never acknowledged, re-sent with their command ids to the surviving API: each recorded once.
    const acknowledgedIds = new Set(acknowledged.map((entry) => entry.job.commandId));
    const unanswered = [...new Map(log.filter((entry) => !acknowledgedIds.has(entry.job.commandId)).map((entry) => [entry.job.commandId, entry.job])).values()];
    const committedAnyway = await countsOf(unanswered.map((job) => job.commandId));
    for (const job of unanswered) {
      let again = await send(job, survivor);
      for (let i = 0; i < 5 && again.code === 'rejection:concurrent-change'; i++) again = await send(job, survivor);
      expect(again, JSON.stringify(job)).toMatchObject({ ok: true });
    }
    const all = await countsOf(log.map((entry) => entry.job.commandId));
    expect([...new Set(log.map((entry) => entry.job.commandId))].filter((id) => all.get(id)?.n !== 1)).toEqual([]);
    const verified = await store.verify();
    expect(verified.ok).toBe(true);

    // The subscription on the API without the projector kept telling of changes after the failover.
    await sleep(1_500);
    subscription.abort();
    await subscribed;
    const heardAfterFailover = heard.filter((change) => change.at > killedAt + firstWriteMs);
    expect(heardAfterFailover.length).toBeGreaterThan(0);

    const slowest = Math.max(...log.map((entry) => entry.answer.ms));
    figure(
      `failover under write load (pg_auto_failover, cluster up in ${upSeconds.toFixed(0)} s; 2 API processes, 4 clients): ` +
        `kill -9 of the primary's postgres (${killedPrimary}) → the standby open for writes ${(clusterMs / 1000).toFixed(1)} s later (the monitor's wait_primary), ` +
        `first acknowledged write sent after the kill ${(firstWriteMs / 1000).toFixed(1)} s later (goal ≤ 10 s), ` +
        `${newPrimary} primary now, ${killedPrimary} its secondary ${(rejoinedMs / 1000).toFixed(1)} s after the kill; ${log.length} requests, ${acknowledged.length} acknowledged, lost = ${lost.length}, duplicated = ${duplicated.length}; ` +
        `not acknowledged: ${[...codes].map(([code, n]) => `${n} ${code}`).join(', ') || 'none'}; slowest answer ${(slowest / 1000).toFixed(1)} s; ` +
        `${unanswered.length} never acknowledged re-sent with their ids: each recorded once (${committedAnyway.size} had committed); chain verified; ` +
        `projector at the head (${projected}) on the new primary; the follower's subscription heard ${heardAfterFailover.length} changes after the failover`,
    );
    figure(
      `failover timeline (the monitor's events after the kill): ${timeline
        .filter((event) => event.ms <= clusterMs + 1000)
        .map((event) => `+${(event.ms / 1000).toFixed(1)} s ${event.node} ${event.reported}→${event.goal}`)
        .join(', ')}`,
    );
    for (const [index, step] of standbySteps.entries()) {
      const end = standbySteps[index + 1]?.at ?? Number.POSITIVE_INFINITY;
      const during = log.filter((entry) => entry.sentAt >= step.at && entry.sentAt < end);
      const failed = during.filter((entry) => !entry.answer.ok);
      figure(
        `${step.what} (${step.node}): ${during.length} requests meanwhile, ${during.length - failed.length} acknowledged` +
          `${failed.length ? ` (${failed.map((entry) => entry.answer.code).join(', ')})` : ''}, the slowest answer ${(Math.max(...during.map((entry) => entry.answer.ms)) / 1000).toFixed(1)} s; ` +
          (step.aloneAt ? `the primary committing alone (wait_primary) ${((step.aloneAt - step.at) / 1000).toFixed(1)} s after the disk filled, ` : '') +
          (step.clearedAt > step.at ? `full for ${((step.clearedAt - step.at) / 1000).toFixed(1)} s, then ` : '') +
          `a secondary again holding the primary's log (to position ${step.heldHead}, hash for hash) ${((step.backAt - step.clearedAt) / 1000).toFixed(1)} s after ` +
          (step.clearedAt > step.at ? 'its space came back' : 'the kill'),
      );
    }
    if (!NODE_DISK) figure("the standby's disk full: SKIPPED (this process may not mount a file system)");
    figure(
      `projector takeover: kill -9 of the API process holding the lock (pid ${killedApi}; pid ${firstLeader} held it before the failover) → ` +
        `the other (pid ${secondLeader}) held it ${(takeoverMs / 1000).toFixed(1)} s later; writes went on through it`,
    );
  });
});
