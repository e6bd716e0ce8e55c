import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** How the voters rate a duty report (述职评议). */
export const DUTY_REPORT_RATINGS = ['competent', 'basically-competent', 'incompetent'] as const;
export type DutyReportRating = (typeof DUTY_REPORT_RATINGS)[number];
export const DUTY_REPORT_RATING_LABELS: Record<DutyReportRating, string> = {
  competent: '称职',
  'basically-competent': '基本称职',
  incompetent: '不称职',
};

const voteCount = z.number().int().min(0);

export const DutyReportDelivered = defineEvent({
  type: 'DutyReportDelivered',
  version: 1,
  stream: 'duty-report',
  record: true,
  description: 'A deputy delivered the annual duty report to voters (年述职). One report per person and year.',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('duty-report').describe('always `duty-report` (向选民述职)'),
    year: z.number().int().min(2000).max(2100).describe('the year the report covers; the stream id is derived from person and year'),
    stationId: z.uuid().nullable().describe('the deputy station (代表之家 / 代表联络站) where it was delivered, if at one'),
    venue: z.string().max(200).nullable().describe('where it was delivered when not at a station, e.g. a village committee hall'),
    audienceSize: z.number().int().min(0).describe('how many voters attended'),
    summary: z.string().trim().min(1).max(4000).describe('what the deputy reported'),
  }),
});

export const DutyReportRated = defineEvent({
  type: 'DutyReportRated',
  version: 1,
  stream: 'duty-report',
  description: 'The voters rated a duty report (述职评议): 称职 / 基本称职 / 不称职, with the vote counts.',
  schema: z.object({
    recordId: z.uuid().describe('the report rated: the `recordId` of its DutyReportDelivered'),
    ratedOn: z.iso.date().describe('the day of the rating'),
    votersRating: z.enum(DUTY_REPORT_RATINGS).describe('the rating given: competent 称职, basically competent 基本称职, incompetent 不称职'),
    votes: z
      .object({
        competent: voteCount.describe('votes for 称职'),
        basicallyCompetent: voteCount.describe('votes for 基本称职'),
        incompetent: voteCount.describe('votes for 不称职'),
      })
      .describe('how the voters voted'),
  }),
});

export const reportEvents = [DutyReportDelivered, DutyReportRated];
export type DutyReportDeliveredData = EventOf<typeof DutyReportDelivered>['data'];
export type DutyReportEvent = EventOf<typeof DutyReportDelivered> | EventOf<typeof DutyReportRated>;
