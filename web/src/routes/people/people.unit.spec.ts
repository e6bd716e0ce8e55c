import { describe, expect, it } from 'vitest';
import { latestMandate } from './people';

describe('the people list', () => {
  it('shows the newest mandate: the latest term, then the latest start', () => {
    const mandates = [
      { id: 'a', termNumber: 17, startsOn: '2016-11-20' },
      { id: 'b', termNumber: 18, startsOn: '2021-11-20' },
      { id: 'c', termNumber: 18, startsOn: '2023-03-01' },
    ];
    expect(latestMandate(mandates)?.id).toBe('c');
    expect(latestMandate([])).toBeUndefined();
  });
});
