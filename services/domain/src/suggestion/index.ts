/** The suggestion area, suggestions and motions (建议、议案): its events and command definitions (wired into the registry and the bus). */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
