export * from './engine/projection.ts';
export * from './engine/projector.ts';
export { trainingStats } from './training-stats/projection.ts';
export * from './training-stats/queries.ts';
export { directory } from './directory/projection.ts';
export * from './directory/queries.ts';

import { directory } from './directory/projection.ts';
import { trainingStats } from './training-stats/projection.ts';

/** Every read model the product runs. */
export const allProjections = [directory, trainingStats];
export * from './engine/model-hash.ts';
