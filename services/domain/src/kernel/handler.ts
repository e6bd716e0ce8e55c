/**
 * Runs one command against one stream: read and fold the stream, decide, append with the exact
 * expected version. A concurrent writer's conflict is retried from a fresh read (after a short
 * random pause), and answered as the business error 'concurrent-change' when it keeps losing; a command whose
 * id is already in the stream returns its original events without deciding again.
 */
import { ConcurrencyError, type EventStore, type StoredEvent } from '@yingpan/event-store';
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

const MAX_ATTEMPTS = 5;

/** The stream's folded state, from the cache plus whatever was appended since, or from scratch. */
export async function loadState<E extends Event, S>(
  store: EventStore,
  registry: EventRegistry,
  decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve' | 'annotations'>,
  streamId: string,
  cache?: StateCache,
): Promise<CachedState<S>> {
  const cached = cache?.get<S>(decider, streamId);
  const fresh = await store.readStream(streamId, cached ? { fromVersion: cached.version + 1 } : {});
  if (cached && fresh.length === 0) return cached;
  // An annotation (evidence attached) counts towards the stream's version but is folded only by deciders that ask for it.
  const evolve = (state: S, event: StoredEvent) => (foldsEvent(decider, registry, event.type) ? decider.evolve(state, registry.read<E>(event)) : state);
  const entry = advance(cached, decider.initialState, evolve, fresh);
  cache?.set(decider, streamId, entry);
  return entry;
}

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
    const { state, version, commandIds } = await loadState(store, registry, decider, streamId, cache);
    if (commandIds.has(context.commandId)) {
      const earlier = (await store.readStream(streamId)).filter((event) => event.metadata.commandId === context.commandId);
      return { streamId, events: earlier, duplicate: true };
    }

    const decided = decider.decide(command, state);
    if (decided.length === 0) return { streamId, events: [], duplicate: false };
    assertActsNotFuture(decided, context);

    const metadata = {
      recordedBy: context.actor,
      occurredAt: context.occurredAt,
      correlationId: context.correlationId ?? context.commandId,
      causationId: context.commandId,
      commandId: context.commandId,
      ...(context.source ? { source: context.source } : {}),
    };
    const events = decided.map((event, index) => registry.toNew(event, eventIdFor(context.commandId, streamId, index), metadata));
    try {
      const result = await store.append({ streamId, expectedVersion: version === 0 ? 'no_stream' : version, events });
      const appended = await store.readStream(streamId, { fromVersion: result.nextExpectedVersion - events.length + 1 });
      return { streamId, events: appended.filter((event) => event.metadata.commandId === context.commandId), duplicate: result.duplicate };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new DomainError(
          'concurrent-change',
          { zh: '该记录正被他人同时修改，请稍后重试', en: 'Others are changing this record at the same moment; try again shortly' },
          null,
        );
      }
      // Back off a little, at random, so writers racing on one stream stop colliding.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
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
