/**
 * Runs one command against one stream: read and fold the stream, decide, append with the exact
 * expected version. A concurrent writer's conflict is retried from a fresh read (after a short
 * random pause), and answered as the business error 'concurrent-change' when it keeps losing; a command whose
 * id is already in the stream returns its original events without deciding again.
 *
 * Commands of one stream decide one after another, but need not wait for each other's appends: a
 * command decides on the state its predecessors' events will make (`InFlightAppends`) and hands its
 * own to the store right behind theirs, with the version they will reach as its expected version.
 * The store's version check keeps that exact: if a predecessor's append fails, the appends behind
 * it are refused as conflicts and decided again. A refusal (or a no-op) decided on such a state
 * waits for the predecessors and is decided again if one of them failed, so nobody is refused
 * over an event that was never stored.
 */
import { ConcurrencyError, type EventStore, type NewEvent, type StoredEvent } from '@yingpan/event-store';
import { foldsEvent, type Decider } from './decider.ts';
import { DomainError } from './errors.ts';
import { eventIdFor } from './ids.ts';
import { assertNotFuture, localDate } from './recording.ts';
import type { Command, CommandContext, Event } from './messages.ts';
import type { EventRegistry } from './registry.ts';
import { advance, type CachedState, type StateCache } from './state-cache.ts';

export interface CommandOutcome {
  streamId: string;
  /** The events the command appended (or had appended, for a retry). */
  events: StoredEvent[];
  /** True when the command id had already been handled. */
  duplicate: boolean;
}

/** How many times a command is decided again after losing its stream's version check. */
export const MAX_ATTEMPTS = 5;

/** The refusal of a command that kept losing its stream to other writers. */
export const concurrentChange = () =>
  new DomainError(
    'concurrent-change',
    { zh: '该记录正被他人同时修改，请稍后重试', en: 'Others are changing this record at the same moment; try again shortly' },
    null,
  );

/** A short random pause before deciding again, longer with each attempt, so writers racing on one stream stop colliding. */
export const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

type Folder<E extends Event, S> = Pick<Decider<never, E, S>, 'initialState' | 'evolve' | 'annotations'>;

/** A decider's evolve over stored events: annotations (evidence attached) count towards the version but only deciders that ask for them fold them. */
const evolveStored =
  <E extends Event, S>(registry: EventRegistry, decider: Folder<E, S>) =>
  (state: S, event: Pick<StoredEvent, 'type' | 'schemaVersion' | 'data'>) =>
    foldsEvent(decider, registry, event.type) ? decider.evolve(state, registry.read<E>(event)) : state;

/** The stream's folded state, from the cache plus whatever was appended since, or from scratch. */
export async function loadState<E extends Event, S>(
  store: EventStore,
  registry: EventRegistry,
  decider: Folder<E, S>,
  streamId: string,
  cache?: StateCache,
): Promise<CachedState<S>> {
  const cached = cache?.get<S>(decider, streamId);
  const fresh = await store.readStream(streamId, cached ? { fromVersion: cached.version + 1 } : {});
  if (cached && fresh.length === 0) return cached;
  const entry = advance(cached, decider.initialState, evolveStored(registry, decider), fresh);
  // A read that finished after a newer state was cached (an append landed meanwhile) leaves that one.
  if ((cache?.get<S>(decider, streamId)?.version ?? 0) <= entry.version) cache?.set(decider, streamId, entry);
  return entry;
}

/**
 * Folds the events an append stored into the cached state of their stream, when they follow it
 * directly (the cache then holds what the log holds without reading it); otherwise leaves it.
 */
function cacheAppended<E extends Event, S>(registry: EventRegistry, decider: Folder<E, S>, cache: StateCache | undefined, events: readonly StoredEvent[]) {
  const first = events[0];
  if (!cache || !first) return;
  const cached = cache.get<S>(decider, first.streamId);
  if (!cached || cached.version !== first.streamVersion - 1) return;
  cache.set(decider, first.streamId, advance(cached, decider.initialState, evolveStored(registry, decider), events));
}

/** The appends of one stream handed to the store and not yet answered, and the state they lead to. */
interface Flight {
  /** The decider whose state `entry` is. */
  folder: object;
  entry: CachedState<unknown>;
  appends: Set<Promise<unknown>>;
  /** One of them failed: `entry` may never stand. */
  failed: boolean;
}

/**
 * Each stream's appends in flight (see the top of this file). Only the stream's turn (the bus's
 * queue) adds to a stream's flight; anyone may wait for it to land (`settled`).
 */
export class InFlightAppends {
  private readonly streams = new Map<string, Flight>();

  /** The flight of `streamId`, if it has appends in flight. */
  get(streamId: string): Flight | undefined {
    return this.streams.get(streamId);
  }

