/**
 * Loading data with runes. `useResource(args, load)` calls `load(args())` whenever the reactive
 * `args` change (null: wait), keeps the last data on screen while the next load runs, drops
 * answers that arrive after a newer request, and can `reload()` past the cache.
 * `runQuery` is one urql query as a promise (an error is thrown, partial data is not used).
 */
import { untrack } from 'svelte';
import type { AnyVariables, Client, RequestPolicy, TypedDocumentNode } from '@urql/core';

export async function runQuery<Data, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  requestPolicy: RequestPolicy = 'cache-first',
): Promise<Data> {
  const result = await client.query(document, variables, { requestPolicy }).toPromise();
  if (result.error) throw result.error;
  if (!result.data) throw new Error('no data');
  return result.data;
}

export interface LoadContext {
  /** 'network-only' after `reload()`, else 'cache-first'. */
  requestPolicy: RequestPolicy;
}

export interface Resource<T> {
  /** The newest data loaded (kept while the next load runs). */
  readonly data: T | undefined;
  /** The newest load's error, if it failed. */
  readonly error: Error | undefined;
  /** A load is running. */
  readonly loading: boolean;
  /** Loads again, past the cache. */
  reload(): void;
}

export function useResource<Args, T>(args: () => Args | null | undefined, load: (args: Args, context: LoadContext) => Promise<T>): Resource<T> {
  let data = $state.raw<T | undefined>(undefined);
  let error = $state.raw<Error | undefined>(undefined);
  let loading = $state(false);
  let reloads = $state(0);
  let lastReloads = 0;
  let latest = 0;

  $effect(() => {
    const current = args();
    const forced = reloads !== lastReloads;
    lastReloads = reloads;
    if (current === null || current === undefined) {
      loading = false;
      return;
    }
    const request = ++latest;
    loading = true;
    untrack(() => load(current, { requestPolicy: forced ? 'network-only' : 'cache-first' })).then(
      (value) => {
        if (request !== latest) return;
        data = value;
        error = undefined;
        loading = false;
      },
      (reason: unknown) => {
        if (request !== latest) return;
        error = reason instanceof Error ? reason : new Error(String(reason));
        loading = false;
      },
    );
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
    get loading() {
      return loading;
    },
    reload() {
      reloads += 1;
    },
  };
}

export interface Page<Node> {
  nodes: Node[];
  /** Items in the whole list, when the API counts them (some lists, like the event log, do not). */
  totalCount?: number | null;
  hasNextPage: boolean;
  endCursor?: string | null;
}

export interface Paged<Node> {
  /** Every item loaded so far, in order. */
  readonly items: Node[];
  /** Items in the whole list (null before the first page, or when the list is not counted). */
  readonly total: number | null;
  /** The first page has arrived. */
  readonly loaded: boolean;
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: Error | undefined;
  /** Appends the next page. */
  loadMore(): void;
  /** Loads the first page again, past the cache. */
  reload(): void;
}

/**
 * A list loaded a page at a time ("load more"). New `args` start again from the first page;
 * the items already shown stay (dimmed by the page) until the new first page arrives.
 */
export function usePaged<Args, Node>(
  args: () => Args | null | undefined,
  fetchPage: (args: Args, after: string | undefined, context: LoadContext) => Promise<Page<Node>>,
): Paged<Node> {
  let items = $state.raw<Node[]>([]);
  let total = $state<number | null>(null);
  let loaded = $state(false);
  let cursor: string | undefined;
  let hasMore = $state(false);
  let loading = $state(false);
  let error = $state.raw<Error | undefined>(undefined);
  let current: Args | null = null;
  let latest = 0;
  let reloads = $state(0);
  let lastReloads = 0;

  function run(append: boolean, requestPolicy: RequestPolicy) {
    if (current === null) return;
    const request = ++latest;
    loading = true;
    fetchPage(current, append ? cursor : undefined, { requestPolicy }).then(
      (page) => {
        if (request !== latest) return;
        items = append ? [...items, ...page.nodes] : page.nodes;
        total = page.totalCount ?? null;
        loaded = true;
        cursor = page.endCursor ?? undefined;
        hasMore = page.hasNextPage && cursor !== undefined;
        error = undefined;
        loading = false;
      },
      (reason: unknown) => {
        if (request !== latest) return;
        error = reason instanceof Error ? reason : new Error(String(reason));
        loading = false;
      },
    );
  }

  $effect(() => {
    const next = args();
    const forced = reloads !== lastReloads;
    lastReloads = reloads;
    current = next ?? null;
    if (current === null) {
      loading = false;
      return;
    }
    untrack(() => run(false, forced ? 'network-only' : 'cache-first'));
  });

  return {
    get items() {
      return items;
    },
    get total() {
      return total;
    },
    get loaded() {
      return loaded;
    },
    get hasMore() {
      return hasMore;
    },
    get loading() {
      return loading;
    },
    get error() {
      return error;
    },
    loadMore() {
      if (!loading && hasMore) run(true, 'cache-first');
    },
    reload() {
      reloads += 1;
    },
  };
}
