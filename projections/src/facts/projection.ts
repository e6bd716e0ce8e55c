/**
 * Every record of an act, as a history of versions (bitemporal facts). A record is created by an
 * act event (`record: true` in the registry); review and correction events close its current
 * version and open a new one. Each version says what was known about the act from one log
 * position (and recording time) until the next change:
 *
 *   - "as it happened" on date D:  current versions (valid_to_position IS NULL) with act_date <= D
 *   - "as it was known" at P / T:  versions with valid_from <= P (or T) and no change by then
 *
 * Scores, statistics and station books are sums over these rows, so every figure can be traced
 * to the records (and events) behind it, for any past moment.
 *
 * Beside them, `approved_counts` keeps the approved current versions counted per person, act,
 * mandate and month (per day for a record without a mandate, which the statistics place by its
 * day): each version opened or closed adds or takes one, so a write changes a row or two and the
 * county statistics of the present read a few counter rows instead of every record
 * (statistics/queries.ts). Its sums equal the current approved versions, row for row. From the
 * same changes, in the same statement, it keeps the whole history's count per act and mandate
 * (`approved_totals`), each month's per person (`approved_months`) and each month's records and
 * persons (`month_totals`: a person counts from the month's first record to its last, so a
 * month's distinct persons are read, not counted).
 */
import { type EventOfType, isStudyVisit, RECORD_EVENT_TYPES } from '@yingpan/domain';
import type { Queryable } from '@yingpan/db';
import { defineProjection, READ_WHILE_REBUILDING, type ProjectedEvent } from '../engine/projection.ts';

export const RECORD_EVENTS = RECORD_EVENT_TYPES;
export const REVIEW_EVENTS = ['RecordApproved', 'RecordRejected', 'RecordCorrected', 'RecordRetracted'] as const;
/** Events that void a record without naming it: a withdrawn suggestion no longer counts. */
const VOIDING_EVENTS = ['SuggestionWithdrawn'] as const;
type ReviewEvent = ProjectedEvent<EventOfType<(typeof REVIEW_EVENTS)[number]>>;
type FactsEvent = ProjectedEvent<EventOfType<(typeof RECORD_EVENTS)[number] | (typeof REVIEW_EVENTS)[number] | (typeof VOIDING_EVENTS)[number]>>;
const isReview = (event: FactsEvent): event is ReviewEvent => (REVIEW_EVENTS as readonly string[]).includes(event.type);
/** The record a review or correction changes, and the data a correction gives it (the whole record as corrected, which the domain checked). */
const changeOf = (event: ReviewEvent): { recordId: string; corrected?: RecordData } =>
  event.type === 'RecordCorrected'
    ? { recordId: event.data.recordId, corrected: event.data.corrected as unknown as RecordData }
    : { recordId: event.data.recordId };

interface RecordData {
  recordId: string;
  act: string;
  personId: string;
  mandateId: string | null;
  date: string | null;
  declared: boolean;
  stationId?: string | null;
  activityId?: string | null;
}

const NEXT_STATUS: Record<string, string> = {
  RecordApproved: 'approved',
  RecordRejected: 'rejected',
  RecordRetracted: 'retracted',
  SuggestionWithdrawn: 'withdrawn',
};

interface VersionRow {
  record_id: string;
  version: number;
  stream_id: string;
  event_type: string;
  act: string;
  person_id: string;
  mandate_id: string | null;
  act_date: string;
  status: string;
  corrected: boolean;
  declared: boolean;
  station_id: string | null;
  activity_id: string | null;
  data: RecordData;
  valid_from_position: number;
  valid_from_at: string;
  valid_to_position: number | null;
  valid_to_at: string | null;
  /** A study visit, listed in its station's 学习簿 (the domain's `isStudyVisit`, on this version's data). */
  study: boolean;
}

const COLUMNS = `record_id uuid, version int, stream_id text, event_type text, act text, person_id uuid, mandate_id uuid, act_date date,
  status text, corrected boolean, declared boolean, station_id uuid, activity_id uuid, data jsonb, valid_from_position bigint,
  valid_from_at timestamptz, valid_to_position bigint, valid_to_at timestamptz, study boolean`;

