import { activityEvents } from './activity/events.ts';
import type { ActKind } from './kernel/acts.ts';
import { type EventOf, EventRegistry } from './kernel/registry.ts';
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

const definitions = [
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
];

/** Every event type yingpan writes. docs/events.md is generated from this list. */
export const registry = new EventRegistry().register(...definitions);

/** Every event yingpan writes, as a union tagged by `type`. */
export type AnyEvent = EventOf<(typeof definitions)[number]>;
/** The name of every event type. */
export type EventType = AnyEvent['type'];
/** The event of one type, or of any of several. */
export type EventOfType<T extends EventType> = Extract<AnyEvent, { type: T }>;

/**
 * The event types that create a reviewable record of an act (`record: true`): those whose data
 * carries the fields every act record carries (kernel/acts.ts). A test holds the flag and the
 * fields together.
 */
export type RecordEventType = Extract<AnyEvent, { data: { recordId: string; act: ActKind; declared: boolean } }>['type'];
export const RECORD_EVENT_TYPES = registry
  .all()
  .filter((definition) => definition.record)
  .map((definition) => definition.type as RecordEventType);
