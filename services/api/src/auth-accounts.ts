/**
 * Real people sign in: user name and password (argon2id), server-side sessions, throttled failures.
 *
 * - Accounts, grants, password hashes and lock-outs are events (services/domain/src/account); the
 *   `accounts` read model is what sign-in reads. Sessions, the failure counters and the one-time
 *   setup codes are state, not history: tables of their own (`yingpan_auth`, migrations/).
 * - A session is a random token in the web's HttpOnly cookie; only its SHA-256 is stored. It ends
 *   after `idleMinutes` without a request, `absoluteHours` after sign-in, or when revoked (sign out,
 *   sign out the other devices, an administrator's password reset). Its times (opened, last used,
 *   expiry, revoked) are the database's, as a passkey's sign-ins are: they say when something
 *   happened, which the county's day setting (`YINGPAN_TODAY`, the tests' clock) does not move.
 * - Failures are counted per user name (whether or not an account has it, so the answers do not tell
 *   which names exist) and per address; past the free ones each doubles the wait before the next try
 *   is heard, and past `lockAfter` in a row an existing account is locked out for a while — a
 *   `SignInLockedOut` event. An unknown name is checked against a dummy hash, so it takes as long.
 * - What a request may do comes from the account's grants that hold today: the highest role among
 *   them, and for a station manager the stations the grants name.
 * - Administrators and auditors sign in in two steps: the password, then a 6-digit code from an
 *   authenticator app (TOTP, auth-totp.ts) — a password that checks answers a short-lived challenge,
 *   not a session. Wrong codes count as failed sign-ins (the same waits and lock-outs). Until one of
 *   them enrols an authenticator, their session acts as the public with `mustEnrolTotp`: it may
 *   enrol, and nothing else. The secret lives in `yingpan_auth.totp_secrets`, never in the log.
 * - A passkey (auth-passkeys.ts) opens the same kind of session, marked with the passkey: a
 *   user-verified passkey is both factors, so such a session holds an administrator's or auditor's
 *   role with no authenticator code (docs/decisions.md).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash, verify } from '@node-rs/argon2';
import { type Db, loadMigrations, migrate } from '@yingpan/db';
import {
  accountIdFor,
  type CommandBus,
  type CommandContext,
  countyToday,
  DomainError,
  type GrantableRole,
  type GrantScope,
  now,
  type Role,
} from '@yingpan/domain';
import {
  type AccountRow,
  type AccountSecret,
  accountCount,
  accountForSignIn,
  accountSecretById,
  type GrantRow,
  grantsOn,
  stationsOfTownship,
} from '@yingpan/projections';
import type { Actor } from './auth.ts';
import { checkTotp, newTotpSecret, TOTP_REQUIRED_ROLES, totpUri } from './auth-totp.ts';

/** OWASP's argon2id parameters: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

/** The prefix of a session token (a service token is a JWT: three dot-separated parts). */
export const SESSION_TOKEN_PREFIX = 'ys_';

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteHours: number;
}

export interface ThrottlePolicy {
  /** Failures per user name heard at once; each after doubles the wait. */
  freeFailures: number;
  /** Failures per address heard at once (an office shares one address). */
  freeAddressFailures: number;
  /** The first wait, in seconds, doubled per further failure up to `maxDelaySeconds`. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures in a row on an existing account that lock it out (an event), for `lockMinutes`. */
  lockAfter: number;
  lockMinutes: number;
  /** Failures older than this are forgotten. */
  forgetAfterMinutes: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 120, absoluteHours: 12 };
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  freeAddressFailures: 30,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  lockAfter: 10,
  lockMinutes: 15,
  forgetAfterMinutes: 60,
};

/** Role precedence when an account holds several: the most capable acts. */
const PRECEDENCE: readonly GrantableRole[] = ['admin', 'auditor', 'staff', 'committee-member', 'station-manager', 'deputy'];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** Refuses a password too short, too long, or containing the user name. */
export function passwordProblem(password: string, username: string): DomainError | null {
  if ([...password].length < PASSWORD_MIN || [...password].length > PASSWORD_MAX) {
    return new DomainError(
      'weak-password',
      { zh: `密码长度须为 ${PASSWORD_MIN}–${PASSWORD_MAX} 个字符`, en: `A password has ${PASSWORD_MIN}–${PASSWORD_MAX} characters` },
      'password',
    );
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    return new DomainError('weak-password', { zh: '密码不能包含用户名', en: 'A password may not contain the user name' }, 'password');
  }
  return null;
}

