/** The evidence area (佐证材料): its event and command (on the bus, run by the API's upload; not a generated mutation). */
import type { CommandDefinition } from '../kernel/command.ts';
import { evidenceCommandList } from './commands.ts';

export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';

export const evidenceCommands = evidenceCommandList as unknown as CommandDefinition[];
