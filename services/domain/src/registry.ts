import { activityEvents } from './activity/events.ts';
import { EventRegistry } from './kernel/registry.ts';
import { mandateEvents, termEvents } from './mandate/events.ts';
import { personEvents } from './person/events.ts';
import { reviewEvents } from './review/events.ts';

/** Every event type yingpan writes. docs/events.md is generated from this list. */
export const registry = new EventRegistry().register(...personEvents, ...termEvents, ...mandateEvents, ...activityEvents, ...reviewEvents);
