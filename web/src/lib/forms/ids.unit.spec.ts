import { createHash } from 'node:crypto';
import { eventIdFor } from '@yingpan/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dutyReportStream, nameBasedId, randomId, sha1, UUID } from './ids';

describe('ids the client chooses', () => {
  it('computes SHA-1 as node does, for any text (the stream names depend on it)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(Buffer.from(sha1(text)).toString('hex')).toBe(createHash('sha1').update(text).digest('hex'));
      }),
    );
    // Lengths around the 64-byte blocks.
    for (const length of [0, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = 'x'.repeat(length);
      expect(Buffer.from(sha1(text)).toString('hex'), String(length)).toBe(createHash('sha1').update(text).digest('hex'));
    }
  });

  it('names a duty report’s stream as the domain does', () => {
    const personId = '25433557-5545-5128-96f0-80ea59dbf306';
    expect(nameBasedId('duty-report', personId, 2024)).toBe(eventIdFor('duty-report', personId, 2024));
    expect(dutyReportStream(personId, 2021)).toBe(`duty-report:${eventIdFor('duty-report', personId, 2021)}`);
  });

  it('makes random UUIDs the API accepts', () => {
    const ids = new Set(Array.from({ length: 50 }, () => randomId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(UUID);
  });
});
