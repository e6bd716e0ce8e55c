export * from './seed.ts';
export { Random } from './random.ts';
