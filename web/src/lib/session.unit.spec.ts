import { describe, expect, it } from 'vitest';
import {
  afterSignIn,
  inlineSessionScript,
  isSessionRejected,
  landingFor,
  mayUse,
  navFor,
  redirectFor,
  redirectForViewer,
  roleLabel,
  sectionOf,
  signInHref,
  takeInlineSession,
  tokenFromInput,
  type SessionAnswer,
} from './session';

describe('an administrator or auditor still to enrol an authenticator', () => {
  it('may open 我的账户 and the sign-in pages only, whatever page they asked for', () => {
    const viewer = { role: 'public', mustEnrolTotp: true };
    for (const path of ['/', '/audit', '/admin/accounts', '/public', '/regulations', '/people/x']) {
      expect(redirectForViewer(viewer, path), path).toBe('/account?reason=enrol-totp');
    }
    for (const path of ['/account', '/login', '/signin']) expect(redirectForViewer(viewer, path), path).toBeNull();
  });

  it('leaves everyone else to their role', () => {
    expect(redirectForViewer({ role: 'auditor', mustEnrolTotp: false }, '/audit')).toBeNull();
    expect(redirectForViewer({ role: 'public' }, '/audit')).toBe('/public');
  });
});

describe('what each role may open', () => {
  it('gives the public only the public page, the regulations and the sign-in page', () => {
    expect(navFor('public').map((section) => section.href)).toEqual(['/regulations', '/public']);
    expect(redirectFor('public', '/regulations')).toBeNull();
    for (const path of ['/', '/people', '/people/0d9c…', '/stations', '/training', '/audit', '/somewhere']) {
      expect(redirectFor('public', path), path).toBe('/public');
    }
    expect(redirectFor('public', '/public')).toBeNull();
    expect(redirectFor('public', '/signin')).toBeNull();
    expect(landingFor('public')).toBe('/public');
  });

  it('gives every signed-in role the read pages, and the log to auditors and administrators only', () => {
    const read = ['/', '/people', '/stations', '/training', '/handover', '/regulations', '/record', '/public'];
    for (const role of ['deputy', 'station-manager', 'staff', 'committee-member']) {
      // Setting the county up and importing are the office's (staff and administrators).
      const office = role === 'staff' ? ['/settings', '/import'] : [];
      expect(
        navFor(role).map((section) => section.href),
        role,
      ).toEqual(role === 'deputy' ? ['/me', ...read] : [...read, ...office]);
      for (const path of ['/settings', '/import']) expect(redirectFor(role, path), `${role} ${path}`).toBe(role === 'staff' ? null : landingFor(role));
      // A deputy's home is 我的履职; the others start at the county overview.
      expect(redirectFor(role, '/audit'), role).toBe(role === 'deputy' ? '/me' : '/');
      expect(redirectFor(role, '/people/abc'), role).toBeNull();
    }
    expect(navFor('admin').map((section) => section.href)).toEqual([
      '/',
      '/people',
      '/stations',
      '/training',
      '/handover',
      '/regulations',
      '/record',
      '/audit',
      '/public',
      '/settings',
      '/import',
      '/admin/accounts',
      '/admin/system',
    ]);
    // Accounts and grants are for administrators alone; the sign-in pages and one's own account for everyone.
    for (const role of ['staff', 'auditor', 'station-manager']) expect(redirectFor(role, '/admin/accounts/x'), role).toBe('/');
    for (const role of ['staff', 'auditor', 'station-manager']) expect(redirectFor(role, '/admin/system'), role).toBe('/');
    for (const path of ['/login', '/setup', '/account']) expect(redirectFor('public', path), path).toBeNull();
    // Auditors read everything and record nothing.
    expect(navFor('auditor').map((section) => section.href)).toEqual([
      '/',
      '/people',
      '/stations',
      '/training',
      '/handover',
      '/regulations',
      '/audit',
      '/public',
    ]);
    for (const role of ['auditor', 'admin']) expect(redirectFor(role, '/audit'), role).toBeNull();
    expect(redirectFor('auditor', '/record')).toBe('/');
    expect(redirectFor('public', '/handover')).toBe('/public');
    expect(mayUse('staff', 'auditLog')).toBe(false);
    expect(landingFor('staff')).toBe('/');
    expect(landingFor('deputy')).toBe('/me');
    expect(redirectFor('staff', '/me')).toBe('/');
  });

  it('matches a path to its section by the longest prefix, not by a shared start', () => {
    expect(sectionOf('/people/123').href).toBe('/people');
    expect(sectionOf('/peoplex').href).toBe('/');
    expect(sectionOf('/audit').asOf).toBe(true);
    expect(sectionOf('/public').asOf).toBe(false);
  });
});

