import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** The acts of "我为群众办实事" (practical help for the people). */
export const PRACTICAL_HELP_ACTS = ['policy-publicity', 'legal-advice', 'dispute-mediation'] as const;
export type PracticalHelpAct = (typeof PRACTICAL_HELP_ACTS)[number];

export const PracticalHelpRecorded = defineEvent({
  type: 'PracticalHelpRecorded',
  version: 1,
  stream: 'deputy-act',
  record: true,
  description: 'A person did practical help for the people (我为群众办实事): policy publicity, legal advice or dispute mediation.',
  schema: z.object({
    ...actRecordFields,
    act: z.enum(PRACTICAL_HELP_ACTS).describe('which help: policy publicity (政策宣传), legal advice (法律咨询) or dispute mediation (矛盾调解)'),
    summary: z.string().trim().min(1).max(2000).describe('what was done, for whom (no personal data of the people helped)'),
    beneficiaries: z.number().int().min(1).describe('how many people were helped or reached'),
    township: z.string().max(100).nullable().describe('the township or street where it happened, if known'),
  }),
});

export const serviceEvents = [PracticalHelpRecorded];
export type PracticalHelpEvent = EventOf<typeof PracticalHelpRecorded>;
