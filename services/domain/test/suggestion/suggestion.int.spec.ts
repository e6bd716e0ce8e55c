import { randomUUID } from 'node:crypto';
import { testTargets } from '@yingpan/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestionStream } from '../../src/suggestion/decider.ts';
import { openCounty, type County } from '../service/county.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`suggestions on ${target.name}`, () => {
    let county: County;
    const draft = (kind = 'suggestion') => ({
      suggestionId: randomUUID(),
      kind,
      title: kind === 'motion' ? '关于制定农村人居环境整治办法的议案' : '关于改善乡村道路安全设施的建议',
      content: '多处急弯缺少护栏，建议增设护栏和警示标志。',
      leadPersonId: county.lead.personId,
      leadMandateId: county.lead.mandateId,
      draftedOn: '2024-01-10',
    });
    const execute = (name: string, input: Record<string, unknown>, context = county.as()) => county.domain.bus.execute(name, input, context);
    const types = async (suggestionId: string) => (await county.store.readStream(suggestionStream(suggestionId))).map((event) => event.type);

    beforeAll(async () => {
      county = await openCounty(target);
    });
    afterAll(async () => {
      await county?.testDb.dispose();
    });

    it('takes a motion from draft to the lead deputy’s rating', async () => {
      const { suggestionId } = await execute('DraftSuggestion', draft('motion')).then((outcome) => outcome.events[0]!.data as { suggestionId: string });
      const recordId = randomUUID();
      const submitted = await execute('SubmitSuggestion', { suggestionId, recordId, submittedOn: '2024-01-15', coSigners: [county.coSigner] });
      expect(submitted.events[0]?.data).toMatchObject({ act: 'motion', personId: county.lead.personId, declared: false, coSigners: [county.coSigner] });
      await execute('AssignSuggestion', { suggestionId, agency: '县住房和城乡建设局', assignedOn: '2024-02-01', deadline: '2024-05-01' });
      await execute('AnswerSuggestion', { suggestionId, answeredOn: '2024-04-28', answer: '已列入年度工作计划。', outcome: 'partly-adopted' });
      await execute('RateSuggestion', { suggestionId, ratedOn: '2024-05-06', rating: 'basically-satisfied' }, county.as('deputy', county.lead.personId));
      expect(await types(suggestionId)).toEqual(['SuggestionDrafted', 'SuggestionSubmitted', 'SuggestionAssigned', 'SuggestionAnswered', 'SuggestionRated']);
      expect(await county.statusOf(suggestionStream(suggestionId), recordId)).toBe('approved');
    });

    it('takes the lead deputy’s own submission as pending: assignment waits for approval', async () => {
      const deputy = () => county.as('deputy', county.lead.personId);
      const input = draft();
      await execute('DraftSuggestion', input, deputy());
      const recordId = randomUUID();
      await execute('SubmitSuggestion', { suggestionId: input.suggestionId, recordId, submittedOn: '2024-01-12' }, deputy());
      const streamId = suggestionStream(input.suggestionId);
      expect(await county.statusOf(streamId, recordId)).toBe('pending');

      const assignment = { suggestionId: input.suggestionId, agency: '县交通运输局', assignedOn: '2024-01-20', deadline: '2024-04-20' };
      const head = await county.store.head();
      await expect(execute('AssignSuggestion', assignment)).rejects.toMatchObject({ code: 'submission-pending' });
      expect(await county.store.head()).toEqual(head);

      await execute('ApproveRecord', { streamId, recordId });
      expect(await county.statusOf(streamId, recordId)).toBe('approved');
      await execute('AssignSuggestion', assignment);
      await execute('AnswerSuggestion', { suggestionId: input.suggestionId, answeredOn: '2024-03-01', answer: '已增设护栏。', outcome: 'adopted' });
      await expect(
        execute(
          'RateSuggestion',
          { suggestionId: input.suggestionId, ratedOn: '2024-03-05', rating: 'satisfied' },
          county.as('deputy', county.otherDeputy.personId),
        ),
      ).rejects.toMatchObject({ code: 'not-lead-deputy' });
      await execute('RateSuggestion', { suggestionId: input.suggestionId, ratedOn: '2024-03-05', rating: 'satisfied' });
      expect((await types(input.suggestionId)).at(-1)).toBe('SuggestionRated');
    });

    it('withdraws a suggestion, after which nothing more happens to it', async () => {
      const input = draft();
      await execute('DraftSuggestion', input);
      await execute('SubmitSuggestion', { suggestionId: input.suggestionId, recordId: randomUUID(), submittedOn: '2024-01-15' });
      await execute(
        'WithdrawSuggestion',
        { suggestionId: input.suggestionId, withdrawnOn: '2024-01-18', reason: '问题已由镇政府解决' },
        county.as('deputy', county.lead.personId),
      );
      const head = await county.store.head();
      await expect(
        execute('AssignSuggestion', { suggestionId: input.suggestionId, agency: '县交通运输局', assignedOn: '2024-01-20', deadline: '2024-04-20' }),
      ).rejects.toMatchObject({ code: 'suggestion-withdrawn' });
      expect(await county.store.head()).toEqual(head);
    });

    it('rejects invalid co-signers, deputies acting for others and wrong roles, writing nothing', async () => {
      const input = draft('motion');
      await execute('DraftSuggestion', input);
      const head = await county.store.head();
      const submit = (changes: Record<string, unknown>, context = county.as()) =>
        execute('SubmitSuggestion', { suggestionId: input.suggestionId, recordId: randomUUID(), submittedOn: '2024-01-15', ...changes }, context);
      await expect(submit({ coSigners: [county.coSigner, county.committeeMember] })).rejects.toMatchObject({
        code: 'mandate-kind',
        field: 'coSigners.1.mandateId',
        messages: { zh: expect.stringContaining('附议代表（第 2 位）') },
      });
      await expect(submit({ coSigners: [{ personId: county.coSigner.personId, mandateId: county.otherDeputy.mandateId }] })).rejects.toMatchObject({
        code: 'mandate-of-other-person',
      });
      await expect(submit({ coSigners: [] })).rejects.toMatchObject({ code: 'motion-needs-co-signers' });
      await expect(submit({ coSigners: [county.coSigner], submittedOn: '2021-09-01' })).rejects.toMatchObject({
        code: 'mandate-not-valid',
        field: 'suggestionId',
      });
      await expect(submit({ coSigners: [county.coSigner] }, county.as('deputy', county.otherDeputy.personId))).rejects.toMatchObject({ code: 'not-own-act' });
      await expect(execute('DraftSuggestion', draft(), county.as('deputy', county.otherDeputy.personId))).rejects.toMatchObject({ code: 'not-own-act' });
      await expect(
        execute('DraftSuggestion', { ...draft(), leadPersonId: county.committeeMember.personId, leadMandateId: county.committeeMember.mandateId }),
      ).rejects.toMatchObject({ code: 'mandate-kind', field: 'leadMandateId' });
      await expect(
        execute(
          'AssignSuggestion',
          { suggestionId: input.suggestionId, agency: '县农业农村局', assignedOn: '2024-01-20', deadline: '2024-04-20' },
          county.as('deputy', county.lead.personId),
        ),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        execute('AnswerSuggestion', { suggestionId: input.suggestionId, answeredOn: '2024-02-01', answer: '答复', outcome: 'adopted' }),
      ).rejects.toMatchObject({ code: 'not-assigned' });
      await expect(execute('SubmitSuggestion', { suggestionId: randomUUID(), recordId: randomUUID(), submittedOn: '2024-01-15' })).rejects.toMatchObject({
        code: 'suggestion-not-found',
      });
      expect(await county.store.head()).toEqual(head);
    });
  });
}
