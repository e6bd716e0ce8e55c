import { get } from 'svelte/store';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NOW,
  asOf,
  endOfCountyDay,
  isIsoDate,
  isKnownView,
  isLogPosition,
  localToday,
  parseAsOf,
  sameAsOf,
  toAsOfInput,
  useServerToday,
  viewDay,
  viewYear,
} from './as-of';

describe('the as-of setting → the API’s AsOfInput', () => {
  it('leaves the argument out for the present', () => {
    expect(toAsOfInput(NOW)).toBeUndefined();
  });

  it('asks for a HAPPENED view with the date', () => {
    expect(toAsOfInput({ view: 'HAPPENED', date: '2024-06-30' })).toEqual({ view: 'HAPPENED', date: '2024-06-30' });
  });

  it('asks for a KNOWN view with the log position (0 included)', () => {
    expect(toAsOfInput({ view: 'KNOWN', position: 3000 })).toEqual({ view: 'KNOWN', position: 3000 });
    expect(toAsOfInput({ view: 'KNOWN', position: 0 })).toEqual({ view: 'KNOWN', position: 0 });
  });

  it('asks for a KNOWN view at the last instant of the chosen county day (UTC+8)', () => {
    const input = toAsOfInput({ view: 'KNOWN_ON', date: '2025-01-01' });
    expect(input).toEqual({ view: 'KNOWN', at: '2025-01-01T23:59:59.999+08:00' });
    expect(new Date(input!.at!).toISOString()).toBe('2025-01-01T15:59:59.999Z');
    expect(Date.parse(endOfCountyDay('2025-01-01')) + 1).toBe(Date.parse('2025-01-02T00:00:00+08:00'));
  });

  it('never sends a malformed moment: a bad date or position reads as the present', () => {
    expect(toAsOfInput({ view: 'HAPPENED', date: '2024-02-30' })).toBeUndefined();
    expect(toAsOfInput({ view: 'HAPPENED', date: '30/06/2024' })).toBeUndefined();
    expect(toAsOfInput({ view: 'KNOWN_ON', date: '2025-13-01' })).toBeUndefined();
    expect(toAsOfInput({ view: 'KNOWN', position: -1 })).toBeUndefined();
    expect(toAsOfInput({ view: 'KNOWN', position: 1.5 })).toBeUndefined();
  });
});

describe('dates and positions', () => {
  it('accepts real calendar days only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('accepts whole positions from 0', () => {
    expect(isLogPosition(0)).toBe(true);
    expect(isLogPosition(6271)).toBe(true);
    expect(isLogPosition(-3)).toBe(false);
    expect(isLogPosition(Number.NaN)).toBe(false);
  });
});

describe('reading a stored setting', () => {
  it('keeps what is well-formed', () => {
    expect(parseAsOf({ view: 'HAPPENED', date: '2019-06-30' })).toEqual({ view: 'HAPPENED', date: '2019-06-30' });
    expect(parseAsOf({ view: 'KNOWN', position: 12 })).toEqual({ view: 'KNOWN', position: 12 });
    expect(parseAsOf({ view: 'KNOWN_ON', date: '2025-01-01' })).toEqual({ view: 'KNOWN_ON', date: '2025-01-01' });
    // A number input's value arrives as text.
    expect(parseAsOf({ view: 'KNOWN', position: '12' })).toEqual({ view: 'KNOWN', position: 12 });
  });

  it('falls back to the present for anything else', () => {
    for (const raw of [
      null,
      undefined,
      'HAPPENED',
      {},
      { view: 'HAPPENED' },
      { view: 'KNOWN', position: '' },
      { view: 'LATER', date: '2024-01-01' },
      { view: 'KNOWN_ON', date: '2025-02-30' },
    ]) {
      expect(parseAsOf(raw)).toEqual(NOW);
    }
  });
});

describe('the view’s day', () => {
  it('is the chosen date for HAPPENED and today otherwise', () => {
    expect(viewDay({ view: 'HAPPENED', date: '2019-06-30' }, '2026-11-26')).toBe('2019-06-30');
    expect(viewDay({ view: 'KNOWN', position: 10 }, '2026-11-26')).toBe('2026-11-26');
    expect(viewDay(NOW, '2026-11-26')).toBe('2026-11-26');
    expect(viewYear({ view: 'HAPPENED', date: '2019-06-30' }, '2026-11-26')).toBe(2019);
  });

  it('is the chosen date for a view as known on that day (nothing after it was known then)', () => {
    expect(viewDay({ view: 'KNOWN_ON', date: '2025-01-01' }, '2026-11-26')).toBe('2025-01-01');
    expect(isKnownView({ view: 'KNOWN_ON', date: '2025-01-01' })).toBe(true);
    expect(isKnownView({ view: 'KNOWN', position: 3 })).toBe(true);
    expect(isKnownView({ view: 'HAPPENED', date: '2025-01-01' })).toBe(false);
    expect(isKnownView(NOW)).toBe(false);
  });
});

describe('the as-of store', () => {
  it('changes the view, ignores malformed settings and goes back to now', () => {
    const seen: unknown[] = [];
    const unsubscribe = asOf.subscribe((value) => seen.push(value));
    asOf.set({ view: 'HAPPENED', date: '2024-06-30' });
    expect(get(asOf)).toEqual({ view: 'HAPPENED', date: '2024-06-30' });
    // The same moment again notifies nobody.
    asOf.set({ view: 'HAPPENED', date: '2024-06-30' });
    expect(seen).toHaveLength(2);
    asOf.set({ view: 'HAPPENED', date: 'not a date' });
    expect(get(asOf)).toEqual(NOW);
    asOf.set({ view: 'KNOWN', position: 5 });
    asOf.reset();
    expect(get(asOf)).toEqual(NOW);
    unsubscribe();
    expect(sameAsOf({ view: 'KNOWN', position: 5 }, { view: 'KNOWN', position: 5 })).toBe(true);
    expect(sameAsOf({ view: 'KNOWN', position: 5 }, NOW)).toBe(false);
  });
});

describe('localToday', () => {
  afterEach(() => useServerToday('2000-01-01', new Date('2000-01-01T04:00:00Z'))); // offset back to 0

  it('reads the browser clock in China Standard Time until the server has said', () => {
    // 17:00 UTC is already the next day in the county.
    expect(localToday(new Date('2026-12-04T17:00:00Z'))).toBe('2026-12-05');
    expect(localToday(new Date('2026-12-04T15:59:00Z'))).toBe('2026-12-04');
  });

  it('counts from the server’s date once it is known, and rolls over at the county’s midnight', () => {
    useServerToday('2028-02-28', new Date('2026-12-04T10:00:00Z'));
    expect(localToday(new Date('2026-12-04T10:00:00Z'))).toBe('2028-02-28');
    expect(localToday(new Date('2026-12-04T16:00:00Z'))).toBe('2028-02-29');
    expect(localToday(new Date('2026-12-05T16:00:00Z'))).toBe('2028-03-01');
  });

  it('ignores an answer that is not a date', () => {
    useServerToday('soon', new Date('2026-12-04T10:00:00Z'));
    expect(localToday(new Date('2026-12-04T10:00:00Z'))).toBe('2026-12-04');
  });
});
