import type { Db } from '@yingpan/db';
import type { CommandBus, CommandContext } from '@yingpan/domain';
import type { EventStore } from '@yingpan/event-store';
import type { AccountService } from './auth-accounts.ts';
import type { SsoService } from './auth-sso.ts';
import type { PasskeyService } from './auth-passkeys.ts';
import type { Actor } from './auth.ts';
import type { SystemStatus } from './health.ts';
import type { Transparency } from './runtime.ts';

export type { Actor } from './auth.ts';

/**
 * What every resolver gets: the read-model database (for a request naming a position to reflect,
 * one that waits for the read models each statement reads: consistency.ts), the log, the command handlers and the caller. */
export interface Context {
  db: Db;
  store: EventStore;
  commands: CommandBus;
  /** The log's Merkle tree and signed checkpoints. */
  transparency: Transparency;
  /** Who is calling: a token's role and person, or the public. */
  actor: Actor;
  /**
   * The highest log position this request's mutations wrote (0: none); a mutation raises it once
   * its events are durable (read models follow). The answer carries it in its `logPosition`
   * extension (consistency.ts).
   */
  written: { position: number };
  commandContext(commandId: string, occurredAt?: string): CommandContext;
  /** Accounts, sessions and sign-in (auth-accounts.ts). */
  accounts: AccountService;
  /** Sign-in through the single sign-on provider, when one is configured (auth-sso.ts). */
  sso: SsoService;
  /** Passkeys: adding, removing, signing in with one (auth-passkeys.ts). */
  passkeys: PasskeyService;
  /** The running system: its database, standbys, read models and projector (health.ts). */
  system(): Promise<SystemStatus>;
  /** The caller's address (for throttling sign-in) and browser, as the sessions list shows them. */
  client: { address: string; userAgent: string };
}
