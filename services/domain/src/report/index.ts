/** The report area, the annual duty report (年述职): its events and command definitions (wired into the registry and the bus). */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
