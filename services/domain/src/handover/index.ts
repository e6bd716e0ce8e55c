/** The handover area: acknowledging and reassigning the items left open at a term change. */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
export * from './vocabulary.ts';
