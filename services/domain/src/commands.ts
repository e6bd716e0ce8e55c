/**
 * The domain's front door: validates raw input with the command schemas, runs the command
 * through its decider and returns the outcome. The API, the seed and the tests all call these.
 */
import type { EventStore } from '@yingpan/event-store';
import { z } from 'zod';
import { activityDecider, activityStream } from './activity/decider.ts';
import { TRAINING_TYPES } from './activity/events.ts';
import { DomainError, ValidationError } from './kernel/errors.ts';
import { handleCommand, type CommandOutcome } from './kernel/handler.ts';
import type { CommandContext } from './kernel/messages.ts';
import { personDecider, personStream } from './person/decider.ts';
import { registry } from './registry.ts';

export const commandSchemas = {
  RegisterPerson: z.object({
    personId: z.uuid(),
    name: z.string().trim().min(1).max(100),
    gender: z.enum(['male', 'female']).nullable().default(null),
    publicServant: z.boolean().default(false),
  }),
  OrganiseTraining: z.object({
    activityId: z.uuid(),
    trainingType: z.enum(TRAINING_TYPES),
    title: z.string().trim().min(1).max(200),
    date: z.iso.date(),
  }),
  RecordTrainingAttendance: z.object({ activityId: z.uuid(), personId: z.uuid() }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;

function parse<N extends CommandName>(name: N, input: unknown): z.output<(typeof commandSchemas)[N]> {
  const result = commandSchemas[name].safeParse(input);
  if (!result.success) {
    throw new ValidationError(result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', message: issue.message })));
  }
  return result.data as z.output<(typeof commandSchemas)[N]>;
}

export class Commands {
  constructor(private readonly store: EventStore) {}

  async registerPerson(input: CommandInput<'RegisterPerson'>, context: CommandContext): Promise<CommandOutcome> {
    const data = parse('RegisterPerson', input);
    return handleCommand(this.store, registry, personDecider, personStream(data.personId), { type: 'RegisterPerson', data }, context);
  }

  async organiseTraining(input: CommandInput<'OrganiseTraining'>, context: CommandContext): Promise<CommandOutcome> {
    const data = parse('OrganiseTraining', input);
    return handleCommand(this.store, registry, activityDecider, activityStream(data.activityId), { type: 'OrganiseTraining', data }, context);
  }

  async recordTrainingAttendance(input: CommandInput<'RecordTrainingAttendance'>, context: CommandContext): Promise<CommandOutcome> {
    const data = parse('RecordTrainingAttendance', input);
    if ((await this.store.streamVersion(personStream(data.personId))) === 0) {
      throw new DomainError('person-not-found', { zh: '找不到该人员', en: 'No such person' }, 'personId');
    }
    return handleCommand(
      this.store,
      registry,
      activityDecider,
      activityStream(data.activityId),
      { type: 'RecordTrainingAttendance', data },
      context,
    );
  }
}
