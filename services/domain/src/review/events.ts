import { z } from 'zod';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** Review and correction events live on the stream of the record they concern. */
const ON_RECORD_STREAM = '*';
const recordId = z.uuid().describe('the record (act) concerned: the `recordId` of the event that created it');
const reason = z.string().trim().min(1).max(1000).describe('why, in the reviewer’s words');

export const RecordApproved = defineEvent({
  type: 'RecordApproved',
  version: 1,
  stream: ON_RECORD_STREAM,
  description: 'Staff approved a declared record (审核通过); from now on it counts.',
  schema: z.object({ recordId }),
});

export const RecordRejected = defineEvent({
  type: 'RecordRejected',
  version: 1,
  stream: ON_RECORD_STREAM,
  description: 'Staff rejected a declared record (审核不通过), giving a reason; it never counts.',
  schema: z.object({ recordId, reason }),
});

export const RecordCorrected = defineEvent({
  type: 'RecordCorrected',
  version: 1,
  stream: ON_RECORD_STREAM,
  description: 'A wrong record was corrected: `corrected` replaces its data from now on; the original stays in the log.',
  schema: z.object({ recordId, reason, corrected: z.record(z.string(), z.unknown()).describe('the record’s full corrected data') }),
});

export const RecordRetracted = defineEvent({
  type: 'RecordRetracted',
  version: 1,
  stream: ON_RECORD_STREAM,
  description: 'A record entered in error was retracted (撤销); it no longer counts, but stays in the log.',
  schema: z.object({ recordId, reason }),
});

export const reviewEvents = [RecordApproved, RecordRejected, RecordCorrected, RecordRetracted];
export type ReviewEvent = EventOf<typeof RecordApproved> | EventOf<typeof RecordRejected> | EventOf<typeof RecordCorrected> | EventOf<typeof RecordRetracted>;

const REVIEW_EVENT_TYPES: ReadonlySet<string> = new Set(reviewEvents.map((definition) => definition.type));

/**
 * True for the four review events. On a stream's event union it narrows both ways, so an area
 * decider can fold them first and leave only its own events to its exhaustive switch (see the
 * pattern in ./records.ts).
 */
export const isReviewEvent = (event: { type: string }): event is ReviewEvent => REVIEW_EVENT_TYPES.has(event.type);
