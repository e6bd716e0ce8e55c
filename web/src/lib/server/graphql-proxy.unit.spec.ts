import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPathUrl, BODY_LIMIT_BYTES, forwardGraphql, forwardToApi, graphqlUrl, upstreamHeaders } from './graphql-proxy';

describe('the /graphql proxy', () => {
  let upstream: Server;
  let base: string;
  let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let releaseStream: () => void = () => {};

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        if (request.url?.startsWith('/graphql/stream')) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('event: next\ndata: {"n":1}\n\n');
          releaseStream = () => response.end('event: complete\ndata:\n\n');
          return;
        }
        response
          .writeHead(200, {
            'content-type': 'application/json',
            'x-upstream': 'yes',
            'access-control-allow-origin': 'http://evil.example',
            'access-control-allow-credentials': 'true',
          })
          .end('{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('joins the API address and the query string', () => {
    expect(graphqlUrl('http://api:4000/', '?query=%7Ba%7D')).toBe('http://api:4000/graphql?query=%7Ba%7D');
    expect(graphqlUrl('http://api:4000', '')).toBe('http://api:4000/graphql');
  });

  it('forwards an evidence file’s part and its fetch to the API’s /files/…, refusing another site’s page in the file handlers’ shape', async () => {
    seen = [];
    expect(apiPathUrl('http://api:4000/', '/files/uploads/u/0', '?parts=1&size=3')).toBe('http://api:4000/files/uploads/u/0?parts=1&size=3');
    const part = new Request('http://web.example:3000/files/uploads/u/0?parts=1&size=3', {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', origin: 'http://web.example:3000' },
      body: 'abc',
    });
    const target = apiPathUrl(base, '/files/uploads/u/0', '?parts=1&size=3');
    expect((await forwardToApi(part, target, { token: 't', origin: 'http://web.example:3000', shape: 'plain' })).status).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/files/uploads/u/0?parts=1&size=3', body: 'abc' });
    expect(seen[0]!.headers.authorization).toBe('Bearer t');
    const foreign = new Request('http://web.example:3000/files/uploads/u/0', { method: 'PUT', headers: { origin: 'http://evil.example' }, body: 'abc' });
    const refused = await forwardToApi(foreign, target, { token: 't', origin: 'http://web.example:3000', shape: 'plain' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { zh: expect.stringContaining('本站'), code: 'forbidden-origin' } });
    expect(seen).toHaveLength(1);
  });

  it('forwards a POST with its body and headers, and the answer with its status and headers', async () => {
    seen = [];
    const request = new Request('http://web/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', cookie: 's=1' },
      body: '{"query":"{ ok }"}',
    });
    const response = await forwardGraphql(request, `${base}/graphql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/graphql', body: '{"query":"{ ok }"}' });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/graphql-response+json', cookie: 's=1' });
  });

  it('sends the session’s token as the bearer, unless the request brings its own Authorization', async () => {
    seen = [];
    const post = (headers: Record<string, string>, token?: string) =>
      forwardGraphql(
        new Request('http://web/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }),
        `${base}/graphql`,
        { token },
      );
    await post({}, 'from-cookie');
    await post({ authorization: 'Bearer from-header' }, 'from-cookie');
    await post({});
    expect(seen.map((request) => request.headers.authorization)).toEqual(['Bearer from-cookie', 'Bearer from-header', undefined]);
  });

  it('drops the hop-by-hop headers and keeps the rest', () => {
    const headers = upstreamHeaders(
      new Headers({ host: 'web', connection: 'keep-alive', 'accept-encoding': 'gzip', cookie: 'yingpan_token=t', accept: 'application/json' }),
      't',
    );
    expect([...headers.keys()].sort()).toEqual(['accept', 'authorization', 'cookie']);
    expect(headers.get('authorization')).toBe('Bearer t');
    expect(upstreamHeaders(new Headers(), '').has('authorization')).toBe(false);
  });

  it('forwards a GET with its query string', async () => {
    seen = [];
    await forwardGraphql(new Request('http://web/graphql?query=%7Bok%7D'), graphqlUrl(base, '?query=%7Bok%7D'));
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/graphql?query=%7Bok%7D', body: '' });
  });

  it('streams server-sent events as they arrive, before the API ends the response', async () => {
    const response = await forwardGraphql(new Request('http://web/graphql/stream', { headers: { accept: 'text/event-stream' } }), `${base}/graphql/stream`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('event: next\ndata: {"n":1}\n\n');
    releaseStream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('event: complete\ndata:\n\n');
  });

  it('answers 502 with a GraphQL error when the API cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const response = await forwardGraphql(new Request('http://web/graphql', { method: 'POST', body: '{}' }), `http://127.0.0.1:${port}/graphql`);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/API unreachable/);
  });

  it('refuses a request from another origin before the API sees it, and passes no CORS header back', async () => {
    seen = [];
    const post = (origin: string | null) =>
      new Request('http://web.example:3000/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: '{"query":"{ me { role } }"}',
      });
    for (const other of ['http://evil.example', 'http://web.example:3001', 'http://sub.web.example:3000']) {
      const refused = await forwardGraphql(post(other), `${base}/graphql`, { token: 'session-token', origin: 'http://web.example:3000' });
      expect(refused.status).toBe(403);
      expect((await refused.json()).errors[0].extensions).toMatchObject({ code: 'forbidden-origin', messageZh: expect.stringContaining('本站') });
    }
    expect(seen).toEqual([]);
    for (const other of ['null', 'not a url']) {
      expect((await forwardGraphql(post(other), `${base}/graphql`, { origin: 'http://web.example:3000' })).status, other).toBe(403);
    }
    expect(seen).toEqual([]);
    // Without adapter-node's ORIGIN setting the server takes its scheme to be https: the page's http origin is still its own.
    expect((await forwardGraphql(post('http://web.example:3000'), `${base}/graphql`, { origin: 'https://web.example:3000' })).status).toBe(200);
    seen = [];
    for (const own of ['http://web.example:3000', null]) {
      const answered = await forwardGraphql(post(own), `${base}/graphql`, { token: 'session-token', origin: 'http://web.example:3000' });
      expect(answered.status).toBe(200);
      expect([...answered.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
    expect(seen).toHaveLength(2);
  });

  it('answers 413 for a body over the limit, declared or not, without forwarding it', async () => {
    seen = [];
    const body = JSON.stringify({ query: '{ a }', variables: { padding: 'x'.repeat(BODY_LIMIT_BYTES) } });
    const declared = new Request('http://web/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    });
    const response = await forwardGraphql(declared, `${base}/graphql`);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('request-too-large');
    const undeclared = await forwardGraphql(new Request('http://web/graphql', { method: 'POST', body }), `${base}/graphql`);
    expect(undeclared.status).toBe(413);
    expect(seen).toEqual([]);
  });
});
