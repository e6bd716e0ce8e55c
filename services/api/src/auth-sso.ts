/**
 * Sign-in through a single sign-on provider (OpenID Connect; e.g. a province's 政务统一身份认证),
 * optional: on only when YINGPAN_OIDC_* name a provider (runtime.ts).
 *
 * - The authorization code flow with PKCE. `begin` makes the state, the nonce and the PKCE verifier
 *   and keeps them server-side (`yingpan_auth.sso_flows`, migrations/0004), with the SHA-256 of a
 *   random binding the web puts in the browser's HttpOnly cookie; `complete` takes the provider's
 *   answer (the callback's query) with that binding, uses the flow once, redeems the code (the
 *   verifier and the nonce checked by `openid-client`) and reads the configured claim (from the ID
 *   token, else from the user-info endpoint).
 * - The account is the one an administrator linked to that claim's value at that provider
 *   (`AccountLinkedToIdentityProvider`, the `accounts` read model's `identities`). An identity linked
 *   to no account, to an account without a grant holding today, or to more than one is refused with
 *   one answer that names no account. A locked-out account is refused as a password sign-in is.
 * - Signed in, it is the same server-side session as a password sign-in; an administrator or auditor
 *   with an authenticator still gives its code (the same challenge as after a password).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Db } from '@yingpan/db';
import { type CommandBus, countyToday, DomainError, now } from '@yingpan/domain';
import { accountSecretById, accountsOfIdentity, grantsOn } from '@yingpan/projections';
import type { Actor } from './auth.ts';
import type { AccountService, SignInOutcome } from './auth-accounts.ts';

export interface OidcSettings {
  /** The provider's issuer URL (its discovery document is at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE alone). */
  clientSecret?: string | undefined;
  /** The web's `/login/sso/callback`, as registered at the provider. */
  redirectUrl: string;
  /** The claim accounts are found by (`preferred_username`, a staff number's claim…). */
  claim: string;
  /** The sign-on button's label. */
  label: string;
}

export const DEFAULT_OIDC_CLAIM = 'preferred_username';
export const DEFAULT_OIDC_LABEL = '统一身份认证登录';

/** A flow lasts this long between the click and the provider's answer. */
const FLOW_MINUTES = 10;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

type Refusal = Extract<SignInOutcome, { reason: 'invalid' }>;
const refusal = (messageZh: string, messageEn: string): Refusal => ({ ok: false, reason: 'invalid', messageZh, messageEn });

/** An identity the provider vouched for that signs in to no usable account: one answer, whatever the reason. */
export const UNKNOWN_IDENTITY = refusal(
  '该统一身份认证账号未关联本系统的可用账户，请联系系统管理员',
  'This single sign-on identity is not linked to an account that may sign in here; ask an administrator',
);
/** No such flow, used already, too old, or begun in another browser. */
export const FLOW_INVALID = refusal(
  '登录请求已失效或已使用，请重新点击统一身份认证登录',
  'The sign-in request expired or was used already; start the single sign-on again',
);
const PROVIDER_FAILED = refusal(
  '统一身份认证未能完成登录，请重新登录；如仍失败，请联系系统管理员',
  'The single sign-on did not complete; try again, or ask an administrator if it keeps failing',
);
const NOT_CONFIGURED = refusal('本系统未启用统一身份认证登录', 'Single sign-on is not configured here');

export interface SsoServiceOptions {
  db: Db;
  bus: CommandBus;
  accounts: AccountService;
  settings: OidcSettings | null;
  waitForProjections(position: number): Promise<void>;
}

export class SsoService {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(private readonly options: SsoServiceOptions) {}

  /** The provider as the sign-in page shows it; null when none is configured. */
  get provider(): { label: string; claim: string; issuer: string } | null {
    const settings = this.options.settings;
    return settings && { label: settings.label, claim: settings.claim, issuer: settings.issuer };
  }

  private get db() {
    return this.options.db;
  }

  /** The provider's metadata, discovered once (again after a failure). Plain http only on this machine (tests, a local provider). */
  private configuration(settings: OidcSettings): Promise<oidc.Configuration> {
    this.discovered ??= (async () => {
      const issuer = new URL(settings.issuer);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      return oidc.discovery(
        issuer,
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        issuer.protocol === 'http:' && loopback ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      );
    })();
    this.discovered.catch(() => {
      this.discovered = null;
    });
    return this.discovered;
  }

