// The app renders in the browser: all data comes from /graphql, nothing to render on the server.
import { error, isRedirect, redirect } from '@sveltejs/kit';
import { useServerToday } from '$lib/as-of';
import { isSignInPage, redirectForViewer, signInHref, takeInlineSession, type SessionAnswer, type Viewer } from '$lib/session';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

async function askSession(fetcher: typeof fetch): Promise<SessionAnswer> {
  const response = await fetcher('/session', { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { viewer?: Viewer; error?: { messageEn?: string } };
  if (response.ok && body.viewer) return { viewer: body.viewer };
  if (response.status === 401) return { expired: true };
  throw new Error(body.error?.messageEn ?? `HTTP ${response.status}`);
}

/**
 * Who this page acts as, asked once per page load: signing in or out reloads the page (the
 * GraphQL cache belongs to one viewer), so it cannot change underneath.
 */
let session: Promise<Viewer> | undefined;

async function viewerOf(fetcher: typeof fetch, url: URL): Promise<Viewer> {
  // The page document carries the answer (hooks.server.ts); without it, ask.
  const answer = takeInlineSession(document) ?? (await askSession(fetcher));
  if (!('expired' in answer)) return answer.viewer;
  // The token stopped working: sign in again (on the sign-in page, carry on as the public).
  if (!isSignInPage(url.pathname)) redirect(307, signInHref('expired', url.pathname + url.search));
  const again = await askSession(fetcher);
  if ('expired' in again) throw new Error('the session could not be cleared');
  return again.viewer;
}

export const load: LayoutLoad = async ({ fetch, url }) => {
  let viewer: Viewer;
  try {
    viewer = await (session ??= viewerOf(fetch, url));
  } catch (reason) {
    session = undefined; // not kept: the next navigation asks again
    if (isRedirect(reason)) throw reason;
    error(502, reason instanceof Error ? reason.message : String(reason));
  }
  useServerToday(viewer.today);
  const target = redirectForViewer(viewer, url.pathname);
  if (target) redirect(307, target);
  return { viewer };
};
