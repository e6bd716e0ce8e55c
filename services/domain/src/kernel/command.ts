/**
 * Command definitions and the bus that runs them. A definition names the command, its input
 * schema (validated at the boundary), the decider and stream it runs on, the roles that may issue
 * it, and how raw input becomes the decider's command — loading, through `Lookups`, whatever
 * other streams the rule needs (a mandate's dates, a station's manager), so deciders stay pure.
 */
import { ConcurrencyError, type EventStore } from '@yingpan/event-store';
import type { z } from 'zod';
import type { Decider } from './decider.ts';
import { DomainError, ValidationError } from './errors.ts';
import { issueZh } from './wording.ts';
import { backOff, concurrentChange, InFlightAppends, loadState, MAX_ATTEMPTS, startCommand, type CommandOutcome } from './handler.ts';
import type { Lookups } from './lookups.ts';
import type { Command, CommandContext, Event } from './messages.ts';
import type { EventRegistry } from './registry.ts';
import { ROLE_LABELS, type Role } from './roles.ts';
import type { StateCache } from './state-cache.ts';

export interface CommandDefinition<Input extends z.ZodType = z.ZodType, C extends Command = Command, E extends Event = Event, S = unknown> {
  name: string;
  /** One line for the API's documentation. */
  description: string;
  input: Input;
  roles: readonly Role[];
  decider: Decider<C, E, S>;
  streamId(input: z.output<Input>): string;
  /**
   * A check of who may act on this particular stream beyond the role (e.g. a station manager only
   * at the stations they are in charge of); throws a DomainError to refuse. Run before `toCommand`.
   */
  scope?(input: z.output<Input>, env: { context: CommandContext; lookups: Lookups }): void | Promise<void>;
  toCommand(input: z.output<Input>, env: { context: CommandContext; lookups: Lookups }): NoInfer<C> | Promise<NoInfer<C>>;
}

export function defineCommand<Input extends z.ZodType, C extends Command, E extends Event, S>(
  definition: CommandDefinition<Input, C, E, S>,
): CommandDefinition<Input, C, E, S> {
  return definition;
}

export class UnknownCommandError extends Error {
  constructor(name: string) {
    super(`Unknown command ${name}`);
  }
}

export function parseInput<Input extends z.ZodType>(schema: Input, input: unknown): z.output<Input> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', message: issue.message, zh: issueZh(issue) })));
  }
  return result.data;
}

/**
 * Runs work for one key at a time, in arrival order; different keys run concurrently. The bus
 * queues the commands of one stream this way, so commands racing for a stream inside one process
 * decide in turn instead of losing the append's version check and retrying (other processes can
 * still race; the store's check and the bus's retries cover them). A turn lasts until the
 * command's events are handed to the store, not until they are stored (handler.ts).
 */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export class CommandBus {
  private readonly definitions = new Map<string, CommandDefinition>();
  private readonly streams = new KeyedQueue();

  constructor(
    private readonly store: EventStore,
    private readonly registry: EventRegistry,
    private readonly lookups: Lookups,
    definitions: readonly CommandDefinition[],
    private readonly cache?: StateCache,
    private readonly inFlight = new InFlightAppends(),
  ) {
    for (const definition of definitions) {
      if (this.definitions.has(definition.name)) throw new Error(`Command ${definition.name} is defined twice`);
      this.definitions.set(definition.name, definition);
    }
  }

  all(): CommandDefinition[] {
    return [...this.definitions.values()];
  }

  get(name: string): CommandDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new UnknownCommandError(name);
    return definition;
  }

  /** Validates, checks the role, decides and appends. Business refusals throw DomainError; nothing is written then. */
  async execute(name: string, rawInput: unknown, context: CommandContext): Promise<CommandOutcome> {
    const definition = this.get(name);
    if (!definition.roles.includes(context.actor.role as Role)) {
      const role = ROLE_LABELS[context.actor.role as Role] ?? { zh: context.actor.role, en: context.actor.role };
      throw new DomainError('forbidden', {
        zh: `当前身份（${role.zh}）无权进行此项操作`,
        en: `Your role (${role.en}) may not do this`,
      });
    }
    const input = parseInput(definition.input, rawInput);
    const streamId = definition.streamId(input);
    // The lookups run inside the stream's turn too: what they read is as fresh as the decision.
    for (let attempt = 1; ; attempt++) {
      const { finished } = await this.streams.run(streamId, async () => {
        // With nothing in flight on the stream, its state is read while the lookups run, not after them.
        const read = this.inFlight.get(streamId) ? undefined : loadState(this.store, this.registry, definition.decider, streamId, this.cache);
        read?.catch(() => {}); // a refusal by the lookups leaves it unread
        await definition.scope?.(input, { context, lookups: this.lookups });
        const command = await definition.toCommand(input, { context, lookups: this.lookups });
        return startCommand(this.store, this.registry, definition.decider, streamId, command, context, this.cache, this.inFlight, read);
      });
      try {
        return await finished;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw concurrentChange();
        await backOff(attempt);
      }
    }
  }
}
