/**
 * The station books (一册六簿) and the station rules' compliance ("月进站、季回家、年述职"), read
 * from the station tables (projection.ts) and the act facts (rm_facts.record_versions) in one
 * view of the past: every query takes an AsOf and sees only the rows and record versions visible
 * in it, so a book can be printed as it stood on any past date or log position.
 *
 * Books list the records that stand (approved, or declared and still pending review, with their
 * status); counts and compliance use approved records only. Voters' personal data and the
 * opinions' wording are returned only when `personalData` is asked for.
 */
import type { Queryable } from '@yingpan/db';
import type { ActKind, Level, OpinionSatisfaction, OpinionStatus, StationType } from '@yingpan/domain';
import { schemaOf } from '../engine/projection.ts';
import { Params, versionsVisible, type AsOf } from '../facts/as-of.ts';
import { facts } from '../facts/projection.ts';
import { directory } from '../directory/projection.ts';
import { mandates } from '../mandates/projection.ts';
import { stations } from './projection.ts';
import { dayOfView, endAsOf, rowsVisible } from './view.ts';

const S = schemaOf(stations);
const FACTS = schemaOf(facts);
const PEOPLE = `${schemaOf(directory)}.people`;
const TRAININGS = `${schemaOf(directory)}.trainings`;
const MANDATES = schemaOf(mandates);

/**
 * The tables as the view sees them, as CTEs: st stations, mg managers, sc schedules, up upgrades,
 * asg assignments, rc receptions, op opinions (without personal data unless asked), os opinion
 * steps, rv standing record versions (approved or pending). End dates not yet come are NULL.
 */
function viewCtes(asOf: AsOf, p: Params, personalData = false): string {
  const visible = (startsOn: string) => rowsVisible(asOf, p.add, 't', startsOn);
  const end = (column: string) => endAsOf(asOf, p.add, `t.${column}`);
  return `WITH
    st AS (SELECT t.station_id, t.type, t.name, t.township, t.address, t.established_on, ${end('closed_on')} AS closed_on
             FROM ${S}.stations t WHERE ${visible('established_on')}),
    mg AS (SELECT t.station_id, t.person_id, t.mandate_id, t.from_on, ${end('to_on')} AS to_on FROM ${S}.managers t WHERE ${visible('from_on')}),
    sc AS (SELECT t.station_id, t.slots, t.note, t.from_on, ${end('to_on')} AS to_on FROM ${S}.schedules t WHERE ${visible('from_on')}),
    up AS (SELECT t.station_id, t.upgraded_on, t.amount_yuan, t.items FROM ${S}.upgrades t WHERE ${visible('upgraded_on')}),
    asg AS (SELECT t.station_id, t.person_id, t.mandate_id, t.from_on, ${end('to_on')} AS to_on,
                   CASE WHEN ${end('to_on')} IS NOT NULL THEN t.end_reason END AS end_reason
              FROM ${S}.assignments t WHERE ${visible('from_on')}),
    rc AS (SELECT t.reception_id, t.station_id, t.held_on, t.lead_person_id, t.voters_received, t.topics FROM ${S}.receptions t WHERE ${visible('held_on')}),
    op AS (SELECT t.opinion_id, t.station_id, t.reception_id, t.received_by_person_id, t.category, t.registered_on,
                  ${personalData ? 't.voter_name, t.voter_phone, t.voter_address, t.content' : 'NULL AS voter_name, NULL AS voter_phone, NULL AS voter_address, NULL AS content'}
             FROM ${S}.opinions t WHERE ${visible('registered_on')}),
    os AS (SELECT t.opinion_id, t.step_no, t.step_on, t.status, t.deadline, t.agency, t.answer, t.satisfaction, t.note FROM ${S}.opinion_steps t WHERE ${visible('step_on')}),
    op_state AS (SELECT DISTINCT ON (opinion_id) * FROM os ORDER BY opinion_id, step_no DESC),
    rv AS (SELECT v.record_id, v.act, v.person_id, v.mandate_id, v.act_date, v.status, v.corrected, v.station_id, v.activity_id, v.data, v.study
             FROM ${FACTS}.record_versions v WHERE ${versionsVisible(asOf, p.add)} AND v.status IN ('approved', 'pending'))`;
}

const date = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

export interface BookPerson {
  personId: string;
  /** From the directory; null if the person is not registered there. */
  name: string | null;
}

