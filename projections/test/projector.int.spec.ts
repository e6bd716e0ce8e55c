import { randomUUID } from 'node:crypto';
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { createDomain, type CommandContext, type Domain } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_WHILE_REBUILDING, type Projection } from '../src/engine/projection.ts';
import { Projector } from '../src/engine/projector.ts';
import { directory, listPeople, listTrainings, modelHash, trainingPersonTimes, trainingStats } from '../src/index.ts';

const context = (occurredAt = '2023-05-04T02:00:00.000Z'): CommandContext => ({
  commandId: randomUUID(),
  actor: { personId: 'staff-1', role: 'staff' },
  occurredAt,
});

/** Fails on the second attendance it sees. */
const brittle: Projection = {
  name: 'brittle',
  version: 1,
  handles: ['TrainingAttendanceRecorded'],
  tables: (schema) => `CREATE TABLE ${schema}.seen (n int)`,
  async apply(tx, schema) {
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.seen`);
    if (rows[0]!.n >= 1) throw new Error('cannot handle a second attendance');
    await tx.query(`INSERT INTO ${schema}.seen VALUES (1)`);
  },
};

/** Notes, for each attendance, the indexes its own schema has at that moment. */
const indexWatcher: Projection = {
  name: 'index_watcher',
  version: 1,
  handles: ['TrainingAttendanceRecorded'],
  tables: (schema) => `CREATE TABLE ${schema}.seen (position bigint PRIMARY KEY, indexes text NOT NULL); CREATE INDEX ON ${schema}.seen (indexes);
    CREATE INDEX seen_read_by ON ${schema}.seen (position, indexes); COMMENT ON INDEX ${schema}.seen_read_by IS '${READ_WHILE_REBUILDING}'`,
  async apply(tx, schema, event) {
    await tx.query(`INSERT INTO ${schema}.seen SELECT $1, string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = $2`, [
      event.position,
      schema,
    ]);
  },
};

/** Notes every event it handles by position: an event applied twice would break the primary key. */
const counter: Projection = {
  name: 'counter',
  version: 1,
  handles: ['PersonRegistered', 'TrainingAttendanceRecorded'],
  tables: (schema) => `CREATE TABLE ${schema}.seen (position bigint PRIMARY KEY)`,
  async apply(tx, schema, event) {
    await tx.query(`INSERT INTO ${schema}.seen VALUES ($1)`, [event.position]);
  },
};

/** Notes, for each attendance, the transaction's `synchronous_commit` as the projector applies it. */
const commitWatcher: Projection = {
  name: 'commit_watcher',
  version: 1,
  handles: ['TrainingAttendanceRecorded'],
  tables: (schema) => `CREATE TABLE ${schema}.seen (position bigint PRIMARY KEY, setting text NOT NULL)`,
  async apply(tx, schema, event) {
    await tx.query(`INSERT INTO ${schema}.seen SELECT $1, current_setting('synchronous_commit')`, [event.position]);
  },
};

const indexesOf = async (db: TestDb['db'], schema: string) =>
  (await db.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema])).rows.map((row) => row.indexdef);

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`projector on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let commands: Domain['bus'];
    const people = [randomUUID(), randomUUID(), randomUUID()];
    const lecture = randomUUID();
    const induction = randomUUID();

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      commands = createDomain(store).bus;
      for (const [index, personId] of people.entries()) await commands.execute('RegisterPerson', { personId, name: `代表${index + 1}` }, context());
      await commands.execute('OrganiseTraining', { activityId: lecture, trainingType: 'expert-lecture', title: '宪法讲座', date: '2023-05-04' }, context());
      await commands.execute(
        'OrganiseTraining',
        { activityId: induction, trainingType: 'induction-class', title: '新任代表培训', date: '2022-03-01' },
        context(),
      );
      for (const personId of people) await commands.execute('RecordTrainingAttendance', { activityId: lecture, personId }, context());
      await commands.execute('RecordTrainingAttendance', { activityId: induction, personId: people[0]! }, context('2022-03-01T02:00:00.000Z'));
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('projects person-times per training type and the directory, and a failing projection stops alone', async () => {
      const projector = new Projector(testDb.db, store, [directory, trainingStats, brittle], { batchSize: 4 });
      await projector.prepare();
      await projector.catchUp();

      const counts = await trainingPersonTimes(testDb.db);
      expect(counts.find((row) => row.trainingType === 'expert-lecture')?.personTimes).toBe(3);
      expect(counts.find((row) => row.trainingType === 'induction-class')?.personTimes).toBe(1);
      expect(counts.find((row) => row.trainingType === 'station-study')?.personTimes).toBe(0);
      expect((await trainingPersonTimes(testDb.db, 2022)).find((row) => row.trainingType === 'induction-class')?.personTimes).toBe(1);
      expect((await listPeople(testDb.db)).map((person) => person.name)).toEqual(['代表1', '代表2', '代表3']);
      expect((await listTrainings(testDb.db)).map((training) => [training.title, training.attendees])).toEqual([
        ['宪法讲座', 3],
        ['新任代表培训', 1],
      ]);

      const status = await projector.status();
      const head = (await store.head()).position;
      expect(status.find((row) => row.name === 'training_stats')).toMatchObject({ position: head, lagEvents: 0, failure: null });
      const failed = status.find((row) => row.name === 'brittle')!;
      expect(failed.failure).toMatchObject({ eventType: 'TrainingAttendanceRecorded', message: 'cannot handle a second attendance' });
      expect(failed.position).toBeLessThan(failed.failure!.position);
      expect(failed.lagEvents).toBeGreaterThan(0);
    });

    it('follows new events live', async () => {
      const projector = new Projector(testDb.db, store, [trainingStats], { pollIntervalMs: 5_000 });
      await projector.prepare();
      const abort = new AbortController();
      const running = projector.run(abort.signal);
      const newcomer = randomUUID();
      await commands.execute('RegisterPerson', { personId: newcomer, name: '新代表' }, context());
      await commands.execute('RecordTrainingAttendance', { activityId: lecture, personId: newcomer }, context());
      const deadline = Date.now() + 4_000;
      let lecturePersonTimes = 0;
      while (Date.now() < deadline && lecturePersonTimes < 4) {
        lecturePersonTimes = (await trainingPersonTimes(testDb.db)).find((row) => row.trainingType === 'expert-lecture')!.personTimes;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      abort.abort();
      await running;
      expect(lecturePersonTimes).toBe(4);
    });

    it('reads the log once for all projections standing at the same position', async () => {
      // The real store, counting the pages read through it (and slow enough that two steps begun
      // together surely overlap).
      const reads: number[] = [];
      const counted = Object.create(store, {
        readAll: {
          value: async (options: { after?: number; limit?: number }) => {
            reads.push(options.after ?? 0);
            await new Promise((resolve) => setTimeout(resolve, 200));
            return store.readAll(options);
          },
        },
      }) as SqlEventStore;
      const projector = new Projector(testDb.db, counted, [directory, trainingStats], { batchSize: 100 });
      await projector.prepare();
      await projector.catchUp();
      // Both stand at the head now: stepping together, they read the page after it once.
      reads.length = 0;
      const head = (await store.head()).position;
      await Promise.all([projector.step(directory), projector.step(trainingStats)]);
      expect(reads).toEqual([head]);
      // Apart in time, each reads for itself (nothing is kept between reads).
      reads.length = 0;
      await projector.step(directory);
      await projector.step(trainingStats);
      expect(reads).toEqual([head, head]);
    });

    it('commits read-model batches without waiting for the WAL flush, and leaves the setting to them', async () => {
      const projector = new Projector(testDb.db, store, [commitWatcher, directory], { batchSize: 2 });
      await projector.prepare();
      const outside = (await testDb.db.query<{ setting: string }>(`SELECT current_setting('synchronous_commit') AS setting`)).rows[0]!.setting;
      await projector.catchUp();
      const settings = (await testDb.db.query<{ setting: string }>('SELECT DISTINCT setting FROM rm_commit_watcher.seen')).rows.map((row) => row.setting);
      expect(settings).toEqual(['off']);
      // SET LOCAL: the connections the projector used keep their own setting for everything else.
      for (let i = 0; i < 4; i++) {
        const after = (await testDb.db.query<{ setting: string }>(`SELECT current_setting('synchronous_commit') AS setting`)).rows[0]!.setting;
        expect(after).toBe(outside);
      }
    });

    it('wakes the projections standing together with one wait for the log, not one each', async () => {
      let heads = 0; // each wait for an append asks the log's head once
      const counted = Object.create(store, {
        head: {
          value: () => {
            heads++;
            return store.head();
          },
        },
      }) as SqlEventStore;
      const projector = new Projector(testDb.db, counted, [directory, trainingStats], { pollIntervalMs: 60_000 });
      await projector.prepare();
      await projector.catchUp();
      heads = 0;
      const abort = new AbortController();
      const running = projector.run(abort.signal);
      // Both models caught up and waiting before the append (else they may see it without waiting at all).
      for (const deadline = Date.now() + 4_000; heads === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heads).toBe(1); // one wait for both
      // Appended as another process would, so that the projector hears it once, by NOTIFY: an append of
      // its own store also wakes its waiters at once, and the NOTIFY arriving later (on a busy machine,
      // after a projection has applied the event and waits again) would wake that wait once more, one
      // look at the head more for a reason other than the one this test checks.
      const elsewhere = createDomain(new SqlEventStore(testDb.db)).bus;
      const newcomer = randomUUID();
      await elsewhere.execute('RegisterPerson', { personId: newcomer, name: '又一位代表' }, context());
      const head = (await store.head()).position;
      const deadline = Date.now() + 4_000;
      const standing = async () =>
        (
          await testDb.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM yingpan.projection_checkpoints WHERE name IN ('directory', 'training_stats') AND position = $1`,
            [head],
          )
        ).rows[0]!.n;
      while (Date.now() < deadline && (await standing()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      // Both waiting again: the second wait begins once both have applied the append (later on a busy machine).
      for (const waited = Date.now() + 4_000; heads < 2 && Date.now() < waited; ) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200)); // a wait of each projection's own would show by now
      abort.abort();
      await running;
      expect(await standing()).toBe(2);
      expect(heads).toBe(2); // before the append, and after it: one wait each time for both projections
    });

    it('rebuilds beside the live model and switches atomically: readers never see a half-built model', async () => {
      const projector = new Projector(testDb.db, store, [directory, trainingStats], { batchSize: 2 });
      await projector.prepare();
      await projector.catchUp();
      const before = await modelHash(testDb.db, directory);
      const totalAttendees = async () => (await listTrainings(testDb.db)).reduce((sum, row) => sum + row.attendees, 0);
      const expected = await totalAttendees();
      const seen = new Set<number>();
      let rebuilding = true;
      const reader = (async () => {
        while (rebuilding) seen.add(await totalAttendees());
      })();
      const progress: number[] = [];
      await projector.rebuild(directory, (position) => progress.push(position));
      rebuilding = false;
      await reader;
      expect([...seen]).toEqual([expected]);
      expect(progress.length).toBeGreaterThan(2);
      expect(await modelHash(testDb.db, directory)).toBe(before);
      const status = (await projector.status()).find((row) => row.name === 'directory')!;
      expect(status).toMatchObject({ lagEvents: 0, failure: null });
    });

    it('fills rebuilt tables before creating their non-unique indexes (but those it reads by), and leaves every index in place', async () => {
      const projector = new Projector(testDb.db, store, [indexWatcher], { batchSize: 2 });
      await projector.prepare();
      await projector.catchUp();
      const declared = await indexesOf(testDb.db, 'rm_index_watcher');
      expect(declared).toHaveLength(3);
      const seen = async () =>
        (await testDb.db.query<{ indexes: string }>('SELECT DISTINCT indexes FROM rm_index_watcher.seen')).rows.map((row) => row.indexes);
      expect(await seen()).toEqual(['seen_indexes_idx,seen_pkey,seen_read_by']); // followed live: every index from the start
      expect(await projector.rebuildAll()).toEqual([]);
      // rebuilt: while the table filled, only the unique index and the one the model reads by
      expect(await seen()).toEqual(['seen_pkey,seen_read_by']);
      expect(await indexesOf(testDb.db, 'rm_index_watcher')).toEqual(declared);
    });

    it('rebuilds the models together; one failing on an event is dropped and recorded, the others switch over complete', async () => {
      const failing: Projection = { ...brittle, name: 'brittle_rebuilt' };
      const projector = new Projector(testDb.db, store, [directory, trainingStats, failing], { batchSize: 3 });
      await projector.prepare();
      await projector.catchUp(); // followed live, event by event
      const live = async () => [await trainingPersonTimes(testDb.db), await listTrainings(testDb.db), await listPeople(testDb.db)];
      const followed = await live();
      await testDb.db.exec('TRUNCATE rm_training_stats.person_times'); // so that only a rebuild that switched over can give it back
      const failures = await projector.rebuildAll();
      expect(failures).toEqual([
        expect.objectContaining({ projection: 'brittle_rebuilt', eventType: 'TrainingAttendanceRecorded', message: 'cannot handle a second attendance' }),
      ]);
      expect(await live()).toEqual(followed);
      const status = await projector.status();
      const head = (await store.head()).position;
      for (const name of ['directory', 'training_stats']) expect(status.find((row) => row.name === name)).toMatchObject({ position: head, failure: null });
      expect(status.find((row) => row.name === 'brittle_rebuilt')!.failure).toMatchObject({ message: 'cannot handle a second attendance' });
      const left = await testDb.db.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'rm\\_%\\_\\_next'`);
      expect(left.rows).toEqual([]);
    });

    it('advances the projections standing together in one transaction; one failing mid-page is recorded and stops alone', async () => {
      let transactions = 0;
      const counted: TestDb['db'] = {
        ...testDb.db,
        transaction: (fn) => {
          transactions++;
          return testDb.db.transaction(fn);
        },
      };
      const failing: Projection = { ...brittle, name: 'brittle_together' };
      const healthy = [directory, trainingStats, counter];
      const projector = new Projector(counted, store, [...healthy, failing], { batchSize: 1000 });
      await projector.prepare();
      await projector.catchUp(); // one page: the joint transaction fails on the second attendance
      const handledPositions = async () =>
        (await store.readAll({ after: 0, limit: 100_000 })).filter((event) => counter.handles.includes(event.type)).map((event) => event.position);
      const seen = async () =>
        (await testDb.db.query<{ position: string }>('SELECT position FROM rm_counter.seen ORDER BY position')).rows.map((row) => Number(row.position));
      const check = async () => {
        const head = (await store.head()).position;
        const status = await projector.status();
        for (const { name } of healthy) expect(status.find((row) => row.name === name)).toMatchObject({ position: head, failure: null });
        const failed = status.find((row) => row.name === 'brittle_together')!;
        expect(failed.failure).toMatchObject({ eventType: 'TrainingAttendanceRecorded', message: 'cannot handle a second attendance' });
        expect(failed.position).toBeLessThan(failed.failure!.position);
        expect(await seen()).toEqual(await handledPositions());
      };
      await check();
      expect((await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_brittle_together.seen')).rows[0]!.n).toBe(0); // its page rolled back

      // A new page: another projector applies it to one model first; the joint transaction moves the
      // others and leaves that one alone (its checkpoint is no longer where this projector saw it).
      await commands.execute('RegisterPerson', { personId: randomUUID(), name: '后来者' }, context());
      await new Projector(testDb.db, store, [counter]).step(counter);
      transactions = 0;
      await Promise.all(healthy.map((projection) => projector.step(projection)));
      expect(transactions).toBe(1);
      await projector.catchUp();
      await check();
      expect((await listPeople(testDb.db)).map((person) => person.name)).toContain('后来者');
    });
  });
}
