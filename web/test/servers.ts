/**
 * Child processes for the end-to-end tests: the API (on a fresh PGlite directory or a fresh
 * PostgreSQL database) and the built web server, started once by global-setup.ts. Each is started
 * with `node` directly, so the PID we hold is the server's own and SIGTERM reaches it. The API
 * signs tokens with a fixed test secret, so the tests mint their own sign-ins (`mintToken`, `signIn`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenIssuer, type MintOptions } from '@yingpan/api';
import { testChromium } from '@yingpan/test-config/chromium';
import { TEST_TODAY } from '@yingpan/domain/test-clock';
import type { BrowserContext } from 'playwright-core';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const API_MAIN = path.resolve(WEB_DIR, '../services/api/src/main.ts');
const WEB_MAIN = path.join(WEB_DIR, 'build/index.js');
const BUILD_COUNTY = fileURLToPath(new URL('./build-county.ts', import.meta.url));

/**
 * The county's today for the servers under test (the API's YINGPAN_TODAY; the pages take it from
 * the API): the tests never read the wall clock for it.
 */
export const TODAY = TEST_TODAY;

/** The secret the test API signs its tokens with (the API takes any of 32 characters or more). */
export const TOKEN_SECRET = 'yingpan-web-e2e-token-secret-0123456789';
const issuer = tokenIssuer(new TextEncoder().encode(TOKEN_SECRET));

/** The Chromium the end-to-end tests drive: Debian's headless shell where installed, else its browser (@yingpan/test-config/chromium). */
export const CHROMIUM = testChromium();
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium-headless-shell chromium\` (as root) and try again.`);
  }
}