export interface StationCounts {
  /** Deputies assigned on the view's day. */
  deputies: number;
  receptions: number;
  votersReceived: number;
  opinions: number;
  /** Opinions not closed on the view's day. */
  openOpinions: number;
  /** Approved station visits (进站履职) recorded at the station. */
  stationVisits: number;
  upgrades: number;
  upgradeYuan: number;
}

export interface StationSummary {
  stationId: string;
  name: string;
  type: StationType;
  township: string;
  address: string;
  establishedOn: string;
  closedOn: string | null;
  /** The manager in charge on the view's day. */
  manager: (BookPerson & { mandateId: string; fromOn: string }) | null;
  counts: StationCounts;
}

/**
 * The stations visible in the view (optionally of one township), with their manager and counts as
 * of the view's day; `counts: false` leaves the counts at zero without counting (for a caller that
 * only wants the stations, say their townships for a filter).
 */
export async function stationList(db: Queryable, options: { township?: string; asOf: AsOf; counts?: boolean }): Promise<StationSummary[]> {
  return summaries(db, options.asOf, await dayOfView(db, options.asOf), { township: options.township }, options.counts ?? true);
}

/**
 * Stations with their manager and counts. Each count is one aggregate grouped by station over the
 * chosen stations (not a subquery per station: the open opinions' latest steps, for one, were
 * worked out again for every station, 14 s for the county's 180), and an opinion's latest step
 * visible in the view is read through the steps' primary key (the `os` CTE is materialised).
 */
async function summaries(db: Queryable, asOf: AsOf, day: string, filter: { township?: string; stationId?: string }, counted = true): Promise<StationSummary[]> {
  const p = new Params();
  const ctes = viewCtes(asOf, p);
  const d = `${p.add(day)}::date`;
  const { rows } = await db.query<Omit<StationSummary, 'manager'> & { manager: StationSummary['manager'] }>(
    `${ctes},
     chosen AS (
       SELECT st.* FROM st
        WHERE (${p.add(filter.township ?? null)}::text IS NULL OR st.township = ${p.add(filter.township ?? null)}::text)
          AND (${p.add(filter.stationId ?? null)}::uuid IS NULL OR st.station_id = ${p.add(filter.stationId ?? null)}::uuid)),
     deputies AS (
       SELECT asg.station_id, count(DISTINCT asg.person_id) AS n FROM asg
        WHERE ${counted} AND asg.station_id IN (SELECT station_id FROM chosen) AND asg.from_on <= ${d} AND (asg.to_on IS NULL OR asg.to_on >= ${d})
        GROUP BY asg.station_id),
     receptions AS (
       SELECT rc.station_id, count(*) AS n, coalesce(sum(rc.voters_received), 0) AS voters FROM rc
        WHERE ${counted} AND rc.station_id IN (SELECT station_id FROM chosen) GROUP BY rc.station_id),
     opinions AS (
       SELECT op.station_id, count(*) AS n, count(*) FILTER (WHERE latest.status <> 'closed') AS open
         FROM op LEFT JOIN LATERAL (SELECT t.status FROM ${S}.opinion_steps t WHERE t.opinion_id = op.opinion_id AND ${rowsVisible(asOf, p.add, 't', 'step_on')}
                                     ORDER BY t.step_no DESC LIMIT 1) latest ON TRUE
        WHERE ${counted} AND op.station_id IN (SELECT station_id FROM chosen) GROUP BY op.station_id),
     visits AS (
       SELECT rv.station_id, count(*) AS n FROM rv
        WHERE ${counted} AND rv.station_id IN (SELECT station_id FROM chosen) AND rv.act = 'station-visit' AND rv.status = 'approved' GROUP BY rv.station_id),
     upgrades AS (
       SELECT up.station_id, count(*) AS n, coalesce(sum(up.amount_yuan), 0)::float8 AS yuan FROM up
        WHERE ${counted} AND up.station_id IN (SELECT station_id FROM chosen) GROUP BY up.station_id)
     SELECT st.station_id AS "stationId", st.name, st.type, st.township, st.address,
            ${date('st.established_on')} AS "establishedOn", ${date('st.closed_on')} AS "closedOn",
            (SELECT jsonb_build_object('personId', mg.person_id, 'name', pe.name, 'mandateId', mg.mandate_id, 'fromOn', mg.from_on)
               FROM mg LEFT JOIN ${PEOPLE} pe USING (person_id)
              WHERE mg.station_id = st.station_id AND mg.from_on <= ${d} AND (mg.to_on IS NULL OR mg.to_on >= ${d})
              ORDER BY mg.from_on DESC LIMIT 1) AS manager,
            jsonb_build_object(
              'deputies', coalesce(deputies.n, 0),
              'receptions', coalesce(receptions.n, 0),
              'votersReceived', coalesce(receptions.voters, 0),
              'opinions', coalesce(opinions.n, 0),
              'openOpinions', coalesce(opinions.open, 0),
              'stationVisits', coalesce(visits.n, 0),
              'upgrades', coalesce(upgrades.n, 0),
              'upgradeYuan', coalesce(upgrades.yuan, 0)::float8
            ) AS counts
       FROM chosen st
       LEFT JOIN deputies USING (station_id)
       LEFT JOIN receptions USING (station_id)
       LEFT JOIN opinions USING (station_id)
       LEFT JOIN visits USING (station_id)
       LEFT JOIN upgrades USING (station_id)
      ORDER BY st.township, st.name`,
    p.values,
  );
  return rows;
}

