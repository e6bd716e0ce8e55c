/** The pairing area (结队帮带): its events and command definitions (wired into the registry and the bus). */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