  /** Resolves once the appends of `streamId` in flight now have been answered, either way. */
  async settled(streamId: string): Promise<void> {
    const flight = this.streams.get(streamId);
    if (flight) await Promise.allSettled([...flight.appends]);
  }

  /** Notes an append handed to the store and the state the stream will have once it lands. */
  record(folder: object, streamId: string, entry: CachedState<unknown>, append: Promise<unknown>): void {
    let flight = this.streams.get(streamId);
    if (!flight) {
      flight = { folder, entry, appends: new Set(), failed: false };
      this.streams.set(streamId, flight);
    }
    flight.folder = folder;
    flight.entry = entry;
    flight.appends.add(append);
    const landed = flight;
    // Registered before anyone can wait for it, so `settled` resolves after this bookkeeping.
    append.then(
      () => this.land(streamId, landed, append, false),
      () => this.land(streamId, landed, append, true),
    );
  }

  private land(streamId: string, flight: Flight, append: Promise<unknown>, failed: boolean): void {
    flight.appends.delete(append);
    if (failed) flight.failed = true;
    if (flight.appends.size === 0 && this.streams.get(streamId) === flight) this.streams.delete(streamId);
  }
}

/** A command decided and its append handed to the store; `finished` settles with the store's answer. */
export interface StartedCommand {
  finished: Promise<CommandOutcome>;
}

/**
 * One attempt at a command, inside its stream's turn: decide (on the state the stream's appends in
 * flight lead to, else on the stored state) and hand the events to the store. Returns once the
 * append is handed over; `finished` rejects with a ConcurrencyError when the stream's version
 * moved meanwhile (decide again, in a new turn).
 */
export async function startCommand<C extends Command, E extends Event, S>(
  store: EventStore,
  registry: EventRegistry,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  context: CommandContext,
  cache?: StateCache,
  inFlight?: InFlightAppends,
  /** The stream's stored state, read already (e.g. while the command's lookups ran); used when nothing is in flight. */
  read?: Promise<CachedState<S>>,
  /**
   * Decide on the cached state without reading the log when nothing is in flight: the append's exact
   * expected version is the check (a stream moved by another writer is a ConcurrencyError, and the
   * caller decides again without the cache). A refusal or a no-op decided on it is decided again on
   * the state read from the log, so nobody is refused on a state that was behind.
   */
  trustCache = false,
): Promise<StartedCommand> {
  for (;;) {
    const flight = inFlight?.get(streamId);
    if (flight && (flight.failed || flight.folder !== decider)) {
      // Behind a failed append, or another decider's state: let the stream land, then read it.
      read = undefined;
      await inFlight!.settled(streamId);
      continue;
    }
    const stored = read;
    read = undefined;
    const cached = !flight && trustCache ? cache?.get<S>(decider, streamId) : undefined;
    const base = flight ? (flight.entry as CachedState<S>) : (cached ?? (await (stored ?? loadState(store, registry, decider, streamId, cache))));
    /** True when the state decided on may not be the log's (ahead of it, and one of the appends it counted on failed; or a cached state not read again): decide again. */
    const decidedOnSand = async () => {
      if (cached) {
        trustCache = false;
        return true;
      }
      if (!flight) return false;
      await inFlight!.settled(streamId);
      return flight.failed;
    };
    if (base.commandIds.has(context.commandId)) {
      // A cached state is never ahead of the log: the command ids it holds are stored.
      if (!cached && (await decidedOnSand())) continue;
      const earlier = (await store.readStream(streamId)).filter((event) => event.metadata.commandId === context.commandId);
      return { finished: Promise.resolve({ streamId, events: earlier, duplicate: true }) };
    }

    let decided: E[];
    try {
      decided = decider.decide(command, base.state);
      assertActsNotFuture(decided, context);
    } catch (error) {
      if (await decidedOnSand()) continue;
      throw error;
    }
    if (decided.length === 0) {
      if (await decidedOnSand()) continue;
      return { finished: Promise.resolve({ streamId, events: [], duplicate: false }) };
    }

    const metadata = {
      recordedBy: context.actor,
      occurredAt: context.occurredAt,
      correlationId: context.correlationId ?? context.commandId,
      causationId: context.commandId,
      commandId: context.commandId,
      ...(context.source ? { source: context.source } : {}),
    };
    const events = decided.map((event, index) => registry.toNew(event, eventIdFor(context.commandId, streamId, index), metadata));
    const { version } = base;
    const append = store.append({ streamId, expectedVersion: version === 0 ? 'no_stream' : version, events });
    if (inFlight) inFlight.record(decider, streamId, ahead(registry, decider, base, streamId, events), append);
    // The store answers with the events as stored: nothing is read after the append.
    const finished = append.then((result): CommandOutcome => {
      if (!result.duplicate) cacheAppended(registry, decider, cache, result.events);
      return { streamId, events: result.events, duplicate: result.duplicate };
    });
    return { finished };
  }
}

