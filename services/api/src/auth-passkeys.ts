/**
 * Passkeys (WebAuthn, through `@simplewebauthn/server`): deputies sign in on their phones with a
 * fingerprint, a face or the phone's PIN instead of a password.
 *
 * - Adding one: the account signed in asks for registration options (a one-time challenge; its
 *   existing passkeys excluded, so one device is not added twice), the browser's authenticator makes
 *   a key pair and answers; a checked answer becomes `PasskeyRegistered` in the log (credential id,
 *   public key, counter, transports, the name its holder gave it). The private key never leaves the
 *   device. Removing one is `PasskeyRemoved`, and the devices signed in with it are signed out.
 * - Signing in: usernameless. The options name no account and no credential (the passkey is
 *   discoverable: the phone offers the ones it holds for this site); the answer names its credential,
 *   whose public key in the accounts read model checks the signature. A checked answer opens the same
 *   server-side session as a password (auth-accounts.ts), marked with the passkey.
 * - User verification is required, at registration and at every sign-in: the device checked its
 *   holder, so a passkey is two factors (something held, and a fingerprint or PIN) and an
 *   administrator or auditor signed in with one is not asked for an authenticator's code
 *   (docs/decisions.md).
 * - Challenges are one-time and short-lived (`yingpan_auth.passkey_challenges`, only their SHA-256):
 *   an answer sent again is refused. The last signature counter a sign-in saw is kept
 *   (`yingpan_auth.passkey_sign_ins`): a security key answering with a counter not above it (a clone)
 *   is refused. A refused answer counts as a failed sign-in of the address (the same waits as wrong
 *   passwords).
 * - The relying party is the web's origin: `YINGPAN_PASSKEY_ORIGINS` (the origins the pages are
 *   served from) and `YINGPAN_PASSKEY_RP_ID` (the domain passkeys are bound to), read in runtime.ts.
 */
import { createHash } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import type { Db } from '@yingpan/db';
import { DomainError, type ErrorCode, now, PASSKEY_NAME_MAX, PASSKEY_TRANSPORTS, type PasskeyTransport } from '@yingpan/domain';
import { accountSecretById, type PasskeyRow, passkeyByCredential, passkeysOf } from '@yingpan/projections';
import type { AccountService, SignInOutcome } from './auth-accounts.ts';
import type { Actor } from './auth.ts';

/** The site passkeys are made for: its domain (the RP ID) and the origins its pages are served from. */
export interface RelyingParty {
  /** The domain a passkey is bound to (`localhost`, `rd.example.gov.cn`); a passkey works on it and its subdomains' pages. */
  id: string;
  /** The origins the sign-in pages are served from (`https://rd.example.gov.cn`); an answer from any other is refused. */
  origins: string[];
  /** The name the phone shows when it offers the passkey. */
  name: string;
}

export const PASSKEY_RP_NAME = '营盘';

/**
 * The relying party from the settings: the origins listed (comma-separated), else the web's own
 * address; the RP ID given, else the first origin's host name.
 */
