/**
 * Who is calling: signed tokens (JWT, HS256, via `jose`) carrying a role and a person.
 *
 * The secret comes from `YINGPAN_TOKEN_SECRET` (at least 32 characters). Without it, a random
 * secret is kept in a file beside the embedded store (`.data/token-secret`, created on first use),
 * so `npm start` and `npx yingpan token` on one machine agree with nothing to configure. A request
 * without a token is the public; a request with a bad, expired or foreign token is refused (401),
 * never quietly treated as public.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES, type Role } from '@yingpan/domain';
import type { GraphQLError } from 'graphql';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { SESSION_TOKEN_PREFIX } from './auth-accounts.ts';
import { requestError } from './errors.ts';

export interface Actor {
  /** The person acting (a directory person id), or a role's local operator id such as "staff-local". */
  personId: string;
  role: Role;
  /** A display name carried by the token, if any. */
  name: string | null;
  /** Signed in with an account (a session), not a service token: the account. */
  accountId?: string | undefined;
  /** The session the request came with (sign out, the other devices). */
  sessionId?: string | undefined;
  /** Every role the account's grants give today, the acting one first. */
  roles?: readonly Role[] | undefined;
  /** A station manager's grants' stations (absent: the stations' own manager records decide). */
  stationIds?: readonly string[] | undefined;
  /**
   * An administrator or auditor who has not enrolled an authenticator yet: acting as the public
   * (their grants' access withheld) until they enrol one on 我的账户.
   */
  mustEnrolTotp?: boolean | undefined;
}

/** Anyone without a token. */
export const PUBLIC_ACTOR: Actor = { personId: 'public', role: 'public', name: null };

/** Roles whose tokens must name a person in the directory: they act as themselves. */
export const PERSONAL_ROLES: readonly Role[] = ['deputy', 'station-manager', 'committee-member'];

const ISSUER = 'yingpan';
const MIN_SECRET_LENGTH = 32;
const DEFAULT_TTL = '12h';

export interface MintOptions {
  role: Role;
  /** Required for the personal roles; defaults to `<role>-local` for the others. */
  personId?: string;
  name?: string;
  /** How long the token is valid: a jose time span such as "12h" or "30d". */
  expiresIn?: string;
}

export interface TokenIssuer {
  mint(options: MintOptions): Promise<string>;
  /** The actor a token names; throws an authentication error when it is not a valid yingpan token. */
  verify(token: string): Promise<Actor>;
}

/** A request whose token is not a sign-in: answered 401, with the reason in English and Chinese. */
export const authenticationError = (messageEn: string, messageZh: string): GraphQLError =>
  requestError('unauthenticated', { en: messageEn, zh: messageZh }, { status: 401 });

const claims = z.object({
  sub: z.string().min(1).max(100),
  role: z.enum(ROLES),
  name: z.string().max(100).nullish(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks what a token is to say before it is signed: a personal role names a person by id. */
export function mintProblem(options: MintOptions): string | null {
  if (!ROLES.includes(options.role)) return `unknown role "${options.role}"; one of ${ROLES.join(', ')}`;
  if (options.role === 'public') return 'the public needs no token';
  if (PERSONAL_ROLES.includes(options.role) && !(options.personId && UUID.test(options.personId))) {
    return `a ${options.role} token must name the person (--person <uuid>)`;
  }
  return null;
}

export function tokenIssuer(secret: Uint8Array): TokenIssuer {
  // One key object for the process: jose would otherwise import raw bytes on every request.
  const key = createSecretKey(secret);
  return {
    async mint(options) {
      const problem = mintProblem(options);
      if (problem) throw new Error(problem);
      return new SignJWT({ role: options.role, name: options.name ?? null })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(options.personId ?? `${options.role}-local`)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? DEFAULT_TTL)
        .sign(key);
    },
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw authenticationError('The sign-in token has expired; sign in again', '登录凭证已过期，请重新登录');
        throw authenticationError('The sign-in token is not valid for this server', '登录凭证无效');
      }
      const parsed = claims.safeParse(payload);
      if (!parsed.success || parsed.data.role === 'public') throw authenticationError('The sign-in token does not name a role', '登录凭证缺少角色');
      return { personId: parsed.data.sub, role: parsed.data.role, name: parsed.data.name ?? null };
    },
  };
}

/** Looks up a session token (auth-accounts.ts): null when it names no live session. */
export interface SessionLookup {
  actorOfSession(token: string): Promise<{ actor: Actor } | null>;
}

/**
 * The actor of a request: the public's without a bearer token; a session's (`ys_…`, a person signed
 * in with their account); or a service token's (a JWT minted on the console, for automation).
 */
export async function actorOf(request: Request, issuer: TokenIssuer, sessions?: SessionLookup): Promise<Actor> {
  const header = request.headers.get('authorization');
  if (!header) return PUBLIC_ACTOR;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw authenticationError('The Authorization header must be "Bearer <token>"', '授权头格式应为 Bearer <凭证>');
  const token = match[1]!;
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const found = sessions ? await sessions.actorOfSession(token) : null;
    if (!found) throw authenticationError('The session has ended (signed out, idle too long or expired); sign in again', '登录已失效，请重新登录');
    return found.actor;
  }
  return issuer.verify(token);
}

/**
 * The signing secret: `secret` when given (from YINGPAN_TOKEN_SECRET), else the one kept in
 * `file` (created with a random secret, readable by its owner only, when missing).
 */
export function loadTokenSecret({ secret, file }: { secret?: string | undefined; file: string }): Uint8Array {
  if (secret !== undefined) {
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`YINGPAN_TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    return new TextEncoder().encode(secret);
  }
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first
    }
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

/** A secret that lives as long as the process: for tests and embedded use with nothing kept. */
export const ephemeralSecret = (): Uint8Array => new Uint8Array(randomBytes(32));