  /**
   * Begins a sign-in: the provider's authorization address to send the browser to, and the binding
   * the browser keeps (HttpOnly cookie) and brings back with the answer.
   */
  async begin(): Promise<{ url: string; binding: string }> {
    const settings = this.options.settings;
    if (!settings) throw new DomainError('sso-not-configured', { zh: NOT_CONFIGURED.messageZh, en: NOT_CONFIGURED.messageEn });
    await this.options.accounts.prepare();
    const config = await this.configuration(settings);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const binding = randomBytes(32).toString('base64url');
    const at = now();
    // Flows past their time are forgotten (an answer for one is refused the same whether its row is kept or not).
    await this.db.query('DELETE FROM yingpan_auth.sso_flows WHERE expires_at < $1::timestamptz', [at.toISOString()]);
    await this.db.query(
      `INSERT INTO yingpan_auth.sso_flows (state_hash, binding_hash, code_verifier, nonce, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sha256(state), sha256(binding), verifier, nonce, at.toISOString(), new Date(at.getTime() + FLOW_MINUTES * 60_000).toISOString()],
    );
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUrl,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, binding };
  }

  /**
   * Finishes a sign-in with the provider's answer (`query`: the callback's query string) and the
   * browser's binding: a session as a password sign-in opens, the authenticator's challenge, or a
   * refusal in words.
   */
  async complete(input: { query: string; binding: string; address: string; userAgent: string }): Promise<SignInOutcome> {
    const settings = this.options.settings;
    if (!settings) return NOT_CONFIGURED;
    await this.options.accounts.prepare();
    const callback = new URL(settings.redirectUrl);
    callback.search = input.query.slice(0, 4000);
    const state = callback.searchParams.get('state');
    if (!state) return FLOW_INVALID;
    // The flow is used once, whatever follows: a replayed answer finds it used.
    const at = now();
    const { rows } = await this.db.query<{ binding_hash: Buffer | Uint8Array; code_verifier: string; nonce: string }>(
      `UPDATE yingpan_auth.sso_flows SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2::timestamptz
        RETURNING binding_hash, code_verifier, nonce`,
      [sha256(state), at.toISOString()],
    );
    const flow = rows[0];
    if (!flow || !timingSafeEqual(Buffer.from(flow.binding_hash), sha256(input.binding.slice(0, 200)))) return FLOW_INVALID;
    if (callback.searchParams.has('error')) return PROVIDER_FAILED;
    let value: unknown;
    try {
      const config = await this.configuration(settings);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return PROVIDER_FAILED;
      value = claims[settings.claim];
      if (value === undefined) value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[settings.claim];
    } catch (error) {
      console.warn(`[sso] the provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`);
      return PROVIDER_FAILED;
    }
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') return UNKNOWN_IDENTITY;
    const accountIds = await accountsOfIdentity(this.db, { issuer: settings.issuer, claim: settings.claim, value: String(value).trim() });
    if (accountIds.length !== 1) return UNKNOWN_IDENTITY;
    const account = await accountSecretById(this.db, accountIds[0]!);
    // An account with no grant holding today (all revoked or ended) is disabled: the same answer as an unknown identity.
    if (!account || (await grantsOn(this.db, account.accountId, countyToday())).length === 0) return UNKNOWN_IDENTITY;
    return this.options.accounts.signInVouchedFor(account, input);
  }

  // -------------------------------------------------------------------------------------------
  // Administration

  /** Links an account to the identity whose claim at the configured provider has `value` (administrators). */
  async link(actor: Actor, accountId: string, value: string): Promise<void> {
    const settings = this.adminSettings(actor);
    const trimmed = value.trim();
    const others = (await accountsOfIdentity(this.db, { issuer: settings.issuer, claim: settings.claim, value: trimmed })).filter((id) => id !== accountId);
    if (others.length > 0) {
      throw new DomainError(
        'identity-taken',
        { zh: '该统一身份认证账号已关联到另一账户，请先在那个账户上解除关联', en: 'This identity is linked to another account; unlink it there first' },
        'value',
      );
    }
    await this.run('LinkAccountToIdentityProvider', { accountId, issuer: settings.issuer, claim: settings.claim, value: trimmed }, actor);
  }

  /** Removes an account's link to the configured provider (administrators). */
  async unlink(actor: Actor, accountId: string, reason: string | null): Promise<void> {
    const settings = this.adminSettings(actor);
    await this.run('UnlinkAccountFromIdentityProvider', { accountId, issuer: settings.issuer, claim: settings.claim, reason: reason?.trim() || null }, actor);
  }

  private adminSettings(actor: Actor): OidcSettings {
    if (actor.role !== 'admin') throw new DomainError('forbidden', { zh: '只有系统管理员可管理账户', en: 'Only administrators manage accounts' });
    const settings = this.options.settings;
    if (!settings) throw new DomainError('sso-not-configured', { zh: NOT_CONFIGURED.messageZh, en: NOT_CONFIGURED.messageEn });
    return settings;
  }

  private async run(name: string, input: Record<string, unknown>, actor: Actor): Promise<void> {
    const commandId = crypto.randomUUID();
    const outcome = await this.options.bus.execute(name, input, {
      commandId,
      actor: { personId: actor.personId, role: actor.role, accountId: actor.accountId, stationIds: actor.stationIds },
      occurredAt: now().toISOString(),
      correlationId: commandId,
    });
    const position = outcome.events.at(-1)?.position ?? 0;
    if (position) await this.options.waitForProjections(position);
  }
}

const services = new WeakMap<object, SsoService>();

/** One sign-on service per runtime (it holds the provider's discovered metadata). */
export function ssoServiceFor(
  runtime: { db: Db; commands: CommandBus; oidc: OidcSettings | null; waitForProjections(position: number): Promise<void> },
  accounts: AccountService,
): SsoService {
  let service = services.get(runtime);
  if (!service) {
    service = new SsoService({
      db: runtime.db,
      bus: runtime.commands,
      accounts,
      settings: runtime.oidc,
      waitForProjections: (position) => runtime.waitForProjections(position),
    });
    services.set(runtime, service);
  }
  return service;
}
