/**
 * Reviewable records inside any act stream. An event that creates a record carries `recordId`
 * and `declared`; review and correction events point at the `recordId`. `trackRecords` folds any
 * stream's events into the records' statuses, for the review decider and for area deciders that
 * need to know whether a record still counts (`counts`) or still stands (`stands`).
 *
 * An area decider whose state keeps `records` folds the review events with `isReviewEvent`
 * (./events.ts) before its exhaustive switch, which then lists only the area's own events (its
 * record-creating events fold with `trackRecords` too):
 *
 *   evolve(state, event) {
 *     if (isReviewEvent(event)) return { ...state, records: trackRecords(state.records, event) };
 *     switch (event.type) { ... } // the area's own events only
 *   }
 *
 * Where the stream's only other use of `records` is a single record-creating event (the duty
 * report, practical help), listing the four review types as `case` labels falling through to that
 * event's arm says the same just as briefly.
 */
import { DomainError } from '../kernel/errors.ts';
import type { Event } from '../kernel/messages.ts';

export type RecordStatus = 'pending' | 'approved' | 'rejected' | 'retracted';

export interface RecordState {
  recordId: string;
  type: string;
  data: Record<string, unknown>;
  status: RecordStatus;
  corrected: boolean;
}

export type Records = ReadonlyMap<string, RecordState>;

export const isRecordCreation = (event: Event): boolean =>
  typeof (event.data as { recordId?: unknown }).recordId === 'string' && typeof (event.data as { declared?: unknown }).declared === 'boolean';

export function trackRecords(records: Records, event: Event): Records {
  const data = event.data as Record<string, unknown>;
  if (isRecordCreation(event)) {
    const next = new Map(records);
    next.set(data.recordId as string, {
      recordId: data.recordId as string,
      type: event.type,
      data,
      status: data.declared ? 'pending' : 'approved',
      corrected: false,
    });
    return next;
  }
  const record = typeof data.recordId === 'string' ? records.get(data.recordId) : undefined;
  if (!record) return records;
  const update = (changes: Partial<RecordState>) => new Map(records).set(record.recordId, { ...record, ...changes });
  switch (event.type) {
    case 'RecordApproved':
      return update({ status: 'approved' });
    case 'RecordRejected':
      return update({ status: 'rejected' });
    case 'RecordRetracted':
      return update({ status: 'retracted' });
    case 'RecordCorrected':
      return update({ data: data.corrected as Record<string, unknown>, corrected: true });
    default:
      return records;
  }
}

/** A record counts when it is approved (staff entry, or a declaration that passed review). */
export const counts = (record: RecordState | undefined): boolean => record?.status === 'approved';

/** A record still stands unless it was rejected in review or retracted (a pending declaration stands). */
export const stands = (record: RecordState): boolean => record.status !== 'rejected' && record.status !== 'retracted';

/** The person's records on the stream that still stand. */
export const standingRecordsOf = (records: Records, personId: string): RecordState[] =>
  [...records.values()].filter((record) => record.data.personId === personId && stands(record));

/** Rejects a record id that is already used on the stream ('record-exists' on `field`). */
export function assertNewRecord(records: Records, recordId: string, field = 'recordId'): void {
  if (records.has(recordId)) {
    throw new DomainError('record-exists', { zh: '该记录编号已被使用', en: 'This record id is already in use' }, field);
  }
}
