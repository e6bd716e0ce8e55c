import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import { opinionStream } from '../../src/opinion/decider.ts';
import { as, seedCounty, seedStation, staff, type County } from '../station/county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`opinion commands on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    let county: County;
    let stationId: string;
    const receptionId = randomUUID();
    const opinionId = randomUUID();

    const manager = () => as('station-manager', county.chair.personId);
    const types = (outcome: { events: { type: string }[] }) => outcome.events.map((event) => event.type);
    const refuses = async (run: () => Promise<unknown>, expected: object) => {
      const head = await store.head();
      await expect(run()).rejects.toMatchObject(expected);
      expect(await store.head()).toEqual(head);
    };
    const opinion = (changes: Record<string, unknown> = {}) => ({
      opinionId: randomUUID(),
      stationId,
      receptionId,
      receivedByPersonId: county.deputy.personId,
      voter: { name: '王五', phone: '13800000000' },
      content: '红光村到镇上的道路坑洼，雨天难行，希望尽快维修。',
      category: '道路交通',
      registeredOn: '2022-03-16',
      deadline: '2022-04-16',
      ...changes,
    });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      county = await seedCounty(domain);
      stationId = await seedStation(domain, county);
      await domain.bus.execute(
        'RecordVoterReception',
        { stationId, receptionId, date: '2022-03-16', votersReceived: 12, deputies: [{ recordId: randomUUID(), ...county.deputy }] },
        staff(),
      );
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('lets the receiving deputy register an opinion from a reception, under the mandate they serve the station in', async () => {
      const outcome = await domain.bus.execute('RegisterOpinion', opinion({ opinionId }), as('deputy', county.deputy.personId));
      expect(outcome.events[0]).toMatchObject({
        type: 'OpinionRegistered',
        data: { receivedByMandateId: county.deputy.mandateId, voter: { name: '王五', phone: '13800000000', address: null } },
      });
    });

    it('lets a station manager register an opinion raised outside a reception', async () => {
      const outcome = await domain.bus.execute(
        'RegisterOpinion',
        opinion({ receptionId: null, receivedByPersonId: county.townshipDeputy.personId }),
        manager(),
      );
      expect(types(outcome)).toEqual(['OpinionRegistered']);
    });

    it('refuses a deputy registering another deputy’s opinion, a reception the station lacks, a deputy absent from the reception, and a late deadline, writing nothing', async () => {
      await refuses(
        () => domain.bus.execute('RegisterOpinion', opinion({ receivedByPersonId: county.townshipDeputy.personId }), as('deputy', county.deputy.personId)),
        {
          code: 'not-own-act',
          field: 'receivedByPersonId',
        },
      );
      await refuses(() => domain.bus.execute('RegisterOpinion', opinion({ receptionId: randomUUID() }), staff()), { code: 'reception-not-found' });
      await refuses(() => domain.bus.execute('RegisterOpinion', opinion({ receivedByPersonId: county.townshipDeputy.personId }), staff()), {
        code: 'not-at-reception',
      });
      await refuses(() => domain.bus.execute('RegisterOpinion', opinion({ deadline: '2022-03-15' }), staff()), { code: 'deadline-too-early' });
      await refuses(() => domain.bus.execute('RegisterOpinion', opinion({ stationId: randomUUID() }), staff()), { code: 'station-not-found' });
    });

    it('refers, re-refers, answers, closes, reopens and closes again', async () => {
      const run = async (name: string, input: Record<string, unknown>, context = manager()) =>
        types(await domain.bus.execute(name, { opinionId, ...input }, context));
      expect(await run('ReferOpinion', { agency: '县交通运输局', referredOn: '2022-03-17', deadline: '2022-04-30' })).toEqual(['OpinionReferred']);
      expect(await run('ReferOpinion', { agency: '县住房和城乡建设局', referredOn: '2022-03-20', deadline: '2022-04-30' }, staff())).toEqual([
        'OpinionReferred',
      ]);
      const answered = await domain.bus.execute('AnswerOpinion', { opinionId, answeredOn: '2022-04-10', answer: '已列入养护计划。' }, staff());
      expect(answered.events[0]!.data).toMatchObject({ agency: '县住房和城乡建设局' });
      expect(await run('CloseOpinion', { closedOn: '2022-04-20', satisfaction: 'dissatisfied', note: '选民认为进度太慢' })).toEqual(['OpinionClosed']);
      expect(await run('ReopenOpinion', { reopenedOn: '2022-04-25', reason: '道路仍未维修', deadline: '2022-05-31' })).toEqual(['OpinionReopened']);
      const onTheSpot = await domain.bus.execute('AnswerOpinion', { opinionId, answeredOn: '2022-04-26', answer: '镇政府已安排施工队。' }, manager());
      expect(onTheSpot.events[0]!.data).toMatchObject({ agency: null });
      expect(await run('CloseOpinion', { closedOn: '2022-05-10', satisfaction: 'satisfied' })).toEqual(['OpinionClosed']);
      expect((await store.readStream(opinionStream(opinionId))).map((event) => event.type)).toEqual([
        'OpinionRegistered',
        'OpinionReferred',
        'OpinionReferred',
        'OpinionAnswered',
        'OpinionClosed',
        'OpinionReopened',
        'OpinionAnswered',
        'OpinionClosed',
      ]);
    });

    it('refuses a deputy handling an opinion, and any step on a closed opinion, writing nothing', async () => {
      await refuses(
        () =>
          domain.bus.execute(
            'ReferOpinion',
            { opinionId, agency: '县水务局', referredOn: '2022-05-11', deadline: '2022-06-11' },
            as('deputy', county.deputy.personId),
          ),
        {
          code: 'forbidden',
        },
      );
      await refuses(() => domain.bus.execute('AnswerOpinion', { opinionId, answeredOn: '2022-05-11', answer: '补充答复' }, staff()), {
        code: 'opinion-closed',
      });
      await refuses(() => domain.bus.execute('ReopenOpinion', { opinionId, reopenedOn: '2022-05-11', reason: '再议', deadline: '2022-06-11' }, staff()), {
        code: 'not-dissatisfied',
      });
    });
  });
}
