export * from './county.ts';
export { WriteBehindStore } from './write-behind-store.ts';
export { Random } from './random.ts';
export { SEED_CHOICES, seedChoiceOf, type SeedChoice } from './choice.ts';
