/** The station area: its events and command definitions (wired into the registry and the bus). */
import type { CommandDefinition } from '../kernel/command.ts';
import { stationActCommands } from './act-commands.ts';
import { stationSetUpCommands } from './commands.ts';
import { stationStreamEvents } from './events.ts';
import { homeVisitEvents } from './home-visit.ts';
import { stationScope } from './in-charge.ts';

export * from './events.ts';
export {
  stationStream,
  assignmentOn,
  type StationState,
  type OpenStation,
  type StationAssignment,
  type StationManagerTenure,
  type StationReception,
} from './state.ts';
export { stationDecider, type StationCommand, type StationStreamEvent, type DeputyAtReception } from './decider.ts';
export * from './home-visit.ts';
export * from './study.ts';
export * from './commands.ts';
export * from './act-commands.ts';
export * from './in-charge.ts';

export const stationEvents = [...stationStreamEvents, ...homeVisitEvents];
/** Every station command, each limited for station managers to the stations they are in charge of. */
export const stationCommands = [...stationSetUpCommands, ...stationActCommands].map((definition) => ({
  ...definition,
  scope: stationScope,
})) as unknown as CommandDefinition[];
