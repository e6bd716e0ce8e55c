import type { Db } from '@yingpan/db';
import type { CommandBus, CommandContext } from '@yingpan/domain';
import type { EventStore } from '@yingpan/event-store';
import type { Actor } from './auth.ts';

export type { Actor } from './auth.ts';

/** What every resolver gets: the read-model database, the log, the command handlers and the caller. */
export interface Context {
  db: Db;
  store: EventStore;
  commands: CommandBus;
  /** Who is calling: a token's role and person, or the public. */
  actor: Actor;
  /** Resolves when every projection has applied the log up to `position` (or the timeout passes). */
  waitForProjections(position: number): Promise<void>;
  commandContext(commandId: string, occurredAt?: string): CommandContext;
}
