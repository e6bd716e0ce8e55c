import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';
import { scoringRulesSchema } from './scoring.ts';

/** What a regulation (制度) governs; only `scoring` regulations carry scoring rules. */
export const REGULATION_CATEGORIES = ['scoring', 'station', 'procedure', 'other'] as const;
export type RegulationCategory = (typeof REGULATION_CATEGORIES)[number];
export const REGULATION_CATEGORY_LABELS: Record<RegulationCategory, string> = {
  scoring: '履职量化评价',
  station: '家站建设与管理',
  procedure: '工作程序',
  other: '其他',
};

const regulationId = z.uuid().describe('the regulation, across all its versions');
const effectiveFrom = z.iso.date().describe('the first day this version applies; acts on or after it are scored by it');
const scoringRules = scoringRulesSchema
  .nullable()
  .describe('the quantitative evaluation rules of this version: required for category `scoring`, null for every other category');

export const RegulationEnacted = defineEvent({
  type: 'RegulationEnacted',
  version: 1,
  stream: 'regulation',
  description: 'The standing committee enacted a regulation (制度 “立”), e.g. 《代表履职监督量化评价暂行办法》; this is its version 1.',
  schema: z.object({
    regulationId,
    title: z.string().trim().min(1).max(200).describe('the title, e.g. 《代表履职监督量化评价暂行办法》'),
    category: z.enum(REGULATION_CATEGORIES).describe('scoring 履职量化评价, station 家站, procedure 工作程序, other 其他'),
    version: z.literal(1).describe('always 1: the first version'),
    effectiveFrom,
    summary: z.string().trim().min(1).max(4000).describe('what the regulation provides, in brief'),
    scoringRules,
  }),
});

export const RegulationAmended = defineEvent({
  type: 'RegulationAmended',
  version: 1,
  stream: 'regulation',
  description: 'A regulation in force was amended (制度 “改”): a new version taking effect after the previous one.',
  schema: z.object({
    regulationId,
    version: z.number().int().min(2).describe('the new version’s number: the previous one plus 1'),
    effectiveFrom: effectiveFrom.describe('the first day the new version applies; after the previous version’s'),
    changes: z.string().trim().min(1).max(4000).describe('what changed, in brief'),
    scoringRules,
  }),
});

export const RegulationRepealed = defineEvent({
  type: 'RegulationRepealed',
  version: 1,
  stream: 'regulation',
  description: 'A regulation was repealed (制度 “废”); from that day no version of it applies.',
  schema: z.object({
    regulationId,
    repealedOn: z.iso.date().describe('the first day the regulation no longer applies; after the last version took effect'),
    reason: z.string().trim().min(1).max(1000).describe('why it was repealed'),
  }),
});

export const regulationEvents = [RegulationEnacted, RegulationAmended, RegulationRepealed];
export type RegulationEvent = EventOf<typeof RegulationEnacted> | EventOf<typeof RegulationAmended> | EventOf<typeof RegulationRepealed>;
