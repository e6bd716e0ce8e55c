import { describe, expect, it } from 'vitest';
import { fileNameOf, kitHref, termsHeld } from './kit';

describe('the auditor’s kit download', () => {
  it('asks for a person’s term or a station’s year, in the chosen format', () => {
    expect(kitHref({ kind: 'person', personId: 'p-1', term: 18 }, 'html')).toBe('/audit/kit?person=p-1&term=18&format=html');
    expect(kitHref({ kind: 'station', stationId: 's-1', year: 2025 }, 'json')).toBe('/audit/kit?station=s-1&year=2025&format=json');
  });

  it('reads the Chinese file name of RFC 5987, else the plain one, else the fallback', () => {
    const name = '石桥铺镇代表之家 · 2025年台账 · 核验包.html';
    expect(fileNameOf(`attachment; filename="audit-kit.html"; filename*=UTF-8''${encodeURIComponent(name)}`, 'x')).toBe(name);
    expect(fileNameOf('attachment; filename="audit-kit.json"', 'x')).toBe('audit-kit.json');
    expect(fileNameOf('attachment; filename*=UTF-8\'\'%E0%A4%A; filename="plain.json"', 'x')).toBe('plain.json');
    expect(fileNameOf(null, '核验包.html')).toBe('核验包.html');
  });

  it('offers the terms a person held a seat in, newest first, each once', () => {
    expect(termsHeld([{ termNumber: 17 }, { termNumber: 18 }, { termNumber: 17 }])).toEqual([18, 17]);
  });
});
