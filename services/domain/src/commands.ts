/**
 * The domain's front door: every command definition, and `createDomain`, which wires them to a
 * store. The API, the seed and the tests all run commands through `domain.bus.execute`.
 */
import type { EventStore } from '@yingpan/event-store';
import { activityCommands } from './activity/commands.ts';
import { CommandBus, type CommandDefinition } from './kernel/command.ts';
import { InFlightAppends } from './kernel/handler.ts';
import { Lookups } from './kernel/lookups.ts';
import type { StateCache } from './kernel/state-cache.ts';
import { mandateCommands } from './mandate/commands.ts';
import { personCommands } from './person/commands.ts';
import { registry } from './registry.ts';
import { reviewCommands } from './review/commands.ts';
import { pairingCommands } from './pairing/index.ts';
import { stationCommands } from './station/index.ts';
import { opinionCommands } from './opinion/index.ts';
import { suggestionCommands } from './suggestion/index.ts';
import { reportCommands } from './report/index.ts';
import { serviceCommands } from './service/index.ts';
import { regulationCommands } from './regulation/index.ts';
import { handoverCommands } from './handover/index.ts';
import { accountCommands } from './account/index.ts';
import { evidenceCommands } from './evidence/index.ts';

/**
 * The commands the API exposes as generated mutations. Account commands (`accountCommands`) run on
 * the same bus but are not among them: the API's account service hashes passwords and calls them.
 * Nor is attaching evidence (`evidenceCommands`): the API's upload keeps the file, then runs it.
 */
export const commandDefinitions: readonly CommandDefinition[] = [
  ...personCommands,
  ...mandateCommands,
  ...activityCommands,
  ...pairingCommands,
  ...stationCommands,
  ...opinionCommands,
  ...suggestionCommands,
  ...reportCommands,
  ...serviceCommands,
  ...regulationCommands,
  ...reviewCommands,
  ...handoverCommands,
] as unknown as CommandDefinition[];

export interface Domain {
  bus: CommandBus;
  lookups: Lookups;
}

/**
 * Wires the commands to a store. With `cache`, folded stream states are kept between commands
 * (each command then reads only the events appended since); without it every command folds its
 * streams from the start.
 */
export function createDomain(store: EventStore, options: { cache?: StateCache } = {}): Domain {
  // Lookups read a stream once the bus's appends in flight on it have landed.
  const inFlight = new InFlightAppends();
  const lookups = new Lookups(store, registry, options.cache, inFlight);
  return {
    bus: new CommandBus(
      store,
      registry,
      lookups,
      [...commandDefinitions, ...(accountCommands as unknown as CommandDefinition[]), ...evidenceCommands],
      options.cache,
      inFlight,
    ),
    lookups,
  };
}
