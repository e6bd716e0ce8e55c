/**
 * Reviewable records inside any act stream. An event that creates a record carries `recordId`
 * and `declared`; review and correction events point at the `recordId`. `trackRecords` folds any
 * stream's events into the records' statuses, for the review decider and for area deciders that
 * need to know whether a record still counts.
 */
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
