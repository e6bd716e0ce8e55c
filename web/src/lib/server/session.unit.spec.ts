import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askViewer, sessionCookieOptions, tokenExpiry } from './session';

/** A JWT-shaped token with these claims (unsigned: only the web reads `exp`, the API checks the signature). */
const tokenWith = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('the session cookie', () => {
  it('lasts as long as the token', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const token = tokenWith({ role: 'staff', exp: now.getTime() / 1000 + 3600 });
    expect(tokenExpiry(token)).toEqual(new Date('2026-01-01T01:00:00Z'));
    expect(sessionCookieOptions(new URL('http://localhost:3000/session'), token, now)).toEqual({
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
      maxAge: 3600,
    });
  });

  it('is Secure over https, and a browser-session cookie when the token has no readable expiry', () => {
    const options = sessionCookieOptions(new URL('https://yingpan.example/session'), 'not-a-jwt');
    expect(options).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure: true });
    expect(tokenExpiry('a.%%%.c')).toBeNull();
    expect(tokenExpiry(tokenWith({ exp: 'soon' }))).toBeNull();
  });
});

describe('asking the API who a token acts as', () => {
  let api: Server;
  let url: string;
  const seen: IncomingMessage['headers'][] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      seen.push(request.headers);
      const auth = request.headers.authorization;
      if (auth === 'Bearer good') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ data: { me: { role: 'staff', roleLabelZh: '机关工作人员', roleLabelEn: 'Office staff', personId: 'staff-local', name: null } } }),
        );
      } else if (auth) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            errors: [
              {
                message: 'expired',
                extensions: { code: 'unauthenticated', messageZh: '登录凭证已过期，请重新登录', messageEn: 'The sign-in token has expired; sign in again' },
              },
            ],
          }),
        );
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data: { me: { role: 'public', roleLabelZh: '公众', roleLabelEn: 'Public', personId: 'public', name: null } } }));
      }
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/graphql`;
  });

  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('answers the viewer of a good token, sent as the bearer', async () => {
    const answer = await askViewer(url, 'good');
    expect(answer).toEqual({ ok: true, viewer: expect.objectContaining({ role: 'staff', roleLabelEn: 'Office staff' }) });
    expect(seen.at(-1)?.authorization).toBe('Bearer good');
  });

  it('answers the public without a token', async () => {
    expect(await askViewer(url, undefined)).toMatchObject({ ok: true, viewer: { role: 'public' } });
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });

  it('passes on the API’s refusal of a bad token, in both languages', async () => {
    expect(await askViewer(url, 'old')).toEqual({
      ok: false,
      status: 401,
      problem: { code: 'unauthenticated', messageZh: '登录凭证已过期，请重新登录', messageEn: 'The sign-in token has expired; sign in again' },
    });
  });

  it('says 502 when the API cannot be reached', async () => {
    const answer = await askViewer('http://127.0.0.1:1/graphql', 'good');
    expect(answer).toMatchObject({ ok: false, status: 502, problem: { code: 'api-unreachable' } });
  });
});
