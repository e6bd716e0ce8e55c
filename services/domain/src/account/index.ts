/** The account area: accounts, their link to a person, grants of roles, passwords and lock-outs. */
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
