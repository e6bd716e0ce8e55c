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
import type { EventOfType } from '@yingpan/domain';
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
type StationsEvent = ProjectedEvent<EventOfType<(typeof STATION_EVENTS)[number] | (typeof OPINION_EVENTS)[number]>>;

/** The columns every table has: which event made the row known, and which replaced it (NULL: current). */
const VERSIONED = `valid_from_position bigint NOT NULL,
      valid_from_at       timestamptz NOT NULL,
      valid_to_position   bigint,
      valid_to_at         timestamptz`;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** A row as JSON: jsonb columns hold their value itself, the others text or numbers PostgreSQL casts. */
type Row = Record<string, unknown>;

/** The tables whose rows are replaced by new versions, with the column that names a row across its versions and its type. */
const VERSIONED_TABLES = {
  stations: ['station_id', 'uuid'],
  managers: ['stint_id', 'bigint'],
  schedules: ['schedule_id', 'bigint'],
  assignments: ['assignment_id', 'bigint'],
} as const;
type VersionedTable = keyof typeof VERSIONED_TABLES;

/** The current rows an event replaces: a station's (only those without an end day with `open`), or one deputy's there. */
interface Match {
  stationId: string;
  personId?: string;
  open?: boolean;
}

/** An opinion's state after a handling step; the deadline and agency in force carry over unless the step changes them. */
interface StepChange {
  status: string;
  step_on: string;
  [column: string]: unknown;
}

/** What an event does to the tables, said once for `apply` (a statement or two each) and `applyBatch` (a page in memory). */
type Change =
  | { kind: 'insert'; table: string; row: Row }
  | { kind: 'supersede'; table: VersionedTable; match: Match; changes: Row }
  | { kind: 'step'; opinionId: string; change: StepChange };

function changesOf(event: StationsEvent): Change[] {
  switch (event.type) {
    case 'StationEstablished': {
      const { data } = event;
      const row = {
        station_id: data.stationId,
        version: 1,
        type: data.type,
        name: data.name,
        township: data.township,
        address: data.address,
        established_on: data.establishedOn,
      };
      return [{ kind: 'insert', table: 'stations', row }];
    }
    case 'StationClosed': {
      const { data } = event;
      return [{ kind: 'supersede', table: 'stations', match: { stationId: data.stationId }, changes: { closed_on: data.closedOn, close_reason: data.reason } }];
    }
    case 'StationManagerAssigned': {
      const { data } = event;
      return [
        { kind: 'supersede', table: 'managers', match: { stationId: data.stationId, open: true }, changes: { to_on: dayBefore(data.assignedOn) } },
        {
          kind: 'insert',
          table: 'managers',
          row: {
            stint_id: event.position,
            version: 1,
            station_id: data.stationId,
            person_id: data.managerPersonId,
            mandate_id: data.managerMandateId,
            from_on: data.assignedOn,
          },
        },
      ];
    }
    case 'StationManagerEnded': {
      const { data } = event;
      return [{ kind: 'supersede', table: 'managers', match: { stationId: data.stationId, open: true }, changes: { to_on: data.endedOn } }];
    }
    case 'ReceptionTimesPublished': {
      const { data } = event;
      return [
        { kind: 'supersede', table: 'schedules', match: { stationId: data.stationId, open: true }, changes: { to_on: dayBefore(data.effectiveFrom) } },
        {
          kind: 'insert',
          table: 'schedules',
          row: { schedule_id: event.position, version: 1, station_id: data.stationId, slots: data.schedule, note: data.note, from_on: data.effectiveFrom },
        },
      ];
    }
    case 'StationUpgraded': {
      const { data } = event;
      return [
        {
          kind: 'insert',
          table: 'upgrades',
          row: { station_id: data.stationId, upgraded_on: data.upgradedOn, amount_yuan: data.amountYuan, items: data.items },
        },
      ];
    }
    case 'DeputyAssignedToStation': {
      const { data } = event;
      const row = {
        assignment_id: event.position,
        version: 1,
        station_id: data.stationId,
        person_id: data.personId,
        mandate_id: data.mandateId,
        from_on: data.assignedOn,
      };
      return [{ kind: 'insert', table: 'assignments', row }];
    }
    case 'DeputyUnassignedFromStation': {
      const { data } = event;
      return [
        {
          kind: 'supersede',
          table: 'assignments',
          match: { stationId: data.stationId, personId: data.personId, open: true },
          changes: { to_on: data.unassignedOn, end_reason: data.reason },
        },
      ];
    }
    case 'VoterReceptionHeld': {
      const { data } = event;
      const row = {
        reception_id: data.receptionId,
        station_id: data.stationId,
        held_on: data.date,
        lead_person_id: data.leadPersonId,
        voters_received: data.votersReceived,
        topics: data.topics,
      };
      return [{ kind: 'insert', table: 'receptions', row }];
    }
    case 'OpinionRegistered': {
      const { data } = event;
      return [
        {
          kind: 'insert',
          table: 'opinions',
          row: {
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
          },
        },
        {
          kind: 'insert',
          table: 'opinion_steps',
          row: { opinion_id: data.opinionId, step_no: 0, step_on: data.registeredOn, status: 'registered', deadline: data.deadline },
        },
      ];
    }
    case 'OpinionReferred': {
      const { data } = event;
      return [
        { kind: 'step', opinionId: data.opinionId, change: { step_on: data.referredOn, status: 'referred', agency: data.agency, deadline: data.deadline } },
      ];
    }
    case 'OpinionAnswered': {
      const { data } = event;
      return [{ kind: 'step', opinionId: data.opinionId, change: { step_on: data.answeredOn, status: 'answered', agency: data.agency, answer: data.answer } }];
    }
    case 'OpinionClosed': {
      const { data } = event;
      return [
        { kind: 'step', opinionId: data.opinionId, change: { step_on: data.closedOn, status: 'closed', satisfaction: data.satisfaction, note: data.note } },
      ];
    }
    case 'OpinionReopened': {
      const { data } = event;
      return [
        {
          kind: 'step',
          opinionId: data.opinionId,
          change: { step_on: data.reopenedOn, status: 'reopened', agency: null, deadline: data.deadline, note: data.reason },
        },
      ];
    }
    default:
      return [];
  }
}