function versionRow(
  event: ProjectedEvent,
  row: { version: number; streamId: string; eventType: string; status: string; corrected: boolean; data: RecordData },
): VersionRow {
  const { data } = row;
  return {
    record_id: data.recordId,
    version: row.version,
    stream_id: row.streamId,
    event_type: row.eventType,
    act: data.act,
    person_id: data.personId,
    mandate_id: data.mandateId ?? null,
    // Records written before dates were carried (training attendance v1/v2) take the act's occurrence day.
    act_date: data.date ?? event.metadata.occurredAt.slice(0, 10),
    status: row.status,
    corrected: row.corrected,
    declared: data.declared,
    station_id: data.stationId ?? (row.streamId.startsWith('station:') ? row.streamId.slice('station:'.length) : null),
    activity_id: data.activityId ?? null,
    data,
    valid_from_position: event.position,
    valid_from_at: event.metadata.recordedAt,
    valid_to_position: null,
    valid_to_at: null,
    study: isStudyVisit(data),
  };
}

/** The mandate of a counter row for a record without one (the nil UUID: the key has no NULLs). */
export const NO_MANDATE = '00000000-0000-0000-0000-000000000000';

type Counted = Pick<VersionRow, 'act' | 'person_id' | 'mandate_id' | 'act_date' | 'status'>;

/** Counter deltas by key, collected in memory and written in one statement (`writeCounts`). */
class CountDeltas {
  private readonly deltas = new Map<string, { period: string; act: string; person_id: string; mandate_id: string; n: number }>();

  /** +1 for a version that opens, -1 for one that closes; only approved versions count. */
  add(row: Counted, n: 1 | -1): void {
    if (row.status !== 'approved') return;
    // As the database keeps them (lower case), so that one key is one row of the statement.
    const mandate = row.mandate_id?.toLowerCase() ?? NO_MANDATE;
    const person = row.person_id.toLowerCase();
    // A record with a mandate is counted by its month; one without, by its day (the statistics place it by the day).
    const period = row.mandate_id ? `${row.act_date.slice(0, 7)}-01` : row.act_date.slice(0, 10);
    const key = `${period}|${row.act}|${person}|${mandate}`;
    const entry = this.deltas.get(key);
    if (entry) entry.n += n;
    else this.deltas.set(key, { period, act: row.act, person_id: person, mandate_id: mandate, n });
  }

  /**
   * One statement: the counter rows, and from the same deltas the whole-history totals of each
   * (act, mandate, person) and the persons and records of each month (see the tables).
   */
  async write(tx: Queryable, schema: string): Promise<void> {
    // Keys whose changes cancelled out are written too (n + 0): a key exists once any approved version was
    // counted there, however the events were paged, so a rebuild and an event-by-event catch-up agree row for row.
    const rows = [...this.deltas.values()];
    this.deltas.clear();
    if (rows.length === 0) return;
    await tx.query(
      `WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(period date, act text, person_id uuid, mandate_id uuid, n int)),
            counts AS (
              INSERT INTO ${schema}.approved_counts (period, act, person_id, mandate_id, n) SELECT period, act, person_id, mandate_id, n FROM d
              ON CONFLICT (period, act, person_id, mandate_id) DO UPDATE SET n = approved_counts.n + EXCLUDED.n),
            totals AS (
              INSERT INTO ${schema}.approved_totals (act, mandate_id, person_id, n)
              SELECT act, mandate_id, person_id, sum(n) FROM d WHERE mandate_id <> '${NO_MANDATE}' GROUP BY act, mandate_id, person_id
              ON CONFLICT (act, mandate_id, person_id) DO UPDATE SET n = approved_totals.n + EXCLUDED.n),
            month_deltas AS (SELECT date_trunc('month', period)::date AS period, person_id, sum(n)::int AS n FROM d GROUP BY 1, 2),
            months AS (
              INSERT INTO ${schema}.approved_months (period, person_id, n) SELECT period, person_id, n FROM month_deltas
              ON CONFLICT (period, person_id) DO UPDATE SET n = approved_months.n + EXCLUDED.n
              RETURNING period, person_id, n)
       INSERT INTO ${schema}.month_totals (period, n, persons)
       SELECT m.period, sum(x.n),
              -- a person counts in a month from the first record there (n was 0 before) to the last (n is 0 after)
              count(*) FILTER (WHERE m.n > 0 AND m.n - x.n <= 0) - count(*) FILTER (WHERE m.n <= 0 AND m.n - x.n > 0)
         FROM months m JOIN month_deltas x USING (period, person_id)
        GROUP BY m.period
       ON CONFLICT (period) DO UPDATE SET n = month_totals.n + EXCLUDED.n, persons = month_totals.persons + EXCLUDED.persons`,
      [JSON.stringify(rows)],
      // Parsed once per connection and schema (the live one, or a rebuild's beside it): it runs with every record.
      { prepared: `facts_counters:${schema}` },
    );
  }
}