export type SignInOutcome =
  | { ok: true; token: string; sessionId: string; account: AccountRow; mustEnrolTotp: boolean }
  | { ok: false; reason: 'invalid'; messageZh: string; messageEn: string }
  /** The password checked; the authenticator's code is asked next, sent back with `challenge`. */
  | { ok: false; reason: 'totp'; challenge: string; messageZh: string; messageEn: string }
  /** The challenge is unknown, used up or too old: start again with the password. */
  | { ok: false; reason: 'restart'; messageZh: string; messageEn: string }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number; messageZh: string; messageEn: string };

const INVALID = { ok: false, reason: 'invalid', messageZh: '用户名或密码错误', messageEn: 'Wrong user name or password' } as const;
const throttled = (seconds: number): SignInOutcome => ({
  ok: false,
  reason: 'throttled',
  retryAfterSeconds: seconds,
  messageZh: `尝试次数过多，请 ${waitText(seconds)}后再试`,
  messageEn: `Too many attempts; try again in ${seconds} s`,
});
const WRONG_CODE = {
  ok: false,
  reason: 'invalid',
  messageZh: '动态码错误，请输入身份验证器上当前的 6 位数字',
  messageEn: 'Wrong code: enter the 6 digits your authenticator shows now',
} as const;
const RESTART = {
  ok: false,
  reason: 'restart',
  messageZh: '登录已超时或尝试次数过多，请重新输入用户名和密码',
  messageEn: 'The sign-in timed out or had too many tries; enter your user name and password again',
} as const;
const ASK_CODE = { messageZh: '请输入身份验证器上的 6 位动态码', messageEn: 'Enter the 6-digit code of your authenticator app' };
/** The prefix of a sign-in challenge (a password checked, the code awaited). */
const CHALLENGE_PREFIX = 'yc_';
const CHALLENGE_MINUTES = 5;
const CHALLENGE_TRIES = 5;

/** What 我的账户 shows to enrol an authenticator: the secret as text and as an `otpauth://` address for a QR code. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
}

const waitText = (seconds: number) => (seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`);

export interface SessionRow {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  address: string;
}

/** A request signed in with a session: the session and the account behind it. */
export interface SignedInSession {
  sessionId: string;
  accountId: string;
}

export interface AccountServiceOptions {
  db: Db;
  bus: CommandBus;
  /** Resolves once the read models include `position` (the accounts model is read right after a write). */
  waitForProjections(position: number): Promise<void>;
  sessions?: SessionPolicy;
  throttle?: ThrottlePolicy;
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
const sha256 = (text: string) => createHash('sha256').update(text).digest();
const SETUP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** The read models an actor is made from (actorOfAccount): accounts and grants, people's names, stations of a township. */
const ACTOR_MODELS = ['accounts', 'directory', 'stations'];

export class AccountService {
  readonly sessions: SessionPolicy;
  readonly throttle: ThrottlePolicy;
  private readonly ready: Promise<unknown>;
  /** A hash of nothing, checked for unknown user names so they take as long as known ones. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly options: AccountServiceOptions) {
    this.sessions = options.sessions ?? DEFAULT_SESSION_POLICY;
    this.throttle = options.throttle ?? DEFAULT_THROTTLE_POLICY;
    this.ready = migrate(options.db, 'auth', loadMigrations(MIGRATIONS_DIR));
    // A failed migration is answered to each caller that awaits `ready`, not raised unhandled meanwhile.
    this.ready.catch(() => undefined);
    this.dummyHash = hashPassword(randomBytes(16).toString('hex'));
  }

  private get db() {
    return this.options.db;
  }

  /** The auth tables exist (migrations run once per service). */
  async prepare(): Promise<void> {
    await this.ready;
  }

  // -------------------------------------------------------------------------------------------
  // Sign-in

