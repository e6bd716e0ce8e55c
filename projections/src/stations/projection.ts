/**
 * Deputy stations (家站) and the entries of their books that are not act records: the station's
 * set-up (name, type, township, closure, upgrades, managers, reception times, deputies assigned),
 * the voter receptions, and the voters' opinions with every step of their handling. Act records
 * (station visits, reception attendance, home visits, duty reports, station-study trainings) stay
 * in rm_facts.record_versions; the queries join them.
 *
 * Every row is versioned like the act facts (facts/projection.ts): `valid_from_position/at` is the
 * event that made it known, `valid_to_position/at` the event that replaced it (a manager's stint
 * closed by the next manager, an assignment by the unassignment, a station by its closure), and
 * each row names its domain dates. Receptions, upgrades, opinions and opinion steps are never
 * replaced: an opinion's state after each step is its own row. So "as it was known" selects rows
 * by log position, "as it happened" by domain date (see view.ts).
 *
 * Voters' personal data (name, phone, address) and the opinion's wording, which may identify the
 * voter, live only in the `voter_*` and `content` columns of `opinions`, never in any other text.
 */
import type { Queryable } from '@yingpan/db';
import { defineProjection, type ProjectedEvent } from '../engine/projection.ts';

const STATION_EVENTS = [
  'StationEstablished',
  'StationManagerAssigned',
  'StationManagerEnded',
  'ReceptionTimesPublished',
  'StationUpgraded',
  'DeputyAssignedToStation',
  'DeputyUnassignedFromStation',
  'StationClosed',
  'VoterReceptionHeld',
] as const;
const OPINION_EVENTS = ['OpinionRegistered', 'OpinionReferred', 'OpinionAnswered', 'OpinionClosed', 'OpinionReopened'] as const;

/** The columns every table has: which event made the row known, and which replaced it (NULL: current). */
const VERSIONED = `valid_from_position bigint NOT NULL,
      valid_from_at       timestamptz NOT NULL,
      valid_to_position   bigint,
      valid_to_at         timestamptz`;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Inserts a row that becomes known at this event. */
async function insert(tx: Queryable, table: string, event: ProjectedEvent, row: Record<string, unknown>): Promise<void> {
  const values = { ...row, valid_from_position: event.position, valid_from_at: event.metadata.recordedAt };
  const columns = Object.keys(values);
  await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`, Object.values(values));
}

/**
 * Replaces the current version of the rows matching `where` (parameters $1…) by a copy with
 * `changes`, known from this event; the old version keeps what was known before it.
 */
async function supersede(
  tx: Queryable,
  table: string,
  where: string,
  params: unknown[],
  changes: Record<string, unknown>,
  event: ProjectedEvent,
): Promise<void> {
  const at = params.length + 1;
  const { rows } = await tx.query<{ row: Record<string, unknown> }>(
    `UPDATE ${table} AS t SET valid_to_position = $${at}, valid_to_at = $${at + 1}
      WHERE ${where} AND valid_to_position IS NULL RETURNING to_jsonb(t.*) AS row`,
    [...params, event.position, event.metadata.recordedAt],
  );
  for (const { row } of rows) {
    const next = {
      ...row,
      ...changes,
      version: Number(row.version) + 1,
      valid_from_position: event.position,
      valid_from_at: event.metadata.recordedAt,
      valid_to_position: null,
      valid_to_at: null,
    };
    await tx.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`, [JSON.stringify(next)]);
  }
}

/** Appends an opinion's state after a handling step, carrying over the deadline and agency in force unless the step changes them. */
async function step(
  tx: Queryable,
  schema: string,
  event: ProjectedEvent,
  opinionId: string,
  change: { status: string; step_on: string; [column: string]: unknown },
) {
  const { rows } = await tx.query<{ step_no: number; deadline: string; agency: string | null }>(
    `SELECT step_no, to_char(deadline, 'YYYY-MM-DD') AS deadline, agency FROM ${schema}.opinion_steps
      WHERE opinion_id = $1 ORDER BY step_no DESC LIMIT 1`,
    [opinionId],
  );
  const last = rows[0];
  if (!last) throw new Error(`${event.type} names opinion ${opinionId}, which was never registered`);
  await insert(tx, `${schema}.opinion_steps`, event, {
    opinion_id: opinionId,
    step_no: last.step_no + 1,
    deadline: last.deadline,
    agency: last.agency,
    ...change,
  });
}