export interface RosterEntry extends BookPerson {
  mandateId: string;
  level: Level | null;
  termNumber: number | null;
  fromOn: string;
  /** The last day assigned, or null while still assigned (in the view). */
  toOn: string | null;
  endReason: string | null;
}

/** A record of an act in a book, with its review status. */
export interface BookRecord extends BookPerson {
  recordId: string;
  act: ActKind;
  date: string;
  status: 'approved' | 'pending';
  corrected: boolean;
  stationId: string | null;
  /** What the record says was done (its summary, place or training title). */
  summary: string | null;
}

export interface ReceptionEntry {
  receptionId: string;
  /** The station whose book holds it. */
  stationId: string;
  heldOn: string;
  lead: BookPerson;
  votersReceived: number;
  topics: string[];
  /** The deputies who received voters, by their attendance records. */
  deputies: Array<BookPerson & { recordId: string; status: 'approved' | 'pending' }>;
  opinions: number;
}

export interface OpinionEntry {
  opinionId: string;
  /** The station whose book holds it. */
  stationId: string;
  registeredOn: string;
  receptionId: string | null;
  receivedBy: BookPerson;
  category: string;
  /** The state in the view: after the last step visible in it. */
  status: OpinionStatus;
  deadline: string;
  agency: string | null;
  satisfaction: OpinionSatisfaction | null;
  /** PERSONAL DATA: present only when asked for (never public). */
  personal: { voterName: string; voterPhone: string | null; voterAddress: string | null; content: string } | null;
}

export interface HandlingStep {
  stepNo: number;
  status: OpinionStatus;
  on: string;
  agency: string | null;
  /** The deadline in force after the step. */
  deadline: string;
  answer: string | null;
  satisfaction: OpinionSatisfaction | null;
  note: string | null;
  /**
   * For a step that set a deadline (registration, referral, reopening): no answer and no new
   * deadline came by it — by the next such step, or by the view's day when none came.
   */
  overdue: boolean;
}

export interface HandlingEntry {
  opinionId: string;
  category: string;
  status: OpinionStatus;
  deadline: string;
  agency: string | null;
  /** Still waiting for an answer on the view's day, past its deadline. */
  overdue: boolean;
  /** Some deadline of its handling was missed (now or earlier). */
  late: boolean;
  steps: HandlingStep[];
}

export interface DutyEntry extends BookPerson {
  /** Approved records per act in the period, while assigned to the station. */
  counts: Record<'station-visit' | 'home-visit' | 'voter-reception' | 'duty-report', number>;
  records: BookRecord[];
}

export interface StationBooks {
  station: StationSummary & {
    managers: Array<BookPerson & { mandateId: string; fromOn: string; toOn: string | null }>;
    schedules: Array<{ slots: unknown[]; note: string | null; fromOn: string; toOn: string | null }>;
    upgrades: Array<{ upgradedOn: string; amountYuan: number; items: string[] }>;
  };
  /** The view's day, and the period the books cover. */
  day: string;
  from: string;
  to: string;
  /** 一册: the deputies assigned at some time in the period, with their levels. */
  roster: RosterEntry[];
  /** 接待选民簿 */
  receptions: ReceptionEntry[];
  /** 意见建议簿 */
  opinions: OpinionEntry[];
  /** 意见处理簿: every handling step of the book's opinions visible in the view. */
  handling: HandlingEntry[];
  /** 活动簿: station visits and duty reports held at the station. */
  activities: BookRecord[];
  /** 学习簿: station-study trainings attended by its deputies while assigned, and study visits at the station. */
  study: BookRecord[];
  /** 履职簿: each rostered deputy's visits and receptions at the station, home visits and duty reports, while assigned. */
  duty: DutyEntry[];
}

