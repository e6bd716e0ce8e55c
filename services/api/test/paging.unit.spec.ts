/** The one paging rule every paged field follows (`pageSize`, `checkPageArgs` and `pageOf` in schema/common.ts). */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../src/schema/builder.ts';
import { checkPageArgs, DEFAULT_PAGE_SIZE, pageOf, pageSize } from '../src/schema/common.ts';

const refused = (run: () => unknown, field: string) => {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toMatchObject({ message: `Invalid input: ${field} must be 0 or more`, extensions: { code: 'invalid-input', field } });
};

describe('pageSize', () => {
  it('serves the default when `first` is omitted, never more than the maximum', () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(null)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(undefined, { fallback: MAX_PAGE_SIZE })).toBe(MAX_PAGE_SIZE);
    expect(pageSize(undefined, { fallback: 500, max: 30 })).toBe(30);
  });

  it('serves what `first` asks from 0 up to the maximum, and caps the rest', () => {
    expect(pageSize(0)).toBe(0);
    expect(pageSize(7)).toBe(7);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    expect(pageSize(MAX_PAGE_SIZE + 1)).toBe(MAX_PAGE_SIZE);
    expect(pageSize(1000, { max: 50 })).toBe(50);
  });

  it('refuses a negative or fractional `first` with an error naming it, rather than clamping it', () => {
    refused(() => pageSize(-1), 'first');
    refused(() => pageSize(-1000), 'first');
    refused(() => pageSize(2.5), 'first');
    refused(() => pageSize(-3, { field: 'last' }), 'last');
  });
});

describe('checkPageArgs and pageOf', () => {
  const items = Array.from({ length: 250 }, (_, index) => index);

  it('refuses a negative `first` or `last` before cutting any page', () => {
    refused(() => checkPageArgs({ first: -1 }), 'first');
    refused(() => checkPageArgs({ last: -1, before: 'x' }), 'last');
    refused(() => pageOf({ first: -5 }, items), 'first');
    expect(() => checkPageArgs({ first: 0, last: 0 })).not.toThrow();
  });

  it('cuts pages of the default size, at most the maximum, and pages on from a cursor', async () => {
    const first = await pageOf({}, items);
    expect(first.edges.map((edge) => edge?.node)).toEqual(items.slice(0, DEFAULT_PAGE_SIZE));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const capped = await pageOf({ first: 1000 }, items);
    expect(capped.edges).toHaveLength(MAX_PAGE_SIZE);
    const next = await pageOf({ first: 3, after: capped.pageInfo.endCursor }, items);
    expect(next.edges.map((edge) => edge?.node)).toEqual([100, 101, 102]);
    const none = await pageOf({ first: 0 }, items);
    expect(none.edges).toEqual([]);
    const smaller = await pageOf({ first: 1000 }, items, 30);
    expect(smaller.edges).toHaveLength(30);
  });
});
