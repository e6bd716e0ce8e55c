import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, createHttpServer } from '../src/app.ts';
import { authHeaders, tokenFor } from './graphql-client.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

/** One server-sent-events subscription, read chunk by chunk. */
interface Stream {
  status: number;
  contentType: string | null;
  /** The next `next` payload; fails after `timeoutMs` or when the stream ends. */
  next(timeoutMs?: number): Promise<{ data?: any; errors?: { message: string }[] }>;
  /** Payloads until one satisfies `done`. */
  until(done: (payload: any) => boolean, timeoutMs?: number): Promise<any[]>;
  /** Resolves true when the stream ends within `timeoutMs`. */
  ended(timeoutMs?: number): Promise<boolean>;
  cancel(): Promise<void>;
}

function readStream(response: Response): Stream {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let finished = false;
  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);
  /** The next complete SSE message (pings, which are comments, included), or null at the end. */
  const message = async (): Promise<string | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return block;
      }
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        return null;
      }
      buffer += decoder.decode(value, { stream: true });
    }
  };
  const next = async (timeoutMs = 5000) =>
    withTimeout(
      (async () => {
        for (;;) {
          const block = await message();
          if (block === null) throw new Error('stream ended');
          const lines = block.split('\n');
          if (lines.includes('event: next')) return JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6));
          if (lines.includes('event: complete')) throw new Error('stream completed');
        }
      })(),
      timeoutMs,
      'event',
    );
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next,
    async until(done, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const seen: any[] = [];
      while (!seen.some(done)) seen.push(await next(Math.max(1, deadline - Date.now())));
      return seen;
    },
    async ended(timeoutMs = 2000) {
      try {
        while (!finished && (await withTimeout(message(), timeoutMs, 'end')) !== null);
        return true;
      } catch {
        return false;
      }
    },
    cancel: () => reader.cancel(),
  };
}

const PROJECTION_CHANGED = /* GraphQL */ `
  subscription Changes($names: [String!]) { projectionChanged(names: $names) { name position } }`;
