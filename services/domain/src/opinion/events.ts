/**
 * Voters' opinions (意见建议) received at a station and their handling (意见处理): registered,
 * referred to an agency, answered, closed with the voter's satisfaction, reopened when the voter
 * was dissatisfied. The voter's identity is personal data: it is never published.
 */
import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

export const OPINION_SATISFACTION = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type OpinionSatisfaction = (typeof OPINION_SATISFACTION)[number];
export const OPINION_SATISFACTION_LABELS: Record<OpinionSatisfaction, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  'basically-satisfied': { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

const opinionId = z.uuid().describe('the opinion');
const date = z.iso.date();

/** The voter who raised an opinion: PERSONAL DATA, never public. */
export const opinionVoter = z
  .object({
    name: z.string().min(1).max(100).describe('PERSONAL DATA, never public: the voter’s name'),
    phone: z.string().min(1).max(50).nullable().describe('PERSONAL DATA, never public: a phone number to answer on, if given'),
    address: z.string().min(1).max(200).nullable().describe('PERSONAL DATA, never public: the voter’s address, if given'),
  })
  .describe(
    'PERSONAL DATA, never public (not in the public disclosure, statistics or exports): who raised the opinion — name, phone (or null), address (or null)',
  );

/**
 * The fields of a registered opinion that hold the voter's personal data: who they are and what
 * they said in their own words (which may identify them). Shown only to those who handle the
 * opinion; the API withholds them from everyone else, in the log too.
 */
export const OPINION_PERSONAL_FIELDS = ['voter', 'content'] as const;

export const OpinionRegistered = defineEvent({
  type: 'OpinionRegistered',
  version: 1,
  stream: 'opinion',
  description:
    'A voter’s opinion (意见建议) received by a deputy at a station was registered (意见登记). Holds the voter’s personal data, which is never public.',
  schema: z.object({
    opinionId,
    stationId: z.uuid().describe('the station whose books hold the opinion'),
    receptionId: z.uuid().nullable().describe('the voter reception (VoterReceptionHeld) it was raised at, or null if raised otherwise'),
    receivedByPersonId: z.uuid().describe('the deputy who received it; assigned to the station on registeredOn'),
    receivedByMandateId: z.uuid().describe('the deputy mandate under which they belonged to the station that day'),
    voter: opinionVoter,
    content: z.string().min(1).max(4000).describe('the opinion in the voter’s words; not public as written, since it may identify the voter'),
    category: z.string().min(1).max(50).describe('subject area, e.g. 道路交通, 教育, 医疗'),
    registeredOn: date.describe('the day it was registered'),
    deadline: date.describe('by when it must be answered; not before registeredOn'),
  }),
});

export const OpinionReferred = defineEvent({
  type: 'OpinionReferred',
  version: 1,
  stream: 'opinion',
  description: 'An opinion was referred (交办/转办) to an agency to handle; it may be re-referred to another agency until answered.',
  schema: z.object({
    opinionId,
    agency: z.string().min(1).max(200).describe('the agency (承办单位) that must answer'),
    referredOn: date.describe('the day it was referred'),
    deadline: date.describe('by when the agency must answer; not before referredOn'),
  }),
});

export const OpinionAnswered = defineEvent({
  type: 'OpinionAnswered',
  version: 1,
  stream: 'opinion',
  description: 'An opinion was answered (答复): by the agency it was referred to, or on the spot (当场答复) when it was never referred.',
  schema: z.object({
    opinionId,
    answeredOn: date.describe('the day the answer was given'),
    answer: z.string().min(1).max(4000).describe('the answer given to the voter'),
    agency: z.string().min(1).max(200).nullable().describe('the agency that answered (the last referral), or null for an answer on the spot (当场答复)'),
  }),
});

export const OpinionClosed = defineEvent({
  type: 'OpinionClosed',
  version: 1,
  stream: 'opinion',
  description: 'An answered opinion was closed (办结) with the voter’s rating: 满意, 基本满意 or 不满意.',
  schema: z.object({
    opinionId,
    closedOn: date.describe('the day it was closed'),
    satisfaction: z.enum(OPINION_SATISFACTION).describe('the voter’s rating: satisfied 满意, basically-satisfied 基本满意, dissatisfied 不满意'),
    note: z.string().min(1).max(1000).nullable().describe('remarks on the closing, if any'),
  }),
});

export const OpinionReopened = defineEvent({
  type: 'OpinionReopened',
  version: 1,
  stream: 'opinion',
  description: 'An opinion closed with the voter dissatisfied (不满意) was reopened for handling again (重新办理).',
  schema: z.object({
    opinionId,
    reopenedOn: date.describe('the day it was reopened'),
    reason: z.string().min(1).max(1000).describe('why, e.g. what the voter found unanswered'),
    deadline: date.describe('the new deadline for an answer; not before reopenedOn'),
  }),
});

export const opinionStreamEvents = [OpinionRegistered, OpinionReferred, OpinionAnswered, OpinionClosed, OpinionReopened];

export type OpinionRegisteredData = EventOf<typeof OpinionRegistered>['data'];
export type OpinionEvent =
  | EventOf<typeof OpinionRegistered>
  | EventOf<typeof OpinionReferred>
  | EventOf<typeof OpinionAnswered>
  | EventOf<typeof OpinionClosed>
  | EventOf<typeof OpinionReopened>;
