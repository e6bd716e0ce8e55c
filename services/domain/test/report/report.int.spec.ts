import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyReportStreamFor } from '../../src/report/decider.ts';
import { openCounty, type County } from '../service/county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`duty reports on ${target.name}`, () => {
    let county: County;
    const report = (changes: Record<string, unknown> = {}) => ({
      recordId: randomUUID(),
      personId: county.lead.personId,
      mandateId: county.lead.mandateId,
      year: 2023,
      date: '2023-12-20',
      stationId: randomUUID(),
      audienceSize: 46,
      summary: '汇报一年来参加视察、提出建议和联系选民的情况。',
      ...changes,
    });
    const rating = (changes: Record<string, unknown> = {}) => ({
      personId: county.lead.personId,
      year: 2023,
      ratedOn: '2023-12-20',
      votersRating: 'competent',
      votes: { competent: 40, basicallyCompetent: 5, incompetent: 1 },
      ...changes,
    });

    beforeAll(async () => {
      county = await openCounty(target);
    });
    afterAll(async () => {
      await county?.testDb.dispose();
    });

    it('records a report and its rating on the person-year stream, and refuses a second report that year', async () => {
      const first = report();
      const delivered = await county.domain.bus.execute('DeliverDutyReport', first, county.as('station-manager'));
      expect(delivered.streamId).toBe(dutyReportStreamFor(county.lead.personId, 2023));
      expect(delivered.events[0]).toMatchObject({ type: 'DutyReportDelivered', data: { act: 'duty-report', declared: false, venue: null } });
      const rated = await county.domain.bus.execute('RateDutyReport', rating(), county.as());
      expect(rated.events.map((event) => [event.type, (event.data as { recordId: string }).recordId])).toEqual([['DutyReportRated', first.recordId]]);

      const head = await county.store.head();
      await expect(county.domain.bus.execute('DeliverDutyReport', report({ date: '2024-01-10' }), county.as())).rejects.toMatchObject({
        code: 'report-exists',
      });
      await expect(county.domain.bus.execute('RateDutyReport', rating(), county.as())).rejects.toMatchObject({ code: 'already-rated' });
      expect(await county.store.head()).toEqual(head);
    });

    it('takes the deputy’s own report as pending until it is approved', async () => {
      const input = report({ year: 2022, date: '2022-12-15', stationId: null, venue: '石羊镇人大主席团会议室' });
      const outcome = await county.domain.bus.execute('DeliverDutyReport', input, county.as('deputy', county.lead.personId));
      expect(outcome.streamId).toBe(dutyReportStreamFor(county.lead.personId, 2022));
      expect(await county.statusOf(outcome.streamId, input.recordId)).toBe('pending');
      await county.domain.bus.execute('ApproveRecord', { streamId: outcome.streamId, recordId: input.recordId }, county.as());
      expect(await county.statusOf(outcome.streamId, input.recordId)).toBe('approved');
    });

    it('accepts a new report once the year’s report was retracted', async () => {
      const first = report({ personId: county.coSigner.personId, mandateId: county.coSigner.mandateId });
      const { streamId } = await county.domain.bus.execute('DeliverDutyReport', first, county.as());
      await county.domain.bus.execute('RetractRecord', { streamId, recordId: first.recordId, reason: '录入了错误的代表' }, county.as());
      const again = { ...first, recordId: randomUUID(), date: '2023-12-28' };
      const outcome = await county.domain.bus.execute('DeliverDutyReport', again, county.as());
      expect(outcome.streamId).toBe(streamId);
      expect(await county.statusOf(streamId, again.recordId)).toBe('approved');
    });

    it('rejects reports by the wrong person, mandate, date or role, and ratings before a report, writing nothing', async () => {
      const head = await county.store.head();
      const deliver = (input: Record<string, unknown>, context = county.as()) => county.domain.bus.execute('DeliverDutyReport', input, context);
      const other = { personId: county.otherDeputy.personId, mandateId: county.otherDeputy.mandateId };
      await expect(deliver(report(other), county.as('deputy', county.lead.personId))).rejects.toMatchObject({ code: 'not-own-act' });
      await expect(deliver(report({ ...other, year: 2024, date: '2024-06-02' }))).rejects.toMatchObject({ code: 'future-date' });
      await expect(deliver(report({ ...other, year: 2020, date: '2020-12-01' }))).rejects.toMatchObject({ code: 'mandate-not-valid' });
      await expect(deliver(report({ ...other, date: '2025-01-10' }))).rejects.toMatchObject({ code: 'report-year' });
      await expect(deliver(report({ personId: county.committeeMember.personId, mandateId: county.committeeMember.mandateId }))).rejects.toMatchObject({
        code: 'mandate-kind',
      });
      await expect(deliver(report(other), county.as('committee-member'))).rejects.toMatchObject({ code: 'forbidden' });
      await expect(county.domain.bus.execute('RateDutyReport', rating({ personId: other.personId }), county.as())).rejects.toMatchObject({
        code: 'report-not-found',
      });
      await expect(county.domain.bus.execute('RateDutyReport', rating(), county.as('deputy', county.lead.personId))).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect(await county.store.head()).toEqual(head);
    });
  });
}
