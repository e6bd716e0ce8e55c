export * from './engine/projection.ts';
export * from './engine/projector.ts';
export { trainingStats } from './training-stats/projection.ts';
export * from './training-stats/queries.ts';
export { directory } from './directory/projection.ts';
export * from './directory/queries.ts';
export * from './directory/pinyin.ts';

export { mandates } from './mandates/projection.ts';
export * from './mandates/queries.ts';
export { facts, RECORD_EVENTS, REVIEW_EVENTS } from './facts/projection.ts';
export * from './facts/as-of.ts';
export * from './facts/queries.ts';
export { scoringRules } from './scores/projection.ts';
export * from './scores/queries.ts';
export * from './scores/score.ts';

export { countyRegistry } from './statistics/registry.ts';
export * from './statistics/queries.ts';
export * from './statistics/regulations.ts';
export { handover } from './handover/projection.ts';
export * from './handover/queries.ts';
export { stations } from './stations/projection.ts';
export * from './stations/queries.ts';
export { accounts, ACCOUNT_EVENTS } from './accounts/projection.ts';
export * from './accounts/queries.ts';
export { evidence } from './evidence/projection.ts';
export * from './evidence/queries.ts';

import { directory } from './directory/projection.ts';
import { countyRegistry } from './statistics/registry.ts';
import { handover } from './handover/projection.ts';
import { facts } from './facts/projection.ts';
import { mandates } from './mandates/projection.ts';
import { trainingStats } from './training-stats/projection.ts';
import { scoringRules } from './scores/projection.ts';
import { stations } from './stations/projection.ts';
import { accounts } from './accounts/projection.ts';
import { evidence } from './evidence/projection.ts';

/** Every read model the product runs. */
export const allProjections = [directory, trainingStats, mandates, facts, scoringRules, countyRegistry, handover, stations, accounts, evidence];
export * from './engine/model-hash.ts';
