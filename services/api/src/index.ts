export * from './runtime.ts';
export * from './app.ts';
export { schema, printSdl } from './schema/index.ts';
export * from './auth.ts';
export { leaderName, PROJECTOR_LOCK } from './ha.ts';