const DUTY_ACTS = ['station-visit', 'home-visit', 'voter-reception', 'duty-report'] as const;

/**
 * The roster and six books of a station over a period (default: from its establishment to the
 * view's day), as the view sees them; null if the station is not visible in it. The period picks
 * the entries (by their dates); the view decides what is known of them, e.g. an opinion's status.
 */
export async function stationBooks(
  db: Queryable,
  options: { stationId: string; asOf: AsOf; from?: string; to?: string; personalData?: boolean },
): Promise<StationBooks | null> {
  const { stationId, asOf } = options;
  const day = await dayOfView(db, asOf);
  const [summary] = await summaries(db, asOf, day, { stationId });
  if (!summary) return null;
  const from = options.from ?? summary.establishedOn;
  const to = options.to ?? day;

  /** Runs a query over the view's CTEs, with the station and the period's bounds as parameters. */
  const run = async <R>(sql: (bind: { station: string; from: string; to: string }) => string): Promise<R[]> => {
    const p = new Params();
    const ctes = viewCtes(asOf, p, options.personalData);
    // Each value is bound on first use: PostgreSQL refuses parameters a statement does not use.
    const bound = new Map<string, string>();
    const lazy = (name: string, value: string, type: string) => () => bound.get(name) ?? bound.set(name, `${p.add(value)}::${type}`).get(name)!;
    const bind = Object.defineProperties({} as { station: string; from: string; to: string }, {
      station: { get: lazy('station', stationId, 'uuid') },
      from: { get: lazy('from', from, 'date') },
      to: { get: lazy('to', to, 'date') },
    });
    return (await db.query<R>(`${ctes} ${sql(bind)}`, p.values)).rows;
  };
  /** The select list of a BookRecord from rv (alias r) joined to people (pe), with what the record says was done. */
  const record = (summary = "coalesce(r.data->>'summary', r.data->>'place')") =>
    `r.record_id AS "recordId", r.act, ${date('r.act_date')} AS date, r.status, r.corrected, r.station_id AS "stationId",
     r.person_id AS "personId", pe.name, ${summary} AS summary`;
  /** The record's person was assigned to the station on its date. */
  const whileAssigned = (station: string) =>
    `EXISTS (SELECT 1 FROM asg WHERE asg.station_id = ${station} AND asg.person_id = r.person_id
                                 AND r.act_date >= asg.from_on AND (asg.to_on IS NULL OR r.act_date <= asg.to_on))`;

  const [managers, schedules, upgrades, roster, receptions, opinions, steps, activities, study, dutyRecords] = await Promise.all([
    run<StationBooks['station']['managers'][number]>(
      ({
        station,
      }) => `SELECT mg.person_id AS "personId", pe.name, mg.mandate_id AS "mandateId", ${date('mg.from_on')} AS "fromOn", ${date('mg.to_on')} AS "toOn"
                          FROM mg LEFT JOIN ${PEOPLE} pe USING (person_id) WHERE mg.station_id = ${station} ORDER BY mg.from_on`,
    ),
    run<StationBooks['station']['schedules'][number]>(
      ({ station }) =>
        `SELECT sc.slots, sc.note, ${date('sc.from_on')} AS "fromOn", ${date('sc.to_on')} AS "toOn" FROM sc WHERE sc.station_id = ${station} ORDER BY sc.from_on`,
    ),
    run<StationBooks['station']['upgrades'][number]>(
      ({ station }) =>
        `SELECT ${date('up.upgraded_on')} AS "upgradedOn", up.amount_yuan::float8 AS "amountYuan", up.items FROM up WHERE up.station_id = ${station} ORDER BY up.upgraded_on`,
    ),
    run<RosterEntry>(
      ({ station, from, to }) => `
        SELECT asg.person_id AS "personId", pe.name, asg.mandate_id AS "mandateId", m.level, t.number AS "termNumber",
               ${date('asg.from_on')} AS "fromOn", ${date('asg.to_on')} AS "toOn", asg.end_reason AS "endReason"
          FROM asg LEFT JOIN ${PEOPLE} pe USING (person_id)
          LEFT JOIN ${MANDATES}.mandates m USING (mandate_id) LEFT JOIN ${MANDATES}.terms t USING (term_id)
         WHERE asg.station_id = ${station} AND asg.from_on <= ${to} AND (asg.to_on IS NULL OR asg.to_on >= ${from})
         ORDER BY asg.from_on, pe.name`,
    ),
    // The deputies of each reception in one pass over the voter-reception records (they name their
    // reception only in their data, which has no index: a lookup per reception read them all each time).
    run<ReceptionEntry>(
      ({ station, from, to }) => `,
        held AS (SELECT rc.* FROM rc WHERE rc.station_id = ${station} AND rc.held_on BETWEEN ${from} AND ${to}),
        attended AS (
          SELECT r.data->>'receptionId' AS reception_id,
                 jsonb_agg(jsonb_build_object('personId', r.person_id, 'name', pe.name, 'recordId', r.record_id, 'status', r.status) ORDER BY pe.name) AS deputies
            FROM rv r LEFT JOIN ${PEOPLE} pe USING (person_id)
           WHERE r.act = 'voter-reception' AND r.data->>'receptionId' IN (SELECT reception_id::text FROM held)
           GROUP BY 1)
        SELECT rc.reception_id AS "receptionId", rc.station_id AS "stationId", ${date('rc.held_on')} AS "heldOn",
               jsonb_build_object('personId', rc.lead_person_id, 'name', lead.name) AS lead,
               rc.voters_received AS "votersReceived", rc.topics,
               coalesce(attended.deputies, '[]') AS deputies,
               (SELECT count(*)::int FROM op WHERE op.reception_id = rc.reception_id) AS opinions
          FROM held rc LEFT JOIN ${PEOPLE} lead ON lead.person_id = rc.lead_person_id
          LEFT JOIN attended ON attended.reception_id = rc.reception_id::text
         ORDER BY rc.held_on, rc.reception_id`,
    ),
    run<OpinionEntry>(
      ({ station, from, to }) => `
        SELECT op.opinion_id AS "opinionId", op.station_id AS "stationId", ${date('op.registered_on')} AS "registeredOn", op.reception_id AS "receptionId",
               jsonb_build_object('personId', op.received_by_person_id, 'name', pe.name) AS "receivedBy", op.category,
               s.status, ${date('s.deadline')} AS deadline, s.agency, s.satisfaction,
               CASE WHEN op.voter_name IS NOT NULL THEN jsonb_build_object('voterName', op.voter_name, 'voterPhone', op.voter_phone,
                      'voterAddress', op.voter_address, 'content', op.content) END AS personal
          FROM op JOIN op_state s USING (opinion_id) LEFT JOIN ${PEOPLE} pe ON pe.person_id = op.received_by_person_id
         WHERE op.station_id = ${station} AND op.registered_on BETWEEN ${from} AND ${to}
         ORDER BY op.registered_on, op.opinion_id`,
    ),
    run<HandlingStep & { opinionId: string }>(
      ({ station, from, to }) => `
        SELECT os.opinion_id AS "opinionId", os.step_no AS "stepNo", os.status, ${date('os.step_on')} AS on, os.agency,
               ${date('os.deadline')} AS deadline, os.answer, os.satisfaction, os.note
          FROM os JOIN op USING (opinion_id)
         WHERE op.station_id = ${station} AND op.registered_on BETWEEN ${from} AND ${to}
         ORDER BY op.registered_on, os.opinion_id, os.step_no`,
    ),
    run<BookRecord>(
      ({ station, from, to }) => `
        SELECT ${record()} FROM rv r LEFT JOIN ${PEOPLE} pe USING (person_id)
         WHERE r.station_id = ${station} AND r.act IN ('station-visit', 'duty-report') AND r.act_date BETWEEN ${from} AND ${to}
         ORDER BY r.act_date, pe.name, r.record_id`,
    ),
    run<BookRecord>(
      ({ station, from, to }) => `
        SELECT ${record("coalesce(tr.title, r.data->>'summary')")}
          FROM rv r LEFT JOIN ${PEOPLE} pe USING (person_id) LEFT JOIN ${TRAININGS} tr USING (activity_id)
         WHERE r.act_date BETWEEN ${from} AND ${to}
           AND ((r.act = 'training' AND r.data->>'trainingType' = 'station-study' AND ${whileAssigned(station)})
             OR (r.study AND r.station_id = ${station}))
         ORDER BY r.act_date, pe.name, r.record_id`,
    ),
    run<BookRecord>(
      ({ station, from, to }) => `
        SELECT ${record()} FROM rv r LEFT JOIN ${PEOPLE} pe USING (person_id)
         WHERE r.act IN (${DUTY_ACTS.map((act) => `'${act}'`).join(', ')}) AND r.act_date BETWEEN ${from} AND ${to} AND ${whileAssigned(station)}
           AND (r.act IN ('home-visit', 'duty-report') OR r.station_id = ${station})
         ORDER BY r.act_date, pe.name, r.record_id`,
    ),
  ]);

  const handling = handlingOf(opinions, steps, day);
  const duty = [...new Map(roster.map((entry) => [entry.personId, entry.name])).entries()].map(([personId, name]): DutyEntry => {
    const records = dutyRecords.filter((row) => row.personId === personId);
    const counts = Object.fromEntries(DUTY_ACTS.map((act) => [act, records.filter((row) => row.act === act && row.status === 'approved').length]));
    return { personId, name, counts: counts as DutyEntry['counts'], records };
  });
  return {
    station: { ...summary, managers, schedules, upgrades },
    day,
    from,
    to,
    roster,
    receptions,
    opinions,
    handling,
    activities,
    study,
    duty,
  };
}

