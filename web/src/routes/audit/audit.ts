/**
 * The audit page's logic: the event catalogue (docs/events.md) as filter choices, the filter form
 * and the header's as-of view as the `events` query's arguments, and the windows a stream's
 * history is read in.
 */
import { isIsoDate, toAsOfInput, type AsOfSetting } from '$lib/as-of';
import { countyDayEnd, countyDayStart } from '$lib/format';
import type { EventFilter } from '$lib/gql/graphql';

export interface CatalogueType {
  type: string;
  version: number;
  /** What the event means, the catalogue's first line about it. */
  description: string;
}

export interface CatalogueStream {
  /** The stream category, e.g. "station"; "*" for the review events every record's stream may hold. */
  category: string;
  types: CatalogueType[];
}

/**
 * The streams and event types of the catalogue, in its order. It is generated from the domain's
 * event registry (a test there fails when it is stale), so it lists every type the log can hold.
 */
export function parseCatalogue(markdown: string): CatalogueStream[] {
  const streams: CatalogueStream[] = [];
  let stream: CatalogueStream | undefined;
  let type: CatalogueType | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const streamHeading = /^## Stream `([^`:]+):<id>`/.exec(line);
    if (streamHeading) {
      stream = { category: streamHeading[1]!, types: [] };
      streams.push(stream);
      type = undefined;
      continue;
    }
    const typeHeading = /^### (\w+) \(v(\d+)\)/.exec(line);
    if (typeHeading && stream) {
      type = { type: typeHeading[1]!, version: Number(typeHeading[2]), description: '' };
      stream.types.push(type);
      continue;
    }
    if (line.startsWith('#')) {
      type = undefined;
      continue;
    }
    if (type && type.description === '' && line.trim() !== '' && !line.startsWith('|')) type.description = line.trim();
  }
  return streams;
}

/** The filter form: each field empty for "any"; days are county days, YYYY-MM-DD, both ends included. */
export interface AuditFilterForm {
  type: string;
  streamCategory: string;
  streamId: string;
  recorderRole: string;
  recordedFrom: string;
  recordedTo: string;
  occurredFrom: string;
  occurredTo: string;
}

export const EMPTY_FILTER: AuditFilterForm = Object.freeze({
  type: '',
  streamCategory: '',
  streamId: '',
  recorderRole: '',
  recordedFrom: '',
  recordedTo: '',
  occurredFrom: '',
  occurredTo: '',
});

export interface EventQueryArgs {
  filter?: EventFilter;
  /** Where the newest-first list starts: after this position (exclusive), for a view at a log position. */
  start?: string;
}

const earlier = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);

/**
 * The `events` arguments for the form as seen from the header's view: a log position shows only
 * what was recorded up to it, a date only what happened up to that day (as known today).
 * Malformed days are left out rather than sent.
 */
export function eventQueryArgs(form: AuditFilterForm, view: AsOfSetting): EventQueryArgs {
  const filter: EventFilter = {};
  if (form.type) filter.types = [form.type];
  if (form.streamCategory) filter.streamCategory = form.streamCategory;
  if (form.streamId.trim()) filter.streamId = form.streamId.trim();
  if (form.recorderRole) filter.recorderRole = form.recorderRole;
  const day = (value: string, bound: (day: string) => string) => (isIsoDate(value) ? bound(value) : undefined);
  const recordedFrom = day(form.recordedFrom, countyDayStart);
  let recordedTo = day(form.recordedTo, countyDayEnd);
  const occurredFrom = day(form.occurredFrom, countyDayStart);
  let occurredTo = day(form.occurredTo, countyDayEnd);

  const asOf = toAsOfInput(view);
  let start: string | undefined;
  if (asOf?.view === 'KNOWN' && typeof asOf.position === 'number') start = String(asOf.position + 1);
  // Both bounds are in the county's offset, so the earlier one sorts first as text.
  if (asOf?.view === 'HAPPENED' && asOf.date) occurredTo = earlier(occurredTo, countyDayEnd(asOf.date));
  // As known on a day: only what was recorded before the next county day began.
  if (view.view === 'KNOWN_ON' && isIsoDate(view.date)) recordedTo = earlier(recordedTo, countyDayEnd(view.date));

  if (recordedFrom) filter.recordedFrom = recordedFrom;
  if (recordedTo) filter.recordedTo = recordedTo;
  if (occurredFrom) filter.occurredFrom = occurredFrom;
  if (occurredTo) filter.occurredTo = occurredTo;
  return { ...(Object.keys(filter).length > 0 ? { filter } : {}), ...(start !== undefined ? { start } : {}) };
}

export interface ViewedEvent {
  position: number;
  occurredAt: string;
  recordedAt?: string;
}

/** An event the header's view does not yet hold: recorded after its log position or its day, or happened after its day. */
export function afterView(event: ViewedEvent, view: AsOfSetting): boolean {
  if (view.view === 'KNOWN_ON' && isIsoDate(view.date) && event.recordedAt) return Date.parse(event.recordedAt) >= Date.parse(countyDayEnd(view.date));
  const asOf = toAsOfInput(view);
  if (asOf?.view === 'KNOWN' && typeof asOf.position === 'number') return event.position > asOf.position;
  if (asOf?.view === 'HAPPENED' && asOf.date) return Date.parse(event.occurredAt) >= Date.parse(countyDayEnd(asOf.date));
  return false;
}

/** The first characters of a hash, enough to tell events apart on screen. */
export const shortHash = (hash: string, length = 12): string => (hash.length > length ? `${hash.slice(0, length)}…` : hash);

/** JSON as people read it: two-space indents. */
export const prettyJson = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'null';

/** The top-level keys whose values differ between two states (objects compared as JSON), in order of `after` then `before`. */
export function changedKeys(before: unknown, after: unknown): string[] {
  const asRecord = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const a = asRecord(before);
  const b = asRecord(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/** Steps of a stream's history read at once: one less than the API's page, to read the step before too. */
export const HISTORY_WINDOW = 99;

export interface HistoryWindow {
  /** Which window (0 for the first). */
  index: number;
  /** The `after` cursor (a stream version) to read it with; absent for the first. */
  after?: string;
  /** How many steps to read: the window, plus the step before it after the first. */
  first: number;
}

/** The window holding stream version `version` (1 and up), with the step before it so its changes can be shown. */
export function historyWindow(version: number): HistoryWindow {
  const index = Math.floor((Math.max(1, version) - 1) / HISTORY_WINDOW);
  return index === 0 ? { index, first: HISTORY_WINDOW } : { index, after: String(index * HISTORY_WINDOW - 1), first: HISTORY_WINDOW + 1 };
}
