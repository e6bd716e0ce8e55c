/**
 * Scenario 4: a burst of malformed and hostile requests, fired concurrently at the running HTTP
 * server (the one-at-a-time property tests are services/api/test/commands.property.int.spec.ts and
 * safety.int.spec.ts): invalid JSON, 2 MB bodies (with a Content-Length and chunked), deeply nested
 * queries, huge numbers of aliases, wrong variable types, unknown lexical tokens, and bearer tokens
 * that are garbage, foreign or expired — mixed with valid queries and mutations. Each hostile
 * request must get its typed refusal without leaking internals, the valid ones must succeed, the
 * log must hold exactly the valid mutations, and the process must still answer /health afterwards.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { LIMITS, openRuntime, tokenIssuer, type Runtime } from '@yingpan/api';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { figure, serveApi, sleep, throwaway, type Throwaway } from './support.ts';

/** What must never reach a client: stack frames, source paths, SQL or driver wording. */
const LEAKS = /\bat \S+ \(|\.(ts|js|mjs):\d+|node_modules|"stack"|SELECT|INSERT|\bFROM\b|relation "|syntax error at/i;

interface Reply {
  status: number;
  text: string;
  /** The connection was reset before an answer arrived (only acceptable for an oversized body). */
  reset?: boolean;
}

/** One raw HTTP request (Node's client: a Content-Length of our choosing, or chunks). */
function raw(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer 413 and close while the body is still being sent.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
        setTimeout(() => answered || resolve({ status: 0, text: '', reset: true }), 1_000);
        return;
      }
      reject(error);
    });
    const body = options.body ?? Buffer.alloc(0);
    if (options.chunked) {
      for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
    } else if (body.length) {
      req.write(body);
    }
    req.end();
  });
}

interface Case {
  kind: string;
  send: () => Promise<Reply>;
  /** Checks the reply; `valid` cases must succeed. */
  check: (reply: Reply) => void;
  valid?: boolean;
}

