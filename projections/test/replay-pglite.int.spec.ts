import { everyEngine } from '@yingpan/db/testing';
import { replayProperty } from './replay-property.ts';

const postgres = everyEngine.find((target) => target.name === 'postgres')!;
// The event-by-event check runs on PostgreSQL when it is here (replay-postgres), else on PGlite.
replayProperty(everyEngine.find((target) => target.name === 'pglite')!, { eventByEvent: postgres.skipReason !== null });