const COLUMN_NAMES = COLUMNS.split(',').map((column) => column.trim().split(/\s+/)[0]!) as (keyof VersionRow)[];
/** From this many rows a page's versions go in with COPY; fewer (an event or two while following the log) in one INSERT. */
const COPY_FROM = 64;

/** Inserts version rows in one statement. */
async function insertVersions(tx: Queryable, schema: string, rows: VersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length >= COPY_FROM) {
    await tx.copyFrom(
      `${schema}.record_versions`,
      COLUMN_NAMES,
      rows.map((row) => COLUMN_NAMES.map((column) => row[column])),
    );
    return;
  }
  await tx.query(`INSERT INTO ${schema}.record_versions SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS})`, [JSON.stringify(rows)], {
    prepared: `facts_versions:${schema}`,
  });
}

type Current = Pick<VersionRow, 'version' | 'stream_id' | 'event_type' | 'status' | 'corrected' | 'data'>;

/** The next version of a record after `event` changes it. */
const nextVersion = (event: ProjectedEvent, current: Current, corrected: RecordData | undefined) =>
  versionRow(event, {
    version: current.version + 1,
    streamId: current.stream_id,
    eventType: current.event_type,
    status: NEXT_STATUS[event.type] ?? current.status,
    corrected: current.corrected || event.type === 'RecordCorrected',
    data: corrected ?? current.data,
  });

const firstVersion = (event: ProjectedEvent<EventOfType<(typeof RECORD_EVENTS)[number]>>) => {
  const data: RecordData = event.data;
  return versionRow(event, {
    version: 1,
    streamId: event.streamId,
    eventType: event.type,
    status: data.declared ? 'pending' : 'approved',
    corrected: false,
    data,
  });
};

