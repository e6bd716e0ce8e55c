import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { regulationDecider, regulationStream } from './decider.ts';
import { REGULATION_CATEGORIES } from './events.ts';
import { scoringRulesSchema } from './scoring.ts';

/** Regulations are made by the standing committee; in the product an administrator enters them. */
const ADMIN = ['admin'] as const;
const scoringRules = scoringRulesSchema.nullable().default(null);

export const enactRegulation = defineCommand({
  name: 'EnactRegulation',
  description: 'Enacts a regulation (制度 “立”); a scoring regulation carries its scoring rules.',
  roles: ADMIN,
  input: z.object({
    regulationId: id,
    title: text(200),
    category: z.enum(REGULATION_CATEGORIES),
    effectiveFrom: isoDate,
    summary: text(4000),
    scoringRules,
  }),
  decider: regulationDecider,
  streamId: (input) => regulationStream(input.regulationId),
  toCommand: (data) => ({ type: 'EnactRegulation' as const, data }),
});

export const amendRegulation = defineCommand({
  name: 'AmendRegulation',
  description: 'Amends a regulation in force (制度 “改”) with a new version taking effect later.',
  roles: ADMIN,
  input: z.object({ regulationId: id, effectiveFrom: isoDate, changes: text(4000), scoringRules }),
  decider: regulationDecider,
  streamId: (input) => regulationStream(input.regulationId),
  toCommand: (data) => ({ type: 'AmendRegulation' as const, data }),
});

export const repealRegulation = defineCommand({
  name: 'RepealRegulation',
  description: 'Repeals a regulation in force (制度 “废”).',
  roles: ADMIN,
  input: z.object({ regulationId: id, repealedOn: isoDate, reason }),
  decider: regulationDecider,
  streamId: (input) => regulationStream(input.regulationId),
  toCommand: (data) => ({ type: 'RepealRegulation' as const, data }),
});

export const regulationCommands = [enactRegulation, amendRegulation, repealRegulation];
