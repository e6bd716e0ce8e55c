import { activityEvents } from './activity/events.ts';
import { EventRegistry } from './kernel/registry.ts';
import { mandateEvents, termEvents } from './mandate/events.ts';
import { personEvents } from './person/events.ts';
import { reviewEvents } from './review/events.ts';
import { pairingEvents } from './pairing/index.ts';
import { stationEvents } from './station/index.ts';
import { opinionEvents } from './opinion/index.ts';
import { suggestionEvents } from './suggestion/index.ts';
import { reportEvents } from './report/index.ts';
import { serviceEvents } from './service/index.ts';
import { regulationEvents } from './regulation/index.ts';
import { handoverEvents } from './handover/index.ts';
import { accountEvents } from './account/index.ts';
import { evidenceEvents } from './evidence/index.ts';

/** Every event type yingpan writes. docs/events.md is generated from this list. */
export const registry = new EventRegistry().register(
  ...personEvents,
  ...termEvents,
  ...mandateEvents,
  ...activityEvents,
  ...pairingEvents,
  ...stationEvents,
  ...opinionEvents,
  ...suggestionEvents,
  ...reportEvents,
  ...serviceEvents,
  ...regulationEvents,
  ...reviewEvents,
  ...handoverEvents,
  ...accountEvents,
  ...evidenceEvents,
);
