/**
 * The event log for auditors (审计): every event with who recorded it, when it happened and when
 * it was recorded, each link of the hash chain checked, records followed to their review and
 * correction events and back, the whole chain verified against a kept digest, and a stream
 * replayed with the state after each of its events.
 *
 * Browsing reads yingpan.events with SQL, so it needs one of the SQL stores (PostgreSQL, PGlite);
 * browsing a KurrentDB log comes later. `chainStatus` works on every store.
 *
 * These fields belong to auditors and administrators (access.ts); voters' personal data in event
 * data and folded states is shown to auditors only.
 */
import { createContextCache } from '@pothos/core';
import {
  activityDecider,
  deputyActDecider,
  dutyReportDecider,
  homeVisitDecider,
  mandateDecider,
  opinionDecider,
  pairingDecider,
  personDecider,
  registry,
  regulationDecider,
  reviewEvents,
  stationDecider,
  suggestionDecider,
  termDecider,
  type Decider,
  type Event,
} from '@yingpan/domain';
import {
  EVENT_COLUMNS,
  GENESIS_HASH,
  SqlEventStore,
  hashOf,
  formatDigest,
  parseDigest,
  rowToEvent,
  type EventRow,
  type Head,
  type StoredEvent,
  type VerifyResult,
} from '@yingpan/event-store';
import DataLoader from 'dataloader';
import { valueFromASTUntyped } from 'graphql';
import { z } from 'zod';
import { withholdVoters } from '../access.ts';
import type { Context } from '../context.ts';
import { builder, MAX_PAGE_SIZE } from './builder.ts';
import { type ErrorCode, requestError } from '../errors.ts';
import { pageSize } from './common.ts';

// ---------------------------------------------------------------------------------------------
// The JSON scalar.

export const JsonScalar = builder.scalarType('JSON', {
  description: 'Any JSON value (object, array, string, number, boolean or null), passed through unchanged.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

// ---------------------------------------------------------------------------------------------
// Reading yingpan.events.

/**
 * A query argument the auditor got wrong, or a log that cannot be browsed: passed to the client unmasked. Made by Yoga's
 * `createGraphQLError`, so it is the GraphQLError class Yoga checks for even where `graphql` is loaded twice (ESM and CJS, as
 * under vitest); `new GraphQLError` from here would be masked there.
 */
const auditError = (code: ErrorCode, en: string, zh: string) => requestError(code, { en, zh });

/** The database holding the log; refuses a store other than the SQL one. */
function sqlLog(context: Context) {
  if (!(context.store instanceof SqlEventStore)) {
    throw auditError(
      'log-not-browsable',
      'Browsing the event log needs the SQL event store (PostgreSQL or PGlite); browsing a KurrentDB log is not available yet. chainStatus works on every store.',
      '事件日志浏览需要 SQL 事件存储（PostgreSQL 或 PGlite），暂不支持 KurrentDB；链校验（chainStatus）不受此限。',
    );
  }
  return context.db;
}

/** The log's pages: `pageSize`'s rule, a whole page when `first` is omitted. */
const logPageSize = (first: number | null | undefined) => pageSize(first, { fallback: MAX_PAGE_SIZE });

function parseCursor(after: string | null | undefined): number | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,15}$/.test(after)) throw auditError('invalid-cursor', `Not a cursor of this list: ${after}`, `无效的游标：${after}`);
  return Number(after);
}

function connectionOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string, hasPreviousPage: boolean) {
  const edges = rows.slice(0, limit).map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

// ---------------------------------------------------------------------------------------------
// Records and their review events.

const REVIEW_TYPES: ReadonlySet<string> = new Set(reviewEvents.map((definition) => definition.type));
const RECORD_TYPES: ReadonlySet<string> = new Set(
  registry
    .all()
    .filter((definition) => definition.record)
    .map((definition) => definition.type),
);
/** Record and review types with older schema versions, whose stored data may lack a `recordId` until upcast. */
const UPCAST_TYPES = registry.all().filter((definition) => (definition.record || REVIEW_TYPES.has(definition.type)) && definition.version > 1);

/** The record an event creates or names, from its data in today's shape; null for any other event. */
function recordIdOf(event: StoredEvent): string | null {
  if (!REVIEW_TYPES.has(event.type) && !RECORD_TYPES.has(event.type)) return null;
  try {
    const { recordId } = registry.read<Event<string, { recordId?: unknown }>>(event).data;
    return typeof recordId === 'string' ? recordId : null;
  } catch {
    return null;
  }
}

const recordKey = (streamId: string, recordId: string) => JSON.stringify([streamId, recordId]);

/** Per request: the creating and review events of records, one query for every record asked about in a tick (a page). */
const recordEvents = createContextCache(
  (context: Context) =>
    new DataLoader<string, StoredEvent[]>(async (keys) => {
      const pairs = keys.map((key) => JSON.parse(key) as [string, string]);
      const { rows } = await context.db.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM yingpan.events AS e
          WHERE e.stream_id = ANY($1::text[]) AND e.type = ANY($2::text[])
            AND (e.data->>'recordId' = ANY($3::text[])
                 OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::int[]) AS today(type, version)
                             WHERE today.type = e.type AND e.schema_version < today.version))
          ORDER BY e.position`,
        [
          [...new Set(pairs.map(([streamId]) => streamId))],
          [...RECORD_TYPES, ...REVIEW_TYPES],
          [...new Set(pairs.map(([, recordId]) => recordId))],
          UPCAST_TYPES.map((definition) => definition.type),
          UPCAST_TYPES.map((definition) => definition.version),
        ],
      );
      const byKey = new Map<string, StoredEvent[]>();
      for (const event of rows.map(rowToEvent)) {
        const recordId = recordIdOf(event);
        if (recordId === null) continue;
        const key = recordKey(event.streamId, recordId);
        byKey.set(key, [...(byKey.get(key) ?? []), event]);
      }
      return keys.map((key) => byKey.get(key) ?? []);
    }),
);

/** Per request: stored hashes by position, one query for every position asked about in a tick (a page). */
const storedHashes = createContextCache(
  (context: Context) =>
    new DataLoader<number, string | null>(async (positions) => {
      const { rows } = await context.db.query<{ position: number; hash: string }>(
        'SELECT position, hash FROM yingpan.events WHERE position = ANY($1::bigint[])',
        [positions],
      );
      const byPosition = new Map(rows.map((row) => [Number(row.position), row.hash]));
      return positions.map((position) => byPosition.get(position) ?? null);
    }),
);

// ---------------------------------------------------------------------------------------------
// Types.

const RecorderRef = builder.objectRef<StoredEvent['metadata']['recordedBy']>('EventRecorder').implement({
  description: 'Who put an event into the log (登记人).',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The recorder’s person id, or an office account such as "county-office".' }),
    role: t.exposeString('role', {
      description:
        'The role the recorder acted in, as written in the log: public, deputy, station-manager, staff, committee-member, auditor or admin ' +
        '(free text in the log, so an older or foreign value shows as written).',
    }),
  }),
});

export const EventRef = builder.objectRef<StoredEvent>('Event');
EventRef.implement({
  description: 'One event of the immutable, hash-chained log (事件日志): an act or decision as it was recorded.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Place in the global log: 1, 2, 3 … with no gaps, in commit order.' }),
    id: t.exposeID('id', { description: 'The event id (UUID), chosen by the writer.' }),
    streamId: t.exposeString('streamId', { description: 'The stream it belongs to, "<category>:<id>", e.g. "station:…".' }),
    streamCategory: t.string({ description: 'The stream’s category, e.g. "station".', resolve: (event) => event.streamId.split(':')[0] ?? '' }),
    streamVersion: t.exposeInt('streamVersion', { description: 'Its place in the stream: 1 for the stream’s first event.' }),
    type: t.exposeString('type', { description: 'The event type as written in the log, e.g. "StationVisitRecorded" (see docs/events.md).' }),
    schemaVersion: t.exposeInt('schemaVersion', { description: 'The version of the type’s schema the data was written in.' }),
    data: t.field({
      type: JsonScalar,
      description:
        'The event’s data as stored (in `schemaVersion`’s shape); the hash covers it. OpinionRegistered data carries the voter’s ' +
        'PERSONAL DATA (`voter`: name, phone, address; `content`: the opinion in the voter’s words): auditors see them; for other readers each is replaced by {"withheld": true}.',
      resolve: (event, _, context) => withholdVoters(context.actor, event.data),
    }),
    recordId: t.string({
      nullable: true,
      description: 'The record (act) this event creates, or the record a review or correction event names; null for other events.',
      resolve: (event) => recordIdOf(event),
    }),
    recordedBy: t.field({ type: RecorderRef, description: 'Who recorded it.', resolve: (event) => event.metadata.recordedBy }),
    occurredAt: t.field({
      type: 'DateTime',
      description: 'When the act happened (ISO 8601 instant); earlier than recordedAt when a paper record was entered late.',
      resolve: (event) => event.metadata.occurredAt,
    }),
    recordedAt: t.field({
      type: 'DateTime',
      description: 'When it entered the log (ISO 8601 instant), by the store’s clock.',
      resolve: (event) => event.metadata.recordedAt,
    }),
    correlationId: t.string({ description: 'Groups every event caused by one request.', resolve: (event) => event.metadata.correlationId }),
    causationId: t.string({
      nullable: true,
      description: 'The command or event that caused this one, if any.',
      resolve: (event) => event.metadata.causationId,
    }),
    commandId: t.string({
      nullable: true,
      description: 'The client-chosen id of the command that produced it, if any.',
      resolve: (event) => event.metadata.commandId ?? null,
    }),
    prevHash: t.exposeString('prevHash', { description: 'The hash of the previous event in the log as stored with this one (64 zeros for position 1), hex.' }),
    hash: t.exposeString('hash', {
      description:
        'sha256 over prevHash and this event’s canonical content (chain version 2: position, stream version, recording time and a hash of the rest), hex, as stored.',
    }),
    hashValid: t.boolean({
      description:
        'This link of the chain holds: the hash recomputed from the stored content equals `hash`, and `prevHash` equals the stored hash of the ' +
        'previous position. False when a stored byte of this event was changed, or the event before it is missing or was rewritten. ' +
        'chainStatus checks the whole chain.',
      async resolve(event, _, context) {
        const previous = event.position === 1 ? GENESIS_HASH : await storedHashes(context).load(event.position - 1);
        return previous !== null && event.prevHash === previous && hashOf(event.prevHash, event) === event.hash;
      },
    }),
    corrects: t.field({
      type: EventRef,
      nullable: true,
      description:
        'For a review or correction event (RecordApproved, RecordRejected, RecordCorrected, RecordRetracted): the event that created the ' +
        'record it names (same stream, same recordId). Null for other events.',
      async resolve(event, _, context) {
        if (!REVIEW_TYPES.has(event.type)) return null;
        const recordId = recordIdOf(event);
        if (recordId === null) return null;
        sqlLog(context);
        const events = await recordEvents(context).load(recordKey(event.streamId, recordId));
        return events.find((other) => RECORD_TYPES.has(other.type)) ?? null;
      },
    }),
    correctedBy: t.field({
      type: [EventRef],
      description:
        'For an event that creates a record (an act): the later review and correction events on that record, in log order ' +
        '(审核、更正、撤销). Empty for other events.',
      async resolve(event, _, context) {
        if (!RECORD_TYPES.has(event.type)) return [];
        const recordId = recordIdOf(event);
        if (recordId === null) return [];
        sqlLog(context);
        const events = await recordEvents(context).load(recordKey(event.streamId, recordId));
        return events.filter((other) => REVIEW_TYPES.has(other.type) && other.position > event.position);
      },
    }),
  }),
});

const EventConnection = builder.connectionObject(
  {
    type: EventRef,
    name: 'EventConnection',
    description: `A page of the event log; the cursor is the event’s position. At most ${MAX_PAGE_SIZE} events a page.`,
    edgesNullable: { list: false, items: false },
    nodeNullable: false,
  },
  { name: 'EventEdge', description: 'An event and its cursor (its position).' },
);

const EventOrder = builder.enumType('EventOrder', {
  description: 'The order in which to page through the log.',
  values: {
    OLDEST_FIRST: { value: 'asc' as const, description: 'By position, ascending: `after` pages to later events.' },
    NEWEST_FIRST: { value: 'desc' as const, description: 'By position, descending: `after` pages to earlier events.' },
  },
});

const EventFilter = builder.inputType('EventFilter', {
  description: 'Which events to list; every condition given must hold. Time bounds are ISO 8601 instants: From inclusive, To exclusive.',
  fields: (t) => ({
    streamId: t.string({ description: 'Only this stream, e.g. "station:…".' }),
    streamCategory: t.string({ description: 'Only streams of this category, e.g. "station", "opinion", "deputy-act".' }),
    types: t.stringList({ description: 'Only these event types, e.g. ["RecordCorrected", "RecordRetracted"]; omitted or empty: every type.' }),
    personId: t.id({ description: 'Only events recorded by this person (the recorder, not the person the act concerns).' }),
    recorderRole: t.string({ description: 'Only events recorded in this role, e.g. "deputy" (declarations) or "staff".' }),
    recordedFrom: t.field({ type: 'DateTime', description: 'Recorded at or after this instant.' }),
    recordedTo: t.field({ type: 'DateTime', description: 'Recorded before this instant.' }),
    occurredFrom: t.field({ type: 'DateTime', description: 'The act happened at or after this instant.' }),
    occurredTo: t.field({ type: 'DateTime', description: 'The act happened before this instant.' }),
  }),
});

type EventFilterShape = typeof EventFilter.$inferInput;

const instant = z.iso.datetime({ offset: true });

/** SQL conditions for the filter, adding their values to `params`. */
function conditionsOf(filter: EventFilterShape | null | undefined, params: unknown[]): string[] {
  const conditions: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (!filter) return conditions;
  if (filter.streamId != null) add('stream_id = ?', filter.streamId);
  if (filter.streamCategory != null) add('starts_with(stream_id, ?)', `${filter.streamCategory}:`);
  if (filter.types != null && filter.types.length > 0) add('type = ANY(?::text[])', filter.types);
  if (filter.personId != null) add(`metadata->'recordedBy'->>'personId' = ?`, String(filter.personId));
  if (filter.recorderRole != null) add(`metadata->'recordedBy'->>'role' = ?`, filter.recorderRole);
  const bounds = [
    ['recordedFrom', 'recorded_at >= ?::timestamptz'],
    ['recordedTo', 'recorded_at < ?::timestamptz'],
    ['occurredFrom', 'occurred_at >= ?::timestamptz'],
    ['occurredTo', 'occurred_at < ?::timestamptz'],
  ] as const;
  for (const [field, sql] of bounds) {
    const value = filter[field];
    if (value == null) continue;
    if (!instant.safeParse(value).success) {
      throw auditError(
        'invalid-input',
        `filter.${field} must be an ISO 8601 instant with an offset, e.g. 2024-01-01T00:00:00+08:00`,
        `filter.${field} 须为带时区的 ISO 8601 时刻`,
      );
    }
    add(sql, new Date(value).toISOString());
  }
  return conditions;
}

const ChainFailureKind = builder.enumType('ChainFailureKind', {
  description: 'How the chain is broken.',
  values: {
    HASH_MISMATCH: { value: 'hash-mismatch' as const, description: 'An event’s content no longer matches its hash: a stored byte was changed.' },
    BROKEN_LINK: { value: 'broken-link' as const, description: 'An event’s previous-hash differs from the hash of the event before it.' },
    GAP: { value: 'gap' as const, description: 'A position is missing: an event was deleted or moved.' },
    DIGEST_MISMATCH: {
      value: 'digest-mismatch' as const,
      description: 'The log disagrees with the digest the auditor kept: history was rewritten or cut short.',
    },
  },
});

type Failure = Extract<VerifyResult, { ok: false }>;

const ChainFailureRef = builder.objectRef<Failure>('ChainFailure').implement({
  description: 'The first place where the chain does not hold.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'The position of the first event that fails.' }),
    kind: t.field({ type: ChainFailureKind, description: 'What kind of break it is.', resolve: (failure) => failure.kind }),
    message: t.exposeString('message', { description: 'What is wrong there, in English.' }),
  }),
});

/** A check of the chain, and when the whole log was last walked in this server. */
type ChainCheck = VerifyResult & { fullCheckAt: string | null; checkedFrom: number };

/**
 * Per store: the head this server has verified (by a full walk, then by each check of what
 * followed), and when the whole log was last walked. A chain check then walks only the events
 * appended since; `full: true` walks everything again.
 */
const verifiedHeads = new WeakMap<object, { head: Head; fullAt: string }>();

async function checkChain(store: Context['store'], options: { digest?: Head; full: boolean }): Promise<ChainCheck> {
  const known = options.full ? undefined : verifiedHeads.get(store);
  const now = new Date().toISOString();
  const result = await store.verify({ digest: options.digest, from: known?.head });
  // A store may walk everything even when given a head (KurrentDB does; so does any check with an older digest).
  const after = result.checkedAfter ?? 0;
  const fullAt = after > 0 && known ? known.fullAt : now;
  if (!result.ok) {
    verifiedHeads.delete(store);
    return { ...result, count: after + result.count, fullCheckAt: fullAt, checkedFrom: after };
  }
  verifiedHeads.set(store, { head: result.head, fullAt });
  return { ...result, count: result.head.position, fullCheckAt: fullAt, checkedFrom: after };
}

const ChainStatusRef = builder.objectRef<ChainCheck>('ChainStatus').implement({
  description:
    'The hash chain checked: every link from the first event (or, when this server has walked the whole log before, from the head it verified ' +
    'then, which must still hold its hash), and the kept digest, if given.',
  fields: (t) => {
    const head = (result: VerifyResult): Head | null => (result.ok ? result.head : null);
    return {
      ok: t.exposeBoolean('ok', { description: 'True when every event checks out (and the digest, if given, is still in the log).' }),
      count: t.exposeInt('count', { description: 'Events verified: all of them when ok, else those before the failure.' }),
      fullCheckAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When this server last walked the whole log (ISO instant). Events after the head verified then have been checked since.',
        resolve: (result) => result.fullCheckAt,
      }),
      checkedFrom: t.exposeInt('checkedFrom', {
        description: 'Where this check began: 0 for a walk of the whole log, else the position verified earlier whose followers were checked.',
      }),
      headPosition: t.int({
        nullable: true,
        description: 'When ok: the position of the last event (0 for an empty log).',
        resolve: (result) => head(result)?.position ?? null,
      }),
      headHash: t.string({ nullable: true, description: 'When ok: the hash of the last event.', resolve: (result) => head(result)?.hash ?? null }),
      digest: t.string({
        nullable: true,
        description: 'When ok: the digest to keep (yingpan-digest:v1:<position>:<hash>); pass it back later to prove nothing before it was rewritten.',
        resolve: (result) => (result.ok ? formatDigest(result.head) : null),
      }),
      failure: t.field({
        type: ChainFailureRef,
        nullable: true,
        description: 'When not ok: where and how the chain breaks.',
        resolve: (result) => (result.ok ? null : result),
      }),
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Stream history: the state after each event, folded by the stream category's decider.

type Folding = Pick<Decider<never, Event, unknown>, 'category' | 'initialState' | 'evolve'>;
const folding = <E extends Event, S>(decider: Pick<Decider<never, E, S>, 'category' | 'initialState' | 'evolve'>) => decider as unknown as Folding;

const FOLDINGS = new Map<string, (first: StoredEvent | undefined) => Folding>([
  ...[
    folding(personDecider),
    folding(termDecider),
    folding(mandateDecider),
    folding(activityDecider),
    folding(pairingDecider),
    folding(stationDecider),
    folding(opinionDecider),
    folding(suggestionDecider),
    folding(dutyReportDecider),
    folding(regulationDecider),
  ].map((decider) => [decider.category, () => decider] as const),
  // Home visits and practical help share `deputy-act:<recordId>` streams, one record each: the first event says which.
  [deputyActDecider.category, (first) => (first?.type === 'HomeVisitRecorded' ? folding(homeVisitDecider) : folding(deputyActDecider))],
]);

/**
 * Folded state as JSON: Maps become objects (or [key, value] pairs), Sets become arrays, and a value
 * that says how it is written as JSON (`toJSON`: the persistent map of a stream's records) is written so.
 */
function toJson(value: unknown): unknown {
  if (value instanceof Map) {
    const entries = [...value.entries()];
    return entries.every(([key]) => typeof key === 'string')
      ? Object.fromEntries(entries.map(([key, item]) => [key, toJson(item)]))
      : entries.map(([key, item]) => [toJson(key), toJson(item)]);
  }
  if (value instanceof Set) return [...value].map(toJson);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'bigint') return value.toString();
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return toJson((value as { toJSON: () => unknown }).toJSON());
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : [[key, toJson(item)]])));
  }
  return value;
}

interface HistoryStep {
  event: StoredEvent;
  state: unknown;
}

const HistoryStepRef = builder.objectRef<HistoryStep>('StreamHistoryStep').implement({
  description: 'One event of a stream and the stream’s state right after it.',
  fields: (t) => ({
    event: t.field({ type: EventRef, description: 'The event.', resolve: (step) => step.event }),
    state: t.field({
      type: JsonScalar,
      description:
        'The state the stream’s decider holds after this event (older event versions upcast first), as JSON: maps become objects keyed ' +
        'by id, sets become arrays. Opinion streams hold the voter’s PERSONAL DATA: auditors see it; for others it is withheld.',
      resolve: (step, _, context) => withholdVoters(context.actor, step.state),
    }),
  }),
});

const StreamHistoryConnection = builder.connectionObject(
  {
    type: HistoryStepRef,
    name: 'StreamHistoryConnection',
    description: `A page of a stream’s history; the cursor is the stream version. At most ${MAX_PAGE_SIZE} steps a page.`,
    edgesNullable: { list: false, items: false },
    nodeNullable: false,
  },
  { name: 'StreamHistoryEdge', description: 'A step of the history and its cursor (the stream version).' },
);

// ---------------------------------------------------------------------------------------------
// Queries.

builder.queryFields((t) => ({
  events: t.field({
    authScopes: { auditLog: true },
    type: EventConnection,
    description: 'The event log for auditors, filtered and paged (cursor = position). Reads the SQL stores only: with a KurrentDB log it is an error.',
    args: {
      first: t.arg.int({ description: `How many events (default and at most ${MAX_PAGE_SIZE}).` }),
      after: t.arg.string({ description: 'The cursor (position) of the last event of the previous page.' }),
      order: t.arg({ type: EventOrder, defaultValue: 'asc', description: 'Oldest or newest first.' }),
      filter: t.arg({ type: EventFilter, description: 'Which events; omitted: all of them.' }),
    },
    async resolve(_, args, context) {
      const db = sqlLog(context);
      const limit = logPageSize(args.first);
      const after = parseCursor(args.after);
      const descending = args.order === 'desc';
      const params: unknown[] = [];
      const conditions = conditionsOf(args.filter, params);
      if (after !== null) {
        params.push(after);
        conditions.push(`position ${descending ? '<' : '>'} $${params.length}`);
      }
      params.push(limit + 1);
      const { rows } = await db.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM yingpan.events ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY position ${descending ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
        params,
      );
      return connectionOf(rows.map(rowToEvent), limit, (event) => String(event.position), false);
    },
  }),

  chainStatus: t.field({
    authScopes: { auditLog: true },
    type: ChainStatusRef,
    description:
      'Checks the hash chain: the first time (or with full: true) by walking the whole log, after that the events appended since the head ' +
      'this server verified, which must still hold its hash. With a digest kept earlier, also checks that the log still holds that position ' +
      'with that hash. A full walk takes time on a long log.',
    args: {
      digest: t.arg.string({ description: 'A digest kept earlier: yingpan-digest:v1:<position>:<hash>.' }),
      full: t.arg.boolean({ description: 'Walk the whole log again, even if this server has verified it before (slow on a long log).' }),
    },
    async resolve(_, { digest, full }, context) {
      let kept: Head | undefined;
      if (digest != null) {
        try {
          kept = parseDigest(digest);
        } catch {
          throw auditError('invalid-digest', 'Not a yingpan digest (yingpan-digest:v1:<position>:<64 hex digits>)', '不是有效的日志摘要');
        }
      }
      return checkChain(context.store, { digest: kept, full: full ?? false });
    },
  }),

  streamHistory: t.field({
    authScopes: { auditLog: true },
    type: StreamHistoryConnection,
    description:
      'One stream’s events in order, each with the state after it, folded by the decider of the stream’s category (cursor = stream ' +
      'version). Reads the SQL stores only.',
    args: {
      streamId: t.arg.string({ required: true, description: 'The stream, "<category>:<id>", e.g. "station:…".' }),
      first: t.arg.int({ description: `How many steps (default and at most ${MAX_PAGE_SIZE}).` }),
      after: t.arg.string({ description: 'The cursor (stream version) of the last step of the previous page.' }),
    },
    async resolve(_, args, context) {
      const db = sqlLog(context);
      const category = args.streamId.includes(':') ? args.streamId.slice(0, args.streamId.indexOf(':')) : null;
      const foldingFor = category === null ? undefined : FOLDINGS.get(category);
      if (!foldingFor) {
        throw auditError(
          'unknown-stream-category',
          `No decider for the stream category of "${args.streamId}"; known categories: ${[...FOLDINGS.keys()].join(', ')}`,
          `无法识别该事件流的类别：${args.streamId}`,
        );
      }
      const limit = logPageSize(args.first);
      const after = parseCursor(args.after) ?? 0;
      // The state after version v needs every event from version 1: fold from the start, return the page.
      const { rows } = await db.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM yingpan.events WHERE stream_id = $1 AND stream_version <= $2 ORDER BY stream_version`,
        [args.streamId, after + limit + 1],
      );
      const events = rows.map(rowToEvent);
      const decider = foldingFor(events[0]);
      let state = decider.initialState();
      const steps: HistoryStep[] = [];
      for (const event of events) {
        try {
          // An annotation (evidence attached) leaves the area's state as it was (the domain's foldsEvent).
          if (!registry.isAnnotation(event.type)) state = decider.evolve(state, registry.read(event));
        } catch (error) {
          throw auditError(
            'unfoldable-event',
            `The event at version ${event.streamVersion} (position ${event.position}, ${event.type}) cannot be folded: ${error instanceof Error ? error.message : String(error)}`,
            `第 ${event.streamVersion} 个事件无法折叠`,
          );
        }
        if (event.streamVersion > after) steps.push({ event, state: toJson(state) });
      }
      return connectionOf(steps, limit, (step) => String(step.event.streamVersion), after > 0 && events.length > 0);
    },
  }),
}));
