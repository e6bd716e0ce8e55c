/** The service area, "我为群众办实事" (practical help): its events and command definitions (wired into the registry and the bus). */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
