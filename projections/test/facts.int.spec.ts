/**
 * The act facts on the small demo county: the current versions agree with a count taken directly
 * from the log with SQL, and the two views of the past behave as defined.
 */
import { randomUUID } from 'node:crypto';
import { everyEngine } from '@yingpan/db/testing';
import { createDomain } from '@yingpan/domain';
import type { SqlEventStore } from '@yingpan/event-store';
import { type CountyDb, openCountyImage } from '../src/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../src/engine/projector.ts';
import { Params, versionsVisible, type AsOf } from '../src/facts/as-of.ts';
import { facts, mandates, RECORD_EVENTS, REVIEW_EVENTS } from '../src/index.ts';

/** Final status of every record, computed from the raw log alone. */
const FROM_LOG = `
  WITH created AS (
    SELECT data->>'recordId' AS record_id, data->>'act' AS act, (data->>'declared')::boolean AS declared, position
      FROM yingpan.events WHERE type = ANY($1::text[])),
  last_review AS (
    SELECT DISTINCT ON (data->>'recordId') data->>'recordId' AS record_id, type
      FROM yingpan.events WHERE type IN ('RecordApproved', 'RecordRejected', 'RecordRetracted')
     ORDER BY data->>'recordId', position DESC)
  SELECT c.act, count(*)::int AS n
    FROM created c LEFT JOIN last_review r USING (record_id)
   WHERE coalesce(r.type, CASE WHEN c.declared THEN 'pending' ELSE 'RecordApproved' END) = 'RecordApproved'
   GROUP BY c.act ORDER BY c.act`;

for (const target of everyEngine) {
  describe.skipIf(target.skipReason !== null)(`act facts on ${target.name}`, () => {
    let testDb: CountyDb;
    let store: SqlEventStore;
    let projector: Projector;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      store = testDb.store;
      projector = new Projector(testDb.db, store, [mandates, facts], { batchSize: 2000 });
      await projector.prepare();
      await projector.catchUp();
    });
    afterAll(async () => {
      await testDb?.dispose();
    });

    const approvedByAct = async (asOf: AsOf) => {
      const params = new Params();
      const { rows } = await testDb.db.query<{ act: string; n: number }>(
        `SELECT act, count(*)::int AS n FROM rm_facts.record_versions v
          WHERE ${versionsVisible(asOf, params.add)} AND status = 'approved' GROUP BY act ORDER BY act`,
        params.values,
      );
      return rows;
    };

    it('counts approved records exactly as the log says, act by act', async () => {
      const { rows: expected } = await testDb.db.query(FROM_LOG, [RECORD_EVENTS]);
      expect(expected.length).toBeGreaterThan(8);
      expect(await approvedByAct({ view: 'now' })).toEqual(expected);
    });

    it('keeps one current version per record and a closed history for every review or correction', async () => {
      const { rows } = await testDb.db.query<{ records: number; created: number; versions: number; changes: number }>(
        `SELECT (SELECT count(*)::int FROM rm_facts.record_versions WHERE valid_to_position IS NULL) AS records,
                (SELECT count(*)::int FROM yingpan.events WHERE type = ANY($1::text[])) AS created,
                (SELECT count(*)::int FROM rm_facts.record_versions) AS versions,
                (SELECT count(*)::int FROM yingpan.events WHERE type = ANY($2::text[])) AS changes`,
        [RECORD_EVENTS, REVIEW_EVENTS],
      );
      expect(rows[0]!.records).toBe(rows[0]!.created);
      expect(rows[0]!.versions).toBe(rows[0]!.created + rows[0]!.changes);
    });

    it('answers as it happened (by act date) and as it was known (by log position)', async () => {
      const total = (rows: { n: number }[]) => rows.reduce((sum, row) => sum + row.n, 0);
      const now = total(await approvedByAct({ view: 'now' }));
      const early = total(await approvedByAct({ view: 'happened', date: '2019-12-31' }));
      expect(early).toBeGreaterThan(0);
      expect(early).toBeLessThan(now);
      const head = (await store.head()).position;
      expect(total(await approvedByAct({ view: 'known', position: head }))).toBe(now);
      expect(total(await approvedByAct({ view: 'known', position: Math.floor(head / 2) }))).toBeLessThan(now);
      expect(total(await approvedByAct({ view: 'known', position: 0 }))).toBe(0);
      expect(total(await approvedByAct({ view: 'known', at: new Date().toISOString() }))).toBe(now);
    });

    it('voids the record of a suggestion that is withdrawn', async () => {
      const { rows } = await testDb.db.query<{ person_id: string; mandate_id: string }>(
        `SELECT person_id, mandate_id FROM rm_mandates.mandate_spans WHERE kind = 'deputy' AND level = 'county' AND valid_to IS NULL LIMIT 1`,
      );
      const { person_id: personId, mandate_id: mandateId } = rows[0]!;
      const { bus } = createDomain(store);
      const suggestionId = randomUUID();
      const recordId = randomUUID();
      const as = { actor: { personId: 'staff', role: 'staff' }, occurredAt: '2025-03-02T02:00:00.000Z' };
      await bus.execute(
        'DraftSuggestion',
        {
          suggestionId,
          kind: 'suggestion',
          title: '关于农村道路的建议',
          content: '……',
          leadPersonId: personId,
          leadMandateId: mandateId,
          draftedOn: '2025-03-01',
        },
        { ...as, commandId: randomUUID() },
      );
      await bus.execute('SubmitSuggestion', { suggestionId, recordId, submittedOn: '2025-03-01' }, { ...as, commandId: randomUUID() });
      await projector.catchUp();
      const status = async () =>
        (
          await testDb.db.query<{ status: string }>(`SELECT status FROM rm_facts.record_versions WHERE record_id = $1 AND valid_to_position IS NULL`, [
            recordId,
          ])
        ).rows[0]?.status;
      expect(await status()).toBe('approved');
      await bus.execute('WithdrawSuggestion', { suggestionId, withdrawnOn: '2025-03-02', reason: '问题已解决' }, { ...as, commandId: randomUUID() });
      await projector.catchUp();
      expect(await status()).toBe('withdrawn');
    });
  });
}
