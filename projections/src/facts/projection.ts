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
 */
import { registry } from '@yingpan/domain';
import type { Queryable } from '@yingpan/db';
import type { Projection, ProjectedEvent } from '../engine/projection.ts';

export const RECORD_EVENTS = registry
  .all()
  .filter((definition) => definition.record)
  .map((definition) => definition.type);
export const REVIEW_EVENTS = ['RecordApproved', 'RecordRejected', 'RecordCorrected', 'RecordRetracted'] as const;
/** Events that void a record without naming it: a withdrawn suggestion no longer counts. */
const VOIDING_EVENTS = ['SuggestionWithdrawn'] as const;

interface RecordData {
  recordId: string;
  act: string;
  personId: string;
  mandateId: string | null;
  date: string | null;
  declared: boolean;
  stationId?: string;
  activityId?: string;
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
}

const COLUMNS = `record_id uuid, version int, stream_id text, event_type text, act text, person_id uuid, mandate_id uuid, act_date date,
  status text, corrected boolean, declared boolean, station_id uuid, activity_id uuid, data jsonb, valid_from_position bigint,
  valid_from_at timestamptz, valid_to_position bigint, valid_to_at timestamptz`;

function versionRow(event: ProjectedEvent, row: { version: number; streamId: string; eventType: string; status: string; corrected: boolean; data: RecordData }): VersionRow {
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
  };
}

/** Inserts version rows in one statement. */
async function insertVersions(tx: Queryable, schema: string, rows: VersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(`INSERT INTO ${schema}.record_versions SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS})`, [JSON.stringify(rows)]);
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

const firstVersion = (event: ProjectedEvent) => {
  const data = event.data as RecordData;
  return versionRow(event, { version: 1, streamId: event.streamId, eventType: event.type, status: data.declared ? 'pending' : 'approved', corrected: false, data });
};

export const facts: Projection = {
  name: 'facts',
  version: 3,
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
      PRIMARY KEY (record_id, version)
    );
    CREATE INDEX ON ${schema}.record_versions (person_id, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (act, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (station_id, act_date) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.record_versions (person_id, valid_from_position);
    CREATE UNIQUE INDEX ON ${schema}.record_versions (record_id) WHERE valid_to_position IS NULL;
    -- The review queue (queries.ts pendingRecords): declarations awaiting review, newest first.
    CREATE INDEX ON ${schema}.record_versions (act_date DESC, record_id DESC) WHERE valid_to_position IS NULL AND status = 'pending';`,
  async apply(tx, schema, event) {
    if (event.type === 'SuggestionWithdrawn') {
      const { rows } = await tx.query<{ record_id: string }>(
        `SELECT record_id FROM ${schema}.record_versions WHERE stream_id = $1 AND valid_to_position IS NULL AND status <> 'withdrawn'`,
        [event.streamId],
      );
      for (const { record_id } of rows) await changeRecord(tx, schema, event, record_id, undefined);
      return;
    }
    if (!(REVIEW_EVENTS as readonly string[]).includes(event.type)) {
      await insertVersions(tx, schema, [firstVersion(event)]);
      return;
    }
    const change = event.data as { recordId: string; corrected?: RecordData };
    await changeRecord(tx, schema, event, change.recordId, change.corrected);
  },
  /**
   * A page at once: new versions are collected in memory — a review of a record created in the
   * same page closes its version there — and written with one INSERT; a change to a record from an
   * earlier page, or a withdrawal, goes through `apply` (after writing what is collected, to keep
   * the order).
   */
  async applyBatch(tx, schema, events) {
    const collected: VersionRow[] = [];
    const current = new Map<string, VersionRow>();
    const flush = async () => {
      await insertVersions(tx, schema, collected.splice(0));
      current.clear();
    };
    for (const event of events) {
      const isReview = (REVIEW_EVENTS as readonly string[]).includes(event.type);
      if (!isReview && event.type !== 'SuggestionWithdrawn') {
        const row = firstVersion(event);
        collected.push(row);
        current.set(row.record_id, row);
        continue;
      }
      const change = event.data as { recordId: string; corrected?: RecordData };
      const open = isReview ? current.get(change.recordId) : undefined;
      if (!open) {
        await flush();
        await facts.apply(tx, schema, event);
        continue;
      }
      open.valid_to_position = event.position;
      open.valid_to_at = event.metadata.recordedAt;
      const next = nextVersion(event, open, change.corrected);
      collected.push(next);
      current.set(next.record_id, next);
    }
    await flush();
  },
};

/** Closes a record's current version at this event and opens the next, with the status or data the event gives. */
async function changeRecord(tx: Queryable, schema: string, event: ProjectedEvent, recordId: string, corrected: RecordData | undefined): Promise<void> {
  const { rows } = await tx.query<{ version: number; stream_id: string; event_type: string; status: string; corrected: boolean; data: RecordData }>(
    `UPDATE ${schema}.record_versions SET valid_to_position = $2, valid_to_at = $3
      WHERE record_id = $1 AND valid_to_position IS NULL
      RETURNING version, stream_id, event_type, status, corrected, data`,
    [recordId, event.position, event.metadata.recordedAt],
  );
  const current = rows[0];
  if (!current) throw new Error(`${event.type} names record ${recordId}, which has no current version`);
  await insertVersions(tx, schema, [nextVersion(event, current, corrected)]);
}