export function relyingPartyFrom(settings: { origins?: string | undefined; rpId?: string | undefined; webUrl: string }): RelyingParty {
  const listed = (settings.origins ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const origins = (listed.length > 0 ? listed : [settings.webUrl]).map((origin) => {
    if (!URL.canParse(origin)) throw new Error(`YINGPAN_PASSKEY_ORIGINS (or WEB_URL): "${origin}" is not an origin such as https://rd.example.gov.cn`);
    return new URL(origin).origin;
  });
  return { id: settings.rpId?.trim() || new URL(origins[0]!).hostname, origins, name: PASSKEY_RP_NAME };
}

/** The relying party of a local run: the web at `http://localhost:3000`. */
export const LOCAL_RELYING_PARTY: RelyingParty = relyingPartyFrom({ webUrl: 'http://localhost:3000' });

/** A passkey as 我的账户 lists it. */
export interface PasskeyListed {
  credentialId: string;
  name: string;
  registeredAt: string;
  /** Its last sign-in; null: not used to sign in yet. */
  lastUsedAt: string | null;
  transports: string[];
}

const CHALLENGE_MINUTES = 5;
/** The longest answer a browser sends (an attestation with certificates is a few KB). */
const RESPONSE_MAX = 32_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

const REFUSED = {
  ok: false,
  reason: 'invalid',
  messageZh: '通行密钥验证未通过，请重试，或改用用户名和密码登录',
  messageEn: 'The passkey could not be verified; try again, or sign in with your user name and password',
} as const;

const refusal = (code: ErrorCode, zh: string, en: string, field?: string) => new DomainError(code, { zh, en }, field);
const notSignedIn = () => refusal('no-account', '请用账户登录后再管理通行密钥', 'Sign in with an account to manage its passkeys');
const timedOut = () =>
  refusal('passkey-challenge', '添加通行密钥已超时或已完成，请重新点击“添加通行密钥”', 'The request timed out or was used; press “Add a passkey” again');

/** The user handle a passkey carries for an account: its id's 16 bytes. */
const userHandleOf = (accountId: string) => isoUint8Array.fromHex(accountId.replace(/-/g, ''));

const transportsOf = (values: readonly string[] | undefined): PasskeyTransport[] =>
  (values ?? []).filter((value): value is PasskeyTransport => (PASSKEY_TRANSPORTS as readonly string[]).includes(value));

/** A browser's answer, parsed from the JSON `@simplewebauthn/browser` made; null when it is not one. */
function parseAnswer<T extends { id: string; response: { clientDataJSON: string } }>(json: string): { answer: T; challenge: string } | null {
  if (json.length > RESPONSE_MAX) return null;
  try {
    const answer = JSON.parse(json) as T;
    if (typeof answer?.id !== 'string' || typeof answer.response?.clientDataJSON !== 'string') return null;
    const { challenge } = decodeClientDataJSON(answer.response.clientDataJSON);
    return typeof challenge === 'string' ? { answer, challenge } : null;
  } catch {
    return null;
  }
}

export class PasskeyService {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountService,
    readonly relyingParty: RelyingParty,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Adding and removing (the account signed in)

  /** Options for the browser to make a passkey for the account signed in (a one-time challenge). */
  async registrationOptions(actor: Actor): Promise<PublicKeyCredentialCreationOptionsJSON> {
    await this.accounts.prepare();
    const account = actor.accountId ? await accountSecretById(this.db, actor.accountId) : null;
    if (!account) throw notSignedIn();
    const existing = await passkeysOf(this.db, account.accountId);
    const options = await generateRegistrationOptions({
      rpName: this.relyingParty.name,
      rpID: this.relyingParty.id,
      userName: account.username,
      userDisplayName: account.displayName,
      userID: userHandleOf(account.accountId),
      attestationType: 'none',
      timeout: CHALLENGE_MINUTES * 60_000,
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: transportsOf(passkey.transports) })),
      // Discoverable, so sign-in needs no user name; verified, so it is two factors.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await this.keepChallenge(options.challenge, 'register', account.accountId);
    return options;
  }

  /** Checks the authenticator's answer and registers the passkey under `name` (an event in the log). */
  async register(actor: Actor, answerJson: string, name: string): Promise<PasskeyListed> {
    await this.accounts.prepare();
    const account = actor.accountId ? await accountSecretById(this.db, actor.accountId) : null;
    if (!account) throw notSignedIn();
    const shown = name.trim();
    if ([...shown].length < 1 || [...shown].length > PASSKEY_NAME_MAX) {
      throw refusal(
        'passkey-name',
        `请给通行密钥起个 1–${PASSKEY_NAME_MAX} 个字的名称，如“我的手机”`,
        `Name the passkey in 1–${PASSKEY_NAME_MAX} characters, e.g. “My phone”`,
        'name',
      );
    }
    const parsed = parseAnswer<RegistrationResponseJSON>(answerJson);
    if (!parsed || !(await this.claimChallenge(parsed.challenge, 'register', account.accountId))) throw timedOut();
    const verification = await verifyRegistrationResponse({
      response: parsed.answer,
      expectedChallenge: parsed.challenge,
      expectedOrigin: this.relyingParty.origins,
      expectedRPID: this.relyingParty.id,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified || !verification.registrationInfo) {
      throw refusal(
        'passkey-not-verified',
        '未能添加通行密钥：手机或安全密钥的应答未通过验证，请重试',
        'The passkey was not added: the device’s answer did not check; try again',
      );
    }
    const { credential } = verification.registrationInfo;
    if (await passkeyByCredential(this.db, credential.id)) {
      throw refusal('passkey-registered', '这个通行密钥已添加过', 'This passkey is registered already', 'credentialId');
    }
    const transports = transportsOf(credential.transports);
    await this.accounts.run(
      'RegisterPasskey',
      {
        accountId: account.accountId,
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports,
        name: shown,
      },
      actor,
    );
    const registered = await passkeyByCredential(this.db, credential.id);
    if (!registered) throw new Error('The passkey registered is not in the read model');
    return { ...listed(registered), lastUsedAt: null };
  }

  /** The passkeys of an account, the newest first, with their last sign-in. */
  async list(accountId: string): Promise<PasskeyListed[]> {
    await this.accounts.prepare();
    const passkeys = await passkeysOf(this.db, accountId);
    if (passkeys.length === 0) return [];
    const { rows } = await this.db.query<{ credential_id: string; last_used_at: Date | string }>(
      'SELECT credential_id, last_used_at FROM yingpan_auth.passkey_sign_ins WHERE credential_id = ANY($1::text[])',
      [passkeys.map((passkey) => passkey.credentialId)],
    );
    const used = new Map(rows.map((row) => [row.credential_id, new Date(row.last_used_at).toISOString()]));
    return passkeys.map((passkey) => ({ ...listed(passkey), lastUsedAt: used.get(passkey.credentialId) ?? null }));
  }

  /** Removes a passkey of one's own account, or an administrator any account's (an event); the devices signed in with it are signed out. */
  async remove(actor: Actor, credentialId: string): Promise<void> {
    await this.accounts.prepare();
    // An administrator removes anyone's (a lost phone); everyone else only their own.
    const administrator = actor.role === 'admin' || (actor.roles ?? []).includes('admin');
    if (!actor.accountId && !administrator) throw notSignedIn();
    const passkey = await passkeyByCredential(this.db, credentialId);
    if (!passkey || (passkey.accountId !== actor.accountId && !administrator)) {
      throw refusal('passkey-not-found', '本账户没有这个通行密钥', 'Your account has no such passkey', 'credentialId');
    }
    await this.accounts.run('RemovePasskey', { accountId: passkey.accountId, credentialId }, actor);
    await this.accounts.revokePasskeySessions(passkey.accountId, credentialId);
    await this.db.query('DELETE FROM yingpan_auth.passkey_sign_ins WHERE credential_id = $1', [credentialId]);
  }

  // -------------------------------------------------------------------------------------------
  // Signing in (anyone; the passkey names its account)

  /** Options for the browser to ask for any passkey of this site (a one-time challenge); null when the address must wait. */
  async signInOptions(client: { address: string }): Promise<{ options: PublicKeyCredentialRequestOptionsJSON | null; retryAfterSeconds: number | null }> {
    await this.accounts.prepare();
    const wait = await this.accounts.addressWait(client.address);
    if (wait > 0) return { options: null, retryAfterSeconds: wait };
    const options = await generateAuthenticationOptions({
      rpID: this.relyingParty.id,
      userVerification: 'required',
      timeout: CHALLENGE_MINUTES * 60_000,
    });
    await this.keepChallenge(options.challenge, 'sign-in', null);
    return { options, retryAfterSeconds: null };
  }

  /**
   * Checks a sign-in answer: a challenge of ours not used before, a registered passkey, its
   * signature, the origin and the RP ID, the holder verified, the counter moving on. Then a session
   * opens, as after a password. A refused answer counts as a failed sign-in of the address.
   */
  async signIn(input: { answer: string; address: string; userAgent: string }): Promise<SignInOutcome> {
    await this.accounts.prepare();
    const wait = await this.accounts.addressWait(input.address);
    if (wait > 0) {
      return {
        ok: false,
        reason: 'throttled',
        retryAfterSeconds: wait,
        messageZh: `尝试次数过多，请 ${wait < 60 ? `${wait} 秒` : `${Math.ceil(wait / 60)} 分钟`}后再试`,
        messageEn: `Too many attempts; try again in ${wait} s`,
      };
    }
    const verified = await this.verifySignIn(input.answer);
    if (!verified) {
      await this.accounts.addressFailed(input.address);
      return REFUSED;
    }
    return this.accounts.signedInWithPasskey(verified.accountId, verified.credentialId, input);
  }

  private async verifySignIn(answerJson: string): Promise<{ accountId: string; credentialId: string } | null> {
    const parsed = parseAnswer<AuthenticationResponseJSON>(answerJson);
    // The challenge is used up first: the same answer sent twice is refused the second time, whatever else it holds.
    if (!parsed || !(await this.claimChallenge(parsed.challenge, 'sign-in', null))) return null;
    const passkey = await passkeyByCredential(this.db, parsed.answer.id);
    if (!passkey) return null;
    const handle = parsed.answer.response.userHandle;
    if (handle && handle !== isoBase64URL.fromBuffer(userHandleOf(passkey.accountId))) return null;
    const { rows } = await this.db.query<{ counter: string | number }>('SELECT counter FROM yingpan_auth.passkey_sign_ins WHERE credential_id = $1', [
      passkey.credentialId,
    ]);
    const counter = rows[0] ? Number(rows[0].counter) : passkey.counter;
    const verification = await verifyAuthenticationResponse({
      response: parsed.answer,
      expectedChallenge: parsed.challenge,
      expectedOrigin: this.relyingParty.origins,
      expectedRPID: this.relyingParty.id,
      credential: {
        id: passkey.credentialId,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter,
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified || !verification.authenticationInfo.userVerified) return null;
    // The counter moves on once: of two answers with one counter, the second is refused.
    const { newCounter } = verification.authenticationInfo;
    // The time of the sign-in is the database's, as the log's recordedAt (and so the passkey's
    // "added") is: both say when something happened, which the county's day setting does not move.
    const { rows: kept } = await this.db.query(
      `INSERT INTO yingpan_auth.passkey_sign_ins AS s (credential_id, counter, last_used_at) VALUES ($1, $2, now())
       ON CONFLICT (credential_id) DO UPDATE SET counter = excluded.counter, last_used_at = excluded.last_used_at
         WHERE s.counter < excluded.counter OR (s.counter = 0 AND excluded.counter = 0)
       RETURNING 1`,
      [passkey.credentialId, newCounter],
    );
    if (kept.length === 0) return null;
    return { accountId: passkey.accountId, credentialId: passkey.credentialId };
  }

  // -------------------------------------------------------------------------------------------

  private async keepChallenge(challenge: string, purpose: 'register' | 'sign-in', accountId: string | null): Promise<void> {
    const at = now();
    // Expired challenges go as new ones come (one is worth nothing after its minutes).
    await this.db.query('DELETE FROM yingpan_auth.passkey_challenges WHERE expires_at < $1::timestamptz', [at.toISOString()]);
    await this.db.query(
      'INSERT INTO yingpan_auth.passkey_challenges (challenge_hash, purpose, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256(challenge), purpose, accountId, at.toISOString(), new Date(at.getTime() + CHALLENGE_MINUTES * 60_000).toISOString()],
    );
  }

  /** Uses up a challenge we issued for `purpose` (and the account), unexpired and unused; false otherwise. */
  private async claimChallenge(challenge: string, purpose: 'register' | 'sign-in', accountId: string | null): Promise<boolean> {
    const at = now().toISOString();
    const { rows } = await this.db.query(
      `UPDATE yingpan_auth.passkey_challenges SET used_at = $4
        WHERE challenge_hash = $1 AND purpose = $2 AND account_id IS NOT DISTINCT FROM $3::uuid AND used_at IS NULL AND expires_at > $4::timestamptz
        RETURNING 1`,
      [sha256(challenge.slice(0, 200)), purpose, accountId, at],
    );
    return rows.length > 0;
  }
}

const listed = (passkey: PasskeyRow): Omit<PasskeyListed, 'lastUsedAt'> => ({
  credentialId: passkey.credentialId,
  name: passkey.name,
  registeredAt: passkey.registeredAt,
  transports: passkey.transports,
});

const services = new WeakMap<object, PasskeyService>();

/** One passkey service per runtime, beside its account service. */
export function passkeyServiceFor(runtime: { db: Db; relyingParty?: RelyingParty | undefined }, accounts: AccountService): PasskeyService {
  let service = services.get(runtime);
  if (!service) {
    service = new PasskeyService(runtime.db, accounts, runtime.relyingParty ?? LOCAL_RELYING_PARTY);
    services.set(runtime, service);
  }
  return service;
}
