import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deputyActStream } from '../../src/service/decider.ts';
import { openCounty, type County } from './county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`practical help on ${target.name}`, () => {
    let county: County;
    const help = (changes: Record<string, unknown> = {}) => ({
      recordId: randomUUID(),
      personId: county.lead.personId,
      mandateId: county.lead.mandateId,
      act: 'legal-advice',
      date: '2024-05-20',
      summary: '在联络站为村民解答土地承包法律问题。',
      beneficiaries: 12,
      ...changes,
    });

    beforeAll(async () => {
      county = await openCounty(target);
    });
    afterAll(async () => {
      await county?.testDb.dispose();
    });

    it('records help entered by staff, approved on entry, in the mandate’s township by default', async () => {
      const input = help();
      const outcome = await county.domain.bus.execute('RecordPracticalHelp', input, county.as());
      expect(outcome.streamId).toBe(deputyActStream(input.recordId));
      expect(outcome.events.map((event) => [event.type, event.data])).toEqual([['PracticalHelpRecorded', { ...input, declared: false, township: '石羊镇' }]]);
      expect(await county.statusOf(outcome.streamId, input.recordId)).toBe('approved');
    });

    it('takes a deputy’s own declaration as pending until it is approved', async () => {
      const input = help({ act: 'dispute-mediation', township: '龙台镇' });
      const deputy = county.as('deputy', county.lead.personId);
      const outcome = await county.domain.bus.execute('RecordPracticalHelp', input, deputy);
      expect(outcome.events[0]?.data).toMatchObject({ declared: true, township: '龙台镇' });
      expect(await county.statusOf(outcome.streamId, input.recordId)).toBe('pending');
      await county.domain.bus.execute('ApproveRecord', { streamId: outcome.streamId, recordId: input.recordId }, county.as('station-manager'));
      expect(await county.statusOf(outcome.streamId, input.recordId)).toBe('approved');
    });

    it('rejects help in the future, outside the mandate, or declared for someone else, writing nothing', async () => {
      const head = await county.store.head();
      const run = (input: Record<string, unknown>, context = county.as()) => county.domain.bus.execute('RecordPracticalHelp', input, context);
      await expect(run(help({ date: '2024-06-02' }))).rejects.toMatchObject({ code: 'future-date', field: 'date' });
      await expect(run(help({ date: '2021-09-30' }))).rejects.toMatchObject({ code: 'mandate-not-valid' });
      await expect(run(help({ mandateId: county.coSigner.mandateId }))).rejects.toMatchObject({ code: 'mandate-of-other-person' });
      await expect(run(help(), county.as('deputy', county.otherDeputy.personId))).rejects.toMatchObject({ code: 'not-own-act' });
      await expect(run(help(), county.as('auditor'))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(run(help({ beneficiaries: 0 }))).rejects.toMatchObject({ code: 'invalid-input', field: 'beneficiaries' });
      expect(await county.store.head()).toEqual(head);
    });

    it('rejects recording the same record id twice, and treats a retried command as the same act', async () => {
      const input = help();
      const context = county.as();
      const first = await county.domain.bus.execute('RecordPracticalHelp', input, context);
      const retry = await county.domain.bus.execute('RecordPracticalHelp', input, context);
      expect(retry.duplicate).toBe(true);
      expect(retry.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
      await expect(county.domain.bus.execute('RecordPracticalHelp', input, county.as())).rejects.toMatchObject({ code: 'record-exists' });
      expect(await county.store.streamVersion(deputyActStream(input.recordId))).toBe(1);
    });
  });
}
