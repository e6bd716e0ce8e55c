import { eventIdFor } from '@yingpan/domain';
import { describe, expect, it } from 'vitest';
import { correctionDraft, pendingRecords, streamOfEntry, streamsOfBookRecord } from './review';

const STATION = '68506e20-fe36-51ee-8047-9da7982cd5f2';
const PERSON = '3329c9e1-5f09-5e64-a205-16d8ef82a9f8';
const record = (recordId: string, act: string, date: string, status = 'PENDING') => ({ recordId, act, date, status, personId: PERSON, name: '余祥成', summary: '进站', stationId: STATION });

describe('the review queue', () => {
  it('lists each pending record once, newest first, with the stream it lives in', () => {
    const pending = pendingRecords({
      stationId: STATION,
      records: [
        record('r1', 'STATION_VISIT', '2026-06-10'),
        record('r2', 'STATION_VISIT', '2026-06-11', 'APPROVED'),
        record('r1', 'STATION_VISIT', '2026-06-10'),
        record('r3', 'HOME_VISIT', '2026-07-01'),
      ],
      receptions: [
        {
          receptionId: 'rc',
          heldOn: '2026-05-05',
          topics: ['道路', '饮水'],
          deputies: [
            { personId: PERSON, name: '余祥成', recordId: 'r4', status: 'PENDING' },
            { personId: 'other', name: '别人', recordId: 'r5', status: 'APPROVED' },
          ],
        },
      ],
    });
    expect(pending.map((entry) => [entry.recordId, entry.streams])).toEqual([
      ['r3', ['deputy-act:r3']],
      ['r1', [`station:${STATION}`]],
      ['r4', [`station:${STATION}`]],
    ]);
    expect(pending[2]).toMatchObject({ act: 'VOTER_RECEPTION', date: '2026-05-05', summary: '道路、饮水' });
  });

  it('tries a duty report’s stream for the year of its date, then the year before (as the domain names them)', () => {
    expect(streamsOfBookRecord(record('r6', 'DUTY_REPORT', '2026-01-10'))).toEqual([
      `duty-report:${eventIdFor('duty-report', PERSON, 2026)}`,
      `duty-report:${eventIdFor('duty-report', PERSON, 2025)}`,
    ]);
    expect(streamsOfBookRecord({ ...record('r7', 'TRAINING', '2026-01-10') })).toEqual([]);
  });

  it('finds the stream of a served record from its event', () => {
    const entry = (eventType: string, data: object, extra: object = {}) => ({ recordId: 'r9', eventType, data: JSON.stringify(data), ...extra });
    expect(streamOfEntry(entry('ParticipationRecorded', {}, { activityId: 'a1' }))).toBe('activity:a1');
    expect(streamOfEntry(entry('StationVisitRecorded', { stationId: 's1' }))).toBe('station:s1');
    expect(streamOfEntry(entry('HomeVisitRecorded', {}))).toBe('deputy-act:r9');
    expect(streamOfEntry(entry('DutyReportDelivered', { personId: PERSON, year: 2024 }))).toBe(`duty-report:${eventIdFor('duty-report', PERSON, 2024)}`);
    expect(streamOfEntry(entry('SuggestionSubmitted', { suggestionId: 'sg' }))).toBe('suggestion:sg');
    expect(streamOfEntry(entry('PairingActivityRecorded', { pairingId: 'pr' }))).toBe('pairing:pr');
    expect(streamOfEntry(entry('Unknown', {}))).toBeNull();
    expect(correctionDraft(entry('X', { a: 1 }))).toBe('{\n  "a": 1\n}');
  });
});
