import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import { stationStream } from '../../src/station/state.ts';
import { as, seedCounty, seedStation, staff, type County } from '../station/county.ts';

const file = (sha: string, name = '接待现场.jpg') => ({ sha256: sha, mediaType: 'image/jpeg', size: 48_000, name, width: 1200, height: 900 });

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`attaching evidence on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let county: County;
    let stationId: string;
    const receptionId = randomUUID();
    const refuses = async (run: () => Promise<unknown>, expected: object) => {
      const head = await store.head();
      await expect(run()).rejects.toMatchObject(expected);
      expect(await store.head()).toEqual(head);
    };

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      county = await seedCounty(domain);
      stationId = await seedStation(domain, county);
      await domain.bus.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-03-16', votersReceived: 12, topics: ['农村道路维修'], deputies: [{ recordId: randomUUID(), ...county.deputy }] },
        staff(),
      );
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    const attach = (sha: string, context = staff(), subject = { kind: 'reception', id: receptionId }) =>
      domain.bus.execute('AttachEvidence', { streamId: stationStream(stationId), subject, file: file(sha) }, context);

    it('writes the file’s hash on the station’s stream, and the station’s own commands go on after it', async () => {
      const outcome = await attach('a'.repeat(64));
      expect(outcome.events.map((event) => event.type)).toEqual(['EvidenceAttached']);
      expect(outcome.events[0]!.data).toMatchObject({ subject: { kind: 'reception', id: receptionId }, file: { sha256: 'a'.repeat(64) } });
      // The station's decider folds the stream with the annotation in it, and decides as before.
      const visit = await domain.bus.execute(
        'RecordStationVisit',
        { recordId: randomUUID(), stationId, ...county.deputy, date: '2022-03-20', summary: '进站接待' },
        staff(),
      );
      expect(visit.events.map((event) => event.type)).toEqual(['StationVisitRecorded']);
      expect(await store.streamVersion(stationStream(stationId))).toBeGreaterThan(outcome.events[0]!.streamVersion);
    });

    it('lets the deputy who led the reception and the station’s manager attach; refuses another deputy and an auditor', async () => {
      expect((await attach('b'.repeat(64), as('deputy', county.deputy.personId))).events).toHaveLength(1);
      expect((await attach('c'.repeat(64), as('station-manager', county.chair.personId))).events).toHaveLength(1);
      await refuses(() => attach('d'.repeat(64), as('deputy', county.townshipDeputy.personId)), { code: 'not-your-record' });
      await refuses(() => attach('d'.repeat(64), as('station-manager', randomUUID())), { code: 'not-in-charge' });
      await refuses(() => attach('d'.repeat(64), as('auditor')), { code: 'forbidden' });
    });

    it('refuses a hash that is not one, in Chinese', async () => {
      await refuses(() => attach('not-a-hash'), { name: 'ValidationError' });
    });
  });
}
