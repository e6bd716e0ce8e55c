import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import type { Lookups } from '../kernel/lookups.ts';
import { recorderOf } from '../kernel/recording.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { suggestionDecider, suggestionStream } from './decider.ts';
import { SUGGESTION_KINDS, SUGGESTION_OUTCOMES, SUGGESTION_RATINGS, type CoSigner } from './events.ts';

/** Deputies act on their own suggestions; staff (and administrators) act for them. */
const DEPUTY_OR_STAFF = ['deputy', 'staff', 'admin'] as const;
const STAFF = ['staff', 'admin'] as const;

export const draftSuggestion = defineCommand({
  name: 'DraftSuggestion',
  description: 'Drafts a suggestion (建议) or motion (议案) led by a deputy.',
  roles: DEPUTY_OR_STAFF,
  input: z.object({
    suggestionId: id,
    kind: z.enum(SUGGESTION_KINDS),
    title: text(200),
    content: text(20000),
    leadPersonId: id,
    leadMandateId: id,
    draftedOn: isoDate,
  }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  async toCommand(data, { context, lookups }) {
    await actingMandate(lookups, data.leadMandateId, data.leadPersonId, data.draftedOn, { kinds: ['deputy'], field: 'leadMandateId' });
    return { type: 'DraftSuggestion' as const, data: { ...data, recorder: recorderOf(context) } };
  },
});

export const submitSuggestion = defineCommand({
  name: 'SubmitSuggestion',
  description: 'Submits a drafted suggestion or motion with its co-signing deputies (提出); this is the act that counts.',
  roles: DEPUTY_OR_STAFF,
  input: z.object({
    suggestionId: id,
    recordId: id,
    submittedOn: isoDate,
    coSigners: z
      .array(z.object({ personId: id, mandateId: id }))
      .max(200)
      .default([]),
  }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  async toCommand(data, { context, lookups }) {
    const { state } = await lookups.state(suggestionDecider, suggestionStream(data.suggestionId));
    if (state.file) {
      const { leadMandateId, leadPersonId } = state.file;
      await actingMandate(lookups, leadMandateId, leadPersonId, data.submittedOn, { kinds: ['deputy'], field: 'suggestionId' });
      await checkCoSignerMandates(lookups, data.coSigners, data.submittedOn);
    }
    return { type: 'SubmitSuggestion' as const, data: { ...data, recorder: recorderOf(context) } };
  },
});

export const assignSuggestion = defineCommand({
  name: 'AssignSuggestion',
  description: 'Assigns a submitted suggestion to an agency with a deadline (交办).',
  roles: STAFF,
  input: z.object({ suggestionId: id, agency: text(200), assignedOn: isoDate, deadline: isoDate }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  toCommand: (data) => ({ type: 'AssignSuggestion' as const, data }),
});

export const answerSuggestion = defineCommand({
  name: 'AnswerSuggestion',
  description: 'Records the agency’s answer to an assigned suggestion, classed A/B/C (办理答复).',
  roles: STAFF,
  input: z.object({ suggestionId: id, answeredOn: isoDate, answer: text(20000), outcome: z.enum(SUGGESTION_OUTCOMES) }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  toCommand: (data) => ({ type: 'AnswerSuggestion' as const, data }),
});

export const rateSuggestion = defineCommand({
  name: 'RateSuggestion',
  description: 'Records the lead deputy’s rating of the answer (满意 / 基本满意 / 不满意); staff may enter it on their behalf.',
  roles: DEPUTY_OR_STAFF,
  input: z.object({ suggestionId: id, ratedOn: isoDate, rating: z.enum(SUGGESTION_RATINGS) }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  toCommand: (data, { context }) => ({ type: 'RateSuggestion' as const, data: { ...data, recorder: recorderOf(context) } }),
});

export const withdrawSuggestion = defineCommand({
  name: 'WithdrawSuggestion',
  description: 'Withdraws a suggestion before it is answered (撤回).',
  roles: DEPUTY_OR_STAFF,
  input: z.object({ suggestionId: id, withdrawnOn: isoDate, reason }),
  decider: suggestionDecider,
  streamId: (input) => suggestionStream(input.suggestionId),
  toCommand: (data, { context }) => ({ type: 'WithdrawSuggestion' as const, data: { ...data, recorder: recorderOf(context) } }),
});

/** Every co-signer must be a deputy acting in a deputy mandate valid on the submission day. */
async function checkCoSignerMandates(lookups: Lookups, coSigners: CoSigner[], on: string): Promise<void> {
  await Promise.all(
    coSigners.map((coSigner, index) =>
      actingMandate(lookups, coSigner.mandateId, coSigner.personId, on, {
        kinds: ['deputy'],
        field: `coSigners.${index}.mandateId`,
        prefix: { zh: `附议代表（第 ${index + 1} 位）：`, en: `Co-signer ${index + 1}: ` },
      }),
    ),
  );
}

export const suggestionCommands = [draftSuggestion, submitSuggestion, assignSuggestion, answerSuggestion, rateSuggestion, withdrawSuggestion];
