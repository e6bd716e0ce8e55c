import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** A suggestion (建议) or a motion (议案); the kind is also the act the submission records. */
export const SUGGESTION_KINDS = ['suggestion', 'motion'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
export const SUGGESTION_KIND_LABELS: Record<SuggestionKind, string> = { suggestion: '建议', motion: '议案' };

/**
 * Co-signers (附议 / 联名代表) a motion needs besides its lead deputy. The law sets a higher
 * threshold for motions raised by deputies jointly (at county level, ten or more deputies); the
 * product asks for at least one co-signer and leaves the legal count to the congress office.
 */
export const MOTION_MIN_CO_SIGNERS = 1;

/** How the agency handled it: A 类 adopted / solved, B 类 partly adopted or planned, C 类 explained. */
export const SUGGESTION_OUTCOMES = ['adopted', 'partly-adopted', 'explained'] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];
export const SUGGESTION_OUTCOME_LABELS: Record<SuggestionOutcome, string> = {
  adopted: 'A类（已解决或采纳）',
  'partly-adopted': 'B类（正在解决或列入计划）',
  explained: 'C类（留作参考、解释说明）',
};

/** The lead deputy's rating of the answer. */
export const SUGGESTION_RATINGS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type SuggestionRating = (typeof SUGGESTION_RATINGS)[number];
export const SUGGESTION_RATING_LABELS: Record<SuggestionRating, string> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  dissatisfied: '不满意',
};

const suggestionId = z.uuid().describe('the suggestion or motion');
const date = z.iso.date();

export const coSignerSchema = z.object({
  personId: z.uuid().describe('the co-signing deputy'),
  mandateId: z.uuid().describe('their deputy mandate, valid on the submission day'),
});
export type CoSigner = z.infer<typeof coSignerSchema>;

export const SuggestionDrafted = defineEvent({
  type: 'SuggestionDrafted',
  version: 1,
  stream: 'suggestion',
  description: 'A deputy drafted a suggestion (建议) or motion (议案); it counts only once submitted.',
  schema: z.object({
    suggestionId,
    kind: z.enum(SUGGESTION_KINDS).describe('suggestion 建议 or motion 议案'),
    title: z.string().trim().min(1).max(200).describe('the title (案由)'),
    content: z.string().trim().min(1).max(20000).describe('the text: the problem, the reasons and what is proposed'),
    leadPersonId: z.uuid().describe('the lead deputy (领衔代表)'),
    leadMandateId: z.uuid().describe('the lead deputy’s deputy mandate, valid on the drafting day'),
    draftedOn: date.describe('the day it was drafted'),
  }),
});

export const SuggestionSubmitted = defineEvent({
  type: 'SuggestionSubmitted',
  version: 1,
  stream: 'suggestion',
  record: true,
  description: 'The lead deputy submitted the suggestion or motion (提出建议 / 议案), with its co-signers; this is the act that counts.',
  schema: z.object({
    ...actRecordFields,
    act: z.enum(SUGGESTION_KINDS).describe('`suggestion` (提出建议) or `motion` (提出议案), as the kind drafted'),
    personId: z.uuid().describe('the lead deputy (领衔代表), who performed the act'),
    date: date.describe('the day it was submitted'),
    suggestionId,
    coSigners: z.array(coSignerSchema).describe('the co-signing deputies (附议代表), each acting in a deputy mandate valid that day'),
  }),
});

export const SuggestionAssigned = defineEvent({
  type: 'SuggestionAssigned',
  version: 1,
  stream: 'suggestion',
  description: 'Staff assigned the suggestion to an agency to handle (交办), with a deadline for the answer.',
  schema: z.object({
    suggestionId,
    agency: z.string().trim().min(1).max(200).describe('the agency that must handle it (承办单位)'),
    assignedOn: date.describe('the day it was assigned'),
    deadline: date.describe('the last day for the answer (办理时限), not before the assignment'),
  }),
});

export const SuggestionAnswered = defineEvent({
  type: 'SuggestionAnswered',
  version: 1,
  stream: 'suggestion',
  description: 'The agency answered the suggestion (办理答复), classed A/B/C by outcome.',
  schema: z.object({
    suggestionId,
    answeredOn: date.describe('the day of the answer; after the deadline it is late'),
    answer: z.string().trim().min(1).max(20000).describe('the agency’s answer (答复意见)'),
    outcome: z.enum(SUGGESTION_OUTCOMES).describe('adopted A类, partly adopted B类, explained C类'),
  }),
});

export const SuggestionRated = defineEvent({
  type: 'SuggestionRated',
  version: 1,
  stream: 'suggestion',
  description: 'The lead deputy rated the answer (代表评价): 满意 / 基本满意 / 不满意.',
  schema: z.object({
    suggestionId,
    ratedOn: date.describe('the day of the rating'),
    rating: z.enum(SUGGESTION_RATINGS).describe('satisfied 满意, basically satisfied 基本满意, dissatisfied 不满意'),
  }),
});

export const SuggestionWithdrawn = defineEvent({
  type: 'SuggestionWithdrawn',
  version: 1,
  stream: 'suggestion',
  description:
    'The suggestion was withdrawn (撤回) before it was answered; nothing more happens to it, and its submission no longer counts towards evaluation (the record stays in the log).',
  schema: z.object({
    suggestionId,
    withdrawnOn: date.describe('the day it was withdrawn'),
    reason: z.string().trim().min(1).max(1000).describe('why it was withdrawn'),
  }),
});

export const suggestionEvents = [SuggestionDrafted, SuggestionSubmitted, SuggestionAssigned, SuggestionAnswered, SuggestionRated, SuggestionWithdrawn];
export type SuggestionEvent =
  | EventOf<typeof SuggestionDrafted>
  | EventOf<typeof SuggestionSubmitted>
  | EventOf<typeof SuggestionAssigned>
  | EventOf<typeof SuggestionAnswered>
  | EventOf<typeof SuggestionRated>
  | EventOf<typeof SuggestionWithdrawn>;