/** The handling book: each opinion's steps, with the deadlines missed. */
function handlingOf(opinions: OpinionEntry[], steps: Array<HandlingStep & { opinionId: string }>, day: string): HandlingEntry[] {
  return opinions.map((opinion) => {
    const own = steps.filter((row) => row.opinionId === opinion.opinionId).map(({ opinionId: _, ...row }) => row);
    const flagged = own.map((row, index): HandlingStep => {
      const setsDeadline = row.status === 'registered' || row.status === 'referred' || row.status === 'reopened';
      const next = own.slice(index + 1).find((later) => later.status !== 'closed');
      return { ...row, overdue: setsDeadline && (next ? next.on : day) > row.deadline };
    });
    const last = flagged[flagged.length - 1]!;
    const waiting = last.status !== 'answered' && last.status !== 'closed';
    return {
      opinionId: opinion.opinionId,
      category: opinion.category,
      status: last.status,
      deadline: last.deadline,
      agency: last.agency,
      overdue: waiting && day > last.deadline,
      late: flagged.some((row) => row.overdue),
      steps: flagged,
    };
  });
}

/** The station rules "月进站、季回家、年述职": the act each asks for, and how often. */
export const CORE_DUTIES = [
  { act: 'station-visit', every: 'month', label: '月进站' },
  { act: 'home-visit', every: 'quarter', label: '季回家' },
  { act: 'duty-report', every: 'year', label: '年述职' },
] as const;
export type CoreDutyAct = (typeof CORE_DUTIES)[number]['act'];

