/**
 * Every page document carries its viewer: the web server asks the API who the session cookie's
 * token is (as `GET /session` does) while it serves the page, and writes the answer into the
 * HTML, so the browser starts the page's own queries without a `/session` round trip first. A
 * token the API refuses loses its cookie here too; an API that cannot be reached leaves the
 * answer out and the page asks `/session` itself (and shows why it failed).
 */
import type { Handle } from '@sveltejs/kit';
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE } from '$lib/server/session';
import { inlineSessionScript, type SessionAnswer } from '$lib/session';

/** How long a page document waits for the API's answer about its viewer. */
const VIEWER_TIMEOUT_MS = 2_000;

/** Paths the web server answers itself that are not pages. */
const NOT_PAGES = ['/graphql', '/session', '/audit/kit'];
/** Prefixes of paths forwarded to the API that are not pages (an evidence file opened in a tab asks for HTML too). */
const NOT_PAGE_PREFIXES = ['/files/', '/import/api/'];

export const handle: Handle = async ({ event, resolve }) => {
  const page =
    event.request.method === 'GET' &&
    !NOT_PAGES.includes(event.url.pathname) &&
    !NOT_PAGE_PREFIXES.some((prefix) => event.url.pathname.startsWith(prefix)) &&
    !event.isDataRequest &&
    (event.request.headers.get('accept') ?? '').includes('text/html');
  if (!page) return resolve(event);
  const token = event.cookies.get(SESSION_COOKIE);
  // A slow API does not hold the page up: past the limit the page goes without the answer and asks itself.
  const fetcher: typeof fetch = (input, init) => event.fetch(input, { ...init, signal: AbortSignal.timeout(VIEWER_TIMEOUT_MS) });
  const answer = await askViewer(apiGraphqlUrl(), token, fetcher);
  let session: SessionAnswer | null = null;
  if (answer.ok) session = { viewer: answer.viewer };
  else if (answer.status === 401) {
    event.cookies.delete(SESSION_COOKIE, { path: '/' });
    session = { expired: true };
  }
  // The page now names who is signed in: for that browser alone.
  event.setHeaders({ 'cache-control': 'private, no-store' });
  return resolve(event, {
    transformPageChunk: ({ html }) => (session ? html.replace('</head>', `${inlineSessionScript(session)}</head>`) : html),
  });
};
