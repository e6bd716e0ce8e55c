/**
 * The header's view in the page's address, so a past view can be reloaded, shared and bookmarked:
 *
 * - `?asOf=happened:2024-06-30`: as it happened up to that day (HAPPENED);
 * - `?asOf=known:2025-01-01`: as it was known at the end of that day, China Standard Time (KNOWN_ON);
 * - `?asOf=position:12345`: as it was known at that log position (KNOWN);
 * - no parameter: the present.
 *
 * Anything else in the parameter reads as the present. Pure functions: the layout and the
 * control (as-of-navigation.ts) apply them to SvelteKit's URL.
 */
import { isIsoDate, isLogPosition, NOW, type AsOfSetting } from './as-of';

/** The query parameter's name. */
export const AS_OF_PARAM = 'asOf';

/** The parameter's value for a view; null for the present (the parameter is left out). */
export function formatAsOfParam(setting: AsOfSetting): string | null {
  switch (setting.view) {
    case 'HAPPENED':
      return isIsoDate(setting.date) ? `happened:${setting.date}` : null;
    case 'KNOWN_ON':
      return isIsoDate(setting.date) ? `known:${setting.date}` : null;
    case 'KNOWN':
      return isLogPosition(setting.position) ? `position:${setting.position}` : null;
    default:
      return null;
  }
}

/** The view a parameter's value names; missing or malformed is the present. */
export function parseAsOfParam(raw: string | null | undefined): AsOfSetting {
  if (!raw) return NOW;
  const colon = raw.indexOf(':');
  if (colon < 0) return NOW;
  const kind = raw.slice(0, colon);
  const value = raw.slice(colon + 1);
  if (kind === 'happened' && isIsoDate(value)) return { view: 'HAPPENED', date: value };
  if (kind === 'known' && isIsoDate(value)) return { view: 'KNOWN_ON', date: value };
  if (kind === 'position' && /^\d+$/.test(value) && isLogPosition(Number(value))) return { view: 'KNOWN', position: Number(value) };
  return NOW;
}

/** A query string as people read it: `asOf=happened:2024-06-30` (a colon needs no escaping in a query). */
const readable = (params: URLSearchParams): string => params.toString().replace(/%3A/gi, ':');

/** The view a URL carries. */
export const asOfOfUrl = (url: URL): AsOfSetting => parseAsOfParam(url.searchParams.get(AS_OF_PARAM));

/** A copy of `url` showing `setting`: the parameter set, or removed for the present; the rest of the address kept. */
export function urlWithAsOf(url: URL, setting: AsOfSetting): URL {
  const next = new URL(url);
  const params = new URLSearchParams(next.search);
  const value = formatAsOfParam(setting);
  if (value === null) params.delete(AS_OF_PARAM);
  else params.set(AS_OF_PARAM, value);
  const search = readable(params);
  next.search = search ? `?${search}` : '';
  return next;
}

/**
 * A link within the site that keeps the current view: `href` (a path, with or without a query and
 * a hash) with the parameter added when `carries` (the target page reads the view) and the view is
 * not the present. A link that names its own view keeps it.
 */
export function hrefWithAsOf(href: string, setting: AsOfSetting, carries: boolean): string {
  const value = formatAsOfParam(setting);
  if (!carries || value === null || !href.startsWith('/') || href.startsWith('//')) return href;
  const hashAt = href.indexOf('#');
  const hash = hashAt >= 0 ? href.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const params = new URLSearchParams(queryAt >= 0 ? beforeHash.slice(queryAt + 1) : '');
  if (params.has(AS_OF_PARAM)) return href;
  params.set(AS_OF_PARAM, value);
  return `${path}?${readable(params)}${hash}`;
}

/**
 * Where a navigation inside the app should go so the view stays: null when `to` may go as it is
 * (the view is the present, the target is another site, names its own view, or does not read one),
 * else `to` with the view added.
 */
export function keepAsOf(from: URL, to: URL, carries: (pathname: string) => boolean): URL | null {
  const setting = asOfOfUrl(from);
  if (formatAsOfParam(setting) === null) return null;
  if (to.origin !== from.origin || to.searchParams.has(AS_OF_PARAM) || !carries(to.pathname)) return null;
  return urlWithAsOf(to, setting);
}