/**
 * One deputy, one duty, one period. `required`: assigned (in a valid mandate) on every day of the
 * period; a period with no such day is not listed, one assigned for part of it is not required
 * (pro rata: a deputy who arrives or leaves mid-period does not miss it).
 */
export interface ComplianceCell {
  act: CoreDutyAct;
  /** e.g. 2022-03, 2022-Q1, 2022 */
  period: string;
  startsOn: string;
  endsOn: string;
  required: boolean;
  /** met: an approved record in the period; missed: required, none, and the period is over; pending: not over yet. */
  status: 'met' | 'missed' | 'pending' | 'not-required';
  /** The approved records that met it. */
  recordIds: string[];
}

export interface DeputyCompliance extends BookPerson {
  /** The deputy's level (of the latest mandate they were assigned in). */
  level: Level | null;
  stationIds: string[];
  cells: ComplianceCell[];
  met: number;
  missed: number;
}

export interface PeriodCompliance {
  act: CoreDutyAct;
  period: string;
  met: BookPerson[];
  /** Who did not: required, period over, no approved record. */
  missed: BookPerson[];
  pending: BookPerson[];
}

export interface ComplianceReport {
  year: number;
  /** The view's day: periods ending on or after it are still running. */
  day: string;
  deputies: DeputyCompliance[];
  periods: PeriodCompliance[];
}

