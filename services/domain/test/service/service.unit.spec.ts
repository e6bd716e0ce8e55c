import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deputyActDecider, type DeputyActCommand, type DeputyActEvent } from '../../src/service/decider.ts';
import type { PracticalHelpEvent } from '../../src/service/events.ts';
import { localDate } from '../../src/kernel/recording.ts';
import { spec } from '../spec.ts';

const personId = randomUUID();
const staff = { personId: randomUUID(), declared: false };
const deputy = { personId, declared: true };
const help: PracticalHelpEvent['data'] = {
  recordId: randomUUID(),
  act: 'dispute-mediation',
  personId,
  mandateId: randomUUID(),
  date: '2024-05-30',
  declared: false,
  summary: '调解两户村民宅基地边界纠纷，双方达成协议。',
  beneficiaries: 2,
  township: '石羊镇',
};
const record = (recorder = staff, changes: Partial<PracticalHelpEvent['data']> = {}, today = '2024-06-01'): DeputyActCommand => {
  const { declared: _declared, ...data } = { ...help, ...changes };
  return { type: 'RecordPracticalHelp', data: { ...data, recorder, today } };
};
const recorded: DeputyActEvent = { type: 'PracticalHelpRecorded', data: help };
const acts = spec(deputyActDecider);

describe('when nothing is recorded yet', () => {
  it('records practical help entered by staff, approved on entry', () => {
    acts.given([]).when(record()).then([recorded]);
  });
  it('records the deputy’s own help as a declaration', () => {
    acts
      .given([])
      .when(record(deputy))
      .then([{ type: 'PracticalHelpRecorded', data: { ...help, declared: true } }]);
  });
  it('rejects a deputy declaring someone else’s help', () => {
    acts
      .given([])
      .when(record({ personId: randomUUID(), declared: true }))
      .thenRejects('not-own-act');
  });
  it('accepts help dated today', () => {
    acts
      .given([])
      .when(record(staff, { date: '2024-06-01' }))
      .then([{ type: 'PracticalHelpRecorded', data: { ...help, date: '2024-06-01' } }]);
  });
  it('rejects help dated after today', () => {
    acts
      .given([])
      .when(record(staff, { date: '2024-06-02' }))
      .thenRejects('future-date');
  });
});

describe('when the record exists', () => {
  it('rejects recording it again', () => {
    acts.given([recorded]).when(record()).thenRejects('record-exists');
  });
});

describe('the county’s date of a command', () => {
  it('is the date in China, eight hours ahead of UTC', () => {
    expect(localDate('2024-06-01T15:59:59.000Z')).toBe('2024-06-01');
    expect(localDate('2024-06-01T16:00:00.000Z')).toBe('2024-06-02');
  });
});
