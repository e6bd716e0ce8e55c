export * from './county.ts';
export { Random } from './random.ts';
export { DEMO_SEED, SEED_CHOICES, seedChoiceOf, type SeedChoice } from './choice.ts';