const LOG_HEAD = /* GraphQL */ `subscription { logHead { position hash } }`;
const RECORD = /* GraphQL */ `
  mutation Record($input: RecordTrainingAttendanceInput!) {
    recordTrainingAttendance(input: $input) {
      __typename
      ... on CommandResult { position duplicate }
    }
  }`;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`Live updates over server-sent events on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let token: string | null = null;
    let server: Server;
    let base: string;

    const subscribe = async (query: string, variables: Record<string, unknown> = {}, init: RequestInit = {}) =>
      readStream(
        await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { ...authHeaders(token), accept: 'text/event-stream' },
          body: JSON.stringify({ query, variables }),
          ...init,
        }),
      );

    /** Records a new attendance (a person not yet at the newest training) and returns its log position. */
    const attend = async (): Promise<number> => {
      const { rows } = await runtime.db.query<{ training: string; person: string }>(
        `SELECT t.stream_id AS training, p.person
           FROM (SELECT stream_id FROM yingpan.events WHERE type = 'TrainingOrganised' ORDER BY position DESC LIMIT 1) t,
                (SELECT DISTINCT data->>'personId' AS person FROM yingpan.events WHERE type = 'PersonRegistered') p
          WHERE NOT EXISTS (SELECT 1 FROM yingpan.events a WHERE a.stream_id = t.stream_id AND a.type = 'TrainingAttendanceRecorded' AND a.data->>'personId' = p.person)
          LIMIT 1`,
      );
      const { training, person } = rows[0]!;
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: authHeaders(token),
        body: JSON.stringify({
          query: RECORD,
          variables: { input: { commandId: randomUUID(), trainingId: training.replace(/^activity:/, ''), personId: person } },
        }),
      });
      const { data } = (await response.json()) as { data: any };
      expect(data.recordTrainingAttendance.__typename).toBe('CommandResult');
      return data.recordTrainingAttendance.position;
    };

    const checkpoint = async (name: string) =>
      (await runtime.db.query<{ position: number }>('SELECT position FROM yingpan.projection_checkpoints WHERE name = $1', [name])).rows[0]!.position;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'staff');
      server = createHttpServer(runtime);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      server?.close();
      await runtime?.close();
      await testDb?.dispose();
    });

    it('tells a subscriber when training_stats has applied a new attendance, and only training_stats', async () => {
      const stream = await subscribe(PROJECTION_CHANGED, { names: ['training_stats'] });
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
      const everything = await subscribe(PROJECTION_CHANGED);
      try {
        const position = await attend();
        const events = await stream.until((payload) => payload.data.projectionChanged.position >= position);
        expect(events.every((payload) => payload.data.projectionChanged.name === 'training_stats')).toBe(true);
        const last = events.at(-1)!.data.projectionChanged.position;
        expect(last).toBeLessThanOrEqual(await checkpoint('training_stats'));
        const { rows } = await runtime.db.query<{ type: string }>('SELECT type FROM yingpan.events WHERE position = $1', [position]);
        expect(rows[0]!.type).toBe('TrainingAttendanceRecorded');

        // Without names: every projection moves its checkpoint past the new event, and each says so.
        const projections = await runtime.projector.status();
        const reached = new Set<string>();
        await everything.until((payload) => {
          const change = payload.data.projectionChanged;
          if (change.position >= position) reached.add(change.name);
          return reached.size === projections.length;
        });
        expect([...reached].sort()).toEqual(projections.map((row) => row.name).sort());
      } finally {
        await stream.cancel();
        await everything.cancel();
      }
    });

    it('tells a logHead subscriber the new head, as stored', async () => {
      const stream = await subscribe(LOG_HEAD);
      try {
        const position = await attend();
        const [event] = await stream.until((payload) => payload.data.logHead.position >= position);
        const { rows } = await runtime.db.query<{ position: number; hash: string }>('SELECT position, hash FROM yingpan.events WHERE position = $1', [
          event.data.logHead.position,
        ]);
        expect(event.data.logHead).toEqual(rows[0]);
        expect(event.data.logHead.position).toBe(position);
      } finally {
        await stream.cancel();
      }
    });

    it('refuses an unknown projection name with a clear error', async () => {
      const stream = await subscribe(PROJECTION_CHANGED, { names: ['training_stats', 'nonsense'] });
      const payload = await stream.next();
      expect(payload.data ?? null).toBeNull();
      expect(payload.errors).toHaveLength(1);
      expect(payload.errors![0]!.message).toMatch(/^Unknown projection "nonsense"; known: .*training_stats/);
      expect(await stream.ended()).toBe(true);
    });

    it('stops watching when the last subscriber goes: cancelled in process or aborted over HTTP', async () => {
      const status = vi.spyOn(runtime.projector, 'status');
      const waits = vi.spyOn(runtime.store, 'waitForAppend');
      try {
        const inProcess = await subscribe(PROJECTION_CHANGED, { names: ['training_stats'] });
        const abort = new AbortController();
        const overHttp = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { ...authHeaders(token), accept: 'text/event-stream' },
          body: JSON.stringify({ query: LOG_HEAD }),
          signal: abort.signal,
        });
        expect(overHttp.status).toBe(200);
        const overHttpStream = readStream(overHttp);
        const position = await attend();
        await inProcess.until((payload) => payload.data.projectionChanged.position >= position);
        await overHttpStream.until((payload) => payload.data.logHead.position >= position);
        expect(status).toHaveBeenCalled();

        await inProcess.cancel();
        abort.abort();
        // The server sees the closed connection when it next writes or reads it, later on a busy
        // machine: look again after each append, for up to half a minute, until nothing of the feed
        // reads the projector's positions or waits on the log.
        // Only the projector still waits on the log (one wait per projection, 500 ms), none from a live feed.
        const feedCallsAfterAnAppend = async () => {
          status.mockClear();
          waits.mockClear();
          await attend();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          return { statusReads: status.mock.calls.length, feedWaits: waits.mock.calls.filter(([, timeoutMs]) => timeoutMs !== 500).length };
        };
        let calls = await feedCallsAfterAnAppend();
        for (let tries = 1; tries < 30 && (calls.statusReads > 0 || calls.feedWaits > 0); tries++) calls = await feedCallsAfterAnAppend();
        expect(calls).toEqual({ statusReads: 0, feedWaits: 0 });
      } finally {
        status.mockRestore();
        waits.mockRestore();
      }
    });
  });
}
