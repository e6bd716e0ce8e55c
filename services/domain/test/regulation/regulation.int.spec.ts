import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { SqlEventStore } from '@yingpan/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '../../src/commands.ts';
import { ValidationError } from '../../src/kernel/errors.ts';
import type { CommandContext } from '../../src/kernel/messages.ts';
import { regulationDecider, regulationStream } from '../../src/regulation/decider.ts';
import { SCORING_RULES_2021, SCORING_RULES_2024 } from '../../src/regulation/examples.ts';
import { rulesInForce } from '../../src/regulation/in-force.ts';

const as = (role = 'admin'): CommandContext => ({ commandId: randomUUID(), actor: { personId: randomUUID(), role }, occurredAt: '2024-06-01T02:00:00.000Z' });

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`regulations on ${target.name}`, () => {
    let testDb: TestDb;
    let store: SqlEventStore;
    let domain: Domain;
    const enactment = () => ({
      regulationId: randomUUID(),
      title: '《代表履职监督量化评价暂行办法》',
      category: 'scoring',
      effectiveFrom: '2021-01-01',
      summary: '代表履职实行积分制，基础分60分，按履职事项加减分，年度评定等次。',
      scoringRules: SCORING_RULES_2021,
    });

    beforeAll(async () => {
      testDb = await target.open();
      store = await SqlEventStore.open(testDb.db);
      domain = createDomain(store);
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    it('enacts, amends and repeals the scoring rules, and the stored versions say which rules decide each day', async () => {
      const input = enactment();
      const { regulationId } = input;
      await domain.bus.execute('EnactRegulation', input, as());
      const amended = await domain.bus.execute(
        'AmendRegulation',
        { regulationId, effectiveFrom: '2024-01-01', changes: '提高建议和培训分值，增设结队帮带。', scoringRules: SCORING_RULES_2024 },
        as(),
      );
      expect(amended.events[0]?.data).toMatchObject({ version: 2 });
      await domain.bus.execute('RepealRegulation', { regulationId, repealedOn: '2026-01-01', reason: '被新办法取代' }, as());

      const { state } = await domain.lookups.state(regulationDecider, regulationStream(regulationId));
      if (state.status === 'none') throw new Error('expected the regulation');
      expect(rulesInForce(state.versions, '2023-06-30')?.scoringRules).toEqual(SCORING_RULES_2021);
      expect(rulesInForce(state.versions, '2024-06-30')?.scoringRules).toEqual(SCORING_RULES_2024);
      expect(rulesInForce(state.versions, '2026-01-01')).toBeNull();
    });

    it('enacts a station regulation without scoring rules', async () => {
      const outcome = await domain.bus.execute(
        'EnactRegulation',
        { ...enactment(), title: '《代表联络站接待选民制度》', category: 'station', summary: '每月固定接待日。', scoringRules: undefined },
        as(),
      );
      expect(outcome.events[0]?.data).toMatchObject({ category: 'station', scoringRules: null, version: 1 });
    });

    it('rejects other roles, inconsistent rules, rules on the wrong category and out-of-order versions, writing nothing', async () => {
      const input = enactment();
      await domain.bus.execute('EnactRegulation', input, as());
      const head = await store.head();
      await expect(domain.bus.execute('EnactRegulation', enactment(), as('staff'))).rejects.toMatchObject({ code: 'forbidden' });

      const ascending = { ...SCORING_RULES_2021, bands: [...SCORING_RULES_2021.bands].reverse() };
      const invalid = domain.bus.execute('EnactRegulation', { ...enactment(), scoringRules: ascending }, as());
      await expect(invalid).rejects.toBeInstanceOf(ValidationError);
      await expect(invalid).rejects.toMatchObject({ field: 'scoringRules.bands.1.minScore' });

      await expect(domain.bus.execute('EnactRegulation', { ...enactment(), scoringRules: null }, as())).rejects.toMatchObject({
        code: 'scoring-rules-required',
      });
      await expect(domain.bus.execute('EnactRegulation', { ...enactment(), category: 'procedure' }, as())).rejects.toMatchObject({
        code: 'scoring-rules-not-allowed',
      });
      await expect(
        domain.bus.execute(
          'AmendRegulation',
          { regulationId: input.regulationId, effectiveFrom: '2021-01-01', changes: '同日修订', scoringRules: SCORING_RULES_2024 },
          as(),
        ),
      ).rejects.toMatchObject({ code: 'effective-date-order' });
      await expect(domain.bus.execute('RepealRegulation', { regulationId: randomUUID(), repealedOn: '2026-01-01', reason: '无' }, as())).rejects.toMatchObject({
        code: 'regulation-not-found',
      });
      expect(await store.head()).toEqual(head);
    });
  });
}