/**
 * Compliance with "月进站、季回家、年述职" in a year, for the deputies assigned to one station, to
 * the stations of a township, or (neither given) to any station. A month's station visit may be at
 * any station; a duty report counts for the year it covers. Only approved record versions visible
 * in the view count.
 */
export async function compliance(db: Queryable, options: { stationId?: string; township?: string; year: number; asOf: AsOf }): Promise<ComplianceReport> {
  const { asOf, year } = options;
  const day = await dayOfView(db, asOf);
  const p = new Params();
  const ctes = viewCtes(asOf, p);
  const y = `${p.add(year)}::int`;
  const mandateEnd = endAsOf(asOf, p.add, 'm.valid_to');
  const { rows } = await db.query<
    ComplianceCell & { personId: string; name: string | null; level: Level | null; stationIds: string[]; days: number; length: number }
  >(
    `${ctes},
     spans AS (
       SELECT asg.person_id, asg.station_id, m.level, greatest(asg.from_on, m.starts_on) AS from_on,
              least(coalesce(asg.to_on, 'infinity'::date), coalesce(${mandateEnd}, 'infinity'::date)) AS to_on
         FROM asg JOIN st USING (station_id) JOIN ${MANDATES}.mandate_spans m USING (mandate_id)
        WHERE (${p.add(options.stationId ?? null)}::uuid IS NULL OR asg.station_id = ${p.add(options.stationId ?? null)}::uuid)
          AND (${p.add(options.township ?? null)}::text IS NULL OR st.township = ${p.add(options.township ?? null)}::text)),
     -- The days each deputy was assigned in the year, as disjoint islands: spans clipped to the year,
     -- overlapping ones (two stations at once) merged, so that a day counts once.
     clipped AS (
       SELECT person_id, greatest(from_on, make_date(${y}, 1, 1)) AS f, least(to_on, make_date(${y}, 12, 31)) AS t
         FROM spans WHERE greatest(from_on, make_date(${y}, 1, 1)) <= least(to_on, make_date(${y}, 12, 31))),
     marked AS (
       SELECT person_id, f, t,
              CASE WHEN f <= max(t) OVER (PARTITION BY person_id ORDER BY f, t ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts_island
         FROM clipped),
     islands AS (
       SELECT person_id, min(f) AS f, max(t) AS t
         FROM (SELECT person_id, f, t, sum(starts_island) OVER (PARTITION BY person_id ORDER BY f, t) AS island FROM marked) numbered
        GROUP BY person_id, island),
     periods AS (
       SELECT 'station-visit' AS act, to_char(m, 'YYYY-MM') AS period, m::date AS starts_on, (m + interval '1 month - 1 day')::date AS ends_on
         FROM generate_series(make_date(${y}, 1, 1), make_date(${y}, 12, 1), interval '1 month') m
       UNION ALL
       SELECT 'home-visit', ${y} || '-Q' || q, make_date(${y}, 3 * q - 2, 1), (make_date(${y}, 3 * q - 2, 1) + interval '3 months - 1 day')::date
         FROM generate_series(1, 4) q
       UNION ALL
       SELECT 'duty-report', ${y}::text, make_date(${y}, 1, 1), make_date(${y}, 12, 31)),
     cover AS (
       SELECT i.person_id, p.act, p.period, p.starts_on, p.ends_on,
              sum(least(i.t, p.ends_on) - greatest(i.f, p.starts_on) + 1)::int AS days, (p.ends_on - p.starts_on + 1) AS length
         FROM islands i JOIN periods p ON i.f <= p.ends_on AND i.t >= p.starts_on
        GROUP BY i.person_id, p.act, p.period, p.starts_on, p.ends_on),
     -- The approved records of the three duties that can count in the year (a duty report by the year it reports on).
     duties AS (
       SELECT rv.person_id, rv.act, rv.act_date, rv.record_id, coalesce((rv.data->>'year')::int, extract(year FROM rv.act_date)::int) AS report_year
         FROM rv
        WHERE rv.status = 'approved' AND rv.act IN (${CORE_DUTIES.map((duty) => `'${duty.act}'`).join(', ')})
          AND (rv.act = 'duty-report' OR rv.act_date BETWEEN make_date(${y}, 1, 1) AND make_date(${y}, 12, 31))),
     done AS (
       SELECT c.person_id, c.period, c.act, array_agg(r.record_id::text ORDER BY r.act_date) AS record_ids
         FROM cover c JOIN duties r ON r.person_id = c.person_id AND r.act = c.act
          AND CASE WHEN c.act = 'duty-report' THEN r.report_year = ${y} ELSE r.act_date BETWEEN c.starts_on AND c.ends_on END
        GROUP BY c.person_id, c.period, c.act),
     -- Each deputy's level (of their latest assignment) and stations in the year, once per deputy
     -- (not once per period: on a county that is 17 scans of every assignment per deputy).
     who AS (
       SELECT person_id, (array_agg(level ORDER BY from_on DESC))[1] AS level,
              array_agg(DISTINCT station_id::text) FILTER (WHERE from_on <= make_date(${y}, 12, 31) AND to_on >= make_date(${y}, 1, 1)) AS station_ids
         FROM spans GROUP BY person_id)
     SELECT c.person_id AS "personId", pe.name, who.level, who.station_ids AS "stationIds",
            c.act, c.period, ${date('c.starts_on')} AS "startsOn", ${date('c.ends_on')} AS "endsOn", c.days, c.length,
            coalesce(done.record_ids, '{}') AS "recordIds"
       FROM cover c LEFT JOIN done USING (person_id, period, act) LEFT JOIN who USING (person_id) LEFT JOIN ${PEOPLE} pe USING (person_id)
      ORDER BY pe.name, c.person_id, array_position(ARRAY[${CORE_DUTIES.map((duty) => `'${duty.act}'`).join(', ')}], c.act), c.starts_on`,
    p.values,
  );

  const deputies = new Map<string, DeputyCompliance>();
  const periods = new Map<string, PeriodCompliance>();
  for (const { personId, name, level, stationIds, days, length, ...row } of rows) {
    const required = days === length;
    const status: ComplianceCell['status'] = row.recordIds.length > 0 ? 'met' : !required ? 'not-required' : row.endsOn >= day ? 'pending' : 'missed';
    const deputy = deputies.get(personId) ?? { personId, name, level, stationIds, cells: [], met: 0, missed: 0 };
    deputies.set(personId, deputy);
    deputy.cells.push({ ...row, required, status });
    if (status === 'met') deputy.met += 1;
    if (status === 'missed') deputy.missed += 1;
    const key = `${row.act} ${row.period}`;
    const period = periods.get(key) ?? { act: row.act, period: row.period, met: [], missed: [], pending: [] };
    periods.set(key, period);
    if (status !== 'not-required') period[status].push({ personId, name });
  }
  const order = (a: PeriodCompliance, b: PeriodCompliance) =>
    CORE_DUTIES.findIndex((duty) => duty.act === a.act) - CORE_DUTIES.findIndex((duty) => duty.act === b.act) || a.period.localeCompare(b.period);
  return { year, day, deputies: [...deputies.values()], periods: [...periods.values()].sort(order) };
}

