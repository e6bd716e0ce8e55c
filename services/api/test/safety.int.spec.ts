import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { postgresDb } from '@yingpan/db';
import { createTestDatabase, testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, createHttpServer, LIMITS } from '../src/app.ts';
import { leaderName, PROJECTOR_LOCK } from '../src/ha.ts';
import { authHeaders, tokenFor } from './graphql-client.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

/** What must never reach a client: stack frames, source paths, SQL or driver wording. */
const LEAKS = /\bat .+:\d+|node_modules|\.ts\b|stack|SELECT|INSERT|UPDATE|\bFROM\b|rm_training_stats|relation|does not exist|syntax error at/i;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`Request limits and health on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let token: string | null = null;
    let server: Server;
    let base: string;

    const post = async (body: string, headers: Record<string, string> = {}) => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { ...authHeaders(token), accept: 'application/graphql-response+json', ...headers },
        body,
      });
      const text = await response.text();
      return { status: response.status, text, json: JSON.parse(text) as { data?: any; errors?: { message: string; extensions?: any }[] } };
    };
    const gql = (query: string, variables: Record<string, unknown> = {}) => post(JSON.stringify({ query, variables }));

    /** A normal query still answers with the real figure after every refusal. */
    const stillAnswers = async () => {
      const { status, json } = await gql(`{ trainingPersonTimes { personTimes } }`);
      expect(status).toBe(200);
      const total = json.data.trainingPersonTimes.reduce((sum: number, row: any) => sum + row.personTimes, 0);
      const { rows } = await runtime.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yingpan.events WHERE type = 'TrainingAttendanceRecorded'`);
      expect(total).toBe(rows[0]!.n);
    };

    /** Sends a raw HTTP request to the Node server (for what yoga.fetch cannot show: /health, Content-Length, chunking). */
    const raw = (path: string, options: { method?: string; headers?: Record<string, string | number>; chunks?: Buffer[] } = {}) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
        // The server may answer 413 and close before the whole body is sent.
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
        for (const chunk of options.chunks ?? []) req.write(chunk);
        req.end();
      });

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
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

    it(`refuses a query nested deeper than ${LIMITS.depth}, and answers one at the limit`, async () => {
      // `__type { ofType { ofType … { name } } }` nests as deep as asked.
      const nest = (levels: number) => `{ __type(name: "Query") ${'{ ofType '.repeat(levels - 2)}{ name }${' }'.repeat(levels - 2)} }`;
      const atLimit = await gql(nest(LIMITS.depth));
      expect(atLimit.json.errors).toBeUndefined();
      expect(atLimit.json.data.__type).toEqual({ ofType: null });

      const tooDeep = await gql(nest(LIMITS.depth + 1));
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.json.data).toBeUndefined();
      expect(tooDeep.json.errors).toHaveLength(1);
      expect(tooDeep.json.errors![0]).toMatchObject({
        message: `查询的嵌套层级超过上限：本次 ${LIMITS.depth + 1} 层，上限 ${LIMITS.depth} 层。请减少嵌套后再试`,
        extensions: {
          code: 'query-too-deep',
          messageZh: `查询的嵌套层级超过上限：本次 ${LIMITS.depth + 1} 层，上限 ${LIMITS.depth} 层。请减少嵌套后再试`,
          messageEn: `The query is ${LIMITS.depth + 1} levels deep, over the limit of ${LIMITS.depth}`,
        },
      });
      expect(tooDeep.text).not.toMatch(LEAKS);
      await stillAnswers();
    });

    it(`refuses more than ${LIMITS.aliases} aliases, and answers with ${LIMITS.aliases}`, async () => {
      const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: trainingPersonTimes { personTimes }`).join(' ')} }`;
      const ok = await gql(aliased(LIMITS.aliases));
      expect(ok.json.errors).toBeUndefined();
      expect(Object.keys(ok.json.data)).toHaveLength(LIMITS.aliases);

      const tooMany = await gql(aliased(LIMITS.aliases + 1));
      expect(tooMany.status).toBe(400);
      expect(tooMany.json.errors![0]!.message).toBe(`查询的别名超过上限：本次 ${LIMITS.aliases + 1} 个，上限 ${LIMITS.aliases} 个。请分几次请求`);
      expect(tooMany.json.errors![0]!.extensions).toMatchObject({ code: 'too-many-aliases' });
      expect(tooMany.text).not.toMatch(LEAKS);
      await stillAnswers();
    });

    it('refuses a document with too many tokens or too high a cost', async () => {
      const wide = `{ ${'trainingPersonTimes { personTimes } '.repeat(Math.ceil(LIMITS.tokens / 4) + 1)}}`;
      const tokens = await gql(wide);
      expect(tokens.status).toBe(400);
      expect(tokens.json.errors![0]!.message).toBe(`Syntax Error: Token limit of ${LIMITS.tokens} exceeded.`);

      // Ten full pages of stations, each row with nested objects: graphql-armor counts about 6 900 a page.
      const refused = await gql(
        `{ ${Array.from({ length: 10 }, (_, i) => `s${i}: stations(first: 100) { edges { node { stationId name township counts { deputies receptions opinions openOpinions stationVisits } manager { name fromOn } } } }`).join(' ')} }`,
      );
      expect(refused.status).toBe(400);
      // Said in Chinese as a cost over the limit, never as a syntax error.
      expect(refused.json.errors![0]!.message).toMatch(new RegExp(`^查询的代价超过上限：本次约 \\d+，上限 ${LIMITS.cost}。`));
      expect(refused.json.errors![0]!.extensions).toMatchObject({ code: 'query-too-costly' });
      expect(refused.json.errors![0]!.extensions.messageEn).toMatch(/over the limit/);
      for (const response of [tokens, refused]) expect(response.text).not.toMatch(LEAKS);
      await stillAnswers();
    });

    it('sends no CORS header to any origin, so no other page can read an answer made with a session', async () => {
      for (const origin of ['http://evil.example', 'http://localhost:3001']) {
        const answered = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ me { role } }' }),
        });
        expect(
          [...answered.headers.keys()].filter((name) => name.startsWith('access-control-')),
          origin,
        ).toEqual([]);
        const preflight = await fetch(`${base}/graphql`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
        expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(preflight.headers.get('access-control-allow-credentials'), origin).toBeNull();
      }
    });

    it('refuses an oversized body with 413, through yoga and through the Node server, chunked or not', async () => {
      const big = JSON.stringify({ query: `{ trainingPersonTimes { personTimes } }`, variables: { padding: 'x'.repeat(LIMITS.bodyBytes) } });
      const viaYoga = await post(big);
      expect(viaYoga.status).toBe(413);
      expect(viaYoga.json.errors![0]!.message).toBe('Request body too large');

      const withLength = await raw('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) },
        chunks: [Buffer.from(big)],
      });
      expect(withLength.status).toBe(413);
      expect(JSON.parse(withLength.text).errors[0].message).toBe(`Request body too large (limit ${LIMITS.bodyBytes} bytes)`);

      // No Content-Length: the bytes are counted as they stream in.
      const body = Buffer.from(big);
      const chunks = Array.from({ length: Math.ceil(body.length / 65536) }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536));
      const chunked = await raw('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.text).errors[0].message).toBe('Request body too large');

      // Just under the limit is fine.
      const small = JSON.stringify({ query: `{ trainingPersonTimes { personTimes } }`, variables: { padding: 'x'.repeat(LIMITS.bodyBytes - 200) } });
      expect((await post(small)).status).toBe(200);
      for (const response of [viaYoga, withLength, chunked]) expect(response.text).not.toMatch(LEAKS);
      await stillAnswers();
    });

    it('answers malformed JSON, a batch and a missing query with 400 and a plain message', async () => {
      const malformed = await post('{"query": "{ people { id } }"');
      expect(malformed.status).toBe(400);
      expect(malformed.json.errors![0]!.message).toMatch(/^POST body sent invalid JSON/);

      const batch = await post(JSON.stringify([{ query: '{ people { personId } }' }, { query: '{ trainings { trainingId } }' }]));
      expect(batch.status).toBe(400);
      expect(batch.json.data).toBeUndefined();

      const empty = await post(JSON.stringify({ variables: {} }));
      expect(empty.status).toBe(400);
      expect(empty.json.errors![0]!.message).toMatch(/query/i);
      // The library's own refusals carry codes of the one list, as every other error does.
      for (const response of [malformed, batch, empty]) expect(response.json.errors![0]!.extensions).toMatchObject({ code: 'bad-request' });
      for (const response of [malformed, batch, empty]) expect(response.text).not.toMatch(LEAKS);
      await stillAnswers();
    });

    it('masks a failing read model: no SQL, table name or stack in the answer', async () => {
      await runtime.db.query('ALTER TABLE rm_training_stats.person_times RENAME TO person_times_away');
      // The server's log gets the real error; the client does not.
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const failed = await gql(`{ trainingPersonTimes { personTimes } trainings { trainingId } }`);
        expect(failed.status).toBe(200);
        expect(failed.json.data).toBeNull();
        expect(failed.json.errors).toEqual([
          {
            message: 'Unexpected error.',
            locations: [{ line: 1, column: 3 }],
            path: ['trainingPersonTimes'],
            extensions: { code: 'internal-error', messageEn: 'Unexpected error.', messageZh: '服务器出错，请稍后重试' },
          },
        ]);
        expect(failed.text).not.toMatch(LEAKS);
        // One line per error in the server's log: the cause and where, not a stack.
        const lines = logged.mock.calls.map((call) => call.map(String).join(' '));
        expect(lines.join('\n')).toMatch(/^ERR .*relation "rm_training_stats\.person_times" does not exist/m);
        // (console.error prints an Error object with its whole stack; a string as it is.)
        for (const call of logged.mock.calls) for (const arg of call) expect(typeof arg === 'string' && !arg.includes('\n')).toBe(true);
      } finally {
        logged.mockRestore();
        await runtime.db.query('ALTER TABLE rm_training_stats.person_times_away RENAME TO person_times');
      }
      await stillAnswers();
    });

    it('allows introspection', async () => {
      const { status, json } = await gql(getIntrospectionQuery());
      expect(status).toBe(200);
      expect(json.errors).toBeUndefined();
      const types = json.data.__schema.types.map((type: any) => type.name);
      expect(types).toEqual(expect.arrayContaining(['Query', 'Mutation', 'Subscription', 'ProjectionChange', 'LogHead']));
      expect(json.data.__schema.subscriptionType.name).toBe('Subscription');
    });

    it('answers /health, and /ready with 200 when caught up and 503 while a projection has failed', async () => {
      const health = await raw('/health');
      expect(health).toEqual({ status: 200, text: JSON.stringify({ status: 'ok' }) });

      const ready = await raw('/ready');
      expect(ready.status).toBe(200);
      const body = JSON.parse(ready.text);
      const { rows } = await runtime.db.query<{ name: string; position: number }>('SELECT name, position FROM yingpan.projection_checkpoints ORDER BY name');
      const head = (await runtime.store.head()).position;
      expect(body.ready).toBe(true);
      // One server, no standby: an acknowledged write is on this machine only, and the answer says so.
      expect(body.replication).toEqual({ standbys: 0, synchronousStandbys: 0, commitsWaitForStandby: false });
      expect(body.projections.map((p: any) => [p.name, p.position, p.lagEvents, p.failure])).toEqual(rows.map((row) => [row.name, row.position, 0, null]));
      expect(rows.every((row) => row.position === head)).toBe(true);

      const failure = { position: head, eventId: 'e-1', eventType: 'TrainingAttendanceRecorded', message: 'boom' };
      await runtime.db.query('UPDATE yingpan.projection_checkpoints SET failure = $1 WHERE name = $2', [JSON.stringify(failure), 'training_stats']);
      try {
        const failed = await raw('/ready');
        expect(failed.status).toBe(503);
        const failedBody = JSON.parse(failed.text);
        expect(failedBody.ready).toBe(false);
        expect(failedBody.projections.find((p: any) => p.name === 'training_stats').failure).toEqual(failure);
        expect(failedBody.projections.filter((p: any) => p.failure !== null)).toHaveLength(1);
        // Liveness does not depend on the read models.
        expect((await raw('/health')).status).toBe(200);
      } finally {
        await runtime.projector.retry('training_stats');
      }
      expect((await raw('/ready')).status).toBe(200);
    });

    it('shows an administrator the system’s state (systemStatus): the database, the log, each read model and the projector; refuses staff', async () => {
      const QUERY = `{ systemStatus { engine engineVersion server cluster replication { standbys synchronousStandbys commitsWaitForStandby }
        logHead lastRecordedAt readModels { name position lagEvents failedAt failure } projectorLeaderPid projectorHere processId host } }`;
      const refused = await gql(QUERY);
      expect(refused.json.errors?.[0]?.extensions?.code).toBe('forbidden');
      expect(refused.json.data?.systemStatus ?? null).toBeNull();

      const staff = token;
      token = await tokenFor(runtime, 'admin');
      try {
        const status = async () => {
          const { json } = await gql(QUERY);
          expect(json.errors).toBeUndefined();
          return json.data.systemStatus;
        };
        const head = await runtime.store.head();
        const [last] = await runtime.store.readAll({ after: head.position - 1, limit: 1 });
        const { rows } = await runtime.db.query<{ name: string; position: number }>('SELECT name, position FROM yingpan.projection_checkpoints ORDER BY name');
        const first = await status();
        expect(first.engine).toBe(target.name === 'postgres' ? 'PostgreSQL' : 'PGlite');
        expect(first.engineVersion).toMatch(/^\d+\.\d+/);
        expect(first.cluster).toBe(false);
        // One server without standbys: PostgreSQL says so; PGlite has none to ask about.
        expect(first.replication).toEqual(target.name === 'postgres' ? { standbys: 0, synchronousStandbys: 0, commitsWaitForStandby: false } : null);
        if (target.name === 'postgres') expect(first.server).toMatch(/^[\d.:a-f]+:\d+$/);
        expect(first.logHead).toBe(head.position);
        expect(Date.parse(first.lastRecordedAt)).toBe(Date.parse(last!.metadata.recordedAt));
        expect(first.readModels.map((model: any) => [model.name, model.position, model.lagEvents, model.failure])).toEqual(
          rows.map((row) => [row.name, row.position, 0, null]),
        );
        // Caught up by hand here: no process runs the projector yet.
        expect([first.projectorLeaderPid, first.projectorHere]).toEqual([null, false]);
        expect([first.processId, first.host]).toEqual([process.pid, hostname()]);
        if (target.name === 'postgres') {
          // Another database's projector leader on the same server is not this log's.
          const elsewhere = await createTestDatabase(process.env.DATABASE_URL!, { relaxedCommit: true });
          const other = postgresDb({ connectionString: elsewhere.url, max: 1 });
          const theirs = await other.tryAdvisoryLock(PROJECTOR_LOCK, leaderName(4242));
          try {
            expect(theirs).not.toBeNull();
            expect((await status()).projectorLeaderPid).toBeNull();
          } finally {
            await theirs?.release();
            await other.close();
            await elsewhere.drop();
          }
          // Another process holding this log's lock is named by its process id.
          const another = await runtime.db.tryAdvisoryLock(PROJECTOR_LOCK, leaderName(4343));
          try {
            const seen = await status();
            expect([seen.projectorLeaderPid, seen.projectorHere]).toEqual([4343, false]);
          } finally {
            await another?.release();
          }
        }

        // A read model stopped at an event says where and why.
        const failure = { position: head.position, eventId: 'e-1', eventType: 'TrainingAttendanceRecorded', message: 'boom' };
        await runtime.db.query('UPDATE yingpan.projection_checkpoints SET failure = $1 WHERE name = $2', [JSON.stringify(failure), 'training_stats']);
        try {
          const stopped = (await status()).readModels.filter((model: any) => model.failure !== null);
          expect(stopped).toEqual([
            { name: 'training_stats', position: expect.any(Number), lagEvents: 0, failedAt: head.position, failure: 'TrainingAttendanceRecorded: boom' },
          ]);
        } finally {
          await runtime.projector.retry('training_stats');
        }

        // Once this process takes the projector's lock, it is named as the one that runs it.
        runtime.startProjector();
        const deadline = Date.now() + 10_000;
        let led = await status();
        while (!led.projectorHere && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          led = await status();
        }
        expect([led.projectorLeaderPid, led.projectorHere]).toEqual([process.pid, true]);
      } finally {
        token = staff;
      }
    });
  });
}