describe('signing in', () => {
  it('goes back to the page asked for when the new role may use it, never to another site', () => {
    expect(afterSignIn('staff', '/people?search=王')).toBe('/people?search=王');
    expect(afterSignIn('staff', '/audit')).toBe('/');
    expect(afterSignIn('auditor', '/audit')).toBe('/audit');
    expect(afterSignIn('staff', null)).toBe('/');
    expect(afterSignIn('staff', '//evil.example/x')).toBe('/');
    expect(afterSignIn('staff', '/\\evil.example')).toBe('/');
    expect(afterSignIn('staff', 'https://evil.example/')).toBe('/');
    expect(afterSignIn('staff', '/signin')).toBe('/');
  });

  it('takes the token from a bare token or a whole sign-in link, without spaces', () => {
    expect(tokenFromInput('  abc.def.ghi \n')).toBe('abc.def.ghi');
    expect(tokenFromInput('http://localhost:3000/signin#token=abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromInput('abc.def\n.ghi')).toBe('abc.def.ghi');
    expect(tokenFromInput('')).toBe('');
  });

  it('writes the sign-in address with the reason and the way back', () => {
    expect(signInHref(null, null)).toBe('/login');
    expect(signInHref('expired', '/people?x=1')).toBe('/login?reason=expired&next=%2Fpeople%3Fx%3D1');
    expect(signInHref('expired', '/signin')).toBe('/login?reason=expired');
    expect(signInHref('expired', '/login')).toBe('/login?reason=expired');
  });

  it('names the role in the interface language and knows a refused token by its 401', () => {
    const viewer = { role: 'staff', roleLabelZh: '机关工作人员', roleLabelEn: 'Office staff', personId: 'staff-local' };
    expect(roleLabel(viewer, 'zh-CN')).toBe('机关工作人员');
    expect(roleLabel(viewer, 'en')).toBe('Office staff');
    expect(isSessionRejected({ response: { status: 401 } })).toBe(true);
    expect(isSessionRejected({ response: { status: 200 } })).toBe(false);
    expect(isSessionRejected(undefined)).toBe(false);
  });
});

describe('the session answer a page document carries', () => {
  /** A document holding what `inlineSessionScript` wrote (as the browser parses it: the element's text). */
  function documentWith(script: string | null) {
    let present = script !== null;
    const text = script === null ? '' : script.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
    return {
      removed: () => !present,
      getElementById: (id: string) =>
        present && id === 'yingpan-session' ? ({ textContent: text, remove: () => (present = false) } as unknown as HTMLElement) : null,
    };
  }

  it('round-trips a viewer once, then is gone', () => {
    const answer: SessionAnswer = { viewer: { role: 'deputy', roleLabelZh: '人大代表', roleLabelEn: 'Deputy', personId: 'p1', name: '张三' } };
    const document = documentWith(inlineSessionScript(answer));
    expect(takeInlineSession(document)).toEqual(answer);
    expect(document.removed()).toBe(true);
    expect(takeInlineSession(document)).toBeNull();
    expect(takeInlineSession(documentWith(inlineSessionScript({ expired: true })))).toEqual({ expired: true });
  });

  it('cannot be closed early by a name, and reads nothing from an unreadable element', () => {
    const script = inlineSessionScript({
      viewer: { role: 'staff', roleLabelZh: '', roleLabelEn: '', personId: 'p', name: '</script><script>alert(1)</script>' },
    });
    expect(script.match(/<\/script>/g)).toHaveLength(1);
    expect(takeInlineSession(documentWith(script))).toMatchObject({ viewer: { name: '</script><script>alert(1)</script>' } });
    expect(takeInlineSession(documentWith('<script>{"viewer": 1}</script>'))).toBeNull();
    expect(takeInlineSession(documentWith('<script>not json</script>'))).toBeNull();
    expect(takeInlineSession(documentWith(null))).toBeNull();
  });
});
