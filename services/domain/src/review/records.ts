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
 *
 * `Records` is a persistent value: a new or changed record makes a new `Records` that shares
 * everything else with the old one — immutable's `OrderedMap` by record id (in the order the
 * records were made; O(log n) a change) and, per person, the records that name them (an array
 * copied on change: as long as one deputy's history at the station). Folded states are immutable
 * values kept between commands (kernel/state-cache.ts), so each fold needs a new value; copying a
 * native `Map` made every record on a station's stream cost as much as the station's whole
 * history, and folding a stream from its start cost the square of it. The person's records answer
 * the questions deciders ask of one deputy (`ofPerson`: a visit on the same day, an attendance at
 * a reception, the latest act) without walking the station's history.
 */
import { OrderedMap, Map as PersistentMap } from 'immutable';
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

const NONE: readonly RecordState[] = Object.freeze([]);

const personOf = (record: RecordState | undefined): string | undefined => (typeof record?.data.personId === 'string' ? record.data.personId : undefined);

/** The reviewable records of a stream, by record id and by the person each names. */
export class Records {
  /** A stream without records. */
  static readonly none = new Records(OrderedMap(), PersistentMap());

  private constructor(
    private readonly byId: OrderedMap<string, RecordState>,
    private readonly byPerson: PersistentMap<string, readonly RecordState[]>,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(recordId: string): RecordState | undefined {
    return this.byId.get(recordId);
  }

  has(recordId: string): boolean {
    return this.byId.has(recordId);
  }

  /** Every record, in the order they were made. */
  values(): IterableIterator<RecordState> {
    return this.byId.values();
  }

  /** The records whose data names the person (as corrected), in the order they came to name them. */
  ofPerson(personId: string): readonly RecordState[] {
    return this.byPerson.get(personId) ?? NONE;
  }

  /** These records with `record` added, or put in place of the one with its id. */
  with(record: RecordState): Records {
    const before = this.byId.get(record.recordId);
    const was = personOf(before);
    const is = personOf(record);
    let byPerson = this.byPerson;
    if (was !== undefined && was !== is)
      byPerson = byPerson.set(
        was,
        this.ofPerson(was).filter((other) => other.recordId !== record.recordId),
      );
    if (is !== undefined) {
      const own = this.ofPerson(is);
      const at = was === is ? own.findIndex((other) => other.recordId === record.recordId) : -1;
      byPerson = byPerson.set(is, at < 0 ? [...own, record] : own.with(at, record));
    }
    return new Records(this.byId.set(record.recordId, record), byPerson);
  }

  /** By record id, as the auditor's stream step-through shows a state. */
  toJSON(): Record<string, RecordState> {
    return this.byId.toJSON();
  }
}

/** A stream without records: where every state's `records` starts. */
export const noRecords: Records = Records.none;

export const isRecordCreation = (event: Event): boolean =>
  typeof (event.data as { recordId?: unknown }).recordId === 'string' && typeof (event.data as { declared?: unknown }).declared === 'boolean';

export function trackRecords(records: Records, event: Event): Records {
  const data = event.data as Record<string, unknown>;
  if (isRecordCreation(event)) {
    return records.with({
      recordId: data.recordId as string,
      type: event.type,
      data,
      status: data.declared ? 'pending' : 'approved',
      corrected: false,
    });
  }
  const record = typeof data.recordId === 'string' ? records.get(data.recordId) : undefined;
  if (!record) return records;
  const update = (changes: Partial<RecordState>) => records.with({ ...record, ...changes });
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
export const standingRecordsOf = (records: Records, personId: string): RecordState[] => records.ofPerson(personId).filter(stands);

/** Rejects a record id that is already used on the stream ('record-exists' on `field`). */
export function assertNewRecord(records: Records, recordId: string, field = 'recordId'): void {
  if (records.has(recordId)) {
    throw new DomainError('record-exists', { zh: '该记录编号已被使用', en: 'This record id is already in use' }, field);
  }
}