/** The row as this event makes it known. */
const known = (row: Row, event: ProjectedEvent): Row => ({ ...row, valid_from_position: event.position, valid_from_at: event.metadata.recordedAt });

/** The next version of a current row, with `changes`, known from this event. */
const nextVersion = (row: Row, changes: Row, event: ProjectedEvent): Row => ({
  ...known({ ...row, ...changes }, event),
  version: Number(row.version) + 1,
  valid_to_position: null,
  valid_to_at: null,
});

/** From this many rows a table's are written with COPY (a rebuild's page); fewer in one INSERT. */
const COPY_FROM = 64;

/** Inserts rows into one table in one statement; a column a row does not name is NULL. */
async function insertRows(tx: Queryable, schema: string, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length >= COPY_FROM) {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    await tx.copyFrom(
      `${schema}.${table}`,
      columns,
      rows.map((row) => columns.map((column) => row[column] ?? null)),
    );
    return;
  }
  await tx.query(`INSERT INTO ${schema}.${table} SELECT * FROM jsonb_populate_recordset(NULL::${schema}.${table}, $1::jsonb)`, [JSON.stringify(rows)]);
}

/** UUIDs as PostgreSQL compares them (the log may spell them in capitals). */
const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

const matches = (row: Row, match: Match) =>
  same(row.station_id, match.stationId) && (match.personId === undefined || same(row.person_id, match.personId)) && (!match.open || row.to_on == null);

/**
 * Replaces the current versions of the rows `match` names by a copy with `changes`, known from
 * this event; the old version keeps what was known before it.
 */
async function supersede(tx: Queryable, schema: string, table: VersionedTable, match: Match, changes: Row, event: ProjectedEvent): Promise<void> {
  const params: unknown[] = [event.position, event.metadata.recordedAt, match.stationId];
  const where = [`station_id = $3`];
  if (match.personId !== undefined) where.push(`person_id = $${params.push(match.personId)}`);
  if (match.open) where.push('to_on IS NULL');
  const { rows } = await tx.query<{ row: Row }>(
    `UPDATE ${schema}.${table} AS t SET valid_to_position = $1, valid_to_at = $2
      WHERE ${where.join(' AND ')} AND valid_to_position IS NULL RETURNING to_jsonb(t.*) AS row`,
    params,
  );
  await insertRows(
    tx,
    schema,
    table,
    rows.map(({ row }) => nextVersion(row, changes, event)),
  );
}

interface LastStep {
  step_no: number;
  deadline: unknown;
  agency: unknown;
}

/** The opinion's state after a handling step, following its last one. */
function nextStep(event: ProjectedEvent, opinionId: string, last: LastStep | undefined, change: StepChange): Row {
  if (!last) throw new Error(`${event.type} names opinion ${opinionId}, which was never registered`);
  return known({ opinion_id: opinionId, step_no: last.step_no + 1, deadline: last.deadline, agency: last.agency, ...change }, event);
}

async function step(tx: Queryable, schema: string, event: ProjectedEvent, opinionId: string, change: StepChange): Promise<void> {
  const { rows } = await tx.query<LastStep>(
    `SELECT step_no, to_char(deadline, 'YYYY-MM-DD') AS deadline, agency FROM ${schema}.opinion_steps
      WHERE opinion_id = $1 ORDER BY step_no DESC LIMIT 1`,
    [opinionId],
  );
  await insertRows(tx, schema, 'opinion_steps', [nextStep(event, opinionId, rows[0], change)]);
}

/**
 * A page of events applied in memory: the current rows the page's events replace and the last
 * steps of the opinions they handle are read first (a statement a table), the events change them
 * in order, and the page writes what it closed and what it added, a statement a table.
 */