describe('scenario 4: a burst of hostile requests', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('[faults] cleanup failed:', error));
  });

  it('answers every hostile request with its typed refusal, the valid ones in between succeed, and /health still answers', async () => {
    const target: Throwaway = await throwaway(10, inject('countyTemplate'));
    cleanups.push(() => target.dispose());
    const runtime: Runtime = await openRuntime({ dataDir: 'unused', databaseUrl: target.url }, target.db);
    cleanups.push(() => runtime.close());
    await runtime.projector.catchUp();
    const base = await serveApi(runtime, cleanups);
    const staff = await runtime.tokens.mint({ role: 'staff' });
    const foreign = await tokenIssuer(new TextEncoder().encode('a-secret-this-server-has-never-seen-0123456789')).mint({ role: 'admin' });
    const expiring = await runtime.tokens.mint({ role: 'staff', expiresIn: '1s' });
    await sleep(2_100);

    const json = (body: unknown, token: string | null = staff) =>
      raw(base, '/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      });
    const errorsOf = (reply: Reply) => (JSON.parse(reply.text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ?? [];
    const refused = (status: number, message: RegExp, code?: string) => (reply: Reply) => {
      expect(reply.status, reply.text.slice(0, 300)).toBe(status);
      // Several limits may refuse the same document (depth and cost, say): the expected one is among them.
      const error = errorsOf(reply).find((candidate) => message.test(candidate.message));
      expect(error, reply.text.slice(0, 300)).toBeDefined();
      if (code) expect(error?.extensions?.code).toBe(code);
    };

    const head = (await runtime.store.head()).position;
    const REGISTER = `mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) { __typename ... on CommandResult { position } } }`;
    const validRegistrations: string[] = [];
    const nest = (levels: number) => `{ __type(name: "Query") ${'{ ofType '.repeat(levels - 2)}{ name }${' }'.repeat(levels - 2)} }`;
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: trainingPersonTimes { personTimes }`).join(' ')} }`;
    const twoMegabytes = Buffer.from(JSON.stringify({ query: '{ trainingPersonTimes { personTimes } }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }));

    const kinds: Record<string, () => Case> = {
      'invalid JSON': () => ({
        kind: 'invalid JSON',
        send: () =>
          json(
            ['{"query": "{ people { id } }"', '{query: 1}', 'null garbage', '\u0000\u0001\u0002', '[[[[[[[[[[', '{"query":'][Math.floor(Math.random() * 6)]!,
          ),
        check: refused(400, /invalid JSON|must be an object|query/i),
      }),
      '2 MB body with Content-Length': () => ({
        kind: '2 MB body with Content-Length',
        send: () =>
          raw(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': twoMegabytes.length }, body: twoMegabytes }),
        check: (reply) => {
          if (reply.reset) return;
          refused(413, /Request body too large/, 'request-too-large')(reply);
        },
      }),
      '2 MB body, chunked': () => ({
        kind: '2 MB body, chunked',
        send: () =>
          raw(base, '/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
            body: twoMegabytes,
            chunked: true,
          }),
        check: (reply) => {
          if (reply.reset) return;
          refused(413, /Request body too large/)(reply);
        },
      }),
      'nested 40 deep': () => ({
        kind: 'nested 40 deep',
        send: () => json({ query: nest(40) }),
        check: refused(400, new RegExp(`Query depth limit of ${LIMITS.depth} exceeded`)),
      }),
      'nested 5000 deep': () => ({
        kind: 'nested 5000 deep',
        send: () => json({ query: `{ ${'a { '.repeat(5000)}b${' }'.repeat(5000)} }` }),
        check: refused(400, /Token limit|depth limit/),
      }),
      [`${LIMITS.aliases + 1} aliases`]: () => ({
        kind: `${LIMITS.aliases + 1} aliases`,
        send: () => json({ query: aliased(LIMITS.aliases + 1) }),
        check: refused(400, new RegExp(`Aliases limit of ${LIMITS.aliases} exceeded`)),
      }),
      '5000 aliases': () => ({ kind: '5000 aliases', send: () => json({ query: aliased(5000) }), check: refused(400, /Token limit of \d+ exceeded/) }),
      'wrong variable types': () => ({
        kind: 'wrong variable types',
        send: () => json({ query: REGISTER, variables: { input: { commandId: randomUUID(), personId: 12, name: { nested: true }, gender: 'ROBOT' } } }),
        check: (reply) => {
          expect(reply.status).toBe(400);
          expect(
            errorsOf(reply)
              .map((error) => error.message)
              .join(' '),
          ).toMatch(/Variable "\$input" got invalid value/);
          expect(JSON.parse(reply.text).data).toBeUndefined();
        },
      }),
      'unknown lexical tokens': () => ({
        kind: 'unknown lexical tokens',
        send: () => json({ query: '{ people { id } ^^^ ¤ }' }),
        check: refused(400, /Syntax Error/),
      }),
      'garbage bearer token': () => ({
        kind: 'garbage bearer token',
        send: () => json({ query: '{ trainingPersonTimes { personTimes } }' }, `garbage.${randomUUID()}.token`),
        check: refused(401, /not valid for this server/, 'unauthenticated'),
      }),
      'foreign bearer token': () => ({
        kind: 'foreign bearer token',
        send: () => json({ query: REGISTER, variables: { input: { commandId: randomUUID(), personId: randomUUID(), name: '冒名' } } }, foreign),
        check: refused(401, /not valid for this server/, 'unauthenticated'),
      }),
      'expired bearer token': () => ({
        kind: 'expired bearer token',
        send: () => json({ query: REGISTER, variables: { input: { commandId: randomUUID(), personId: randomUUID(), name: '过期' } } }, expiring),
        check: refused(401, /expired/, 'unauthenticated'),
      }),
      'valid query': () => ({
        kind: 'valid query',
        valid: true,
        send: () => json({ query: '{ trainingPersonTimes { personTimes } }' }),
        check: (reply) => {
          expect(reply.status, reply.text.slice(0, 300)).toBe(200);
          expect(JSON.parse(reply.text).data.trainingPersonTimes.length).toBeGreaterThan(0);
        },
      }),
      'valid mutation': () => {
        const personId = randomUUID();
        const commandId = randomUUID();
        return {
          kind: 'valid mutation',
          valid: true,
          send: () => json({ query: REGISTER, variables: { input: { commandId, personId, name: '正常登记' } } }),
          check: (reply) => {
            expect(reply.status, reply.text.slice(0, 300)).toBe(200);
            expect(JSON.parse(reply.text).data.registerPerson.__typename).toBe('CommandResult');
            validRegistrations.push(commandId);
          },
        };
      },
    };

    // The burst: each kind many times, shuffled, all in flight at once.
    const PER_KIND: Record<string, number> = { '2 MB body with Content-Length': 12, '2 MB body, chunked': 12, 'valid mutation': 30, 'valid query': 30 };
    const cases = Object.entries(kinds)
      .flatMap(([kind, make]) => Array.from({ length: PER_KIND[kind] ?? 25 }, make))
      .sort(() => Math.random() - 0.5);
    const memoryBefore = process.memoryUsage().rss;
    const started = Date.now();
    const replies = await Promise.all(cases.map((c) => c.send()));
    const seconds = (Date.now() - started) / 1000;

    const counts = new Map<string, { sent: number; refused: number; reset: number }>();
    for (const [index, c] of cases.entries()) {
      const reply = replies[index]!;
      const count = counts.get(c.kind) ?? { sent: 0, refused: 0, reset: 0 };
      count.sent += 1;
      if (reply.reset) count.reset += 1;
      else if (!c.valid) count.refused += 1;
      counts.set(c.kind, count);
      expect(reply.text, c.kind).not.toMatch(LEAKS);
      expect(reply.status, `${c.kind}: no 5xx`).toBeLessThan(500);
      c.check(reply);
    }
    // A reset is only ever the price of an oversized body, and never the rule.
    for (const [kind, count] of counts) {
      if (!kind.startsWith('2 MB')) expect(count.reset, kind).toBe(0);
      else expect(count.reset, kind).toBeLessThan(count.sent);
    }

    // Still alive and answering; the log holds exactly the valid mutations, each once.
    const health = await raw(base, '/health');
    expect(health).toEqual({ status: 200, text: JSON.stringify({ status: 'ok' }) });
    const after = await json({ query: '{ trainingPersonTimes { personTimes } }' });
    expect(after.status).toBe(200);
    expect(validRegistrations).toHaveLength(PER_KIND['valid mutation']!);
    expect((await runtime.store.head()).position).toBe(head + validRegistrations.length);
    const { rows } = await target.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yingpan.events WHERE metadata->>'commandId' = ANY($1::text[])`, [
      validRegistrations,
    ]);
    expect(rows[0]!.n).toBe(validRegistrations.length);

    const hostile = cases.filter((c) => !c.valid).length;
    const resets = [...counts.values()].reduce((sum, count) => sum + count.reset, 0);
    figure(
      `hostile burst: ${cases.length} requests at once in ${seconds.toFixed(1)} s — ${hostile} hostile, ${hostile - resets} refused with their typed error, ` +
        `${resets} oversized bodies cut off by a connection reset before the 413 arrived, 0 answered 5xx, 0 leaked internals; ` +
        `${cases.length - hostile} valid requests in between all succeeded (${validRegistrations.length} mutations, each in the log once, nothing else appended); ` +
        `/health 200 afterwards; rss ${Math.round(memoryBefore / 2 ** 20)} → ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB. ` +
        `By kind: ${[...counts].map(([kind, count]) => `${kind} ${count.sent}`).join(', ')}`,
    );
  });
});
