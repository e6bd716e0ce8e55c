/** The regulation area: its events and command definitions (wired into the registry and the bus). */
import type { CommandDefinition } from '../kernel/command.ts';
import type { EventDefinition } from '../kernel/registry.ts';

export const regulationEvents: EventDefinition[] = [];
export const regulationCommands: CommandDefinition[] = [];
