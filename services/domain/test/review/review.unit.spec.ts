import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/kernel/messages.ts';
import { reviewDecider } from '../../src/review/decider.ts';
import { isReviewEvent } from '../../src/review/events.ts';
import { assertNewRecord, counts, noRecords, standingRecordsOf, stands, trackRecords, type Records } from '../../src/review/records.ts';
import { spec } from '../spec.ts';

const recordId = '44444444-4444-4444-8444-444444444444';
const act = (declared: boolean): Event => ({
  type: 'StationVisitRecorded',
  data: { recordId, act: 'station-visit', personId: 'p', mandateId: 'm', date: '2023-03-01', declared },
});
const review = spec(reviewDecider as never) as ReturnType<typeof spec<never, never, Records>>;
const fold = (events: Event[]) => events.reduce(trackRecords, noRecords);

describe('records', () => {
  it('recorded by staff count at once; declared by a deputy they wait for approval', () => {
    expect(counts(fold([act(false)]).get(recordId))).toBe(true);
    expect(fold([act(true)]).get(recordId)?.status).toBe('pending');
    expect(counts(fold([act(true), { type: 'RecordApproved', data: { recordId } }]).get(recordId))).toBe(true);
    expect(counts(fold([act(true), { type: 'RecordRejected', data: { recordId, reason: '无佐证材料' } }]).get(recordId))).toBe(false);
    expect(counts(fold([act(false), { type: 'RecordRetracted', data: { recordId, reason: '误录' } }]).get(recordId))).toBe(false);
  });

  it('a correction replaces the data and keeps the record counting', () => {
    const corrected = { ...act(false).data, date: '2023-03-02' };
    const record = fold([act(false), { type: 'RecordCorrected', data: { recordId, reason: '日期录错', corrected } }]).get(recordId)!;
    expect(record).toMatchObject({ corrected: true, status: 'approved', data: { date: '2023-03-02' } });
  });

  it('a pending or approved record stands; a rejected or retracted one does not, and its id stays used', () => {
    expect(stands(fold([act(true)]).get(recordId)!)).toBe(true);
    expect(standingRecordsOf(fold([act(false)]), 'p')).toHaveLength(1);
    const retracted = fold([act(false), { type: 'RecordRetracted', data: { recordId, reason: '误录' } }]);
    expect(stands(retracted.get(recordId)!)).toBe(false);
    expect(standingRecordsOf(retracted, 'p')).toEqual([]);
    expect(() => assertNewRecord(retracted, recordId, 'deputies.1.recordId')).toThrow(
      expect.objectContaining({ code: 'record-exists', field: 'deputies.1.recordId' }),
    );
    expect(() => assertNewRecord(retracted, '55555555-5555-4555-8555-555555555555')).not.toThrow();
  });

  it('leaves the records it folds onto as they were (cached states are shared)', () => {
    const other = (id: string): Event => ({ ...act(true), data: { ...act(true).data, recordId: id } });
    const ids = Array.from({ length: 40 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
    const before = fold(ids.map(other));
    const added = trackRecords(before, act(true));
    const approved = trackRecords(before, { type: 'RecordApproved', data: { recordId: ids[7] } });
    expect([before.size, added.size, approved.size]).toEqual([40, 41, 40]);
    expect(before.has(recordId)).toBe(false);
    expect(added.get(recordId)?.status).toBe('pending');
    expect(before.get(ids[7]!)?.status).toBe('pending');
    expect(approved.get(ids[7]!)?.status).toBe('approved');
    expect(trackRecords(before, { type: 'RecordApproved', data: { recordId: 'unknown' } })).toBe(before);
    expect([...added.values()].map((record) => record.recordId)).toEqual([...ids, recordId]);
  });

  it('finds a person’s records by the person their data names now, a correction included', () => {
    const records = fold([act(false), { ...act(true), data: { ...act(true).data, recordId: 'other', personId: 'q' } }]);
    expect(records.ofPerson('p').map((record) => record.recordId)).toEqual([recordId]);
    expect(records.ofPerson('q').map((record) => record.recordId)).toEqual(['other']);
    const moved = trackRecords(records, { type: 'RecordCorrected', data: { recordId, reason: '代表录错', corrected: { ...act(false).data, personId: 'q' } } });
    expect(moved.ofPerson('p')).toEqual([]);
    expect(moved.ofPerson('q').map((record) => record.recordId)).toEqual(['other', recordId]);
    expect(records.ofPerson('p').map((record) => record.recordId)).toEqual([recordId]);
    const back = trackRecords(moved, { type: 'RecordCorrected', data: { recordId, reason: '改回', corrected: act(false).data } });
    expect(back.ofPerson('p').map((record) => record.recordId)).toEqual([recordId]);
    expect(back.ofPerson('q').map((record) => record.recordId)).toEqual(['other']);
    expect(standingRecordsOf(back, 'x')).toEqual([]);
  });

  it('tells the review events from an area’s own', () => {
    expect(['RecordApproved', 'RecordRejected', 'RecordCorrected', 'RecordRetracted'].every((type) => isReviewEvent({ type }))).toBe(true);
    expect(isReviewEvent(act(false))).toBe(false);
  });
});

describe('when a declared record awaits review', () => {
  it('approves it', () =>
    review
      .given([act(true)] as never)
      .when({ type: 'ApproveRecord', data: { recordId } } as never)
      .then([{ type: 'RecordApproved', data: { recordId } }] as never));
  it('rejects it with a reason', () =>
    review
      .given([act(true)] as never)
      .when({ type: 'RejectRecord', data: { recordId, reason: '无佐证' } } as never)
      .then([{ type: 'RecordRejected', data: { recordId, reason: '无佐证' } }] as never));
  it('refuses to review an unknown record', () =>
    review
      .given([act(true)] as never)
      .when({ type: 'ApproveRecord', data: { recordId: 'x' } } as never)
      .thenRejects('record-not-found'));
});

describe('when the record is approved', () => {
  it('refuses to review it again', () =>
    review
      .given([act(false)] as never)
      .when({ type: 'ApproveRecord', data: { recordId } } as never)
      .thenRejects('not-pending'));
  it('refuses a correction that changes its identity', () =>
    review
      .given([act(false)] as never)
      .when({ type: 'CorrectRecord', data: { recordId, reason: 'r', corrected: { ...act(false).data, recordId: 'other' } } } as never)
      .thenRejects('correction-changes-identity'));
  it('retracts it', () =>
    review
      .given([act(false)] as never)
      .when({ type: 'RetractRecord', data: { recordId, reason: '误录' } } as never)
      .then([{ type: 'RecordRetracted', data: { recordId, reason: '误录' } }] as never));
});

describe('when the record is retracted', () => {
  const retracted = [act(false), { type: 'RecordRetracted', data: { recordId, reason: '误录' } }];
  it('refuses to retract it again', () =>
    review
      .given(retracted as never)
      .when({ type: 'RetractRecord', data: { recordId, reason: 'x' } } as never)
      .thenRejects('already-retracted'));
  it('refuses to correct it', () =>
    review
      .given(retracted as never)
      .when({ type: 'CorrectRecord', data: { recordId, reason: 'x', corrected: act(false).data } } as never)
      .thenRejects('record-void'));
});
