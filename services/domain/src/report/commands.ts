import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { localDate, recorderOf } from '../kernel/recording.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { dutyReportDecider, dutyReportStreamFor } from './decider.ts';
import { DUTY_REPORT_RATINGS } from './events.ts';

const year = z.number().int().min(2000).max(2100);
const votes = z.number().int().min(0);

export const deliverDutyReport = defineCommand({
  name: 'DeliverDutyReport',
  description: 'Records (or, by the deputy, declares) a deputy’s annual duty report to voters (年述职).',
  roles: ['deputy', 'station-manager', 'staff', 'admin'],
  input: z.object({
    recordId: id,
    personId: id,
    mandateId: id,
    year,
    date: isoDate,
    stationId: id.nullable().default(null),
    venue: text(200).nullable().default(null),
    audienceSize: z.number().int().min(0),
    summary: text(4000),
  }),
  decider: dutyReportDecider,
  streamId: (input) => dutyReportStreamFor(input.personId, input.year),
  async toCommand(data, { context, lookups }) {
    await actingMandate(lookups, data.mandateId, data.personId, data.date, { kinds: ['deputy'] });
    return {
      type: 'DeliverDutyReport' as const,
      data: { ...data, act: 'duty-report' as const, recorder: recorderOf(context), today: localDate(context.occurredAt) },
    };
  },
});

export const rateDutyReport = defineCommand({
  name: 'RateDutyReport',
  description: 'Records how the voters rated a deputy’s duty report for a year (述职评议).',
  roles: ['station-manager', 'staff', 'admin'],
  input: z.object({
    personId: id,
    year,
    ratedOn: isoDate,
    votersRating: z.enum(DUTY_REPORT_RATINGS),
    votes: z.object({ competent: votes, basicallyCompetent: votes, incompetent: votes }),
  }),
  decider: dutyReportDecider,
  streamId: (input) => dutyReportStreamFor(input.personId, input.year),
  toCommand: ({ ratedOn, votersRating, votes }) => ({ type: 'RateDutyReport' as const, data: { ratedOn, votersRating, votes } }),
});

export const reportCommands = [deliverDutyReport, rateDutyReport];
