import { everyEngine } from '@yingpan/db/testing';
import { replayProperty } from './replay-property.ts';

const postgres = everyEngine.find((target) => target.name === 'postgres')!;
// Batches of one run on PostgreSQL when it is here (replay-postgres), else on PGlite.
replayProperty(everyEngine.find((target) => target.name === 'pglite')!, { batchesOfOne: postgres.skipReason !== null });