/** The state after `events` land on `base` (a new value: the cached entry stays what the log holds). */
function ahead<E extends Event, S>(registry: EventRegistry, decider: Folder<E, S>, base: CachedState<S>, streamId: string, events: NewEvent[]) {
  const landing = events.map((event, index) => ({
    type: event.type,
    schemaVersion: event.schemaVersion,
    // As the store will give it back: JSON.
    data: JSON.parse(JSON.stringify(event.data)) as unknown,
    streamId,
    streamVersion: base.version + index + 1,
    metadata: { commandId: event.metadata.commandId },
  }));
  return advance(base, decider.initialState, evolveStored(registry, decider), landing as unknown as StoredEvent[]);
}

/** Runs a command to its end, deciding again after a lost version check (no queue: for callers that run one command per stream at a time). */
export async function handleCommand<C extends Command, E extends Event, S>(
  store: EventStore,
  registry: EventRegistry,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  context: CommandContext,
  cache?: StateCache,
): Promise<CommandOutcome> {
  for (let attempt = 1; ; attempt++) {
    const { finished } = await startCommand(store, registry, decider, streamId, command, context, cache);
    try {
      return await finished;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw concurrentChange();
      await backOff(attempt);
    }
  }
}

/** How far ahead a plan may be dated (an activity announced, a deadline set, reception times published). */
export const PLAN_WINDOW_DAYS = 366;

/** Days of events that say something happened: none may be after the day the command is issued. */
const HAPPENED_ON: Record<string, readonly string[]> = {
  OpinionRegistered: ['registeredOn'],
  OpinionReferred: ['referredOn'],
  OpinionAnswered: ['answeredOn'],
  OpinionClosed: ['closedOn'],
  OpinionReopened: ['reopenedOn'],
  SuggestionDrafted: ['draftedOn'],
  SuggestionAssigned: ['assignedOn'],
  SuggestionAnswered: ['answeredOn'],
  SuggestionRated: ['ratedOn'],
  SuggestionWithdrawn: ['withdrawnOn'],
  DutyReportRated: ['ratedOn'],
};

/** Days of events that plan something: at most PLAN_WINDOW_DAYS ahead. */
const PLANNED_ON: Record<string, readonly string[]> = {
  TrainingOrganised: ['date'],
  ActivityOrganised: ['date'],
  OpinionRegistered: ['deadline'],
  OpinionReferred: ['deadline'],
  OpinionReopened: ['deadline'],
  SuggestionAssigned: ['deadline'],
  ReceptionTimesPublished: ['effectiveFrom'],
};

/** The day `days` after `day` (both YYYY-MM-DD). */
export function daysAfter(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A plan dated more than the window ahead is refused, naming the last day allowed. */
export function assertWithinPlanWindow(day: string, today: string, field: string): void {
  const last = daysAfter(today, PLAN_WINDOW_DAYS);
  if (day > last) {
    throw new DomainError(
      'too-far-ahead',
      { zh: `日期 ${day} 太远：最晚可定在 ${last}（今天起一年内）`, en: `${day} is too far ahead: the latest allowed is ${last} (within a year from today)` },
      field,
    );
  }
}

/**
 * No record of an act may be dated after the day the command is issued (the county's date of its
 * `occurredAt`): a record created, or a correction's new version; nor may a step of an opinion's or
 * a suggestion's handling. A plan (an activity, a deadline, reception times) may lie ahead, within
 * PLAN_WINDOW_DAYS. One rule for every kind of act, here rather than in each decider.
 */
function assertActsNotFuture(events: readonly Event[], context: CommandContext): void {
  const today = localDate(context.occurredAt);
  for (const event of events) {
    const data = event.data as ({ act?: unknown; date?: unknown; corrected?: { date?: unknown } } & Record<string, unknown>) | null;
    if (!data || typeof data !== 'object') continue;
    if (typeof data.act === 'string' && typeof data.date === 'string') assertNotFuture(data.date, today);
    if (data.corrected && typeof data.corrected.date === 'string') assertNotFuture(data.corrected.date, today, 'corrected.date');
    for (const field of HAPPENED_ON[event.type] ?? []) {
      const day = data[field];
      if (typeof day === 'string') assertNotFuture(day, today, field);
    }
    for (const field of PLANNED_ON[event.type] ?? []) {
      const day = data[field];
      if (typeof day === 'string') assertWithinPlanWindow(day, today, field);
    }
  }
}