export function assertBuilt(): void {
  if (!existsSync(WEB_MAIN)) throw new Error(`${WEB_MAIN} is missing: run \`npm run build -w @yingpan/web\` first.`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Server {
  name: string;
  url: string;
  process: ChildProcess;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** The environment a child gets: ours, without settings that would point it elsewhere. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of [
    'PORT',
    'ORIGIN',
    'DATABASE_URL',
    'KURRENTDB_URL',
    'API_URL',
    'YINGPAN_DATA_DIR',
    'YINGPAN_FILES_DIR',
    'YINGPAN_TOKEN_SECRET',
    'YINGPAN_TOKEN_SECRET_FILE',
    'WEB_URL',
    'YINGPAN_TODAY',
    'YINGPAN_OIDC_ISSUER',
    'YINGPAN_OIDC_CLIENT_ID',
    'YINGPAN_OIDC_CLIENT_SECRET',
    'YINGPAN_OIDC_REDIRECT_URL',
    'YINGPAN_OIDC_CLAIM',
    'YINGPAN_OIDC_LABEL',
    'YINGPAN_PASSKEY_ORIGINS',
    'YINGPAN_PASSKEY_RP_ID',
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function start(name: string, url: string, args: string[], env: Record<string, string>): Server {
  const child = spawn(process.execPath, args, { cwd: WEB_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    url,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * How long a server may go without being ready and without printing anything new: 90 s, or
 * E2E_START_TIMEOUT_MS on a machine busy with other work. An API building the demo county prints
 * its progress, so a slow build on a loaded machine is waited for while a silent hang is not.
 */
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 90_000;

/** Polls `url` until `ready(response)` says so, failing early when the process dies or stalls. */
async function waitFor(server: Server, url: string, ready: (response: Response) => Promise<boolean>, timeoutMs = START_TIMEOUT_MS) {
  let deadline = Date.now() + timeoutMs;
  let printed = server.output().length;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.output().length !== printed) {
      printed = server.output().length;
      deadline = Date.now() + timeoutMs;
    }
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new Error(`${server.name} exited (${server.process.exitCode ?? server.process.signalCode}) before it was ready:\n${server.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (await ready(response)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${server.name} was not ready at ${url}, nor printed anything, for ${timeoutMs} ms (${last}):\n${server.output()}`);
}

export interface Api extends Server {
  /** Removes the data directory or drops the database. */
  dispose(): Promise<void>;
}

/** Everything the demo county an API builds on its first start depends on: the services' and read models' code (and the builder's, below). */
const API_SOURCES = [path.resolve(WEB_DIR, '../services'), path.resolve(WEB_DIR, '../projections')];

/**
 * The API on a log of its own: the demo county (small scale) as the API builds it on its first
 * start — the same events, read models and demo accounts —, or empty with `seedScale: 'none'` (for
 * the first install). PGlite in a temporary directory, or, when DATABASE_URL names a PostgreSQL
 * server, a database created for this run.
 *
 * The county is built once per source digest and day on an empty log (buildCounty), then kept
 * as an image (@yingpan/db/testing: a PostgreSQL template database; for PGlite a copy of the data
 * folder in IMAGE_DIR), and each run starts from a copy of it. `env`: settings beside the test's
 * own (e.g. a single sign-on provider's YINGPAN_OIDC_*).
 */
export async function startApi(options: { seedScale?: 'small' | 'none'; env?: Record<string, string> } = {}): Promise<Api> {
  const seedScale = options.seedScale ?? 'small';
  const cleanups: (() => Promise<void>)[] = [];
  // The evidence files (佐证材料) the tests upload: a folder of this run's own.
  const files = await mkdtemp(path.join(tmpdir(), 'yingpan-web-e2e-files-'));
  cleanups.push(() => rm(files, { recursive: true, force: true }));
  const storage: Record<string, string> = { YINGPAN_FILES_DIR: files };
  const testing = await import('@yingpan/db/testing');
  const key = JSON.stringify({
    image: 'web-e2e-api',
    scale: seedScale,
    today: TODAY,
    sources: testing.digestOfSources(API_SOURCES),
    builder: createHash('sha256').update(readFileSync(BUILD_COUNTY)).digest('hex'),
  });
  if (process.env.DATABASE_URL && seedScale === 'none') {
    const database = await testing.createTestDatabase(process.env.DATABASE_URL);
    storage.DATABASE_URL = database.url;
    cleanups.push(database.drop);
  } else if (process.env.DATABASE_URL) {
    const postgres = testing.everyEngine.find((target) => target.name === 'postgres')!;
    // openImage closes its own handle on the database before keeping it as the image.
    const copy = await testing.openImage(postgres, key, (_db, url) => buildCounty({ DATABASE_URL: url!, YINGPAN_FILES_DIR: files }));
    // The API connects by itself; this handle only drops the copy at the end (dispose).
    storage.DATABASE_URL = copy.url!;
    cleanups.push(() => copy.dispose());
  } else {
    const dir = await mkdtemp(path.join(tmpdir(), 'yingpan-web-e2e-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    if (seedScale !== 'none') {
      const image = path.join(testing.IMAGE_DIR, `web-e2e-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`);
      if (!existsSync(image)) {
        // Built in a folder of its own, then renamed into place: a reader never sees half an image.
        const building = `${image}.${process.pid}.${Date.now()}.partial`;
        await mkdir(building, { recursive: true });
        await buildCounty({ YINGPAN_DATA_DIR: path.join(building, 'pglite'), YINGPAN_FILES_DIR: files });
        await rename(building, image).catch(async (error) => {
          if (!existsSync(image)) throw error;
          await rm(building, { recursive: true, force: true }); // another run built it meanwhile
        });
      }
      await cp(image, dir, { recursive: true });
    }
    storage.YINGPAN_DATA_DIR = path.join(dir, 'pglite');
  }
  let api: Api;
  try {
    api = await runApi({ ...options.env, ...storage }, seedScale);
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }
  return {
    ...api,
    async dispose() {
      await api.dispose();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

/**
 * Builds the demo county on the empty database `settings` name (DATABASE_URL or YINGPAN_DATA_DIR) as
 * the API does on its first start, in a process of its own (build-county.ts): the seed's log, appended
 * from the seed's test fixture rather than run through its commands again, every read model, the demo
 * accounts.
 */
async function buildCounty(settings: Record<string, string>): Promise<void> {
  const builder = start('county builder', '', ['--import', 'tsx', BUILD_COUNTY], { YINGPAN_TOKEN_SECRET: TOKEN_SECRET, YINGPAN_TODAY: TODAY, ...settings });
  const [code, signal] = (await once(builder.process, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`The county builder exited (${code ?? signal}):\n${builder.output()}`);
}

/**
 * An API process on the database `settings` name (DATABASE_URL or YINGPAN_DATA_DIR), with any other
 * settings they hold, once it is ready and its read models have caught up.
 */
async function runApi(settings: Record<string, string>, seedScale: 'small' | 'none'): Promise<Api> {
  const port = await freePort();
  const env: Record<string, string> = {
    API_PORT: String(port),
    YINGPAN_SEED_SCALE: seedScale,
    YINGPAN_TOKEN_SECRET: TOKEN_SECRET,
    YINGPAN_TODAY: TODAY,
    ...settings,
  };
  const server = start('API', `http://127.0.0.1:${port}`, ['--import', 'tsx', API_MAIN], env);
  const api: Api = { ...server, dispose: () => server.stop() };
  try {
    await waitFor(server, `${server.url}/health`, async (response) => response.ok);
    // Ready means listening; wait until the projections have also caught up with the seeded log.
    await waitFor(server, `${server.url}/ready`, async (response) => {
      const body = (await response.json()) as { ready?: boolean; projections?: { lagEvents: number }[] };
      return body.ready === true && (body.projections ?? []).every((projection) => projection.lagEvents === 0);
    });
  } catch (error) {
    await api.dispose();
    throw error;
  }
  return api;
}

/**
 * The built web server, listening on 127.0.0.1. `hostname: 'localhost'` serves its pages as
 * `http://localhost:<port>` (still on 127.0.0.1): WebAuthn takes a domain, never an IP address, as
 * the site passkeys belong to. `port`: one reserved before (the API was told its origin).
 */
export async function startWeb(apiUrl: string, options: { hostname?: 'localhost' | '127.0.0.1'; port?: number } = {}): Promise<Server> {
  const port = options.port ?? (await freePort());
  const url = `http://${options.hostname ?? '127.0.0.1'}:${port}`;
  // ORIGIN tells adapter-node the site's own origin (without it, it takes the scheme to be https, and
  // /graphql, which refuses another origin, would refuse the pages' own POSTs over plain http).
  const server = start('web server', url, [WEB_MAIN], { PORT: String(port), HOST: '127.0.0.1', API_URL: apiUrl, ORIGIN: url });
  try {
    await waitFor(server, `http://127.0.0.1:${port}/training`, async (response) => response.ok);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** A sign-in token the test API accepts, e.g. `mintToken({ role: 'staff' })`; `expiresIn: '1s'` for one about to expire. */
export const mintToken = (options: MintOptions): Promise<string> => issuer.mint(options);

/** The web's session cookie (what `/session` sets after checking the token). */
export const SESSION_COOKIE = 'yingpan_token';

/** Signs a browser context in to the web server at `webUrl`: the session cookie, as a sign-in through /signin would leave it. */
export async function signIn(context: BrowserContext, webUrl: string, options: MintOptions): Promise<string> {
  const token = await mintToken(options);
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: webUrl, httpOnly: true, sameSite: 'Lax' }]);
  return token;
}

/** A GraphQL request through the web server's /graphql, as the pages send it, with `token` as the bearer (none: the public). */
export async function gqlThrough<T = any>(webUrl: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${webUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}
