import { describe, expect, it } from 'vitest';
import { defaultPublicYear, heldIn, publicYears } from './public';

describe('the public page’s years', () => {
  it('offers the years from the first seat to this year, newest first', () => {
    expect(publicYears(2021, '2026-11-26')).toEqual([2026, 2025, 2024, 2023, 2022, 2021]);
    expect(publicYears(2030, '2026-11-26')).toEqual([2026]);
  });

  it('opens at the last year that is over, whose bands are final', () => {
    expect(defaultPublicYear([2026, 2025, 2024], '2026-11-26')).toBe(2025);
    expect(defaultPublicYear([2026], '2026-11-26')).toBe(2026);
    expect(defaultPublicYear([], '2026-11-26')).toBeUndefined();
  });

  it('knows whether a seat was held in a year', () => {
    const seat = { startsOn: '2021-11-20', validTo: '2024-03-01' };
    expect([2020, 2021, 2024, 2025].map((year) => heldIn(seat, year))).toEqual([false, true, true, false]);
    expect(heldIn({ startsOn: '2021-11-20', validTo: null }, 2030)).toBe(true);
  });
});
