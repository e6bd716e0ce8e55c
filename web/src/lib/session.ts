/**
 * Who is signed in, and what they may open. The API decides what each role may read (its tokens
 * carry the role); this module only keeps the pages in step with it: the nav shows the sections a
 * role may use, and a page the role may not use sends the browser to one it may. The token itself
 * never reaches the page's scripts: it lives in an httpOnly cookie set by `/session`.
 */
import { type Locale, translate, type Words } from './i18n';
import { m } from './messages';

/** The API's roles (the `role` of `me`). */
export const ROLES = ['public', 'deputy', 'station-manager', 'staff', 'committee-member', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The API's `me`: who the requests of this browser act as. */
export interface Viewer {
  role: string;
  roleLabelZh: string;
  roleLabelEn: string;
  personId: string;
  name?: string | null;
  /** The county's date today by the server's clock (see $lib/as-of's `localToday`). */
  today?: string;
  /**
   * An administrator or auditor signed in without an authenticator app: the API treats them as
   * the public until they enrol one on 我的账户, the only page they are let open.
   */
  mustEnrolTotp?: boolean;
}

export const PUBLIC_ROLE: Role = 'public';

/** Who may use a section: anyone, anyone signed in, the readers of the event log, or those who record acts (as in the API). */
export type Access = 'everyone' | 'signedIn' | 'auditLog' | 'record' | 'office' | 'admin' | 'deputy';

const LOG_READERS: readonly string[] = ['auditor', 'admin'];
/** Roles the API lets record (or, as a deputy, declare) acts. */
const RECORDERS: readonly string[] = ['deputy', 'station-manager', 'staff', 'committee-member', 'admin'];

export function mayUse(role: string, access: Access): boolean {
  switch (access) {
    case 'everyone':
      return true;
    case 'signedIn':
      return role !== PUBLIC_ROLE;
    case 'auditLog':
      return LOG_READERS.includes(role);
    case 'record':
      return RECORDERS.includes(role);
    case 'office':
      return role === 'staff' || role === 'admin';
    case 'admin':
      return role === 'admin';
    case 'deputy':
      return role === 'deputy';
  }
}

export interface Section {
  href: string;
  /** Its name in the nav (sections without one are not listed there). */
  label?: Words;
  access: Access;
  /** The header's as-of control applies to it. */
  asOf: boolean;
}

/** Every page, in nav order. A path belongs to the section with the longest matching prefix. */
export const SECTIONS: readonly Section[] = [
  // A deputy's home: their own duties, declaring in a tap.
  { href: '/me', label: m.nav.me, access: 'deputy', asOf: false },
  { href: '/', label: m.nav.home, access: 'signedIn', asOf: true },
  { href: '/people', label: m.nav.people, access: 'signedIn', asOf: true },
  { href: '/stations', label: m.nav.stations, access: 'signedIn', asOf: true },
  { href: '/training', label: m.nav.training, access: 'signedIn', asOf: true },
  { href: '/handover', label: m.nav.handover, access: 'signedIn', asOf: true },
  // Published regulations and their versions: open to everyone, as they are published.
  { href: '/regulations', label: m.nav.regulations, access: 'everyone', asOf: true },
  { href: '/record', label: m.nav.record, access: 'record', asOf: false },
  { href: '/audit', label: m.nav.audit, access: 'auditLog', asOf: true },
  { href: '/public', label: m.nav.public, access: 'everyone', asOf: false },
  // Setting the county up and bringing its records in: the office's work.
  { href: '/settings', label: m.nav.settings, access: 'office', asOf: false },
  { href: '/import', label: m.nav.import, access: 'office', asOf: false },
  { href: '/admin/accounts', label: m.nav.accounts, access: 'admin', asOf: false },
  { href: '/admin/system', label: m.nav.system, access: 'admin', asOf: false },
  { href: '/signin', access: 'everyone', asOf: false },
  { href: '/login', access: 'everyone', asOf: false },
  { href: '/setup', access: 'everyone', asOf: false },
  // An account without a grant today is the public's, yet may open its own account.
  { href: '/account', access: 'everyone', asOf: false },
];

/** The pages for signing in: never a place to come back to after signing in. */
const SIGN_IN_PAGES = ['/signin', '/login', '/setup'];

const within = (pathname: string, href: string) => href === '/' || pathname === href || pathname.startsWith(`${href}/`);

/** The section a path belongs to (an unknown path counts as a signed-in page). */
export function sectionOf(pathname: string): Section {
  let found: Section = SECTIONS.find((section) => section.href === '/')!;
  for (const section of SECTIONS) {
    if (within(pathname, section.href) && section.href.length >= found.href.length) found = section;
  }
  return found;
}

/** The sections a role sees in the nav. */
export function navFor(role: string): Section[] {
  return SECTIONS.filter((section) => section.label && mayUse(role, section.access));
}

/** Where a role starts: the county overview when signed in, else the public page. */
export function landingFor(role: string): string {
  return role === PUBLIC_ROLE ? '/public' : role === 'deputy' ? '/me' : '/';
}

/** Where 我的账户 asks an administrator or auditor to enrol an authenticator app. */
export const ENROL_TOTP_HREF = '/account?reason=enrol-totp';

/** Where to send a role that opened `pathname`: null when it may stay. */
export function redirectFor(role: string, pathname: string): string | null {
  return mayUse(role, sectionOf(pathname).access) ? null : landingFor(role);
}

/**
 * Where to send a viewer that opened `pathname`: one still to enrol an authenticator may open 我的账户
 * (and the sign-in pages) only; anyone else as their role allows.
 */
export function redirectForViewer(viewer: Pick<Viewer, 'role' | 'mustEnrolTotp'>, pathname: string): string | null {
  if (viewer.mustEnrolTotp) return pathname === '/account' || SIGN_IN_PAGES.includes(pathname) ? null : ENROL_TOTP_HREF;
  return redirectFor(viewer.role, pathname);
}

/**
 * Where to go after signing in: `next` when it is a page of this site the role may use (never
 * another origin: `//host` and `/\host` are refused), else the role's landing page.
 */
export function afterSignIn(role: string, next: string | null | undefined): string {
  if (next && /^\/(?![/\\])/.test(next)) {
    const pathname = next.split(/[?#]/)[0]!;
    if (!SIGN_IN_PAGES.includes(pathname) && redirectFor(role, pathname) === null) return next;
  }
  return landingFor(role);
}

/** The viewer's role in the interface's language. */
export function roleLabel(viewer: Viewer, locale: Locale): string {
  return translate(locale, { zh: viewer.roleLabelZh, en: viewer.roleLabelEn });
}

/**
 * The token in what was pasted: a bare token, or a whole sign-in link
 * (`…/signin#token=<token>`), with any spaces or line breaks around it.
 */
export function tokenFromInput(text: string): string {
  const trimmed = text.trim();
  const match = /(?:^|[#?&])token=([^&#\s]*)/.exec(trimmed);
  return (match ? decodeURIComponent(match[1]!) : trimmed).replace(/\s+/g, '');
}

/** The sign-in page's address (登录: user name and password) for `reason` ('expired': the last sign-in stopped working), back to `next`. */
export function signInHref(reason: 'expired' | null, next: string | null): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  if (next && !SIGN_IN_PAGES.includes(next)) params.set('next', next);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

/** Is this one of the sign-in pages (where an ended sign-in carries on as the public)? */
export const isSignInPage = (pathname: string): boolean => SIGN_IN_PAGES.includes(pathname);

/** An answer of the API meaning the sign-in no longer holds (a bad or expired token: HTTP 401). */
export function isSessionRejected(error: { response?: { status?: number } | null } | null | undefined): boolean {
  return error?.response?.status === 401;
}

/** What `/session` says: who the browser acts as, or that its token no longer works (the cookie is then gone). */
export type SessionAnswer = { viewer: Viewer } | { expired: true };

const SESSION_SCRIPT_ID = 'yingpan-session';

/**
 * The session answer as a JSON script element for the page's `<head>` (written by the web server
 * into each page document, read once by the root layout). `<` is escaped so that no value can
 * close the element.
 */
export function inlineSessionScript(answer: SessionAnswer): string {
  return `<script type="application/json" id="${SESSION_SCRIPT_ID}">${JSON.stringify(answer).replaceAll('<', '\\u003c')}</script>`;
}

/** The session answer the document came with, once: the element is removed, so later loads ask `/session`. */
export function takeInlineSession(document: Pick<Document, 'getElementById'>): SessionAnswer | null {
  const element = document.getElementById(SESSION_SCRIPT_ID);
  if (!element) return null;
  element.remove();
  try {
    const answer = JSON.parse(element.textContent ?? '') as Partial<{ viewer: Viewer; expired: true }>;
    if (answer.expired === true) return { expired: true };
    if (answer.viewer && typeof answer.viewer.role === 'string') return { viewer: answer.viewer };
  } catch {
    // unreadable: ask /session
  }
  return null;
}
