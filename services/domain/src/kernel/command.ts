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

/** Whether a command's lookups read its own stream depends on the command and, through its scope check, on the role. */
const ownKey = (definition: CommandDefinition, context: CommandContext) => `${definition.name}\u0000${context.actor.role}`;

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
    for (let attempt = 1; ; attempt++) {
      // The lookups of other streams run before the stream's turn, so that the turn is short: other
      // commands of the stream wait for it, not for them. (Another stream can change between a lookup
      // and the append whether it is read inside the turn or not: the turn only orders this stream.)
      // Lookups that read the command's own stream run inside the turn, as fresh as the decision.
      const early = this.ownStreamLookups.has(ownKey(definition, context)) ? null : await this.prepare(definition, input, context, streamId);
      // The stream's own state is read now only when the process holds none of it: otherwise the
      // command decides on the cached state, checked by the append's expected version (handler.ts).
      const first = attempt === 1;
      const read =
        early && !(first && this.cache?.get(definition.decider, streamId)) && !this.inFlight.get(streamId)
          ? loadState(this.store, this.registry, definition.decider, streamId, this.cache)
          : undefined;
      read?.catch(() => {}); // decided on something else (appends in flight): nobody waits for it
      const { finished } = await this.streams.run(streamId, async () => {
        const command = early?.command ?? (await this.inTurn(definition, input, context));
        return startCommand(this.store, this.registry, definition.decider, streamId, command, context, this.cache, this.inFlight, read, first);
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

  /** Commands (by name and role) whose lookups were seen reading their own stream: they run them inside the stream's turn. */
  private readonly ownStreamLookups = new Set<string>();

  /** The command's scope check and lookups, before its turn; null when they read the command's own stream (noted: next time they run inside the turn). */
  private async prepare(definition: CommandDefinition, input: unknown, context: CommandContext, streamId: string): Promise<{ command: Command } | null> {
    let own = false;
    const lookups = this.lookups.watching((read) => {
      if (read === streamId) own = true;
    });
    try {
      await definition.scope?.(input, { context, lookups });
      const command = await definition.toCommand(input, { context, lookups });
      if (!own) return { command };
    } catch (error) {
      // A refusal on what the command's own stream held before its turn is asked again inside it.
      if (!own) throw error;
    }
    this.ownStreamLookups.add(ownKey(definition, context));
    return null;
  }

  private async inTurn(definition: CommandDefinition, input: unknown, context: CommandContext): Promise<Command> {
    await definition.scope?.(input, { context, lookups: this.lookups });
    return definition.toCommand(input, { context, lookups: this.lookups });
  }
}
