import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW, type AsOfSetting } from './as-of';
import { asOfOfUrl, formatAsOfParam, hrefWithAsOf, keepAsOf, parseAsOfParam, urlWithAsOf } from './as-of-url';

const HAPPENED: AsOfSetting = { view: 'HAPPENED', date: '2024-06-30' };
const KNOWN_ON: AsOfSetting = { view: 'KNOWN_ON', date: '2025-01-01' };
const POSITION: AsOfSetting = { view: 'KNOWN', position: 12345 };

describe('the asOf parameter', () => {
  it('names each past view by its kind and its day or position', () => {
    expect(formatAsOfParam(HAPPENED)).toBe('happened:2024-06-30');
    expect(formatAsOfParam(KNOWN_ON)).toBe('known:2025-01-01');
    expect(formatAsOfParam(POSITION)).toBe('position:12345');
    expect(formatAsOfParam({ view: 'KNOWN', position: 0 })).toBe('position:0');
  });

  it('is left out for the present and for a malformed view', () => {
    expect(formatAsOfParam(NOW)).toBeNull();
    expect(formatAsOfParam({ view: 'HAPPENED', date: '2024-02-30' })).toBeNull();
    expect(formatAsOfParam({ view: 'KNOWN', position: -1 })).toBeNull();
  });

  it('reads back what it wrote', () => {
    for (const setting of [HAPPENED, KNOWN_ON, POSITION]) expect(parseAsOfParam(formatAsOfParam(setting))).toEqual(setting);
  });

  it('reads anything else as the present', () => {
    for (const raw of [
      null,
      undefined,
      '',
      'happened',
      'happened:',
      'happened:2024-6-30',
      'happened:2023-02-29',
      'known:12345',
      'position:2024-06-30',
      'position:-3',
      'position:1.5',
      'position:1e3',
      'position: 12',
      'later:2024-06-30',
      'HAPPENED:2024-06-30',
    ]) {
      expect(parseAsOfParam(raw), String(raw)).toEqual(NOW);
    }
  });

  it('round-trips every well-formed view (property)', () => {
    const day = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const setting = fc.oneof(
      day.map((date): AsOfSetting => ({ view: 'HAPPENED', date })),
      day.map((date): AsOfSetting => ({ view: 'KNOWN_ON', date })),
      fc.nat().map((position): AsOfSetting => ({ view: 'KNOWN', position })),
    );
    fc.assert(
      fc.property(setting, (value) => {
        expect(parseAsOfParam(formatAsOfParam(value))).toEqual(value);
        expect(asOfOfUrl(urlWithAsOf(new URL('https://x.test/people?q=1'), value))).toEqual(value);
      }),
    );
  });
});

describe('a URL with the view', () => {
  it('sets the parameter readably and keeps the rest of the address', () => {
    const url = urlWithAsOf(new URL('https://x.test/stations/1?book=opinions#top'), HAPPENED);
    expect(url.href).toBe('https://x.test/stations/1?book=opinions&asOf=happened:2024-06-30#top');
    expect(asOfOfUrl(url)).toEqual(HAPPENED);
  });

  it('replaces a view already there, and removes it for the present', () => {
    const past = new URL('https://x.test/?asOf=happened:2024-06-30&year=2024');
    expect(urlWithAsOf(past, POSITION).href).toBe('https://x.test/?asOf=position:12345&year=2024');
    expect(urlWithAsOf(past, NOW).href).toBe('https://x.test/?year=2024');
    expect(urlWithAsOf(new URL('https://x.test/people?asOf=known:2025-01-01'), NOW).href).toBe('https://x.test/people');
  });

  it('reads an escaped colon as well (a link copied through another program)', () => {
    expect(asOfOfUrl(new URL('https://x.test/?asOf=known%3A2025-01-01'))).toEqual(KNOWN_ON);
  });
});

describe('links that keep the view', () => {
  it('add the view to a page that reads it', () => {
    expect(hrefWithAsOf('/people', HAPPENED, true)).toBe('/people?asOf=happened:2024-06-30');
    expect(hrefWithAsOf('/stations/1?book=duty#roster', KNOWN_ON, true)).toBe('/stations/1?book=duty&asOf=known:2025-01-01#roster');
  });

  it('stay as they are for the present, for pages without the view, other sites and links naming their own view', () => {
    expect(hrefWithAsOf('/people', NOW, true)).toBe('/people');
    expect(hrefWithAsOf('/record', HAPPENED, false)).toBe('/record');
    expect(hrefWithAsOf('https://elsewhere.test/', HAPPENED, true)).toBe('https://elsewhere.test/');
    expect(hrefWithAsOf('//elsewhere.test/', HAPPENED, true)).toBe('//elsewhere.test/');
    expect(hrefWithAsOf('/?asOf=position:3', HAPPENED, true)).toBe('/?asOf=position:3');
  });

  it('carry the view from page to page inside the app only', () => {
    const from = new URL('https://x.test/people?asOf=happened:2024-06-30');
    const readsView = (pathname: string) => pathname !== '/record';
    expect(keepAsOf(from, new URL('https://x.test/stations/1'), readsView)?.href).toBe('https://x.test/stations/1?asOf=happened:2024-06-30');
    expect(keepAsOf(from, new URL('https://x.test/record?form=home-visit'), readsView)).toBeNull();
    expect(keepAsOf(from, new URL('https://elsewhere.test/stations'), readsView)).toBeNull();
    expect(keepAsOf(from, new URL('https://x.test/?asOf=position:7'), readsView)).toBeNull();
    expect(keepAsOf(new URL('https://x.test/people'), new URL('https://x.test/stations'), readsView)).toBeNull();
  });
});
