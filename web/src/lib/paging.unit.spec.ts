import { describe, expect, it } from 'vitest';
import { collectPages, dedupe, pageOfConnection, type PageOf } from './paging';

/** A connection over `items`, `size` a page, cursors being indexes. */
function connection(items: number[], size: number) {
  const calls: (string | undefined)[] = [];
  const fetchPage = async (after: string | undefined): Promise<PageOf<number>> => {
    calls.push(after);
    const start = after === undefined ? 0 : Number(after) + 1;
    const page = items.slice(start, start + size);
    return {
      edges: page.map((node) => ({ node })),
      pageInfo: { hasNextPage: start + size < items.length, endCursor: page.length ? String(start + page.length - 1) : null },
    };
  };
  return { fetchPage, calls };
}

describe('collecting every page of a connection', () => {
  it('follows the cursors to the end, in order', async () => {
    const items = Array.from({ length: 250 }, (_, index) => index);
    const { fetchPage, calls } = connection(items, 100);
    expect(await collectPages(fetchPage)).toEqual(items);
    expect(calls).toEqual([undefined, '99', '199']);
  });

  it('stops at the page limit, a missing cursor or a repeated one', async () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    expect(await collectPages(connection(items, 10).fetchPage, 2)).toHaveLength(20);
    expect(await collectPages(async () => ({ edges: [{ node: 1 }], pageInfo: { hasNextPage: true, endCursor: null } }))).toEqual([1]);
    const stuck = await collectPages(async () => ({ edges: [{ node: 1 }], pageInfo: { hasNextPage: true, endCursor: 'same' } }));
    expect(stuck).toEqual([1, 1]);
  });
});

describe('items shown once', () => {
  it('keeps the first of each id when a later page repeats an item', () => {
    expect(dedupe([{ id: '1' }, { id: '2' }, { id: '2' }, { id: '3' }]).map((item) => item.id)).toEqual(['1', '2', '3']);
  });
});

describe('pageOfConnection', () => {
  it('turns a connection into a page of nodes with its cursor and count, and a missing one into an empty last page', () => {
    const connection = { edges: [{ node: 'a' }, { node: 'b' }], pageInfo: { hasNextPage: true, endCursor: '2' }, totalCount: 5 };
    expect(pageOfConnection(connection)).toEqual({ nodes: ['a', 'b'], hasNextPage: true, endCursor: '2', totalCount: 5 });
    expect(pageOfConnection({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } })).toEqual({
      nodes: [],
      hasNextPage: false,
      endCursor: null,
      totalCount: undefined,
    });
    expect(pageOfConnection(null)).toEqual({ nodes: [], hasNextPage: false });
  });
});
