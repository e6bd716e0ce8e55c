import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

export const LEVELS = ['national', 'provincial', 'municipal', 'county', 'township'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = { national: '全国', provincial: '省', municipal: '市', county: '县', township: '乡镇' };

/** Seats and posts. The four teams (四支队伍): committee, office staff, township chairs, deputies. */
export const MANDATE_KINDS = ['deputy', 'committee-member', 'special-committee-member', 'office-staff', 'township-chair'] as const;
export type MandateKind = (typeof MANDATE_KINDS)[number];
export const MANDATE_KIND_LABELS: Record<MandateKind, string> = {
  deputy: '人大代表',
  'committee-member': '常委会组成人员',
  'special-committee-member': '专门委员会组成人员',
  'office-staff': '机关工作人员',
  'township-chair': '乡镇（街道）人大主席（主任）',
};
export const TEAMS = ['committee', 'staff', 'township-chair', 'deputy'] as const;
export type Team = (typeof TEAMS)[number];
export const teamOf = (kind: MandateKind): Team =>
  kind === 'committee-member' || kind === 'special-committee-member'
    ? 'committee'
    : kind === 'office-staff'
      ? 'staff'
      : kind === 'township-chair'
        ? 'township-chair'
        : 'deputy';

export const END_REASONS = ['term-close', 'resignation', 'recall', 'death', 'transfer'] as const;
export type EndReason = (typeof END_REASONS)[number];
/** Why a mandate ended, in the one vocabulary: 届满 is the term's close (连任 or 未连任 is told by the next term's mandates). */
export const END_REASON_LABELS: Record<EndReason, { zh: string; en: string }> = {
  'term-close': { zh: '届满', en: 'Term ended' },
  resignation: { zh: '辞职', en: 'Resigned' },
  recall: { zh: '罢免', en: 'Recalled' },
  death: { zh: '死亡', en: 'Died' },
  transfer: { zh: '调离', en: 'Transferred' },
};

const date = z.iso.date();

export const TermOpened = defineEvent({
  type: 'TermOpened',
  version: 1,
  stream: 'term',
  description: 'A term (届) of the county people’s congress opened.',
  schema: z.object({
    termId: z.uuid(),
    number: z.number().int().min(1).max(99).describe('the term’s ordinal, e.g. 18 for 第十八届'),
    startsOn: date.describe('first day of the term'),
    plannedEndOn: date.describe('the day it is due to end (five years on)'),
  }),
});

export const TermClosed = defineEvent({
  type: 'TermClosed',
  version: 1,
  stream: 'term',
  description: 'The term closed at the election (换届); every mandate of it ends that day unless it ended earlier.',
  schema: z.object({ termId: z.uuid(), closedOn: date }),
});

export const MandateStarted = defineEvent({
  type: 'MandateStarted',
  version: 1,
  stream: 'mandate',
  description: 'A person took a seat or post for one term: a deputy for a district at a level, a committee member, office staff, or a township chair.',
  schema: z.object({
    mandateId: z.uuid(),
    personId: z.uuid(),
    termId: z.uuid(),
    kind: z.enum(MANDATE_KINDS),
    level: z.enum(LEVELS).nullable().describe('deputies only: the level of the congress that elected them'),
    district: z.string().max(100).nullable().describe('deputies only: the electoral district'),
    township: z.string().max(100).nullable().describe('the township or street the seat belongs to, if any'),
    portfolio: z.string().max(100).nullable().describe('committee or department (专门委员会 / 工作机构), if any'),
    publicServant: z.boolean().describe('public-servant (公职) holder or not'),
    startsOn: date,
    byElection: z.boolean().describe('started mid-term (补选)'),
  }),
});

export const MandateEnded = defineEvent({
  type: 'MandateEnded',
  version: 1,
  stream: 'mandate',
  description: 'A mandate ended before or at the term’s close: resignation, recall, death, transfer, or the term closing.',
  schema: z.object({ mandateId: z.uuid(), endsOn: date.describe('last day of the mandate'), reason: z.enum(END_REASONS) }),
});

export const termEvents = [TermOpened, TermClosed];
export const mandateEvents = [MandateStarted, MandateEnded];
export type TermEvent = EventOf<typeof TermOpened> | EventOf<typeof TermClosed>;
export type MandateEvent = EventOf<typeof MandateStarted> | EventOf<typeof MandateEnded>;
export type MandateData = EventOf<typeof MandateStarted>['data'];
