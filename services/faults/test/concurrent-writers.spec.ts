/**
 * Scenario 1: many concurrent writers.
 *
 * (a) 16 async writers over four separate pg pools append thousands of events through
 *     SqlEventStore, half of them racing on one shared stream with exact expected versions
 *     (conflicts surface as ConcurrencyError; the writer re-reads the version and appends again),
 *     half on streams of their own, with multi-event appends, atomic two-stream appends and
 *     re-sent appends (a lost acknowledgement, or the same append sent twice at once). Nothing may
 *     be lost or doubled, positions and stream versions must be gap-free, and the hash chain must
 *     verify. (SqlEventStore groups
 *     concurrent appends of one instance into one transaction: the four instances compete through
 *     the append lock, the writers of one instance share group commits.)
 * (b) The same on the domain: 16 writers issue valid commands (register people, record training
 *     attendance on two trainings everyone attends, record station visits) through the command
 *     bus on a copy of the seeded small county, while an in-process projector follows the log live and a
 *     second projector process is killed with SIGKILL at random moments and restarted. Afterwards
 *     every read model must equal a clean rebuild, row for row.
 *
 * (c) 48 clients record attendance at one training over HTTP at the same moment: when the command
 *     bus's own conflict retries run out the client gets the typed Rejection 'concurrent-change' (never
 *     an opaque error), and re-sending with the same command id records each attendance exactly once.
 *
 * The projection engine's own crash test (projections/test/replay.int.spec.ts, "a projector
 * killed at random moments") kills a projector during a rebuild and during catch-up of a log
 * that does not change; (b) adds kills while commands are being appended and a second projector
 * competes for the same checkpoints.
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openRuntime } from '@yingpan/api';
import { postgresDb, type Db } from '@yingpan/db';
import { createDomain, DomainError, type CommandContext } from '@yingpan/domain';
import { ConcurrencyError, SqlEventStore, type NewEvent, type StoredEvent } from '@yingpan/event-store';
import { Projector, allProjections, listTrainings } from '@yingpan/projections';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dumpDifferences, dumpReadModels, figure, rebuildAll, rows, serveApi, sleep, throwaway, type Throwaway } from './support.ts';

const newEvent = (data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type: 'FaultProbeWritten',
  schemaVersion: 1,
  data,
  metadata: {
    recordedBy: { personId: 'faults', role: 'staff' },
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
  },
});

describe('scenario 1: concurrent writers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('[faults] cleanup failed:', error));
  });

  it('16 writers on four pools through SqlEventStore: nothing lost or doubled, gap-free, conflicts typed and retried, chain verifies', async () => {
    const target = await throwaway(4);
    cleanups.push(() => target.dispose());
    await SqlEventStore.open(target.db);
    // Four pools of four connections: the writers really are on different connections.
    const pools: Db[] = [target.db, ...Array.from({ length: 3 }, () => postgresDb({ connectionString: target.url, max: 4 }))];
    cleanups.push(async () => {
      for (const pool of pools.slice(1)) await pool.close();
    });
    const stores = pools.map((pool) => new SqlEventStore(pool));

    const WRITERS = 16;
    /** Appends per writer on its own streams, and per writer racing on the shared stream (8 racers make ~5 attempts per append). */
    const APPENDS = 180;
    const SHARED_APPENDS = 50;
    const shared = 'faults:shared';
    /** Every acknowledged event: id → the (writer, seq) it carries and its stream. */
    const acknowledged = new Map<string, { writer: number; seq: number; part: number; streamId: string }>();
    let attempts = 0;
    let conflicts = 0;
    let resent = 0;
    let duplicateAnswers = 0;

    // A reader following the log while it is written must see every event once, in order.
    const abort = new AbortController();
    const seen: StoredEvent[] = [];
    const reader = (async () => {
      for await (const event of stores[3]!.subscribe({ after: 0, signal: abort.signal, batchSize: 113, pollIntervalMs: 50 })) seen.push(event);
    })();

    const started = Date.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        const store = stores[writer % stores.length]!;
        const own = `faults:writer-${writer}`;
        const second = `faults:writer-${writer}-b`;
        const versions = new Map<string, number>([
          [own, 0],
          [second, 0],
        ]);
        const appends = writer < WRITERS / 2 ? SHARED_APPENDS : APPENDS;
        for (let seq = 0; seq < appends; seq++) {
          if (writer < WRITERS / 2) {
            // Racing on one stream with the exact version: a conflict is re-read and retried.
            const event = newEvent({ writer, seq, part: 0 });
            for (;;) {
              attempts += 1;
              const version = await store.streamVersion(shared);
              try {
                await store.append({ streamId: shared, expectedVersion: version, events: [event] });
                break;
              } catch (error) {
                expect(error).toBeInstanceOf(ConcurrencyError);
                expect((error as ConcurrencyError).streamId).toBe(shared);
                expect((error as ConcurrencyError).actual).toBeGreaterThan(version);
                conflicts += 1;
              }
            }
            acknowledged.set(event.id, { writer, seq, part: 0, streamId: shared });
            continue;
          }
          attempts += 1;
          if (seq % 20 === 19) {
            // One atomic unit on two streams.
            const a = newEvent({ writer, seq, part: 0 });
            const b = newEvent({ writer, seq, part: 1 });
            const results = await store.appendMany([
              { streamId: own, expectedVersion: versions.get(own)!, events: [a] },
              { streamId: second, expectedVersion: versions.get(second)!, events: [b] },
            ]);
            versions.set(own, results[0]!.nextExpectedVersion);
            versions.set(second, results[1]!.nextExpectedVersion);
            acknowledged.set(a.id, { writer, seq, part: 0, streamId: own });
            acknowledged.set(b.id, { writer, seq, part: 1, streamId: second });
            continue;
          }
          const events = Array.from({ length: seq % 10 === 0 ? 3 : 1 }, (_, part) => newEvent({ writer, seq, part }));
          const request = { streamId: own, expectedVersion: versions.get(own)!, events };
          if (seq % 25 === 13) {
            // An impatient writer sends the same append twice at once (through the group commit,
            // possibly in one group): one is written, the other answered as its duplicate.
            resent += 1;
            const pair = await Promise.all([store.append(request), store.append(request)]);
            expect(pair.map((answer) => answer.duplicate).sort()).toEqual([false, true]);
            expect(pair[0]!.positions).toEqual(pair[1]!.positions);
            duplicateAnswers += 1;
            versions.set(own, pair[0]!.nextExpectedVersion);
            for (const [part, event] of events.entries()) acknowledged.set(event.id, { writer, seq, part, streamId: own });
            continue;
          }
          const result = await store.append(request);
          expect(result.duplicate).toBe(false);
          versions.set(own, result.nextExpectedVersion);
          for (const [part, event] of events.entries()) acknowledged.set(event.id, { writer, seq, part, streamId: own });
          if (seq % 25 === 7) {
            // The acknowledgement was "lost": the writer sends the very same append again.
            resent += 1;
            const again = await store.append(request);
            expect(again).toEqual({ ...result, duplicate: true });
            duplicateAnswers += 1;
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    const head = await stores[0]!.head();
    const deadline = Date.now() + 30_000;
    while ((seen.at(-1)?.position ?? 0) < head.position && Date.now() < deadline) await sleep(20);
    abort.abort();
    await reader;

    const stored = await rows<{
      position: number;
      event_id: string;
      stream_id: string;
      stream_version: number;
      data: { writer: number; seq: number; part: number };
    }>(target.db, 'SELECT position, event_id, stream_id, stream_version, data FROM yingpan.events ORDER BY position');
    const storedIds = new Set(stored.map((row) => row.event_id));
    const lost = [...acknowledged.keys()].filter((id) => !storedIds.has(id));
    const keys = stored.map((row) => `${row.data.writer}/${row.data.seq}/${row.data.part}`);
    const duplicated = keys.length - new Set(keys).size;
    const unacknowledged = stored.filter((row) => !acknowledged.has(row.event_id));

    expect(lost).toEqual([]);
    expect(duplicated).toBe(0);
    expect(unacknowledged).toEqual([]);
    expect(stored.length).toBe(acknowledged.size);
    expect(storedIds.size).toBe(stored.length);
    // Gap-free global positions, and gap-free versions on every stream.
    expect(stored.map((row) => row.position)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    const byStream = new Map<string, typeof stored>();
    for (const row of stored) byStream.set(row.stream_id, [...(byStream.get(row.stream_id) ?? []), row]);
    for (const [streamId, events] of byStream) {
      expect(
        events.map((row) => row.stream_version),
        streamId,
      ).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      expect(events.every((row) => acknowledged.get(row.event_id)!.streamId === streamId)).toBe(true);
    }
    // Each writer's appends to the shared stream are in the order it made them.
    const sharedEvents = byStream.get(shared)!;
    expect(sharedEvents.length).toBe((WRITERS / 2) * SHARED_APPENDS);
    for (let writer = 0; writer < WRITERS / 2; writer++) {
      const seqs = sharedEvents.filter((row) => row.data.writer === writer).map((row) => row.data.seq);
      expect(seqs).toEqual(Array.from({ length: SHARED_APPENDS }, (_, i) => i));
    }
    // The follower saw every event once, in order.
    expect(seen.map((event) => event.position)).toEqual(stored.map((row) => row.position));
    expect(seen.map((event) => event.id)).toEqual(stored.map((row) => row.event_id));
    // Conflicts really happened, and the chain over all of it verifies.
    expect(conflicts).toBeGreaterThan(0);
    expect(duplicateAnswers).toBe(resent);
    const verified = await stores[1]!.verify();
    expect(verified).toMatchObject({ ok: true, count: stored.length });

    figure(
      `concurrent writers (SqlEventStore, ${WRITERS} writers on ${stores.length} pools, ${seconds.toFixed(1)} s): ` +
        `${attempts} appends attempted, ${(WRITERS / 2) * (APPENDS + SHARED_APPENDS)} acknowledged (${acknowledged.size} events), ${stored.length} found, ` +
        `${conflicts} conflicts retried, ${resent} re-sent appends (after the answer, or twice at once) answered as duplicates, ${lost.length} lost, ${duplicated} duplicated, ` +
        `positions 1..${head.position} gap-free, follower saw ${seen.length}, chain verified ${verified.count}`,
    );
  });

  it('16 writers issuing domain commands while projectors follow live and one is killed repeatedly: read models equal a clean rebuild', async () => {
    // A copy of the suite's seeded county, its read models caught up.
    const target: Throwaway = await throwaway(12, inject('countyTemplate'));
    cleanups.push(() => target.dispose());
    const { db } = target;
    const store = await SqlEventStore.open(db);
    const seededHead = (await store.head()).position;
    const bus = createDomain(store).bus;
    const staff = { personId: 'faults-staff', role: 'staff' };
    const context = (commandId: string = randomUUID()): CommandContext => ({ commandId, actor: staff, occurredAt: '2026-11-25T10:00:00.000Z' });

    // Four fresh trainings; everybody attends two of them: attendances race on four streams.
    const trainings = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const attendedBy = (index: number) => [trainings[index % 4]!, trainings[(index + 1) % 4]!];
    const expectedAttendees = new Map(trainings.map((id) => [id, 0]));
    for (const [index, activityId] of trainings.entries()) {
      await bus.execute(
        'OrganiseTraining',
        { activityId, trainingType: 'station-study', title: `故障演练培训${index + 1}`, date: `2026-11-1${index}` },
        context(),
      );
    }
    const seededPeople = (await rows<{ id: string }>(db, `SELECT data->>'personId' AS id FROM yingpan.events WHERE type = 'PersonRegistered'`)).map(
      (row) => row.id,
    );
    // Deputies of the open term still assigned to a station; they visit it on days after the seed's last day.
    const deputies = await rows<{ stationId: string; personId: string; mandateId: string }>(
      db,
      `SELECT DISTINCT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId"
         FROM yingpan.events a
         JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
        WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'kind' = 'deputy'
          AND m.data->>'termId' = (SELECT data->>'termId' FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1)
          AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                             AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)
          -- the seed runs up to its day, so it may hold visits on the days below: those deputies would be refused, rightly
          AND NOT EXISTS (SELECT 1 FROM yingpan.events v WHERE v.type = 'StationVisitRecorded' AND v.stream_id = a.stream_id
                             AND v.data->>'personId' = a.data->>'personId' AND v.data->>'date' BETWEEN '2026-11-02' AND '2026-11-05')`,
    );
    expect(deputies.length).toBeGreaterThan(10);
    expect(seededPeople.length).toBeGreaterThan(40);

    // The work: chains of commands (a chain runs in order; chains run concurrently).
    type Step = { name: string; input: Record<string, unknown>; commandId: string };
    const chains: Step[][] = [];
    const step = (name: string, input: Record<string, unknown>): Step => ({ name, input, commandId: randomUUID() });
    const NEW_PEOPLE = 60;
    const attend = (personId: string, index: number) =>
      attendedBy(index).map((activityId) => {
        expectedAttendees.set(activityId, expectedAttendees.get(activityId)! + 1);
        return step('RecordTrainingAttendance', { activityId, personId });
      });
    for (let i = 0; i < NEW_PEOPLE; i++) {
      const personId = randomUUID();
      chains.push([step('RegisterPerson', { personId, name: `演练代表${i + 1}` }), ...attend(personId, i)]);
    }
    for (const [index, personId] of seededPeople.entries()) chains.push(attend(personId, index));
    const VISIT_DAYS = 4;
    for (const deputy of deputies) {
      chains.push(
        Array.from({ length: VISIT_DAYS }, (_, day) =>
          step('RecordStationVisit', { ...deputy, recordId: randomUUID(), date: `2026-11-${String(day + 2).padStart(2, '0')}`, summary: '故障演练：进站履职' }),
        ),
      );
    }
    // Interleave the kinds of work.
    chains.sort(() => Math.random() - 0.5);
    const commandCount = chains.reduce((sum, chain) => sum + chain.length, 0);

    // An in-process projector follows live, as the API's does.
    const live = new Projector(db, store, allProjections, { batchSize: 200, pollIntervalMs: 200 });
    await live.prepare();
    const liveAbort = new AbortController();
    const liveRun = live.run(liveAbort.signal);

    // A second projector process competes for the same checkpoints and is killed at random moments.
    const fixture = fileURLToPath(new URL('./fixtures/live-projector.ts', import.meta.url));
    let writing = true;
    let kills = 0;
    let killsWhileWriting = 0;
    let current: ChildProcess | null = null;
    let projecting!: () => void;
    const firstProjecting = new Promise<void>((resolve) => (projecting = resolve));
    const killer = (async () => {
      // At least two kills, whatever the machine's speed; as many as fit while the commands run.
      while (writing || kills < 2) {
        const child = spawn(process.execPath, ['--import', 'tsx', fixture, target.url, String(20 + Math.floor(Math.random() * 200))], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        current = child;
        let stderr = '';
        child.stderr!.on('data', (chunk) => (stderr += chunk));
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.on('exit', (code, signal) => resolve({ code, signal })),
        );
        // Kill it a random while after it has started projecting.
        const ready = new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('running') && resolve()));
        const outcome = await Promise.race([ready.then(() => null), exited]);
        if (outcome) throw new Error(`the projector process exited early (${outcome.code ?? outcome.signal}): ${stderr}`);
        projecting();
        await sleep(100 + Math.random() * 1200);
        if (writing) killsWhileWriting += 1;
        child.kill('SIGKILL');
        const { signal } = await exited;
        if (signal !== 'SIGKILL') throw new Error(`the projector process ended by itself: ${stderr}`);
        kills += 1;
      }
    })();
    cleanups.push(async () => {
      writing = false;
      (current as ChildProcess | null)?.kill('SIGKILL');
    });

    // 16 writers take chains from one queue.
    let next = 0;
    let conflictsSurfaced = 0;
    const refused: string[] = [];
    const outcomes = new Map<string, { events: StoredEvent[] }>();
    // The writers start once the second projector is running, so that kills land among the appends.
    await Promise.race([firstProjecting, killer]);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < chains.length) {
          const chain = chains[next++]!;
          for (const { name, input, commandId } of chain) {
            for (;;) {
              try {
                const outcome = await bus.execute(name, input, context(commandId));
                outcomes.set(commandId, outcome);
                break;
              } catch (error) {
                // The bus retries a conflict a few times itself; past that it answers 'concurrent-change' (a bare
                // ConcurrencyError before that answer existed), and the caller retries with the same command id.
                if (error instanceof ConcurrencyError || (error instanceof DomainError && error.code === 'concurrent-change')) {
                  conflictsSurfaced += 1;
                  continue;
                }
                if (error instanceof DomainError) {
                  refused.push(`${name}: ${error.code}`);
                  break;
                }
                throw error;
              }
            }
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    writing = false;
    await killer;

    expect(refused).toEqual([]);
    expect(outcomes.size).toBe(commandCount);
    // Every command is in the log exactly once: one event per command id.
    const perCommand = await rows<{ command_id: string; n: number }>(
      db,
      `SELECT metadata->>'commandId' AS command_id, count(*)::int AS n FROM yingpan.events WHERE position > $1 GROUP BY 1`,
      [seededHead],
    );
    const counted = new Map(perCommand.map((row) => [row.command_id, row.n]));
    const commandIds = chains.flat().map((s) => s.commandId);
    const lost = commandIds.filter((id) => !counted.has(id));
    const duplicated = commandIds.filter((id) => (counted.get(id) ?? 0) > 1);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    const head = (await store.head()).position;
    expect(head).toBe(seededHead + trainings.length + commandCount);

    // Re-sending finished commands (same id) appends nothing.
    const head0 = head;
    const sample = chains.flat().filter((_, i) => i % 17 === 0);
    for (const { name, input, commandId } of sample) {
      const again = await bus.execute(name, input, context(commandId));
      expect(again.duplicate).toBe(true);
      expect(again.events.map((event) => event.id)).toEqual(outcomes.get(commandId)!.events.map((event) => event.id));
    }
    expect((await store.head()).position).toBe(head0);

    // The live projector reaches the head; then the read models must equal a clean rebuild.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await live.status();
      expect(status.filter((row) => row.failure)).toEqual([]);
      if (status.every((row) => row.position === head)) break;
      if (Date.now() > deadline) throw new Error(`projections did not reach ${head}: ${JSON.stringify(status.map((row) => [row.name, row.position]))}`);
      await sleep(200);
    }
    liveAbort.abort();
    await liveRun;
    const attendees = new Map((await listTrainings(db)).map((training) => [training.activityId, training.attendees]));
    expect(trainings.map((id) => attendees.get(id))).toEqual(trainings.map((id) => expectedAttendees.get(id)));
    const liveDump = await dumpReadModels(db);
    await rebuildAll(db, store);
    const rebuiltDump = await dumpReadModels(db);
    const differences = dumpDifferences(liveDump, rebuiltDump);
    expect(differences).toEqual([]);
    const verified = await store.verify();
    expect(verified).toMatchObject({ ok: true, count: head });

    const tables = Object.keys(liveDump).length;
    const readRows = Object.values(liveDump).reduce((sum, table) => sum + table.length, 0);
    figure(
      `concurrent commands (domain bus, 16 writers, ${seconds.toFixed(1)} s): ${commandCount} commands attempted, ${outcomes.size} acknowledged, ` +
        `${commandCount - lost.length} found exactly once, ${conflictsSurfaced} conflicts surfaced past the bus's own retries and retried, ` +
        `${lost.length} lost, ${duplicated.length} duplicated, ${sample.length} re-sent commands appended nothing; ` +
        `projector process killed ${kills} times (${killsWhileWriting} while commands were appended) while a live projector ran; ${tables} read-model tables (${readRows} rows) equal a clean rebuild; chain verified ${verified.count}`,
    );
    expect(killsWhileWriting).toBeGreaterThan(0);
  });

  it('48 clients record attendance at one training over HTTP at once: each gets a success or the typed concurrent-change, and re-sent, each is recorded once', async () => {
    const target = await throwaway(10);
    cleanups.push(() => target.dispose());
    const runtime = await openRuntime({ dataDir: 'unused', databaseUrl: target.url }, target.db);
    cleanups.push(() => runtime.close());
    const context = () => ({ commandId: randomUUID(), actor: { personId: 'faults-staff', role: 'staff' }, occurredAt: new Date().toISOString() });
    const trainingId = randomUUID();
    await runtime.commands.execute(
      'OrganiseTraining',
      { activityId: trainingId, trainingType: 'station-study', title: '同时登记', date: '2026-11-20' },
      context(),
    );
    const people = Array.from({ length: 48 }, () => randomUUID());
    for (const [index, personId] of people.entries()) await runtime.commands.execute('RegisterPerson', { personId, name: `学员${index + 1}` }, context());
    await runtime.projector.catchUp();
    const base = await serveApi(runtime, cleanups);
    const token = await runtime.tokens.mint({ role: 'staff' });
    const RECORD = `mutation R($input: RecordTrainingAttendanceInput!) { recordTrainingAttendance(input: $input) {
      __typename ... on CommandResult { duplicate position } ... on Rejection { code } } }`;
    const send = async (commandId: string, personId: string) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: RECORD, variables: { input: { commandId, trainingId, personId } } }),
      });
      const body = (await response.json()) as {
        data?: { recordTrainingAttendance?: { __typename: string; code?: string; data?: { duplicate: boolean } } } | null;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      return { status: response.status, result: body.data?.recordTrainingAttendance ?? null, error: body.errors?.[0] ?? null };
    };
    const jobs = people.map((personId) => ({ personId, commandId: randomUUID() }));
    const first = await Promise.all(jobs.map((job) => send(job.commandId, job.personId)));
    const isSuccess = (answer: (typeof first)[number]) => answer.result?.__typename === 'CommandResult';
    const isConflict = (answer: (typeof first)[number]) => answer.result?.__typename === 'Rejection' && answer.result.code === 'concurrent-change';
    const succeeded = first.filter(isSuccess).length;
    const conflicts = first.filter(isConflict).length;
    const opaque = first.filter((answer) => answer.error !== null);
    // Every answer is a success or the typed, retryable 'concurrent-change'; never an opaque error, never another refusal.
    expect(opaque.map((answer) => answer.error)).toEqual([]);
    expect(succeeded + conflicts).toBe(jobs.length);

    // What a careful client does: re-send the refused ones with the same command id until recorded.
    let rounds = 0;
    let pending = jobs.filter((_, index) => !isSuccess(first[index]!));
    while (pending.length > 0) {
      rounds += 1;
      expect(rounds, 'the re-sent attendances were not all recorded after 20 rounds').toBeLessThanOrEqual(20);
      const answers = await Promise.all(pending.map((job) => send(job.commandId, job.personId)));
      for (const answer of answers) expect(isSuccess(answer) || isConflict(answer), JSON.stringify(answer)).toBe(true);
      pending = pending.filter((_, index) => !isSuccess(answers[index]!));
    }
    const { rows: counted } = await target.db.query<{ n: number; distinct_commands: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT metadata->>'commandId')::int AS distinct_commands FROM yingpan.events WHERE stream_id = $1 AND type = 'TrainingAttendanceRecorded'`,
      [`activity:${trainingId}`],
    );
    expect(counted[0]).toEqual({ n: jobs.length, distinct_commands: jobs.length });

    figure(
      `concurrent mutations over HTTP on one stream (48 attendances at one training at once): ${succeeded} answered success, ` +
        `${conflicts} answered the typed Rejection concurrent-change (the bus's retries ran out), ${opaque.length} opaque errors; ` +
        `the refused re-sent with the same command ids in ${rounds} more round(s): all ${jobs.length} recorded exactly once`,
    );
  });
});
