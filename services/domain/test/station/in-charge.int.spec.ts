/**
 * A station manager acts only at the stations they are in charge of: the chair of 龙台镇 manages
 * one station; a second station has another manager. At the second station the chair's acts, its
 * set-up, its opinions and the review of its records are refused as 'not-in-charge', writing
 * nothing; at their own station the same commands go through, and staff act at either.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import { stationStream } from '../../src/station/state.ts';
import { as, seedCounty, seedStation, staff, type County } from './county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`a station manager's own stations, on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let county: County;
    let own: string;
    let other: string;
    const chair = () => as('station-manager', county.chair.personId);

    const refused = async (name: string, input: object) => {
      const head = await store.head();
      await expect(domain.bus.execute(name, input, chair()), name).rejects.toMatchObject({ code: 'not-in-charge', field: 'stationId' });
      expect(await store.head()).toEqual(head);
    };
    const visit = (stationId: string) => ({ recordId: randomUUID(), stationId, ...county.deputy, date: '2023-03-01', summary: '进站接待选民' });
    const opinion = (stationId: string) => ({
      opinionId: randomUUID(),
      stationId,
      receivedByPersonId: county.deputy.personId,
      voter: { name: '王大爷', phone: null, address: null },
      content: '村道坑洼，雨天难行',
      category: '道路交通',
      registeredOn: '2023-03-01',
      deadline: '2023-04-01',
    });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      county = await seedCounty(domain);
      own = await seedStation(domain, county);
      // A second station of the county, managed by someone else; the deputy belongs to it too.
      other = randomUUID();
      const manager = { personId: randomUUID(), mandateId: randomUUID() };
      await domain.bus.execute('RegisterPerson', { personId: manager.personId, name: '钱主席' }, staff());
      const [term] = (await store.readAll({ limit: 10 })).filter((event) => event.type === 'TermOpened');
      await domain.bus.execute(
        'StartMandate',
        {
          ...manager,
          termId: (term!.data as { termId: string }).termId,
          kind: 'township-chair',
          township: '石桥铺镇',
          publicServant: true,
          startsOn: '2021-10-01',
        },
        staff(),
      );
      await domain.bus.execute(
        'EstablishStation',
        { stationId: other, type: 'deputy-home', name: '石桥铺镇代表之家', township: '石桥铺镇', address: '石桥铺镇', establishedOn: '2022-01-10' },
        staff(),
      );
      await domain.bus.execute(
        'AssignStationManager',
        { stationId: other, managerPersonId: manager.personId, managerMandateId: manager.mandateId, assignedOn: '2022-01-10' },
        staff(),
      );
      await domain.bus.execute('AssignDeputyToStation', { stationId: other, ...county.deputy, assignedOn: '2022-02-01' }, staff());
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('refuses the chair everything at a station they are not in charge of, and writes nothing', async () => {
      await refused('RecordStationVisit', visit(other));
      await refused('PublishReceptionTimes', {
        stationId: other,
        schedule: [{ repeat: 'weekly', day: 3, startTime: '09:00', endTime: '11:30' }],
        effectiveFrom: '2022-02-01',
      });
      await refused('RegisterOpinion', opinion(other));

      // Records and opinions staff entered at the other station: the chair may neither review nor handle them.
      const declared = visit(other);
      await domain.bus.execute('RecordStationVisit', declared, as('deputy', county.deputy.personId));
      await refused('ApproveRecord', { streamId: stationStream(other), recordId: declared.recordId });
      const raised = opinion(other);
      await domain.bus.execute('RegisterOpinion', raised, staff());
      await refused('ReferOpinion', { opinionId: raised.opinionId, agency: '县交通运输局', referredOn: '2023-03-02', deadline: '2023-04-01' });
    });

    it('lets the chair act at their own station, and staff at either', async () => {
      const declared = visit(own);
      await domain.bus.execute('RecordStationVisit', declared, as('deputy', county.deputy.personId));
      const approved = await domain.bus.execute('ApproveRecord', { streamId: stationStream(own), recordId: declared.recordId }, chair());
      expect(approved.events.map((event) => event.type)).toEqual(['RecordApproved']);
      const raised = opinion(own);
      await domain.bus.execute('RegisterOpinion', raised, chair());
      const referred = await domain.bus.execute(
        'ReferOpinion',
        { opinionId: raised.opinionId, agency: '县交通运输局', referredOn: '2023-03-02', deadline: '2023-04-01' },
        chair(),
      );
      expect(referred.events.map((event) => event.type)).toEqual(['OpinionReferred']);
      const elsewhere = await domain.bus.execute('RecordStationVisit', { ...visit(other), date: '2023-03-05' }, staff());
      expect(elsewhere.events.map((event) => event.type)).toEqual(['StationVisitRecorded']);
    });
  });
}
