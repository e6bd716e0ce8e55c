import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import type { CommandContext } from '../../src/kernel/messages.ts';
import { actingMandate } from '../../src/mandate/acting.ts';

const as = (role: string, personId = 'staff-1'): CommandContext => ({
  commandId: randomUUID(),
  actor: { personId, role },
  occurredAt: '2022-01-01T00:00:00.000Z',
});

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`terms and mandates on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    const termId = randomUUID();
    const personId = randomUUID();
    const mandateId = randomUUID();

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
      await domain.bus.execute('OpenTerm', { termId, number: 18, startsOn: '2021-10-01', plannedEndOn: '2026-09-30' }, as('admin'));
      await domain.bus.execute('RegisterPerson', { personId, name: '王建国', publicServant: true }, as('staff'));
      await domain.bus.execute(
        'StartMandate',
        {
          mandateId,
          personId,
          termId,
          kind: 'deputy',
          level: 'township',
          district: '第一选区',
          township: '石桥铺镇',
          publicServant: true,
          startsOn: '2021-10-01',
        },
        as('staff'),
      );
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('refuses a command to a role that may not issue it, writing nothing', async () => {
      const head = await store.head();
      await expect(
        domain.bus.execute('OpenTerm', { termId: randomUUID(), number: 19, startsOn: '2026-10-01', plannedEndOn: '2031-09-30' }, as('deputy')),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(domain.bus.execute('RegisterPerson', { personId: randomUUID(), name: '某' }, as('public'))).rejects.toMatchObject({ code: 'forbidden' });
      expect(await store.head()).toEqual(head);
    });

    it('checks an acting mandate: owner, dates, and the term’s close', async () => {
      await expect(actingMandate(domain.lookups, mandateId, personId, '2023-05-01')).resolves.toMatchObject({ kind: 'deputy', validTo: null });
      await expect(actingMandate(domain.lookups, mandateId, randomUUID(), '2023-05-01')).rejects.toMatchObject({ code: 'mandate-of-other-person' });
      await expect(actingMandate(domain.lookups, mandateId, personId, '2021-09-30')).rejects.toMatchObject({ code: 'mandate-not-valid' });
      await expect(actingMandate(domain.lookups, mandateId, personId, '2023-05-01', { kinds: ['committee-member'] })).rejects.toMatchObject({
        code: 'mandate-kind',
      });
      await expect(actingMandate(domain.lookups, randomUUID(), personId, '2023-05-01')).rejects.toMatchObject({
        code: 'mandate-not-found',
        field: 'mandateId',
      });
      await expect(actingMandate(domain.lookups, mandateId, randomUUID(), '2023-05-01', { field: 'mentees.2.mandateId' })).rejects.toMatchObject({
        code: 'mandate-of-other-person',
        field: 'mentees.2.mandateId',
      });
      await expect(
        actingMandate(domain.lookups, mandateId, personId, '2023-05-01', {
          kinds: ['committee-member'],
          field: 'coSigners.0.mandateId',
          prefix: { zh: '附议代表：', en: 'Co-signer: ' },
        }),
      ).rejects.toMatchObject({
        code: 'mandate-kind',
        field: 'coSigners.0.mandateId',
        messages: { zh: expect.stringMatching(/^附议代表：/), en: expect.stringMatching(/^Co-signer: /) },
      });

      await domain.bus.execute('CloseTerm', { termId, closedOn: '2026-10-10' }, as('admin'));
      await expect(actingMandate(domain.lookups, mandateId, personId, '2026-10-10')).resolves.toMatchObject({ validTo: '2026-10-10' });
      await expect(actingMandate(domain.lookups, mandateId, personId, '2026-10-11')).rejects.toMatchObject({ code: 'mandate-not-valid' });
    });

    it('rejects a mandate in a closed term and for an unknown person, writing nothing', async () => {
      const head = await store.head();
      const base = { mandateId: randomUUID(), termId, kind: 'office-staff', publicServant: true, startsOn: '2026-10-11' };
      await expect(domain.bus.execute('StartMandate', { ...base, personId }, as('staff'))).rejects.toMatchObject({ code: 'term-not-open' });
      await expect(domain.bus.execute('StartMandate', { ...base, personId: 'nobody' }, as('staff'))).rejects.toMatchObject({
        code: 'invalid-input',
        field: 'personId',
      });
      expect(await store.head()).toEqual(head);
    });
  });
}
