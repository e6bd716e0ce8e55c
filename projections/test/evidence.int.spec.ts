/**
 * rm_evidence: the files attached to a voter reception and to a deputy's record, written through the
 * domain's AttachEvidence, listed per subject oldest first with their stream, name, type and size;
 * a view "as it was known" at a log position lists only the files attached by then; a subject with
 * none has an empty list; replaying the log from zero gives the same rows.
 */
import { createHash, randomUUID } from 'node:crypto';
import { everyEngine, type TestDb } from '@yingpan/db/testing';
import { createDomain, type Domain } from '@yingpan/domain';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCounty, seedStation, staff, type County } from '../../services/domain/test/station/county.ts';
import { Projector } from '../src/engine/projector.ts';
import { evidence, evidenceOf, evidenceOfMany } from '../src/index.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const photo = (name: string) => ({ sha256: sha(name), mediaType: 'image/jpeg' as const, size: 1000 + name.length, name, width: 800, height: 600 });

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`rm_evidence on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let county: County;
    let stationId: string;
    let firstPosition: number;
    const receptionId = randomUUID();
    const recordId = randomUUID();
    const otherReception = randomUUID();

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      county = await seedCounty(domain);
      stationId = await seedStation(domain, county);
      for (const id of [receptionId, otherReception]) {
        await domain.bus.execute(
          'RecordVoterReception',
          {
            stationId,
            receptionId: id,
            date: '2022-03-16',
            votersReceived: 12,
            topics: ['农村道路维修'],
            deputies: [{ recordId: id === receptionId ? recordId : randomUUID(), ...county.deputy }],
          },
          staff(),
        );
      }
      const attach = (subject: { kind: 'reception' | 'record'; id: string }, name: string) =>
        domain.bus.execute('AttachEvidence', { streamId: `station:${stationId}`, subject, file: photo(name) }, staff());
      firstPosition = (await attach({ kind: 'reception', id: receptionId }, '接待现场.jpg')).events.at(-1)!.position;
      await attach({ kind: 'reception', id: receptionId }, '签到表.jpg');
      await attach({ kind: 'record', id: recordId }, '代表发言.jpg');
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('lists each subject’s files oldest first, with the stream they were attached on', async () => {
      const projector = new Projector(testDb.db, store, [evidence], { batchSize: 2 });
      await projector.prepare();
      await projector.catchUp();

      const files = await evidenceOf(testDb.db, { kind: 'reception', id: receptionId });
      expect(files.map((file) => file.name)).toEqual(['接待现场.jpg', '签到表.jpg']);
      expect(files[0]).toMatchObject({
        subjectKind: 'reception',
        subjectId: receptionId,
        streamId: `station:${stationId}`,
        sha256: sha('接待现场.jpg'),
        mediaType: 'image/jpeg',
        size: 1000 + '接待现场.jpg'.length,
        width: 800,
        height: 600,
        attachedBy: 'staff-1',
        position: firstPosition,
      });
      expect(Number.isNaN(Date.parse(files[0]!.attachedAt))).toBe(false);

      const many = await evidenceOfMany(testDb.db, [
        { kind: 'record', id: recordId },
        { kind: 'reception', id: otherReception },
        // A record's id asked as a reception: kinds are told apart.
        { kind: 'reception', id: recordId },
      ]);
      expect(many.get(`record:${recordId}`)?.map((file) => file.name)).toEqual(['代表发言.jpg']);
      expect(many.get(`reception:${otherReception}`)).toEqual([]);
      expect(many.get(`reception:${recordId}`)).toEqual([]);
    });

    it('as it was known at a position, only the files attached by then', async () => {
      const then = await evidenceOf(testDb.db, { kind: 'reception', id: receptionId }, { view: 'known', position: firstPosition });
      expect(then.map((file) => file.name)).toEqual(['接待现场.jpg']);
      const before = await evidenceOf(testDb.db, { kind: 'reception', id: receptionId }, { view: 'known', position: firstPosition - 1 });
      expect(before).toEqual([]);
    });

    it('a rebuild from the log gives the same rows', async () => {
      const read = () =>
        evidenceOfMany(testDb.db, [
          { kind: 'reception', id: receptionId },
          { kind: 'record', id: recordId },
        ]);
      const live = await read();
      const projector = new Projector(testDb.db, store, [evidence], { batchSize: 1 });
      await projector.prepare();
      await projector.rebuild(evidence);
      expect(await read()).toEqual(live);
    });
  });
}
