/** Relay-style connections: the API serves at most 100 items a page. */
import type { Page } from './query.svelte';

export interface PageOf<Node> {
  edges: readonly { node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Every item of a connection, page after page (`fetchPage(after)`), up to `maxPages` pages: a
 * page that says there is more but gives no cursor, or repeats one, ends the walk instead of
 * looping forever.
 */
export async function collectPages<Node>(fetchPage: (after: string | undefined) => Promise<PageOf<Node>>, maxPages = 50): Promise<Node[]> {
  const nodes: Node[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { edges, pageInfo } = await fetchPage(after);
    for (const edge of edges) nodes.push(edge.node);
    const next = pageInfo.endCursor ?? undefined;
    if (!pageInfo.hasNextPage || next === undefined || seen.has(next)) break;
    seen.add(next);
    after = next;
  }
  return nodes;
}

/** Each item once, in first-seen order (pages can shift while more are loaded). */
export function dedupe<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

/** A connection as one page of a `usePaged` list; a missing connection (say, a dossier not in the view) is an empty last page. */
export function pageOfConnection<Node>(connection: (PageOf<Node> & { totalCount?: number | null }) | null | undefined): Page<Node> {
  if (!connection) return { nodes: [], hasNextPage: false };
  return { ...connection.pageInfo, totalCount: connection.totalCount, nodes: connection.edges.map((edge) => edge.node) };
}
