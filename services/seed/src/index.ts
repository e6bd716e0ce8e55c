export * from './county.ts';
export { Random } from './random.ts';
export { SEED_CHOICES, seedChoiceOf, type SeedChoice } from './choice.ts';
