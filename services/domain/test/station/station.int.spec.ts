import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import type { Event } from '../../src/kernel/messages.ts';
import { registry } from '../../src/registry.ts';
import { noRecords, trackRecords, type Records } from '../../src/review/records.ts';
import { homeVisitStream } from '../../src/station/home-visit.ts';
import { stationStream } from '../../src/station/state.ts';
import { as, seedCounty, seedStation, staff, type County } from './county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`station commands on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let county: County;
    let stationId: string;

    /** The review status of every record on a stream, folded from the stored events. */
    const records = async (streamId: string): Promise<Records> =>
      (await store.readStream(streamId)).reduce((current, stored) => trackRecords(current, registry.read<Event>(stored)), noRecords);
    const types = (outcome: { events: { type: string }[] }) => outcome.events.map((event) => event.type);
    /** Runs the command expecting a refusal, and checks that nothing was written. */
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
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('sets up a station: established, its manager and its deputies', async () => {
      const stored = await store.readStream(stationStream(stationId));
      expect(stored.map((event) => event.type)).toEqual(['StationEstablished', 'StationManagerAssigned', 'DeputyAssignedToStation', 'DeputyAssignedToStation']);
    });

    it('publishes reception times by the station manager and records an upgrade by staff', async () => {
      const times = await domain.bus.execute(
        'PublishReceptionTimes',
        { stationId, schedule: [{ repeat: 'weekly', day: 3, startTime: '09:00', endTime: '11:30' }], effectiveFrom: '2022-02-01' },
        as('station-manager', county.chair.personId),
      );
      expect(types(times)).toEqual(['ReceptionTimesPublished']);
      expect(times.events[0]!.data).toMatchObject({ note: null });
      const upgrade = await domain.bus.execute(
        'RecordStationUpgrade',
        { stationId, upgradedOn: '2022-05-20', amountYuan: 18000, items: ['“六有”标准'] },
        staff(),
      );
      expect(types(upgrade)).toEqual(['StationUpgraded']);
    });

    it('refuses a manager in a deputy’s mandate, a manager outside their mandate, and a deputy setting up a station, writing nothing', async () => {
      const { deputy, chair } = county;
      await refuses(
        () =>
          domain.bus.execute(
            'AssignStationManager',
            { stationId, managerPersonId: deputy.personId, managerMandateId: deputy.mandateId, assignedOn: '2022-03-01' },
            staff(),
          ),
        { code: 'mandate-kind', field: 'managerMandateId' },
      );
      await refuses(
        () =>
          domain.bus.execute(
            'AssignStationManager',
            { stationId, managerPersonId: chair.personId, managerMandateId: chair.mandateId, assignedOn: '2021-09-30' },
            staff(),
          ),
        { code: 'mandate-not-valid' },
      );
      await refuses(
        () =>
          domain.bus.execute(
            'EstablishStation',
            { stationId: randomUUID(), type: 'deputy-home', name: '代表之家', township: '龙台镇', address: '龙台镇', establishedOn: '2022-01-10' },
            as('deputy', deputy.personId),
          ),
        { code: 'forbidden' },
      );
    });

    it('refuses malformed times and amounts at the boundary, and a slot ending before it starts, writing nothing', async () => {
      const publish = (startTime: string, endTime: string) =>
        domain.bus.execute(
          'PublishReceptionTimes',
          { stationId, schedule: [{ repeat: 'monthly', day: 15, startTime, endTime }], effectiveFrom: '2022-03-01' },
          staff(),
        );
      await refuses(() => publish('25:00', '26:00'), { code: 'invalid-input', field: 'schedule.0.startTime' });
      await expect(publish('25:00', '26:00')).rejects.toBeInstanceOf(ValidationError);
      await refuses(() => publish('11:00', '09:00'), { code: 'time-order', field: 'schedule.0.endTime' });
      await refuses(() => domain.bus.execute('RecordStationUpgrade', { stationId, upgradedOn: '2022-05-20', amountYuan: -1, items: ['展板'] }, staff()), {
        code: 'invalid-input',
        field: 'amountYuan',
      });
    });

    it('takes a deputy’s declared station visit as pending until it is approved', async () => {
      const { deputy } = county;
      const recordId = randomUUID();
      const declared = await domain.bus.execute(
        'RecordStationVisit',
        { recordId, stationId, ...deputy, date: '2022-03-05', summary: '进站学习' },
        as('deputy', deputy.personId),
      );
      expect(declared.events[0]).toMatchObject({ type: 'StationVisitRecorded', data: { act: 'station-visit', declared: true } });
      expect((await records(stationStream(stationId))).get(recordId)?.status).toBe('pending');
      await domain.bus.execute('ApproveRecord', { streamId: stationStream(stationId), recordId }, as('station-manager', county.chair.personId));
      expect((await records(stationStream(stationId))).get(recordId)?.status).toBe('approved');
    });

    it('refuses a visit declared for someone else, a second visit the same day, and a visit in a chair’s mandate, writing nothing', async () => {
      const { deputy, townshipDeputy, chair } = county;
      const visit = (holder: typeof deputy, date: string) => ({ recordId: randomUUID(), stationId, ...holder, date, summary: '进站学习' });
      await refuses(() => domain.bus.execute('RecordStationVisit', visit(townshipDeputy, '2022-03-06'), as('deputy', deputy.personId)), {
        code: 'not-own-act',
      });
      await refuses(() => domain.bus.execute('RecordStationVisit', visit(deputy, '2022-03-05'), staff()), { code: 'already-visited' });
      await refuses(() => domain.bus.execute('RecordStationVisit', visit(chair, '2022-03-06'), staff()), { code: 'mandate-kind' });
    });

    it('records a reception with one approved attendance record (one person-time) per deputy present', async () => {
      const { deputy, townshipDeputy } = county;
      const deputies = [deputy, townshipDeputy].map((holder) => ({ recordId: randomUUID(), ...holder }));
      const outcome = await domain.bus.execute(
        'RecordVoterReception',
        { stationId, receptionId: randomUUID(), date: '2022-03-16', votersReceived: 12, topics: ['农村道路维修'], deputies },
        staff(),
      );
      expect(types(outcome)).toEqual(['VoterReceptionHeld', 'ReceptionAttendanceRecorded', 'ReceptionAttendanceRecorded']);
      expect(outcome.events[0]!.data).toMatchObject({ leadPersonId: deputy.personId });
      const stream = await records(stationStream(stationId));
      expect(deputies.map((attendance) => stream.get(attendance.recordId)?.status)).toEqual(['approved', 'approved']);
    });

    it('takes a deputy’s declared reception and another deputy’s declared attendance as pending, until approved', async () => {
      const { deputy, townshipDeputy } = county;
      const receptionId = randomUUID();
      const [leadRecord, otherRecord] = [randomUUID(), randomUUID()];
      await domain.bus.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-04-13', votersReceived: 5, deputies: [{ recordId: leadRecord, ...deputy }] },
        as('deputy', deputy.personId),
      );
      const attendance = await domain.bus.execute(
        'RecordReceptionAttendance',
        { stationId, receptionId, recordId: otherRecord, ...townshipDeputy },
        as('deputy', townshipDeputy.personId),
      );
      expect(attendance.events[0]).toMatchObject({ type: 'ReceptionAttendanceRecorded', data: { date: '2022-04-13', declared: true } });
      let stream = await records(stationStream(stationId));
      expect([stream.get(leadRecord)?.status, stream.get(otherRecord)?.status]).toEqual(['pending', 'pending']);
      await domain.bus.execute('ApproveRecord', { streamId: stationStream(stationId), recordId: otherRecord }, staff());
      stream = await records(stationStream(stationId));
      expect(stream.get(otherRecord)?.status).toBe('approved');

      await refuses(() => domain.bus.execute('RecordReceptionAttendance', { stationId, receptionId, recordId: randomUUID(), ...townshipDeputy }, staff()), {
        code: 'already-attended',
      });
      await refuses(
        () =>
          domain.bus.execute(
            'RecordVoterReception',
            { stationId, receptionId: randomUUID(), date: '2022-04-14', votersReceived: 3, deputies: [{ recordId: randomUUID(), ...townshipDeputy }] },
            as('deputy', deputy.personId),
          ),
        { code: 'not-own-act', field: 'deputies.0.personId' },
      );
    });

    it('takes a deputy’s declared home visit as pending on its own stream, until approved', async () => {
      const { deputy } = county;
      const recordId = randomUUID();
      const input = { recordId, ...deputy, date: '2022-04-02', place: '龙台镇红光村', visited: '村民代表 12 人', summary: '听取道路维修意见' };
      const outcome = await domain.bus.execute('RecordHomeVisit', input, as('deputy', deputy.personId));
      expect(outcome.streamId).toBe(homeVisitStream(recordId));
      expect(outcome.events[0]).toMatchObject({ type: 'HomeVisitRecorded', data: { act: 'home-visit', declared: true } });
      expect((await records(homeVisitStream(recordId))).get(recordId)?.status).toBe('pending');
      await domain.bus.execute('ApproveRecord', { streamId: homeVisitStream(recordId), recordId }, staff());
      expect((await records(homeVisitStream(recordId))).get(recordId)?.status).toBe('approved');
      await refuses(() => domain.bus.execute('RecordHomeVisit', input, staff()), { code: 'record-exists' });
      await refuses(() => domain.bus.execute('RecordHomeVisit', { ...input, recordId: randomUUID(), date: '2021-09-30' }, staff()), {
        code: 'mandate-not-valid',
      });
    });

    it('unassigns a deputy, closes the station, then refuses any change to it', async () => {
      const { townshipDeputy } = county;
      await refuses(
        () =>
          domain.bus.execute(
            'UnassignDeputyFromStation',
            { stationId, personId: townshipDeputy.personId, unassignedOn: '2022-04-12', reason: '调整' },
            staff(),
          ),
        { code: 'acts-after-end' },
      );
      const unassigned = await domain.bus.execute(
        'UnassignDeputyFromStation',
        { stationId, personId: townshipDeputy.personId, unassignedOn: '2022-06-30', reason: '调整到其他联络站' },
        as('station-manager', county.chair.personId),
      );
      expect(types(unassigned)).toEqual(['DeputyUnassignedFromStation']);
      const closed = await domain.bus.execute('CloseStation', { stationId, closedOn: '2022-12-31', reason: '并入镇代表之家' }, staff());
      expect(types(closed)).toEqual(['StationClosed']);
      await refuses(
        () =>
          domain.bus.execute(
            'PublishReceptionTimes',
            { stationId, schedule: [{ repeat: 'weekly', day: 1, startTime: '09:00', endTime: '10:00' }], effectiveFrom: '2023-01-01' },
            staff(),
          ),
        { code: 'station-closed' },
      );
    });
  });
}
