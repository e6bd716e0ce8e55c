/**
 * One random case of the replay property per run (replay-property.ts), the same for both engines'
 * files: each replays the same random county in the same random batches, so the county is built
 * through the commands once (the seed's fixture, one builder at a time) instead of once per engine.
 * YINGPAN_REPLAY_SEED=<n> runs a printed case again.
 */
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** fast-check's seed for the replay property's one run. */
    replaySeed: number;
  }
}

export default function setup(project: TestProject): void {
  const given = process.env.YINGPAN_REPLAY_SEED;
  const seed = given ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`YINGPAN_REPLAY_SEED must be an integer, got ${JSON.stringify(given)}`);
  console.log(`[replay property] fast-check seed ${seed} (YINGPAN_REPLAY_SEED=${seed} runs this case again)`);
  project.provide('replaySeed', seed);
}
