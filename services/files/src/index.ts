export * from './evidence.ts';
export * from './store.ts';
