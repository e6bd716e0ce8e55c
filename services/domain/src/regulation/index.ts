/**
 * The regulation area, regulations (制度) and the quantitative evaluation rules they carry: its
 * events and command definitions (wired into the registry and the bus), the scoring-rules schema,
 * example rule sets and `rulesInForce`.
 */
export * from './scoring.ts';
export * from './examples.ts';
export * from './in-force.ts';
export * from './events.ts';
export * from './decider.ts';
export * from './commands.ts';