  async signIn(input: { username: string; password: string; address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.ready;
    const username = input.username.trim().toLowerCase().slice(0, 100);
    const userKey = `user:${username}`;
    const addressKey = `addr:${input.address}`;
    const wait = await this.blockedFor([userKey, addressKey]);
    if (wait > 0) return throttled(wait);
    const account = await accountForSignIn(this.db, username);
    if (account?.lockedUntil && Date.parse(account.lockedUntil) > now().getTime()) {
      return throttled(Math.ceil((Date.parse(account.lockedUntil) - now().getTime()) / 1000));
    }
    const passwordOk = await verify(account?.passwordHash ?? (await this.dummyHash), input.password.slice(0, PASSWORD_MAX * 4)).catch(() => false);
    if (!account?.passwordHash || !passwordOk) {
      await this.failed(userKey, addressKey, account);
      return INVALID;
    }
    // The failures are forgotten only once the code checks too: a known password does not reset the count of wrong codes.
    if (account.totpEnrolledAt !== null) return this.askCode(account);
    return this.signedIn(account, userKey, input);
  }

  /**
   * Signs in to an account someone else vouched for (a single sign-on provider, auth-sso.ts): refused
   * while it is locked out; an administrator's or auditor's authenticator is still asked for.
   */
  async signInVouchedFor(account: AccountSecret, client: { address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.ready;
    if (account.lockedUntil && Date.parse(account.lockedUntil) > now().getTime()) {
      return throttled(Math.ceil((Date.parse(account.lockedUntil) - now().getTime()) / 1000));
    }
    if (account.totpEnrolledAt !== null) return this.askCode(account);
    return this.signedIn(account, `user:${account.username}`, client);
  }

  /** The first step checked: a short-lived challenge to send back with the authenticator's code. */
  private async askCode(account: AccountSecret): Promise<SignInOutcome> {
    const challenge = CHALLENGE_PREFIX + randomBytes(32).toString('base64url');
    const at = now();
    await this.db.query(`INSERT INTO yingpan_auth.sign_in_challenges (challenge_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
      sha256(challenge),
      account.accountId,
      at.toISOString(),
      new Date(at.getTime() + CHALLENGE_MINUTES * 60_000).toISOString(),
    ]);
    return { ok: false, reason: 'totp', challenge, ...ASK_CODE };
  }

  /**
   * The second step: the authenticator's code for a challenge the password step answered. A wrong
   * code counts as a failed sign-in of the name and the address; a challenge takes a few tries and
   * lasts a few minutes.
   */
  async signInWithTotp(input: { challenge: string; code: string; address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.ready;
    const hash = sha256(input.challenge.slice(0, 200));
    const at = now();
    const { rows } = await this.db.query<{ account_id: string }>(
      `SELECT account_id FROM yingpan_auth.sign_in_challenges
        WHERE challenge_hash = $1 AND used_at IS NULL AND expires_at > $2::timestamptz AND attempts < $3`,
      [hash, at.toISOString(), CHALLENGE_TRIES],
    );
    const account = rows[0] && (await accountSecretById(this.db, rows[0].account_id));
    if (!account) return RESTART;
    const userKey = `user:${account.username}`;
    const addressKey = `addr:${input.address}`;
    const wait = await this.blockedFor([userKey, addressKey]);
    if (wait > 0) return throttled(wait);
    if (account.lockedUntil && Date.parse(account.lockedUntil) > at.getTime()) {
      return throttled(Math.ceil((Date.parse(account.lockedUntil) - at.getTime()) / 1000));
    }
    const { rows: secrets } = await this.db.query<{ secret: string; last_time_step: string | number | null }>(
      'SELECT secret, last_time_step FROM yingpan_auth.totp_secrets WHERE account_id = $1',
      [account.accountId],
    );
    const secret = secrets[0];
    const step = secret ? await checkTotp(secret.secret, input.code, secret.last_time_step === null ? null : Number(secret.last_time_step)) : null;
    // The step is claimed once: two requests with one code cannot both pass.
    const claimed =
      step !== null &&
      (
        await this.db.query(
          'UPDATE yingpan_auth.totp_secrets SET last_time_step = $2 WHERE account_id = $1 AND (last_time_step IS NULL OR last_time_step < $2) RETURNING 1',
          [account.accountId, step],
        )
      ).rows.length > 0;
    if (!claimed) {
      await this.db.query('UPDATE yingpan_auth.sign_in_challenges SET attempts = attempts + 1 WHERE challenge_hash = $1', [hash]);
      await this.failed(userKey, addressKey, account);
      return WRONG_CODE;
    }
    const { rows: used } = await this.db.query(
      'UPDATE yingpan_auth.sign_in_challenges SET used_at = $2 WHERE challenge_hash = $1 AND used_at IS NULL RETURNING 1',
      [hash, at.toISOString()],
    );
    if (used.length === 0) return RESTART;
    return this.signedIn(account, userKey, input);
  }

  /** Counts a failed sign-in of a name and an address; past `lockAfter` in a row the name waits, and an account is locked out (an event). */
  private async failed(userKey: string, addressKey: string, account: AccountSecret | null): Promise<void> {
    const failures = await this.recordFailure(userKey, this.throttle.freeFailures);
    await this.recordFailure(addressKey, this.throttle.freeAddressFailures);
    if (failures >= this.throttle.lockAfter) {
      // The name waits as long whether or not an account has it; an account's lock-out is an event.
      const until = new Date(now().getTime() + this.throttle.lockMinutes * 60_000).toISOString();
      await this.db.query('UPDATE yingpan_auth.sign_in_failures SET blocked_until = greatest(blocked_until, $2::timestamptz) WHERE key = $1', [userKey, until]);
      if (account) await this.lockOut(account, failures, until);
    }
  }

  /**
   * A passkey checked (auth-passkeys.ts): a session marked with it opens. The passkey was verified by
   * its device (fingerprint, face or PIN), so it stands for both factors: an administrator's or
   * auditor's role holds without an authenticator's code. A password lock-out does not bar it (it
   * guards against guessed passwords; a passkey cannot be guessed).
   */
  async signedInWithPasskey(accountId: string, credentialId: string, client: { address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.ready;
    const account = await accountSecretById(this.db, accountId);
    if (!account) return INVALID;
    const { token, sessionId } = await this.openSession(account.accountId, client, credentialId);
    const { passwordHash: _, ...row } = account;
    const actor = await this.actorOfAccount(account.accountId, { passkey: true });
    return { ok: true, token, sessionId, account: row, mustEnrolTotp: actor?.mustEnrolTotp === true };
  }

  /** Seconds until sign-in from `address` is heard again (0: now); shared by passwords, codes and passkeys. */
  async addressWait(address: string): Promise<number> {
    await this.ready;
    return this.blockedFor([`addr:${address}`]);
  }

  /** Counts a failed sign-in from `address` that names no user (a passkey refused). */
  async addressFailed(address: string): Promise<void> {
    await this.ready;
    await this.recordFailure(`addr:${address}`, this.throttle.freeAddressFailures);
  }

  /** Every step checked: the name's failures are forgotten and a session opens. */
  private async signedIn(account: AccountSecret, userKey: string, client: { address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.db.query('DELETE FROM yingpan_auth.sign_in_failures WHERE key = $1', [userKey]);
    const { token, sessionId } = await this.openSession(account.accountId, client);
    const { passwordHash: _, ...row } = account;
    const actor = await this.actorOfAccount(account.accountId);
    return { ok: true, token, sessionId, account: row, mustEnrolTotp: actor?.mustEnrolTotp === true };
  }

  /** Seconds until the first of `keys` is heard again (0: now). */
  private async blockedFor(keys: string[]): Promise<number> {
    const { rows } = await this.db.query<{ wait: number | null }>(
      `SELECT ceil(extract(epoch FROM max(blocked_until) - $2::timestamptz))::int AS wait
         FROM yingpan_auth.sign_in_failures WHERE key = ANY($1::text[]) AND blocked_until > $2::timestamptz`,
      [keys, now().toISOString()],
    );
    return Math.max(0, rows[0]?.wait ?? 0);
  }

  /** Counts a failure on `key` (forgetting old ones) and sets the wait before the next; returns the failures in a row. */
  private async recordFailure(key: string, free: number): Promise<number> {
    const { baseDelaySeconds, maxDelaySeconds, forgetAfterMinutes } = this.throttle;
    const { rows } = await this.db.query<{ failures: number }>(
      `INSERT INTO yingpan_auth.sign_in_failures AS f (key, failures, first_failed_at, last_failed_at)
         VALUES ($1, 1, $2::timestamptz, $2::timestamptz)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.last_failed_at < $2::timestamptz - make_interval(mins => $3) THEN 1 ELSE f.failures + 1 END,
         first_failed_at = CASE WHEN f.last_failed_at < $2::timestamptz - make_interval(mins => $3) THEN $2::timestamptz ELSE f.first_failed_at END,
         last_failed_at = $2::timestamptz
       RETURNING failures`,
      [key, now().toISOString(), forgetAfterMinutes],
    );
    const failures = rows[0]!.failures;
    if (failures > free) {
      const seconds = Math.min(maxDelaySeconds, baseDelaySeconds * 2 ** Math.min(30, failures - free - 1));
      await this.db.query('UPDATE yingpan_auth.sign_in_failures SET blocked_until = $2::timestamptz + make_interval(secs => $3) WHERE key = $1', [
        key,
        now().toISOString(),
        seconds,
      ]);
    }
    return failures;
  }

  /** Locks an account out after `failures` wrong passwords in a row: an event. */
  private async lockOut(account: AccountSecret, failures: number, until: string): Promise<void> {
    const outcome = await this.options.bus.execute('LockOutSignIn', { accountId: account.accountId, failures, until }, this.systemContext(PUBLIC_CALLER));
    const position = outcome.events.at(-1)?.position;
    if (position) await this.options.waitForProjections(position);
  }

  // -------------------------------------------------------------------------------------------
  // Sessions

  /** Opens a session: `passkeyCredentialId` names the passkey it was opened with (null: a password). */
  private async openSession(
    accountId: string,
    client: { address: string; userAgent: string },
    passkeyCredentialId: string | null = null,
  ): Promise<{ token: string; sessionId: string }> {
    const token = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const sessionId = randomUUID();
    await this.db.query(
      `INSERT INTO yingpan_auth.sessions (session_id, token_hash, account_id, created_at, last_seen_at, expires_at, user_agent, address, passkey_credential_id)
       VALUES ($1, $2, $3, now(), now(), now() + $4::float8 * interval '1 hour', $5, $6, $7)`,
      [sessionId, sha256(token), accountId, this.sessions.absoluteHours, client.userAgent.slice(0, 300), client.address.slice(0, 100), passkeyCredentialId],
    );
    return { token, sessionId };
  }

  /**
   * The actor a session token stands for, or null when it names no live session (unknown, revoked,
   * idle too long, past its absolute timeout). Marks the session used (at most once a minute).
   */
  async actorOfSession(token: string): Promise<{ actor: Actor; session: SignedInSession } | null> {
    await this.ready;
    // One round trip: the live session, and the checkpoints of the read models an actor is made from.
    const { rows } = await this.db.query<{
      session_id: string;
      account_id: string;
      seen_long_ago: boolean;
      passkey_credential_id: string | null;
      models: string | null;
    }>(
      `SELECT session_id, account_id, last_seen_at < now() - interval '1 minute' AS seen_long_ago, passkey_credential_id,
              (SELECT string_agg(name || ':' || version || ':' || position, ',' ORDER BY name) FROM yingpan.projection_checkpoints
                WHERE name = ANY($3::text[])) AS models
         FROM yingpan_auth.sessions
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)`,
      [sha256(token), this.sessions.idleMinutes, ACTOR_MODELS],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.seen_long_ago) await this.db.query('UPDATE yingpan_auth.sessions SET last_seen_at = now() WHERE session_id = $1', [row.session_id]);
    const factors = { passkey: row.passkey_credential_id !== null };
    const actor = await this.cachedActorOfAccount(row.account_id, factors, `${countyToday()}|${row.models ?? ''}`);
    if (!actor) return null;
    return { actor: { ...actor, sessionId: row.session_id }, session: { sessionId: row.session_id, accountId: row.account_id } };
  }

  /**
   * Accounts' actors as the read models they come from stood (`state`: today and those models'
   * checkpoints): a request in a session reads them again only after an event moved one of them.
   */
  private readonly actors = new Map<string, { state: string; actor: Promise<Actor | null> }>();

  private cachedActorOfAccount(accountId: string, factors: { passkey?: boolean }, state: string): Promise<Actor | null> {
    const key = `${accountId}|${factors.passkey === true}`;
    const kept = this.actors.get(key);
    if (kept?.state === state) return kept.actor;
    const actor = this.actorOfAccount(accountId, factors);
    this.actors.set(key, { state, actor });
    actor.catch(() => this.actors.delete(key));
    // A bound on memory: the accounts seen lately (an office's staff and deputies fit many times over).
    if (this.actors.size > 10_000) this.actors.delete(this.actors.keys().next().value!);
    return actor;
  }

  /**
   * What an account may do today: its grants' highest role, its person, a station manager's stations.
   * `passkey`: signed in with a user-verified passkey, which is both factors (no authenticator code is asked).
   */
  async actorOfAccount(accountId: string, factors: { passkey?: boolean } = {}): Promise<Actor | null> {
    const account = await accountSecretById(this.db, accountId);
    if (!account) return null;
    const grants = await grantsOn(this.db, accountId, countyToday());
    const actor = await actorFromGrants(account, grants, (township) => stationsOfTownship(this.db, township));
    const secondFactor = account.totpEnrolledAt !== null || factors.passkey === true;
    return !secondFactor && totpRequiredFor(actor.roles ?? []) ? withheldUntilEnrolled(actor) : actor;
  }

  async sessionsOf(accountId: string): Promise<SessionRow[]> {
    await this.ready;
    const { rows } = await this.db.query<{
      session_id: string;
      created_at: Date;
      last_seen_at: Date;
      expires_at: Date;
      user_agent: string;
      address: string;
    }>(
      `SELECT session_id, created_at, last_seen_at, expires_at, user_agent, address FROM yingpan_auth.sessions
        WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(mins => $2)
        ORDER BY last_seen_at DESC`,
      [accountId, this.sessions.idleMinutes],
    );
    return rows.map((row) => ({
      sessionId: row.session_id,
      createdAt: new Date(row.created_at).toISOString(),
      lastSeenAt: new Date(row.last_seen_at).toISOString(),
      expiresAt: new Date(row.expires_at).toISOString(),
      userAgent: row.user_agent,
      address: row.address,
    }));
  }

  /** Ends the sessions opened with a passkey (it was removed); returns how many. */
  async revokePasskeySessions(accountId: string, credentialId: string): Promise<number> {
    await this.ready;
    const { rows } = await this.db.query(
      `UPDATE yingpan_auth.sessions SET revoked_at = now() WHERE account_id = $1 AND passkey_credential_id = $2 AND revoked_at IS NULL RETURNING session_id`,
      [accountId, credentialId],
    );
    return rows.length;
  }

  /** Ends sessions of an account: one (`only`), or all but one (`except`), or all; returns how many. */
  async revokeSessions(accountId: string, which: { only?: string; except?: string } = {}): Promise<number> {
    await this.ready;
    const { rows } = await this.db.query<{ session_id: string }>(
      `UPDATE yingpan_auth.sessions SET revoked_at = now()
        WHERE account_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR session_id = $2) AND ($3::uuid IS NULL OR session_id <> $3)
        RETURNING session_id`,
      [accountId, which.only ?? null, which.except ?? null],
    );
    return rows.length;
  }

  // -------------------------------------------------------------------------------------------
  // Passwords

  /** The holder changes their password (the current one checked); their other devices are signed out. */
  async changePassword(actor: Actor, current: string, next: string): Promise<void> {
    if (!actor.accountId) throw new DomainError('no-account', { zh: '请用账户登录后再修改密码', en: 'Sign in with an account to change its password' });
    const account = await accountSecretById(this.db, actor.accountId);
    if (!account?.passwordHash || !(await verify(account.passwordHash, current).catch(() => false))) {
      throw new DomainError('wrong-password', { zh: '当前密码不正确', en: 'The current password is wrong' }, 'currentPassword');
    }
    const problem = passwordProblem(next, account.username);
    if (problem) throw problem;
    await this.run('SetPassword', { accountId: account.accountId, passwordHash: await hashPassword(next) }, actor);
    if (actor.sessionId) await this.revokeSessions(account.accountId, { except: actor.sessionId });
  }

  /** An administrator gives an account a new password (to be changed); every session of it ends. */
  async resetPassword(actor: Actor, accountId: string, password: string): Promise<void> {
    assertAdmin(actor);
    const account = await accountSecretById(this.db, accountId);
    const problem = passwordProblem(password, account?.username ?? '');
    if (problem) throw problem;
    await this.run('ResetPassword', { accountId, passwordHash: await hashPassword(password) }, actor);
    await this.revokeSessions(accountId);
    // A reset lifts a lock-out: the name's failures are forgotten too.
    if (account) await this.db.query('DELETE FROM yingpan_auth.sign_in_failures WHERE key = $1', [`user:${account.username}`]);
  }

  // -------------------------------------------------------------------------------------------
  // Authenticator apps (TOTP)

  /**
   * The secret to enrol an authenticator with, for the account signed in: the one shown before and
   * not yet confirmed, else a new one. Kept in `yingpan_auth.totp_secrets`, never in the log.
   */
  async beginTotpEnrolment(actor: Actor): Promise<TotpEnrolment> {
    await this.ready;
    const account = await this.ownAccount(actor);
    if (account.totpEnrolledAt !== null) throw totpEnrolled();
    const { rows } = await this.db.query<{ secret: string }>('SELECT secret FROM yingpan_auth.totp_secrets WHERE account_id = $1 AND confirmed_at IS NULL', [
      account.accountId,
    ]);
    let secret = rows[0]?.secret;
    if (!secret) {
      secret = newTotpSecret();
      await this.db.query(
        `INSERT INTO yingpan_auth.totp_secrets (account_id, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, confirmed_at = NULL, last_time_step = NULL`,
        [account.accountId, secret, now().toISOString()],
      );
    }
    return { secret, uri: totpUri(account.username, secret) };
  }

  /** Confirms the enrolment with a code of the authenticator: `TotpEnrolled` goes into the log (the secret does not). */
  async confirmTotpEnrolment(actor: Actor, code: string): Promise<void> {
    await this.ready;
    const account = await this.ownAccount(actor);
    if (account.totpEnrolledAt !== null) throw totpEnrolled();
    const { rows } = await this.db.query<{ secret: string }>('SELECT secret FROM yingpan_auth.totp_secrets WHERE account_id = $1 AND confirmed_at IS NULL', [
      account.accountId,
    ]);
    const secret = rows[0]?.secret;
    if (!secret) {
      throw new DomainError(
        'totp-not-begun',
        { zh: '请先生成二维码，再用身份验证器扫描', en: 'Show the QR code first and scan it with your authenticator' },
        'code',
      );
    }
    const step = await checkTotp(secret, code, null);
    if (step === null) {
      throw new DomainError(
        'totp-wrong-code',
        { zh: '动态码不正确：请输入身份验证器上当前显示的 6 位数字', en: 'Wrong code: enter the 6 digits your authenticator shows now' },
        'code',
      );
    }
    await this.run('EnrolTotp', { accountId: account.accountId }, actor);
    await this.db.query('UPDATE yingpan_auth.totp_secrets SET confirmed_at = $2, last_time_step = $3 WHERE account_id = $1', [
      account.accountId,
      now().toISOString(),
      step,
    ]);
  }

  /** An administrator removes another account's authenticator (a lost phone): the secret is forgotten and its devices signed out. */
  async resetTotp(actor: Actor, accountId: string, reason: string | null): Promise<void> {
    assertAdmin(actor);
    await this.ready;
    await this.run('ResetTotp', { accountId, reason: reason?.trim() || null }, actor);
    await this.db.query('DELETE FROM yingpan_auth.totp_secrets WHERE account_id = $1', [accountId]);
    await this.db.query('DELETE FROM yingpan_auth.sign_in_challenges WHERE account_id = $1', [accountId]);
    await this.revokeSessions(accountId);
  }

  private async ownAccount(actor: Actor): Promise<AccountSecret> {
    const account = actor.accountId ? await accountSecretById(this.db, actor.accountId) : null;
    if (!account) throw new DomainError('no-account', { zh: '请用账户登录后再绑定身份验证器', en: 'Sign in with an account to enrol an authenticator' });
    return account;
  }

  // -------------------------------------------------------------------------------------------
  // Administration (each a command on the account's stream; the domain checks the role)

  async createAccount(actor: Actor, input: { username: string; displayName: string; password: string; personId?: string | null }): Promise<string> {
    assertAdmin(actor);
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw problem;
    const passwordHash = await hashPassword(input.password);
    await this.run('CreateAccount', { username: input.username, displayName: input.displayName, passwordHash }, actor);
    const accountId = accountIdFor(input.username.trim());
    if (input.personId) await this.run('LinkAccountToPerson', { accountId, personId: input.personId }, actor);
    return accountId;
  }

  linkToPerson(actor: Actor, accountId: string, personId: string) {
    return this.run('LinkAccountToPerson', { accountId, personId }, actor);
  }

  async grantRole(
    actor: Actor,
    input: { accountId: string; role: GrantableRole; scope: GrantScope; from?: string | null; until?: string | null },
  ): Promise<string> {
    const grantId = randomUUID();
    await this.run('GrantRole', { ...input, from: input.from ?? undefined, until: input.until ?? null, grantId }, actor);
    return grantId;
  }

  revokeRole(actor: Actor, input: { accountId: string; grantId: string; reason?: string | null }) {
    return this.run('RevokeRole', { ...input, reason: input.reason?.trim() || null }, actor);
  }

  // -------------------------------------------------------------------------------------------
  // First install

  /** Whether the log has no account yet: the first administrator is still to be created. */
  async setupNeeded(): Promise<boolean> {
    return (await accountCount(this.db)) === 0;
  }

  /**
   * A one-time setup code (valid 24 hours) for creating the first administrator, printed on the
   * server's console; null when accounts exist already. Only its SHA-256 is kept.
   */
  async issueSetupCode(): Promise<string | null> {
    await this.ready;
    if (!(await this.setupNeeded())) return null;
    const bytes = randomBytes(12);
    const code = [...bytes].map((byte) => SETUP_ALPHABET[byte % SETUP_ALPHABET.length]).join('');
    const shown = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
    await this.db.query(`INSERT INTO yingpan_auth.setup_codes (code_hash, expires_at) VALUES ($1, $2::timestamptz + interval '24 hours')`, [
      sha256(shown),
      now().toISOString(),
    ]);
    return shown;
  }

  /** Creates the first administrator with a setup code (used up), and signs them in. */
  async completeFirstInstall(input: {
    setupCode: string;
    username: string;
    displayName: string;
    password: string;
    address: string;
    userAgent: string;
  }): Promise<{ token: string; sessionId: string; accountId: string }> {
    await this.ready;
    const refused = new DomainError(
      'setup-code-invalid',
      { zh: '设置码无效、已使用或已过期', en: 'The setup code is not valid, used or expired' },
      'setupCode',
    );
    if (!(await this.setupNeeded())) throw new DomainError('setup-done', { zh: '系统已完成首次安装', en: 'The first install is done already' });
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw problem;
    const code = input.setupCode.trim().toUpperCase();
    const { rows } = await this.db.query(
      `UPDATE yingpan_auth.setup_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2::timestamptz RETURNING 1`,
      [sha256(code), now().toISOString()],
    );
    if (rows.length === 0) throw refused;
    const installer: Actor = { personId: 'first-install', role: 'admin', name: null };
    const passwordHash = await hashPassword(input.password);
    await this.run('CreateAccount', { username: input.username, displayName: input.displayName, passwordHash, firstInstall: true }, installer);
    const accountId = accountIdFor(input.username.trim());
    await this.run('GrantRole', { accountId, grantId: randomUUID(), role: 'admin', scope: { kind: 'county' } }, installer);
    const session = await this.openSession(accountId, input);
    return { ...session, accountId };
  }

  // -------------------------------------------------------------------------------------------

  private systemContext(actor: Pick<Actor, 'personId' | 'role' | 'accountId' | 'stationIds'>): CommandContext {
    const commandId = randomUUID();
    return {
      commandId,
      actor: { personId: actor.personId, role: actor.role, accountId: actor.accountId, stationIds: actor.stationIds },
      occurredAt: now().toISOString(),
      correlationId: commandId,
    };
  }

  /** Runs an account command as `actor` and waits until the read models include it (also for the passkeys, auth-passkeys.ts). */
  async run(name: string, input: Record<string, unknown>, actor: Actor): Promise<number> {
    const outcome = await this.options.bus.execute(name, input, this.systemContext(actor));
    const position = outcome.events.at(-1)?.position ?? 0;
    if (position) await this.options.waitForProjections(position);
    return position;
  }
}

/** Refused before a password is hashed (the domain would refuse the command anyway). */
function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new DomainError('forbidden', { zh: '只有系统管理员可管理账户', en: 'Only administrators manage accounts' });
}

const PUBLIC_CALLER = { personId: 'public', role: 'public' as Role };

const totpEnrolled = () =>
  new DomainError(
    'totp-enrolled',
    { zh: '已绑定身份验证器；如需更换，请联系系统管理员重置', en: 'An authenticator is enrolled already; ask an administrator to reset it to change it' },
    'code',
  );

/** Do these roles (an account's grants today) require an authenticator's code at sign-in? */
export const totpRequiredFor = (roles: readonly Role[]): boolean => roles.some((role) => TOTP_REQUIRED_ROLES.includes(role));

/** An administrator or auditor not yet enrolled: the public's access, and the way to enrol. */
const withheldUntilEnrolled = (actor: Actor): Actor => ({ ...actor, role: 'public', roles: [], stationIds: undefined, mustEnrolTotp: true });

/**
 * The actor an account stands for given the grants holding today: the most capable role among them
 * (none: the public, though signed in), the linked person (else `account:<user name>`), and for a
 * station manager whose grants all name stations or townships, those stations.
 */
export async function actorFromGrants(
  account: Pick<AccountRow, 'accountId' | 'username' | 'displayName' | 'personId'>,
  grants: readonly Pick<GrantRow, 'role' | 'scope'>[],
  townshipStations: (township: string) => Promise<string[]>,
): Promise<Actor> {
  const roles = PRECEDENCE.filter((role) => grants.some((grant) => grant.role === role));
  const role: Role = roles[0] ?? 'public';
  let stationIds: string[] | undefined;
  if (role === 'station-manager') {
    const scopes = grants.filter((grant) => grant.role === 'station-manager').map((grant) => grant.scope);
    if (!scopes.some((scope) => scope.kind === 'county')) {
      const ids = new Set<string>();
      for (const scope of scopes) {
        if (scope.kind === 'station') ids.add(scope.stationId);
        else if (scope.kind === 'township') for (const id of await townshipStations(scope.township)) ids.add(id);
      }
      stationIds = [...ids];
    }
  }
  return {
    personId: account.personId ?? `account:${account.username}`,
    role,
    name: account.displayName,
    accountId: account.accountId,
    roles,
    stationIds,
  };
}

const services = new WeakMap<object, AccountService>();

/** One account service per runtime (it only holds policies and the dummy hash; its state is in the database). */
export function accountServiceFor(
  runtime: { db: Db; commands: CommandBus; waitForProjections(position: number): Promise<void> },
  policies: { sessions?: SessionPolicy; throttle?: ThrottlePolicy } = {},
): AccountService {
  let service = services.get(runtime);
  if (!service) {
    service = new AccountService({
      db: runtime.db,
      bus: runtime.commands,
      waitForProjections: (position) => runtime.waitForProjections(position),
      ...policies,
    });
    services.set(runtime, service);
  }
  return service;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The caller's address for throttling: the socket's, or — when the request comes from this machine
 * (the web server forwarding a browser's request) — the first `X-Forwarded-For` hop it names.
 */
export function clientAddress(request: Request, socketAddress: string | undefined): string {
  const remote = socketAddress ?? '';
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded && (remote === '' || LOOPBACK.has(remote))) return forwarded.slice(0, 100);
  return remote || 'unknown';
}