/** The stations `personId` is in charge of on `day` (a manager's stint running that day). */
export async function stationsManagedBy(db: Queryable, personId: string, day: string): Promise<string[]> {
  const { rows } = await db.query<{ station_id: string }>(
    `SELECT DISTINCT station_id FROM ${S}.managers
      WHERE person_id = $1 AND valid_to_position IS NULL AND from_on <= $2::date AND (to_on IS NULL OR to_on >= $2::date)`,
    [personId, day],
  );
  return rows.map((row) => row.station_id);
}

/** Where an opinion was raised and who received it (nothing personal), or null when there is no such opinion. */
export async function opinionPlace(db: Queryable, opinionId: string): Promise<{ stationId: string; receivedByPersonId: string; registeredOn: string } | null> {
  const { rows } = await db.query<{ station_id: string; received_by_person_id: string; registered_on: string }>(
    `SELECT station_id, received_by_person_id, to_char(registered_on, 'YYYY-MM-DD') AS registered_on FROM ${S}.opinions
      WHERE opinion_id = $1 ORDER BY valid_from_position DESC LIMIT 1`,
    [opinionId],
  );
  const row = rows[0];
  return row ? { stationId: row.station_id, receivedByPersonId: row.received_by_person_id, registeredOn: row.registered_on } : null;
}
