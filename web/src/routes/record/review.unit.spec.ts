import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mutationOf } from '$lib/forms/command';
import { inputErrors } from '$lib/forms/testing';
import { decisionPlan, queueRows, stillPending } from './review';

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));
const STATION = '68506e20-fe36-51ee-8047-9da7982cd5f2';
const PERSON = '3329c9e1-5f09-5e64-a205-16d8ef82a9f8';
const RECORD = '00000000-0000-4000-8000-000000000005';
const node = (recordId: string, date: string, extra: object = {}) => ({
  recordId,
  streamId: `station:${STATION}`,
  act: 'STATION_VISIT',
  personId: PERSON,
  person: { name: '余祥成' },
  date,
  summary: '进站',
  stationId: STATION,
  ...extra,
});

describe('the review queue', () => {
  it('shows each pending record once, in the API’s order, with the stream the API names', () => {
    const rows = queueRows([
      node('r2', '2026-07-01', { streamId: 'deputy-act:r2', act: 'HOME_VISIT', stationId: null }),
      node('r1', '2026-06-10'),
      // A later page can repeat a record when the list moved while it was read.
      node('r1', '2026-06-10'),
      node('r3', '2026-05-05', { person: null, summary: null }),
    ]);
    expect(rows.map((row) => [row.recordId, row.streamId])).toEqual([
      ['r2', 'deputy-act:r2'],
      ['r1', `station:${STATION}`],
      ['r3', `station:${STATION}`],
    ]);
    expect(rows[0]).toMatchObject({ act: 'HOME_VISIT', name: '余祥成', stationId: null });
    expect(rows[2]).toMatchObject({ name: null, summary: null });
  });

  it('approves on the record’s own stream, and rejects with the reason trimmed, as the schema takes them', () => {
    const record = { streamId: `station:${STATION}`, recordId: RECORD };
    const approve = decisionPlan(record, 'approve', 'ignored');
    expect(mutationOf(approve.document)).toBe('approveRecord');
    expect(approve.input).toEqual({ streamId: `station:${STATION}`, recordId: RECORD });
    const reject = decisionPlan(record, 'reject', '  日期有误 ');
    expect(mutationOf(reject.document)).toBe('rejectRecord');
    expect(reject.input).toEqual({ streamId: `station:${STATION}`, recordId: RECORD, reason: '日期有误' });
    for (const plan of [approve, reject]) expect(inputErrors(schema, plan, RECORD), mutationOf(plan.document)).toEqual([]);
  });

  it('counts what still awaits review: the API’s total less the decisions made on the page', () => {
    expect(stillPending(57, 50, 3)).toBe(54);
    // Before the count arrives (or if it is missing), the rows shown.
    expect(stillPending(null, 12, 2)).toBe(10);
    expect(stillPending(1, 1, 2)).toBe(0);
  });
});