export const stations = defineProjection({
  name: 'stations',
  version: 2,
  handles: [...STATION_EVENTS, ...OPINION_EVENTS],
  tables: (schema) => `
    CREATE TABLE ${schema}.stations (
      station_id     uuid    NOT NULL,
      version        integer NOT NULL,
      type           text    NOT NULL,   -- deputy-home 代表之家 | liaison-station 代表联络站
      name           text    NOT NULL,
      township       text    NOT NULL,
      address        text    NOT NULL,
      established_on date    NOT NULL,
      closed_on      date,               -- the last day open
      close_reason   text,
      ${VERSIONED},
      PRIMARY KEY (station_id, version)
    );
    CREATE UNIQUE INDEX ON ${schema}.stations (station_id) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.stations (township);
    -- Managers (站点负责人), one row per stint; the next manager's assignment ends the stint the day before.
    CREATE TABLE ${schema}.managers (
      stint_id       bigint  NOT NULL,   -- the position of the assignment
      version        integer NOT NULL,
      station_id     uuid    NOT NULL,
      person_id      uuid    NOT NULL,
      mandate_id     uuid    NOT NULL,
      from_on        date    NOT NULL,
      to_on          date,               -- the last day in charge
      ${VERSIONED},
      PRIMARY KEY (stint_id, version)
    );
    CREATE UNIQUE INDEX ON ${schema}.managers (stint_id) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.managers (station_id);
    -- Published reception times (接待时间); a new schedule ends the previous one the day before it applies.
    CREATE TABLE ${schema}.schedules (
      schedule_id    bigint  NOT NULL,   -- the position of the publication
      version        integer NOT NULL,
      station_id     uuid    NOT NULL,
      slots          jsonb   NOT NULL,   -- [{repeat, day, startTime, endTime}]
      note           text,
      from_on        date    NOT NULL,
      to_on          date,               -- the last day it applied
      ${VERSIONED},
      PRIMARY KEY (schedule_id, version)
    );
    CREATE UNIQUE INDEX ON ${schema}.schedules (schedule_id) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.schedules (station_id);
    -- Upgrades (提档升级): never replaced.
    CREATE TABLE ${schema}.upgrades (
      station_id     uuid    NOT NULL,
      upgraded_on    date    NOT NULL,
      amount_yuan    numeric NOT NULL,
      items          jsonb   NOT NULL,
      ${VERSIONED},
      PRIMARY KEY (station_id, valid_from_position)
    );
    -- Deputies assigned to the station (进站), one row per stay; the unassignment sets the last day.
    CREATE TABLE ${schema}.assignments (
      assignment_id  bigint  NOT NULL,   -- the position of the assignment
      version        integer NOT NULL,
      station_id     uuid    NOT NULL,
      person_id      uuid    NOT NULL,
      mandate_id     uuid    NOT NULL,
      from_on        date    NOT NULL,
      to_on          date,               -- the last day assigned
      end_reason     text,
      ${VERSIONED},
      PRIMARY KEY (assignment_id, version)
    );
    CREATE UNIQUE INDEX ON ${schema}.assignments (assignment_id) WHERE valid_to_position IS NULL;
    CREATE INDEX ON ${schema}.assignments (station_id);
    CREATE INDEX ON ${schema}.assignments (person_id);
    -- The reception book (接待选民簿): never replaced.
    CREATE TABLE ${schema}.receptions (
      reception_id    uuid    PRIMARY KEY,
      station_id      uuid    NOT NULL,
      held_on         date    NOT NULL,
      lead_person_id  uuid    NOT NULL,
      voters_received integer NOT NULL,
      topics          jsonb   NOT NULL,   -- subjects in brief, no personal data
      ${VERSIONED}
    );
    CREATE INDEX ON ${schema}.receptions (station_id, held_on);
    -- The opinion book (意见建议簿): the registration, never replaced.
    CREATE TABLE ${schema}.opinions (
      opinion_id             uuid PRIMARY KEY,
      station_id             uuid NOT NULL,
      reception_id           uuid,
      received_by_person_id  uuid NOT NULL,
      received_by_mandate_id uuid NOT NULL,
      category               text NOT NULL,
      registered_on          date NOT NULL,
      deadline               date NOT NULL,
      voter_name             text NOT NULL,   -- PERSONAL DATA, never public
      voter_phone            text,            -- PERSONAL DATA, never public
      voter_address          text,            -- PERSONAL DATA, never public
      content                text NOT NULL,   -- in the voter's words: may identify them, never public
      ${VERSIONED}
    );
    CREATE INDEX ON ${schema}.opinions (station_id, registered_on);
    -- The handling book (意见处理簿): the opinion's state after each step (step 0: registered), never replaced.
    CREATE TABLE ${schema}.opinion_steps (
      opinion_id     uuid    NOT NULL,
      step_no        integer NOT NULL,
      step_on        date    NOT NULL,
      status         text    NOT NULL,   -- registered | referred | answered | closed | reopened
      deadline       date    NOT NULL,   -- the deadline in force after the step
      agency         text,               -- the agency handling it after the step (承办单位)
      answer         text,
      satisfaction   text,               -- satisfied | basically-satisfied | dissatisfied
      note           text,               -- closing remarks, or the reason for reopening
      ${VERSIONED},
      PRIMARY KEY (opinion_id, step_no)
    );`,
  async apply(tx, schema, event) {
    switch (event.type) {
      case 'StationEstablished': {
        const { data } = event;
        await insert(tx, `${schema}.stations`, event, {
          station_id: data.stationId,
          version: 1,
          type: data.type,
          name: data.name,
          township: data.township,
          address: data.address,
          established_on: data.establishedOn,
        });
        return;
      }
      case 'StationClosed':
        await supersede(
          tx,
          `${schema}.stations`,
          'station_id = $1',
          [event.data.stationId],
          { closed_on: event.data.closedOn, close_reason: event.data.reason },
          event,
        );
        return;
      case 'StationManagerAssigned': {
        const { data } = event;
        await supersede(tx, `${schema}.managers`, 'station_id = $1 AND to_on IS NULL', [data.stationId], { to_on: dayBefore(data.assignedOn) }, event);
        await insert(tx, `${schema}.managers`, event, {
          stint_id: event.position,
          version: 1,
          station_id: data.stationId,
          person_id: data.managerPersonId,
          mandate_id: data.managerMandateId,
          from_on: data.assignedOn,
        });
        return;
      }
      case 'StationManagerEnded': {
        const { data } = event;
        await supersede(tx, `${schema}.managers`, 'station_id = $1 AND to_on IS NULL', [data.stationId], { to_on: data.endedOn }, event);
        return;
      }
      case 'ReceptionTimesPublished': {
        const { data } = event;
        await supersede(tx, `${schema}.schedules`, 'station_id = $1 AND to_on IS NULL', [data.stationId], { to_on: dayBefore(data.effectiveFrom) }, event);
        await insert(tx, `${schema}.schedules`, event, {
          schedule_id: event.position,
          version: 1,
          station_id: data.stationId,
          slots: JSON.stringify(data.schedule),
          note: data.note,
          from_on: data.effectiveFrom,
        });
        return;
      }
      case 'StationUpgraded': {
        const { data } = event;
        await insert(tx, `${schema}.upgrades`, event, {
          station_id: data.stationId,
          upgraded_on: data.upgradedOn,
          amount_yuan: data.amountYuan,
          items: JSON.stringify(data.items),
        });
        return;
      }
      case 'DeputyAssignedToStation': {
        const { data } = event;
        await insert(tx, `${schema}.assignments`, event, {
          assignment_id: event.position,
          version: 1,
          station_id: data.stationId,
          person_id: data.personId,
          mandate_id: data.mandateId,
          from_on: data.assignedOn,
        });
        return;
      }
      case 'DeputyUnassignedFromStation': {
        const { data } = event;
        await supersede(
          tx,
          `${schema}.assignments`,
          'station_id = $1 AND person_id = $2 AND to_on IS NULL',
          [data.stationId, data.personId],
          { to_on: data.unassignedOn, end_reason: data.reason },
          event,
        );
        return;
      }
      case 'VoterReceptionHeld': {
        const { data } = event;
        await insert(tx, `${schema}.receptions`, event, {
          reception_id: data.receptionId,
          station_id: data.stationId,
          held_on: data.date,
          lead_person_id: data.leadPersonId,
          voters_received: data.votersReceived,
          topics: JSON.stringify(data.topics),
        });
        return;
      }
      case 'OpinionRegistered': {
        const { data } = event;
        await insert(tx, `${schema}.opinions`, event, {
          opinion_id: data.opinionId,
          station_id: data.stationId,
          reception_id: data.receptionId,
          received_by_person_id: data.receivedByPersonId,
          received_by_mandate_id: data.receivedByMandateId,
          category: data.category,
          registered_on: data.registeredOn,
          deadline: data.deadline,
          voter_name: data.voter.name,
          voter_phone: data.voter.phone,
          voter_address: data.voter.address,
          content: data.content,
        });
        await insert(tx, `${schema}.opinion_steps`, event, {
          opinion_id: data.opinionId,
          step_no: 0,
          step_on: data.registeredOn,
          status: 'registered',
          deadline: data.deadline,
        });
        return;
      }
      case 'OpinionReferred':
        await step(tx, schema, event, event.data.opinionId, {
          step_on: event.data.referredOn,
          status: 'referred',
          agency: event.data.agency,
          deadline: event.data.deadline,
        });
        return;
      case 'OpinionAnswered':
        await step(tx, schema, event, event.data.opinionId, {
          step_on: event.data.answeredOn,
          status: 'answered',
          agency: event.data.agency,
          answer: event.data.answer,
        });
        return;
      case 'OpinionClosed':
        await step(tx, schema, event, event.data.opinionId, {
          step_on: event.data.closedOn,
          status: 'closed',
          satisfaction: event.data.satisfaction,
          note: event.data.note,
        });
        return;
      case 'OpinionReopened':
        await step(tx, schema, event, event.data.opinionId, {
          step_on: event.data.reopenedOn,
          status: 'reopened',
          agency: null,
          deadline: event.data.deadline,
          note: event.data.reason,
        });
        return;
      default:
        return; // record events on the station stream are the facts projection's
    }
  },
});
