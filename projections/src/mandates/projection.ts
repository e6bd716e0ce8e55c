/**
 * Terms and mandates: who held which seat or post, in which team, level and township, from when
 * to when. The other read models join it to place an act in its team, level, township and term,
 * and to measure opportunity (how long a mandate ran). Each row remembers the log positions at
 * which it was learnt and changed, for "as it was known" queries.
 */
import type { Queryable } from '@yingpan/db';
import { type EventOfType, teamOf } from '@yingpan/domain';
import { defineProjection, type ProjectedEvent } from '../engine/projection.ts';

const TERM_COLUMNS = 'term_id, number, starts_on, planned_end_on, opened_position';
const TERM_TYPES = 'uuid, int, date, date, bigint';
const MANDATE_COLUMNS =
  'mandate_id, person_id, term_id, kind, team, level, district, township, portfolio, public_servant, by_election, starts_on, started_position';
const MANDATE_TYPES = 'uuid, uuid, uuid, text, text, text, text, text, text, boolean, boolean, date, bigint';

/** A term's row as `TermOpened` makes it, in TERM_COLUMNS' order. */
const termRow = ({ data, position }: ProjectedEvent<EventOfType<'TermOpened'>>) => [data.termId, data.number, data.startsOn, data.plannedEndOn, position];

/** A mandate's row as `MandateStarted` makes it, in MANDATE_COLUMNS' order. */
const mandateRow = ({ data, position }: ProjectedEvent<EventOfType<'MandateStarted'>>) => [
  data.mandateId,
  data.personId,
  data.termId,
  data.kind,
  teamOf(data.kind),
  data.level,
  data.district,
  data.township,
  data.portfolio,
  data.publicServant,
  data.byElection,
  data.startsOn,
  position,
];

/** `$1, $2, … $n`. */
const placeholders = (n: number) => Array.from({ length: n }, (_, index) => `$${index + 1}`).join(', ');

export const mandates = defineProjection({
  name: 'mandates',
  version: 2,
  handles: ['TermOpened', 'TermClosed', 'MandateStarted', 'MandateEnded'],
  tables: (schema) => `
    CREATE TABLE ${schema}.terms (
      term_id          uuid    PRIMARY KEY,
      number           integer NOT NULL,
      starts_on        date    NOT NULL,
      planned_end_on   date    NOT NULL,
      closed_on        date,
      opened_position  bigint  NOT NULL,
      closed_position  bigint
    );
    CREATE TABLE ${schema}.mandates (
      mandate_id       uuid    PRIMARY KEY,
      person_id        uuid    NOT NULL,
      term_id          uuid    NOT NULL,
      kind             text    NOT NULL,
      team             text    NOT NULL,
      level            text,
      district         text,
      township         text,
      portfolio        text,
      public_servant   boolean NOT NULL,
      by_election      boolean NOT NULL,
      starts_on        date    NOT NULL,
      ended_on         date,            -- its own early end (resignation, recall, death, transfer)
      end_reason       text,
      started_position bigint  NOT NULL,
      ended_position   bigint
    );
    CREATE INDEX ON ${schema}.mandates (person_id);
    CREATE INDEX ON ${schema}.mandates (term_id, kind);
    -- When each term and mandate event was recorded: turns "as known at an instant" into a position.
    CREATE TABLE ${schema}.clock (
      position    bigint      PRIMARY KEY,
      recorded_at timestamptz NOT NULL
    );
    CREATE INDEX ON ${schema}.clock (recorded_at);
    -- The last day a mandate was valid: its own end, else its term's close.
    CREATE VIEW ${schema}.mandate_spans AS
      SELECT m.*, t.number AS term_number, coalesce(m.ended_on, t.closed_on) AS valid_to
        FROM ${schema}.mandates m JOIN ${schema}.terms t USING (term_id);`,
  /**
   * A page in at most four statements and its ends: the clock, terms and mandates it adds are
   * inserted together, then the closings and ends are applied in order (a page may end a mandate
   * it started, never the reverse).
   */
  async applyBatch(tx, schema, events) {
    const clock = events.map((event) => [event.position, event.metadata.recordedAt]);
    const terms: unknown[][] = [];
    const started: unknown[][] = [];
    const later: typeof events = [];
    for (const event of events) {
      if (event.type === 'TermOpened') terms.push(termRow(event));
      else if (event.type === 'MandateStarted') started.push(mandateRow(event));
      else later.push(event);
    }
    const insert = async (table: string, columns: string, types: string, rows: unknown[][]) => {
      if (rows.length === 0) return;
      const params = types.split(',').map((_, index) => rows.map((row) => row[index]));
      await tx.query(
        `INSERT INTO ${schema}.${table} (${columns}) SELECT * FROM unnest(${types
          .split(',')
          .map((type, index) => `$${index + 1}::${type.trim()}[]`)
          .join(', ')})`,
        params,
      );
    };
    await insert('clock', 'position, recorded_at', 'bigint, timestamptz', clock);
    await insert('terms', TERM_COLUMNS, TERM_TYPES, terms);
    await insert('mandates', MANDATE_COLUMNS, MANDATE_TYPES, started);
    for (const event of later) if (event.type === 'TermClosed' || event.type === 'MandateEnded') await ended(tx, schema, event);
  },
  async apply(tx, schema, event) {
    await tx.query(`INSERT INTO ${schema}.clock (position, recorded_at) VALUES ($1, $2)`, [event.position, event.metadata.recordedAt]);
    switch (event.type) {
      case 'TermOpened':
        await tx.query(`INSERT INTO ${schema}.terms (${TERM_COLUMNS}) VALUES (${placeholders(5)})`, termRow(event));
        return;
      case 'MandateStarted':
        await tx.query(`INSERT INTO ${schema}.mandates (${MANDATE_COLUMNS}) VALUES (${placeholders(13)})`, mandateRow(event));
        return;
      case 'TermClosed':
      case 'MandateEnded':
        return ended(tx, schema, event);
    }
  },
});

/** A term's closing or a mandate's end. */
async function ended(tx: Queryable, schema: string, event: ProjectedEvent<EventOfType<'TermClosed' | 'MandateEnded'>>): Promise<void> {
  switch (event.type) {
    case 'TermClosed':
      await tx.query(`UPDATE ${schema}.terms SET closed_on = $2, closed_position = $3 WHERE term_id = $1`, [
        event.data.termId,
        event.data.closedOn,
        event.position,
      ]);
      return;
    case 'MandateEnded':
      await tx.query(`UPDATE ${schema}.mandates SET ended_on = $2, end_reason = $3, ended_position = $4 WHERE mandate_id = $1`, [
        event.data.mandateId,
        event.data.endsOn,
        event.data.reason,
        event.position,
      ]);
      return;
  }
}
