/**
 * A real OpenID Connect provider for tests (`@yingpan/api/oidc-testing`): `oidc-provider` on a
 * loopback port, with its own development login and consent pages (any login name, any password),
 * one confidential client, PKCE required. The API's sign-on tests and the web's end-to-end test sign
 * in against it. `signInAtProvider` walks its pages over HTTP as a browser would (cookies kept) and
 * answers the address the provider sends the browser back to.
 */
/// <reference path="./oidc-provider.d.ts" />
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { OidcSettings } from './auth-sso.ts';

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The API's settings for this provider, with `redirectUrl` registered at it. */
  settings(claim?: string): OidcSettings;
  /** The same as YINGPAN_OIDC_* environment variables (for an API started as a process). */
  env(claim?: string): Record<string, string>;
  close(): Promise<void>;
}

export const TEST_PROVIDER_LABEL = '省政务统一身份认证';

/**
 * Starts the provider on 127.0.0.1 (`port` 0: any free one). `people` gives claims beyond the login
 * name (`sub` and `preferred_username` are the login name), e.g. `{ zhangsan: { staff_no: 'A0012' } }`.
 */
export async function startTestIdentityProvider(options: {
  redirectUrl: string;
  port?: number;
  people?: Record<string, Record<string, unknown>>;
}): Promise<TestIdentityProvider> {
  const { server, issuer } = await listen(options.port ?? 0, (issuer) => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new Provider(issuer, {
      clients: [
        {
          client_id: 'yingpan',
          client_secret: CLIENT_SECRET,
          redirect_uris: [options.redirectUrl],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', kid: 'test' }] },
      cookies: { keys: [randomBytes(16).toString('hex')], long: { sameSite: 'lax' }, short: { sameSite: 'lax' } },
      claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'staff_no'] },
      pkce: { methods: ['S256'], required: () => true },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      features: { devInteractions: { enabled: true } },
      async findAccount(_: unknown, id: string) {
        return { accountId: id, claims: () => ({ sub: id, preferred_username: id, name: id, ...(options.people?.[id] ?? {}) }) };
      },
    });
  });
  const settings = (claim = 'preferred_username'): OidcSettings => ({
    issuer,
    clientId: 'yingpan',
    clientSecret: CLIENT_SECRET,
    redirectUrl: options.redirectUrl,
    claim,
    label: TEST_PROVIDER_LABEL,
  });
  return {
    issuer,
    clientId: 'yingpan',
    clientSecret: CLIENT_SECRET,
    settings,
    env(claim) {
      const s = settings(claim);
      return {
        YINGPAN_OIDC_ISSUER: s.issuer,
        YINGPAN_OIDC_CLIENT_ID: s.clientId,
        YINGPAN_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        YINGPAN_OIDC_REDIRECT_URL: s.redirectUrl,
        YINGPAN_OIDC_CLAIM: s.claim,
        YINGPAN_OIDC_LABEL: s.label,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CLIENT_SECRET = 'yingpan-test-client-secret-0123456789abcdef';

/** Listens first (the issuer names the port), then hands requests to the provider made for that issuer. */
async function listen(port: number, make: (issuer: string) => Provider) {
  const { createServer } = await import('node:http');
  let handler: ((request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void) | null = null;
  const server = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = make(issuer) as Provider & { callback(): typeof handler };
  handler = provider.callback();
  return { server, issuer };
}

/**
 * Signs in at the provider as `login` from its authorization address, through its login and consent
 * pages, as a browser would: answers the callback address it sends the browser back to (with
 * `code` and `state`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | null = null;
  const issuerOrigin = url.origin;
  for (let hop = 0; hop < 20; hop++) {
    const response: Response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ?? undefined,
    });
    keep(response);
    form = null;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.origin !== issuerOrigin) return url;
      continue;
    }
    const html: string = await response.text();
    if (!response.ok) throw new Error(`The provider answered HTTP ${response.status} at ${url}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt: string | undefined = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`No login or consent form at ${url}: ${html.slice(0, 500)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
    form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('The provider did not send the browser back within 20 steps');
}
