import { activityEvents } from './activity/events.ts';
import { EventRegistry } from './kernel/registry.ts';
import { personEvents } from './person/events.ts';

/** Every event type yingpan writes. docs/events.md is the human-readable view of this list. */
export const registry = new EventRegistry().register(...personEvents, ...activityEvents);
