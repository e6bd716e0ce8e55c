import { afterEach, describe, expect, it } from 'vitest';
import { clockOn, countyToday, localDate, now, setClock, type Clock } from '../src/kernel/clock.ts';
import { TEST_TODAY } from '../src/test-clock.ts';

describe('the county clock', () => {
  let restore: () => void = () => {};
  afterEach(() => restore());

  it('stands every test on the one test day (the setup file set it)', () => {
    expect(countyToday()).toBe(TEST_TODAY);
  });

  it('reads dates in China Standard Time, whatever the machine’s zone', () => {
    expect(localDate('2026-12-04T15:59:59Z')).toBe('2026-12-04');
    expect(localDate('2026-12-04T16:00:00Z')).toBe('2026-12-05');
    expect(localDate(new Date('2028-02-28T16:30:00Z'))).toBe('2028-02-29');
  });

  it('puts a day on the clock from noon, running on in real time, and gives the previous clock back', () => {
    let real = Date.parse('2030-01-01T00:00:00Z');
    const ticking: Clock = { now: () => new Date(real) };
    restore = setClock(clockOn('2028-02-29', ticking));
    expect(now().toISOString()).toBe('2028-02-29T04:00:00.000Z');
    real += 11 * 3600_000;
    expect(countyToday()).toBe('2028-02-29');
    real += 3600_000;
    expect(countyToday()).toBe('2028-03-01');
    restore();
    expect(countyToday()).toBe(TEST_TODAY);
  });

  it('refuses a day that is not on the calendar', () => {
    for (const day of ['2026-02-29', '2026-13-01', '26-12-04', 'today']) expect(() => clockOn(day), day).toThrow(/not a calendar date/);
    expect(() => clockOn('2028-02-29')).not.toThrow();
  });
});
