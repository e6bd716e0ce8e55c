/**
 * Reading the facts directly: the declarations awaiting review (申报 → 审核) county-wide, a page at
 * a time, and the stream each record lives in (ApproveRecord, RejectRecord, CorrectRecord and
 * RetractRecord name it). Both read the current versions only: review state is today's.
 */
import type { Queryable } from '@yingpan/db';
import type { ActKind } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { Params } from './as-of.ts';
import { facts } from './projection.ts';

const RECORDS = `${schemaOf(facts)}.record_versions`;

/** The longest summary a pending entry carries (the record itself says more). */
export const PENDING_SUMMARY_LENGTH = 200;

/** A declared record awaiting review, as its current version states it. */
export interface PendingRecordRow {
  recordId: string;
  streamId: string;
  eventType: string;
  act: ActKind;
  personId: string;
  mandateId: string | null;
  /** The day the act happened (YYYY-MM-DD). */
  date: string;
  stationId: string | null;
  activityId: string | null;
  /** What was done, in brief: the record's summary, description, place or reason (at most 200 characters). */
  summary: string | null;
  corrected: boolean;
  /** The log position at which this version (the declaration, or its latest correction) became known. */
  position: number;
}

/** Which pending records: all, or those of one station or one person. */
export interface PendingFilter {
  stationId?: string;
  personId?: string;
}

/** A place in the list: newest act date first, then record id (descending). */
export type PendingKey = readonly [date: string, recordId: string];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PENDING = `v.valid_to_position IS NULL AND v.status = 'pending'`;

function conditions(filter: PendingFilter, params: Params): string[] {
  const where = [PENDING];
  if (filter.stationId) where.push(`v.station_id = ${params.add(filter.stationId)}::uuid`);
  if (filter.personId) where.push(`v.person_id = ${params.add(filter.personId)}::uuid`);
  return where;
}

/**
 * One page of pending records, newest act first: `after` and `before` are keys of the list's
 * order; `inverted` reads from the end (for `last`), still returning the page in the list's order
 * reversed (the caller, Relay's cursor helper, turns it round).
 */
export async function pendingRecords(
  db: Queryable,
  options: PendingFilter & { limit: number; after?: PendingKey | null; before?: PendingKey | null; inverted?: boolean },
): Promise<PendingRecordRow[]> {
  const params = new Params();
  const where = conditions(options, params);
  const key = (k: PendingKey) => `(${params.add(k[0])}::date, ${params.add(k[1])}::uuid)`;
  if (options.after) where.push(`(v.act_date, v.record_id) < ${key(options.after)}`);
  if (options.before) where.push(`(v.act_date, v.record_id) > ${key(options.before)}`);
  const order = options.inverted ? 'ASC' : 'DESC';
  const { rows } = await db.query<PendingRecordRow & { position: string | number }>(
    `SELECT v.record_id AS "recordId", v.stream_id AS "streamId", v.event_type AS "eventType", v.act, v.person_id AS "personId",
            v.mandate_id AS "mandateId", to_char(v.act_date, 'YYYY-MM-DD') AS date, v.station_id AS "stationId",
            v.activity_id AS "activityId", v.corrected, v.valid_from_position AS position,
            left(coalesce(v.data->>'summary', v.data->>'description', v.data->>'place', v.data->>'reason'), ${PENDING_SUMMARY_LENGTH}) AS summary
       FROM ${RECORDS} v
      WHERE ${where.join(' AND ')}
      ORDER BY v.act_date ${order}, v.record_id ${order}
      LIMIT ${params.add(options.limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...row, position: Number(row.position) }));
}

/** How many records await review (all, or of one station or person). */
export async function pendingRecordCount(db: Queryable, filter: PendingFilter = {}): Promise<number> {
  const params = new Params();
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${RECORDS} v WHERE ${conditions(filter, params).join(' AND ')}`,
    params.values,
  );
  return rows[0]!.count;
}

/** The stream of each record (null for an id the facts do not know), in one statement. */
export async function streamsOfRecords(db: Queryable, recordIds: readonly string[]): Promise<(string | null)[]> {
  const valid = [...new Set(recordIds.filter((id) => UUID.test(id)))];
  const { rows } = valid.length
    ? await db.query<{ record_id: string; stream_id: string }>(
        `SELECT record_id, stream_id FROM ${RECORDS} WHERE record_id = ANY($1::uuid[]) AND valid_to_position IS NULL`,
        [valid],
      )
    : { rows: [] };
  const byId = new Map(rows.map((row) => [row.record_id, row.stream_id]));
  return recordIds.map((id) => byId.get(id) ?? null);
}

/** A record as it stands now, with the data its latest version states (to correct or retract it where it is shown). */
export interface RecordDetailRow {
  recordId: string;
  streamId: string;
  eventType: string;
  act: ActKind;
  personId: string;
  mandateId: string | null;
  date: string;
  /** pending | approved | rejected | retracted | withdrawn */
  status: string;
  declared: boolean;
  corrected: boolean;
  stationId: string | null;
  activityId: string | null;
  data: Record<string, unknown>;
}

/** One record's current version, or null for an id the facts do not know. */
export async function recordDetail(db: Queryable, recordId: string): Promise<RecordDetailRow | null> {
  if (!UUID.test(recordId)) return null;
  const { rows } = await db.query<RecordDetailRow>(
    `SELECT v.record_id AS "recordId", v.stream_id AS "streamId", v.event_type AS "eventType", v.act, v.person_id AS "personId",
            v.mandate_id AS "mandateId", to_char(v.act_date, 'YYYY-MM-DD') AS date, v.status, v.declared, v.corrected,
            v.station_id AS "stationId", v.activity_id AS "activityId", v.data
       FROM ${RECORDS} v
      WHERE v.record_id = $1::uuid AND v.valid_to_position IS NULL`,
    [recordId],
  );
  return rows[0] ?? null;
}
