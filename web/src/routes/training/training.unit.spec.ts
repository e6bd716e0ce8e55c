import { describe, expect, it } from 'vitest';
import { CommandIds, barPercent, formFieldForRejection, occurredAtFromLocalInput, totalPersonTimes } from './training';

describe('the person-times table', () => {
  it('totals the person-times of every kind of training', () => {
    expect(totalPersonTimes([{ personTimes: 3 }, { personTimes: 0 }, { personTimes: 12 }])).toBe(15);
    expect(totalPersonTimes([])).toBe(0);
  });

  it('sizes bars against the largest kind and never divides by zero', () => {
    expect(barPercent(5, 20)).toBe(25);
    expect(barPercent(20, 20)).toBe(100);
    expect(barPercent(0, 0)).toBe(0);
    expect(barPercent(3, 0)).toBe(0);
  });
});

describe('a rejection from the API', () => {
  it('is shown next to the input its field names', () => {
    expect(formFieldForRejection('personId')).toBe('person');
    expect(formFieldForRejection('activityId')).toBe('training');
    expect(formFieldForRejection('trainingId')).toBe('training');
    expect(formFieldForRejection('occurredAt')).toBe('occurredAt');
  });

  it('without a known field belongs to the form as a whole', () => {
    expect(formFieldForRejection(null)).toBeNull();
    expect(formFieldForRejection(undefined)).toBeNull();
    expect(formFieldForRejection('commandId')).toBeNull();
  });
});

describe('the attended-at input', () => {
  it('is omitted when empty, refused when not a time, an ISO instant otherwise', () => {
    expect(occurredAtFromLocalInput('')).toBeUndefined();
    expect(occurredAtFromLocalInput('not a time')).toBeNull();
    const iso = occurredAtFromLocalInput('2024-05-01T09:30');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(iso!).getTime()).toBe(new Date(2024, 4, 1, 9, 30).getTime());
  });
});

describe('command ids of the form', () => {
  const counter = () => {
    let n = 0;
    return new CommandIds(() => `id-${++n}`);
  };

  it('stay the same while the same values are submitted again without an answer', () => {
    const ids = counter();
    expect(ids.idFor(['t1', 'p1', null])).toBe('id-1');
    expect(ids.idFor(['t1', 'p1', null])).toBe('id-1');
  });

  it('change when the values change', () => {
    const ids = counter();
    ids.idFor(['t1', 'p1', null]);
    expect(ids.idFor(['t1', 'p2', null])).toBe('id-2');
    expect(ids.idFor(['t1', 'p1', null])).toBe('id-3');
  });

  it('are new once the API has answered', () => {
    const ids = counter();
    ids.idFor(['t1', 'p1', null]);
    ids.settle();
    expect(ids.idFor(['t1', 'p1', null])).toBe('id-2');
  });

  it('are UUIDs by default', () => {
    expect(new CommandIds().idFor(['x'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
