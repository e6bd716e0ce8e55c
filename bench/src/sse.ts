/**
 * A GraphQL subscription over server-sent events (POST /graphql, Accept: text/event-stream), read
 * as services/api/test/live.int.spec.ts reads it: messages are separated by a blank line, and a
 * `next` message carries one result as JSON on its `data:` line. Each result is handed to
 * `onNext` with the time it was read (performance.now()).
 */

export interface Subscription {
  /** Resolves when the stream ends (or is cancelled). */
  ended: Promise<void>;
  cancel(): Promise<void>;
}

export async function subscribe(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  onNext: (payload: { data?: any; errors?: unknown[] }, at: number) => void,
): Promise<Subscription> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`subscription refused: HTTP ${response.status} ${await response.text()}`);
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = performance.now();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (lines.includes('event: complete')) return;
        const data = lines.find((line) => line.startsWith('data: '));
        if (lines.includes('event: next') && data) onNext(JSON.parse(data.slice(6)), at);
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) throw error;
  });
  return {
    ended,
    async cancel() {
      abort.abort();
      await ended.catch(() => {});
    },
  };
}
