/**
 * One closed list of codes, in one casing: every code a command's Rejection or a request's GraphQL
 * error carries is in ERROR_CODES. The compiler holds `DomainError` and `requestError` to the list;
 * this reads the sources for codes written anywhere else (the web's own refusals, an extensions
 * object written by hand) and checks the API's errors at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, ValidationError } from '@yingpan/domain';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { forbidden } from '../src/access.ts';
import { authenticationError } from '../src/auth.ts';
import { ERROR_CODES, isErrorCode } from '../src/errors.ts';
import { unavailableAnswer } from '../src/ha.ts';
import { invalidArgument } from '../src/schema/common.ts';

const root = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'gql' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

/** Code literals in the places a code is written: `code: '…'`, and the first argument of the error makers. */
const CODE_PLACES = [
  /\bcode:\s*'([^']+)'/g,
  /\bcode:\s*[^,'}]+\?\s*'([^']+)'\s*:\s*'([^']+)'/g,
  /(?<![.\w])(?:new DomainError|new EvidenceFileError|requestError|refusal|refuse|auditError|error)\(\s*'([\w-]+)'/g,
  /\brequestError\(\s*[^,'()]+\?\s*'([^']+)'\s*:\s*'([^']+)'/g,
];

describe('error codes', () => {
  it('are one closed list in kebab-case, without repeats', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES).toEqual(expect.arrayContaining(['forbidden', 'unauthenticated', 'invalid-input', 'database-unavailable']));
  });

  it('is every code the sources write (domain, API, the web server’s refusals)', () => {
    const dirs = ['services/domain/src', 'services/api/src', 'services/files/src', 'web/src/lib/server', 'web/src/routes'].map((dir) => join(root, dir));
    const found = new Map<string, string>();
    for (const file of dirs.flatMap(sources)) {
      const text = readFileSync(file, 'utf8');
      for (const place of CODE_PLACES) {
        for (const match of text.matchAll(place)) {
          for (const code of match.slice(1)) if (code !== undefined) found.set(code, file);
        }
      }
    }
    // The search does find codes, in each casing it could meet.
    expect(found.size).toBeGreaterThan(100);
    const outside = [...found].filter(([code]) => !isErrorCode(code) && !IGNORED.has(code));
    expect(outside).toEqual([]);
  });

  it('is the code of every request error the API makes', () => {
    const errors = [
      forbidden({ role: 'public' } as never),
      forbidden({ role: 'deputy', personId: 'p' } as never),
      forbidden({ role: 'admin', mustEnrolTotp: true } as never),
      authenticationError('expired', '已过期'),
      unavailableAnswer(),
      invalidArgument('first', 'must be 0 or more') as GraphQLError,
    ];
    expect(errors.map((error) => error.extensions.code)).toEqual([
      'unauthenticated',
      'forbidden',
      'totp-enrolment-required',
      'unauthenticated',
      'database-unavailable',
      'invalid-input',
    ]);
    for (const error of errors) {
      expect(isErrorCode(String(error.extensions.code))).toBe(true);
      expect(error.extensions).toMatchObject({ messageEn: expect.any(String), messageZh: expect.any(String) });
    }
    expect(new ValidationError([{ field: 'date', message: 'must be a date' }]).code).toBe('invalid-input');
    expect(isErrorCode(new DomainError('already-attended', { zh: '已登记', en: 'Already recorded' }).code)).toBe(true);
  });
});

/** Literals the search meets that are not error codes: zod's own issue code, in a refinement. */
const IGNORED = new Set<string>(['custom']);
