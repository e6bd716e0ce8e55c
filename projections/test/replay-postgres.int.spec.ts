import { everyEngine } from '@yingpan/db/testing';
import { replayProperty } from './replay-property.ts';

replayProperty(everyEngine.find((target) => target.name === 'postgres')!, { eventByEvent: true });
