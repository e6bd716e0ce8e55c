/**
 * Home visits: the quarterly return to the electoral district ("季回家"), one record per stream
 * `deputy-act:<recordId>`, with the review events on that record. The `deputy-act` category is
 * shared with other areas' one-record streams (e.g. practical help in src/service); this decider
 * only asks whether the stream already holds a record, so it folds any of them.
 */
import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';
import type { ReviewEvent } from '../review/events.ts';
import { noRecords, type Records, trackRecords } from '../review/records.ts';

export const homeVisitStream = (recordId: string) => `deputy-act:${recordId}`;

export const HomeVisitRecorded = defineEvent({
  type: 'HomeVisitRecorded',
  version: 1,
  stream: 'deputy-act',
  record: true,
  description: 'A deputy went back to their electoral district (回家/回选区履职, "季回家"): one person-time (人次).',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('home-visit').describe('always home-visit (回家履职)'),
    place: z.string().min(1).max(200).describe('where: the village, community or unit visited'),
    visited: z.string().min(1).max(200).describe('whom, in general terms (e.g. "村民代表 12 人"); no voter’s personal data'),
    summary: z.string().min(1).max(1000).describe('what was done and heard'),
  }),
});

export type HomeVisitData = EventOf<typeof HomeVisitRecorded>['data'];
export type HomeVisitStreamEvent = EventOf<typeof HomeVisitRecorded> | ReviewEvent;
export type HomeVisitCommand = Command<'RecordHomeVisit', Omit<HomeVisitData, 'act'>>;

export const homeVisitDecider: Decider<HomeVisitCommand, HomeVisitStreamEvent, Records> = {
  category: 'deputy-act',
  initialState: () => noRecords,
  decide(command, records) {
    switch (command.type) {
      case 'RecordHomeVisit':
        if (records.size > 0) throw new DomainError('record-exists', { zh: '该记录编号已被使用', en: 'This record id is already used' }, 'recordId');
        return [{ type: 'HomeVisitRecorded', data: { ...command.data, act: 'home-visit' } }];
      default:
        return assertNever(command.type);
    }
  },
  evolve: (records, event) => trackRecords(records, event),
};

export const homeVisitEvents = [HomeVisitRecorded];
