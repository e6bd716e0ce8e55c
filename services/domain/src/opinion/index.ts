/** The opinion area: its events and command definitions (wired into the registry and the bus). */
import type { CommandDefinition } from '../kernel/command.ts';
import { opinionCommandList } from './commands.ts';
import { opinionStreamEvents } from './events.ts';

export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';

export const opinionEvents = opinionStreamEvents;
export const opinionCommands = opinionCommandList as unknown as CommandDefinition[];