class StationsPage {
  /** Rows to insert, per table. */
  private readonly inserts = new Map<string, Row[]>();
  /** Current versions of the versioned tables: read from earlier pages (in `stored`) or added by this page. */
  private readonly current = new Map<VersionedTable, Row[]>();
  /** The current versions read from earlier pages, per table; those the page replaces get their end here. */
  private readonly stored = new Map<VersionedTable, Row[]>();
  private readonly lastSteps = new Map<string, LastStep>();

  constructor(private readonly schema: string) {}

  /** Reads what the page's `changes` (its events', in order) replace. */
  async read(tx: Queryable, changes: readonly Change[]): Promise<void> {
    const stationsOf = (table: VersionedTable) => [
      ...new Set(changes.flatMap((change) => (change.kind === 'supersede' && change.table === table ? [change.match.stationId] : []))),
    ];
    for (const table of Object.keys(VERSIONED_TABLES) as VersionedTable[]) {
      const stationIds = stationsOf(table);
      const rows =
        stationIds.length === 0
          ? []
          : (
              await tx.query<{ row: Row }>(
                `SELECT to_jsonb(t.*) AS row FROM ${this.schema}.${table} t WHERE station_id = ANY($1::uuid[]) AND valid_to_position IS NULL`,
                [stationIds],
              )
            ).rows.map(({ row }) => row);
      this.stored.set(table, rows);
      this.current.set(table, [...rows]);
    }
    const opinionIds = [...new Set(changes.flatMap((change) => (change.kind === 'step' ? [change.opinionId] : [])))];
    if (opinionIds.length > 0) {
      const { rows } = await tx.query<LastStep & { opinion_id: string }>(
        `SELECT DISTINCT ON (opinion_id) opinion_id, step_no, to_char(deadline, 'YYYY-MM-DD') AS deadline, agency FROM ${this.schema}.opinion_steps
          WHERE opinion_id = ANY($1::uuid[]) ORDER BY opinion_id, step_no DESC`,
        [opinionIds],
      );
      for (const { opinion_id, ...last } of rows) this.lastSteps.set(opinion_id.toLowerCase(), last);
    }
  }

  apply(event: StationsEvent, changes: readonly Change[]): void {
    for (const change of changes) {
      if (change.kind === 'insert') this.add(change.table, known(change.row, event));
      else if (change.kind === 'supersede') this.supersede(change.table, change.match, change.changes, event);
      else this.add('opinion_steps', nextStep(event, change.opinionId, this.lastSteps.get(change.opinionId.toLowerCase()), change.change));
    }
  }

  private add(table: string, row: Row): void {
    let rows = this.inserts.get(table);
    if (!rows) this.inserts.set(table, (rows = []));
    rows.push(row);
    if (table in VERSIONED_TABLES) this.current.get(table as VersionedTable)!.push(row);
    if (table === 'opinion_steps') this.lastSteps.set(String(row.opinion_id).toLowerCase(), row as unknown as LastStep);
  }

  /** Closes the matching current versions at this event (a stored one on write, one of this page's as it goes in) and adds the next. */
  private supersede(table: VersionedTable, match: Match, changes: Row, event: StationsEvent): void {
    const rows = this.current.get(table)!;
    const replaced = rows.filter((row) => matches(row, match));
    this.current.set(
      table,
      rows.filter((row) => !replaced.includes(row)),
    );
    for (const row of replaced) {
      row.valid_to_position = event.position;
      row.valid_to_at = event.metadata.recordedAt;
      this.add(table, nextVersion(row, changes, event));
    }
  }

  async write(tx: Queryable): Promise<void> {
    // Ends first: a table's unique index allows one current version of a row.
    for (const [table, rows] of this.stored) {
      const [column, type] = VERSIONED_TABLES[table];
      const ended = rows.filter((row) => row.valid_to_position != null);
      if (ended.length === 0) continue;
      await tx.query(
        `UPDATE ${this.schema}.${table} AS t SET valid_to_position = e.valid_to_position, valid_to_at = e.valid_to_at
           FROM jsonb_to_recordset($1::jsonb) AS e(${column} ${type}, version integer, valid_to_position bigint, valid_to_at timestamptz)
          WHERE t.${column} = e.${column} AND t.version = e.version`,
        [
          JSON.stringify(
            ended.map((row) => ({ [column]: row[column], version: row.version, valid_to_position: row.valid_to_position, valid_to_at: row.valid_to_at })),
          ),
        ],
      );
    }
    for (const [table, rows] of this.inserts) await insertRows(tx, this.schema, table, rows);
  }
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
    for (const change of changesOf(event)) {
      if (change.kind === 'insert') await insertRows(tx, schema, change.table, [known(change.row, event)]);
      else if (change.kind === 'supersede') await supersede(tx, schema, change.table, change.match, change.changes, event);
      else await step(tx, schema, event, change.opinionId, change.change);
    }
  },
  /** A page in memory, written a statement a table (see StationsPage). */
  async applyBatch(tx, schema, events) {
    const page = new StationsPage(schema);
    const changes = events.map(changesOf);
    await page.read(tx, changes.flat());
    events.forEach((event, index) => page.apply(event, changes[index]!));
    await page.write(tx);
  },
});