export const facts = defineProjection({
  name: 'facts',
  version: 8,
  handles: [...RECORD_EVENTS, ...REVIEW_EVENTS, ...VOIDING_EVENTS],
  tables: (schema) => `
    CREATE TABLE ${schema}.record_versions (
      record_id           uuid        NOT NULL,
      version             integer     NOT NULL,
      stream_id           text        NOT NULL,
      event_type          text        NOT NULL,   -- the event that created the record
      act                 text        NOT NULL,   -- ActKind: what scoring rules and statistics count
      person_id           uuid        NOT NULL,
      mandate_id          uuid,
      act_date            date        NOT NULL,
      status              text        NOT NULL,   -- pending | approved | rejected | retracted | withdrawn
      corrected           boolean     NOT NULL,
      declared            boolean     NOT NULL,
      station_id          uuid,
      activity_id         uuid,
      data                jsonb       NOT NULL,
      valid_from_position bigint      NOT NULL,   -- the event that made this version known
      valid_from_at       timestamptz NOT NULL,
      valid_to_position   bigint,                 -- the event that replaced it (NULL: still current)
      valid_to_at         timestamptz,
      study               boolean     NOT NULL,   -- a study visit (学习簿): isStudyVisit in the domain
      PRIMARY KEY (record_id, version)
    );
    CREATE INDEX ON ${schema}.record_versions (person_id, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (act, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (station_id, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (person_id, valid_from_position);
    CREATE UNIQUE INDEX ON ${schema}.record_versions (record_id) WHERE valid_to_position IS NULL;
    -- A withdrawn suggestion's records, found by its stream (apply, applyBatch): without it every withdrawal read the whole table.
    CREATE INDEX record_versions_current_stream ON ${schema}.record_versions (stream_id) WHERE valid_to_position IS NULL;
    COMMENT ON INDEX ${schema}.record_versions_current_stream IS '${READ_WHILE_REBUILDING}';
    -- The review queue (queries.ts pendingRecords): declarations awaiting review, newest first.
    CREATE INDEX ON ${schema}.record_versions (act_date DESC, record_id DESC) WHERE valid_to_position IS NULL AND status = 'pending';
    -- Approved current versions counted per month (per day without a mandate), person, act and mandate (NO_MANDATE: none).
    CREATE TABLE ${schema}.approved_counts (
      period     date    NOT NULL,   -- the month's first day; the act's day for a record without a mandate
      act        text    NOT NULL,
      person_id  uuid    NOT NULL,
      mandate_id uuid    NOT NULL,
      n          integer NOT NULL,   -- 0 once every record counted here has changed
      PRIMARY KEY (period, act, person_id, mandate_id)
    );
    -- The counters of records without a mandate, which the statistics place by their day.
    CREATE INDEX ON ${schema}.approved_counts (person_id) WHERE mandate_id = '${NO_MANDATE}';
    -- The same counters over the whole history, per act and mandate (records with a mandate only).
    CREATE TABLE ${schema}.approved_totals (
      act        text    NOT NULL,
      mandate_id uuid    NOT NULL,
      person_id  uuid    NOT NULL,   -- the mandate's person
      n          integer NOT NULL,
      PRIMARY KEY (act, mandate_id, person_id)
    );
    -- Approved current versions per month and person (every record, with a mandate or not) …
    CREATE TABLE ${schema}.approved_months (
      period    date    NOT NULL,   -- the month's first day
      person_id uuid    NOT NULL,
      n         integer NOT NULL,
      PRIMARY KEY (period, person_id)
    );
    -- … and per month: records, and the persons with at least one (approved_months rows with n > 0).
    CREATE TABLE ${schema}.month_totals (
      period  date    NOT NULL PRIMARY KEY,
      n       integer NOT NULL,
      persons integer NOT NULL
    );`,
  async apply(tx, schema, event) {
    if (event.type === 'SuggestionWithdrawn') {
      const { rows } = await tx.query<{ record_id: string }>(
        `SELECT record_id FROM ${schema}.record_versions WHERE stream_id = $1 AND valid_to_position IS NULL AND status <> 'withdrawn'`,
        [event.streamId],
      );
      const counts = new CountDeltas();
      for (const { record_id } of rows) await changeRecord(tx, schema, event, record_id, undefined, counts);
      await counts.write(tx, schema);
      return;
    }
    const counts = new CountDeltas();
    if (!isReview(event)) {
      const row = firstVersion(event);
      counts.add(row, 1);
      await insertVersions(tx, schema, [row]);
    } else {
      const change = changeOf(event);
      await changeRecord(tx, schema, event, change.recordId, change.corrected, counts);
    }
    await counts.write(tx, schema);
  },
  /**
   * A page at once, in three statements and a read: the current versions of the records the page
   * changes that earlier pages created (and of the suggestions it withdraws) are read in one query;
   * every change is then made in memory, in order; the versions it closes are closed with one
   * UPDATE, and the new versions (those closed again within the page included) written with one
   * INSERT or COPY. Same rows as `apply` event by event (the replay test compares them).
   */
  async applyBatch(tx, schema, events) {
    const current = new Map<string, VersionRow>();
    const byStream = new Map<string, Set<string>>();
    const open = (row: VersionRow) => {
      current.set(row.record_id, row);
      let records = byStream.get(row.stream_id);
      if (!records) byStream.set(row.stream_id, (records = new Set()));
      records.add(row.record_id);
    };
    // What earlier pages hold: the records this page reviews but did not create, and the withdrawn suggestions' records.
    const created = new Set<string>();
    const earlier = new Set<string>();
    const withdrawn = new Set<string>();
    for (const event of events) {
      if (event.type === 'SuggestionWithdrawn') withdrawn.add(event.streamId);
      else if (!isReview(event)) created.add(event.data.recordId);
      else if (!created.has(changeOf(event).recordId)) earlier.add(changeOf(event).recordId);
    }
    /** Versions of earlier pages closed here: record → the closing event. */
    const closed = new Map<string, { position: number; at: string }>();
    if (earlier.size > 0 || withdrawn.size > 0) {
      const { rows } = await tx.query<VersionRow>(
        `SELECT record_id, version, stream_id, event_type, act, person_id, mandate_id, to_char(act_date, 'YYYY-MM-DD') AS act_date, status,
                corrected, declared, station_id, activity_id, data, valid_from_position, valid_from_at, valid_to_position, valid_to_at, study
           FROM ${schema}.record_versions
          WHERE valid_to_position IS NULL AND (record_id = ANY($1::uuid[]) OR stream_id = ANY($2::text[]))`,
        [[...earlier], [...withdrawn]],
      );
      for (const row of rows) open(row);
    }
    const written: VersionRow[] = [];
    const writtenHere = new Set<VersionRow>();
    const write = (row: VersionRow) => {
      written.push(row);
      writtenHere.add(row);
      open(row);
    };
    const counts = new CountDeltas();
    const change = (event: FactsEvent, recordId: string, corrected: RecordData | undefined) => {
      const row = current.get(recordId);
      if (!row) throw new Error(`${event.type} names record ${recordId}, which has no current version`);
      if (writtenHere.has(row)) {
        row.valid_to_position = event.position;
        row.valid_to_at = event.metadata.recordedAt;
      } else closed.set(recordId, { position: event.position, at: event.metadata.recordedAt });
      counts.add(row, -1);
      const next = nextVersion(event, row, corrected);
      counts.add(next, 1);
      write(next);
    };
    for (const event of events) {
      if (event.type === 'SuggestionWithdrawn') {
        const records = [...(byStream.get(event.streamId) ?? [])].filter((id) => current.get(id)!.status !== 'withdrawn');
        for (const recordId of records) change(event, recordId, undefined);
      } else if (!isReview(event)) {
        const row = firstVersion(event);
        counts.add(row, 1);
        write(row);
      } else {
        const { recordId, corrected } = changeOf(event);
        change(event, recordId, corrected);
      }
    }
    if (closed.size > 0) {
      const entries = [...closed];
      await tx.query(
        `UPDATE ${schema}.record_versions v SET valid_to_position = x.position, valid_to_at = x.at
           FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[]) AS x(record_id, position, at)
          WHERE v.record_id = x.record_id AND v.valid_to_position IS NULL`,
        [entries.map(([id]) => id), entries.map(([, at]) => at.position), entries.map(([, at]) => at.at)],
      );
    }
    await insertVersions(tx, schema, written);
    await counts.write(tx, schema);
  },
});

/** Closes a record's current version at this event and opens the next, with the status or data the event gives. */
async function changeRecord(
  tx: Queryable,
  schema: string,
  event: ProjectedEvent,
  recordId: string,
  corrected: RecordData | undefined,
  counts: CountDeltas,
): Promise<void> {
  const { rows } = await tx.query<Current & Counted>(
    `UPDATE ${schema}.record_versions SET valid_to_position = $2, valid_to_at = $3
      WHERE record_id = $1 AND valid_to_position IS NULL
      RETURNING version, stream_id, event_type, status, corrected, data, act, person_id, mandate_id, to_char(act_date, 'YYYY-MM-DD') AS act_date`,
    [recordId, event.position, event.metadata.recordedAt],
  );
  const current = rows[0];
  if (!current) throw new Error(`${event.type} names record ${recordId}, which has no current version`);
  counts.add(current, -1);
  const next = nextVersion(event, current, corrected);
  counts.add(next, 1);
  await insertVersions(tx, schema, [next]);
}
