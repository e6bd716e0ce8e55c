/**
 * Live pages. While a page is open on the present, it hears the API's `projectionChanged` for
 * the read models it reads (a subscription over server-sent events through /graphql) and
 * refreshes its data: at once for the first change, then at most once every `minIntervalMs`
 * (a busy county writes many times a second; the page follows without refetching for each).
 * A dropped stream is opened again after `retryMs`.
 */
import type { Client } from '@urql/core';
import { ProjectionChangedSubscription } from './queries';

export type LiveState = 'off' | 'listening' | 'reconnecting';

export interface Live {
  /** off: not subscribed (e.g. a view of the past); listening; reconnecting after the stream dropped. */
  readonly state: LiveState;
  /** When the page last refreshed for a change (null: not yet). */
  readonly refreshedAt: Date | null;
}

export interface LiveOptions {
  minIntervalMs?: number;
  retryMs?: number;
}

/**
 * Subscribes while `names()` gives the read models to follow (null: stay off), and calls
 * `refresh` after they change. Call from a component's setup (it uses `$effect`).
 */
export function useLive(client: Client, names: () => readonly string[] | null, refresh: () => void, options: LiveOptions = {}): Live {
  const minIntervalMs = options.minIntervalMs ?? 2_000;
  const retryMs = options.retryMs ?? 5_000;
  let state = $state<LiveState>('off');
  let refreshedAt = $state<Date | null>(null);

  $effect(() => {
    const wanted = names();
    if (!wanted) {
      state = 'off';
      return;
    }
    let last = 0;
    let pending: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stream: { unsubscribe(): void } | undefined;
    let closed = false;

    const fire = () => {
      pending = undefined;
      last = Date.now();
      refreshedAt = new Date();
      refresh();
    };
    const open = () => {
      state = 'listening';
      stream = client.subscription(ProjectionChangedSubscription, { names: [...wanted] }).subscribe((result) => {
        if (result.error) {
          drop();
          return;
        }
        if (result.data && !pending) pending = setTimeout(fire, Math.max(0, last + minIntervalMs - Date.now()));
      });
    };
    const drop = () => {
      stream?.unsubscribe();
      stream = undefined;
      if (closed) return;
      state = 'reconnecting';
      clearTimeout(retry);
      retry = setTimeout(open, retryMs);
    };

    open();
    return () => {
      closed = true;
      stream?.unsubscribe();
      clearTimeout(pending);
      clearTimeout(retry);
      state = 'off';
    };
  });

  return {
    get state() {
      return state;
    },
    get refreshedAt() {
      return refreshedAt;
    },
  };
}
