/**
 * Term handover (换届交接): for a term that closed, every seat, station, committee portfolio and
 * pairing with the predecessor's record over the term, and the open items at the close — each
 * with its history and its inheritor, or flagged when there is none (never dropped).
 *
 * Open at the close (the end of the term's last day D, as seen in the view):
 *   - an opinion registered by D and not closed by D;
 *   - a suggestion or motion drafted by D and not answered or withdrawn by D;
 *   - a pairing not ended by D whose mentor acts in a mandate of the closing term (which ended by D);
 *   - the duties of a station open at D whose manager changed: the first manager assigned after D
 *     is another person, or none was (the station's open opinions are listed with it).
 * Items are open at the change whatever term they began in: an opinion left open since an earlier
 * term is handed on again.
 *
 * Inheritors ("a new mandate" is one starting after D, seen in the view):
 *   - opinion: the receiving deputy, when they have a new mandate and were assigned to the same
 *     station in it (re-elected-same-station); else the station's new manager — the first manager
 *     assigned after D, normally the new township chair — by office (station-manager); else flagged.
 *   - suggestion: the lead deputy with their new mandate (re-elected); else flagged.
 *   - pairing: the new mentor of a handover dated after D (handed-over); else the mentor with their
 *     new mandate (re-elected); else flagged.
 *   - station duties: the station's new manager (station-manager); else flagged.
 */
import type { Queryable } from '@yingpan/db';
import type { ActKind, Level, MandateKind, Team, TermChangeFinder } from '@yingpan/domain';
import { directory } from '../directory/projection.ts';
import { schemaOf } from '../engine/projection.ts';
import { Params, versionsVisible, type AsOf } from '../facts/as-of.ts';
import { facts } from '../facts/projection.ts';
import { mandates } from '../mandates/projection.ts';
import { entityHistory, entityStates, mandateSpans, termSpans } from '../statistics/as-of.ts';
import { countyRegistry } from '../statistics/registry.ts';
import { handover } from './projection.ts';

const ITEMS = `${schemaOf(handover)}.entity_versions`;
const ACTIONS = `${schemaOf(handover)}.actions`;
const REGISTRY = `${schemaOf(countyRegistry)}.entity_versions`;
const RECORDS = `${schemaOf(facts)}.record_versions`;
const PEOPLE = `${schemaOf(directory)}.people`;

export interface HandoverPerson {
  personId: string;
  name: string | null;
  /** The mandate they act in (null when none applies). */
  mandateId: string | null;
}

export interface HandoverActCount {
  act: ActKind;
  count: number;
}

export interface HandoverTerm {
  termId: string;
  number: number;
  startsOn: string;
  closedOn: string | null;
}

/** One version of an item: what one event made of it, and when that became known. */
export interface HandoverItemVersion {
  version: number;
  eventType: string;
  status: string;
  /** The domain date the change took effect. */
  on: string;
  personId: string | null;
  mandateId: string | null;
  stationId: string | null;
  data: Record<string, unknown>;
  position: number;
  recordedAt: string;
}

export type OpenItemKind = 'opinion' | 'suggestion' | 'pairing' | 'station-duties';
export type InheritanceRule = 're-elected-same-station' | 'station-manager' | 're-elected' | 'handed-over' | 'reassigned';
export type HandoverFlag = 'no-station-manager' | 'station-closed' | 'lead-not-returned' | 'mentor-not-returned';

export const HANDOVER_FLAG_LABELS: Record<HandoverFlag, { zh: string; en: string }> = {
  'no-station-manager': { zh: '家站换届后尚未指定负责人', en: 'No manager has been assigned to the station since the close' },
  'station-closed': { zh: '家站已撤销，无人承接', en: 'The station is closed and nobody took it over' },
  'lead-not-returned': { zh: '领衔代表未连任', en: 'The lead deputy holds no mandate after the close' },
  'mentor-not-returned': { zh: '帮带人未连任且未交接', en: 'The mentor holds no mandate after the close and the pairing was not handed over' },
};

export interface OpenItem {
  /** The term at whose close it was open. */
  termId: string;
  /** `<kind>:<id>`, unique in a dossier. */
  key: string;
  kind: OpenItemKind;
  id: string;
  statusAtClose: string;
  /** The newest status seen in the view (the item may have been handled since the close). */
  status: string;
  /** Who was responsible at the close: the receiving deputy, lead deputy, mentor or station manager. */
  predecessor: HandoverPerson | null;
  stationId: string | null;
  /** The item's state at the close (category, title, agency, deadline, mentees …). */
  atClose: Record<string, unknown>;
  history: HandoverItemVersion[];
  inheritor: (HandoverPerson & { rule: InheritanceRule }) | null;
  flagged: boolean;
  reason: HandoverFlag | null;
  /** Station duties: the keys of the station's open opinions. */
  relatedKeys: string[];
  /** The current inheritor's acknowledgement (接收确认), if they gave it in the view. */
  acknowledgement: HandoverAction | null;
  /** What people did about the item after the close (acknowledged, reassigned), oldest first. */
  actions: HandoverAction[];
}

export interface HandoverAction {
  action: 'acknowledged' | 'reassigned';
  /** Who acknowledged, or the new inheritor. */
  person: HandoverPerson;
  on: string;
  /** The acknowledgement's note or the reassignment's reason. */
  note: string | null;
  position: number;
  recordedAt: string;
}

export interface HandoverSeat {
  mandateId: string;
  person: HandoverPerson;
  termNumber: number;
  kind: MandateKind;
  team: Team;
  level: Level | null;
  district: string | null;
  township: string | null;
  portfolio: string | null;
  startsOn: string;
  /** The last day of the mandate, as seen in the view (null: still running). */
  validTo: string | null;
  /** Why it ended (END_REASONS: term-close 届满, resignation …); a mandate that ran to its term's close is 'term-close' even before its MandateEnded. */
  endReason: string | null;
}

export interface SeatHandover extends HandoverSeat {
  /** Approved records by act over the mandate. */
  record: HandoverActCount[];
  /** The same person's next mandate, if they returned. */
  returnedAs: { mandateId: string; kind: MandateKind; termNumber: number } | null;
  /** Who holds the seat after it: the same person returned, else a holder of a later mandate of the same kind, level and place (district, township or portfolio). */
  successor: HandoverPerson | null;
  /** The seat ended and nobody holds it after: an open question for the new term. */
  flagged: boolean;
  openItemKeys: string[];
}

export interface StationHandover {
  stationId: string;
  name: string;
  township: string | null;
  statusAtClose: string;
  managerAtClose: HandoverPerson | null;
  /** The first manager assigned after the close. */
  nextManager: (HandoverPerson & { since: string }) | null;
  managerChanged: boolean;
  /** Approved records at the station dated within the term. */
  record: HandoverActCount[];
  openItemKeys: string[];
}

export interface PortfolioHandover {
  portfolio: string;
  holders: HandoverPerson[];
  record: HandoverActCount[];
  /** Holders of the same portfolio in mandates starting after the close. */
  successors: HandoverPerson[];
  flagged: boolean;
  openItemKeys: string[];
}

export interface PairingHandover {
  pairingId: string;
  kind: string;
  mentor: HandoverPerson;
  mentees: HandoverPerson[];
  startsOn: string;
  statusAtClose: string;
  /** The newest status seen in the view. */
  status: string;
  /** Approved pairing-activity records. */
  record: HandoverActCount[];
  openItemKey: string | null;
}

export interface HandoverDossier {
  term: HandoverTerm;
  nextTerm: HandoverTerm | null;
  seats: SeatHandover[];
  stations: StationHandover[];
  portfolios: PortfolioHandover[];
  pairings: PairingHandover[];
  openItems: OpenItem[];
}

// ---------------------------------------------------------------------------------------------
// Loading

interface EntityRow {
  entityId: string;
  version: number;
  eventType: string;
  status: string;
  on: string;
  personId: string | null;
  mandateId: string | null;
  stationId: string | null;
  township: string | null;
  data: Record<string, unknown>;
  position: number;
  recordedAt: Date | string;
}

const ENTITY_COLUMNS = `e.entity_id AS "entityId", e.version, e.event_type AS "eventType", e.status, to_char(e.status_on, 'YYYY-MM-DD') AS "on",
  e.person_id AS "personId", e.mandate_id AS "mandateId", e.station_id AS "stationId", e.township, e.data,
  e.valid_from_position AS position, e.valid_from_at AS "recordedAt"`;

const toVersion = (row: EntityRow): HandoverItemVersion => ({
  version: row.version,
  eventType: row.eventType,
  status: row.status,
  on: row.on,
  personId: row.personId,
  mandateId: row.mandateId,
  stationId: row.stationId,
  data: row.data,
  position: Number(row.position),
  recordedAt: new Date(row.recordedAt).toISOString(),
});

/** Runs `build(add)` as one query with its parameters. */
async function select<R>(db: Queryable, build: (add: (value: unknown) => string) => string): Promise<R[]> {
  const params = new Params();
  const text = build(params.add);
  return (await db.query<R>(text, params.values)).rows;
}

const TERM_COLUMNS = `t.term_id AS "termId", t.number, to_char(t.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(t.closed_on, 'YYYY-MM-DD') AS "closedOn"`;

const SEAT_COLUMNS = `s.mandate_id AS "mandateId", s.person_id AS "personId", p.name, s.term_number AS "termNumber", s.kind, s.team, s.level,
  s.district, s.township, s.portfolio, to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(s.valid_to, 'YYYY-MM-DD') AS "validTo",
  coalesce(s.end_reason, CASE WHEN s.valid_to IS NOT NULL THEN 'term-close' END) AS "endReason"`;

type SeatRow = Omit<HandoverSeat, 'person'> & { personId: string; name: string | null };

/** Mandates seen in the view matching `where` (over the spans alias `s`), with the holder's name. */
async function loadSeats(db: Queryable, asOf: AsOf, where: (add: (value: unknown) => string) => string): Promise<HandoverSeat[]> {
  const rows = await select<SeatRow>(
    db,
    (add) => `SELECT ${SEAT_COLUMNS} FROM ${mandateSpans(asOf, add)} s LEFT JOIN ${PEOPLE} p USING (person_id)
               WHERE ${where(add)} ORDER BY s.kind, s.level NULLS FIRST, s.township NULLS FIRST, p.name, s.mandate_id`,
  );
  return rows.map(({ personId, name, ...seat }) => ({ ...seat, person: { personId, name, mandateId: seat.mandateId } }));
}

async function names(db: Queryable, personIds: Iterable<string>): Promise<Map<string, string>> {
  const rows = await db.query<{ person_id: string; name: string }>(`SELECT person_id, name FROM ${PEOPLE} WHERE person_id = ANY($1::uuid[])`, [
    [...new Set(personIds)],
  ]);
  return new Map(rows.rows.map((row) => [row.person_id, row.name]));
}

const RECORD_KEYS = { mandate: 'v.mandate_id::text', station: 'v.station_id::text', pairing: "v.data->>'pairingId'" } as const;

/** Approved records by act, per mandate, station or pairing, optionally within dates. */
async function approvedCounts(
  db: Queryable,
  asOf: AsOf,
  by: keyof typeof RECORD_KEYS,
  ids: readonly string[],
  period: { from?: string; to?: string | null } = {},
): Promise<Map<string, HandoverActCount[]>> {
  const key = RECORD_KEYS[by];
  const rows = await select<{ key: string; act: ActKind; count: number }>(
    db,
    (add) => `SELECT ${key} AS key, v.act, count(*)::int AS count FROM ${RECORDS} v
               WHERE ${versionsVisible(asOf, add)} AND v.status = 'approved' AND ${key} = ANY(${add(ids)}::text[])
                 ${period.from ? `AND v.act_date >= ${add(period.from)}::date` : ''} ${period.to ? `AND v.act_date <= ${add(period.to)}::date` : ''}
               GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const counts = new Map<string, HandoverActCount[]>();
  for (const row of rows) counts.set(row.key, [...(counts.get(row.key) ?? []), { act: row.act, count: row.count }]);
  return counts;
}

/** Adds act counts up, one per act, in act order. */
function addCounts(counts: Iterable<HandoverActCount>): HandoverActCount[] {
  const total = new Map<ActKind, number>();
  for (const { act, count } of counts) total.set(act, (total.get(act) ?? 0) + count);
  return [...total].sort(([a], [b]) => (a < b ? -1 : 1)).map(([act, count]) => ({ act, count }));
}

// ---------------------------------------------------------------------------------------------
// The term change and its open items

interface TermChange {
  term: HandoverTerm & { closedOn: string };
  nextTerm: HandoverTerm | null;
  asOf: AsOf;
}

/** The term and the next one as seen in the view; null unless the term had closed in it. */
async function termChange(db: Queryable, termId: string, asOf: AsOf): Promise<TermChange | null> {
  const terms = await select<HandoverTerm>(db, (add) => `SELECT ${TERM_COLUMNS} FROM ${termSpans(asOf, add)} t ORDER BY t.number`);
  const term = terms.find((candidate) => candidate.termId === termId);
  if (!term?.closedOn) return null;
  return { term: { ...term, closedOn: term.closedOn }, nextTerm: terms.find((candidate) => candidate.number > term.number) ?? null, asOf };
}

/** Everything the inheritance rules look at, loaded once per term change. */
interface Successors {
  /** Per person: their first mandate starting after the close (a deputy mandate first on the same day). */
  newMandate: Map<string, string>;
  /** `<stationId>:<personId>` → the new mandate a returning deputy was assigned to the station in. */
  returnedToStation: Map<string, string>;
  /** Per station: the first manager assigned after the close. */
  nextManager: Map<string, EntityRow>;
  /** Stations closed in the view (at any date). */
  closedStations: Set<string>;
}

async function successors(db: Queryable, change: TermChange): Promise<Successors> {
  const { asOf } = change;
  const closedOn = change.term.closedOn;
  const [mandates, assignments, managers, stations] = await Promise.all([
    select<{ person_id: string; mandate_id: string }>(
      db,
      (add) => `SELECT DISTINCT ON (s.person_id) s.person_id, s.mandate_id FROM ${mandateSpans(asOf, add)} s
                 WHERE s.starts_on > ${add(closedOn)}::date ORDER BY s.person_id, s.starts_on, (s.kind = 'deputy') DESC, s.mandate_id`,
    ),
    select<{ station_id: string; person_id: string; mandate_id: string }>(
      db,
      (add) => `SELECT DISTINCT ON (e.station_id, e.person_id) e.station_id, e.person_id, e.mandate_id
                  FROM ${entityHistory(REGISTRY, 'assignment', asOf, add)} e JOIN ${mandateSpans(asOf, add)} s USING (mandate_id)
                 WHERE e.version = 1 AND s.starts_on > ${add(closedOn)}::date ORDER BY e.station_id, e.person_id, s.starts_on`,
    ),
    select<EntityRow>(
      db,
      (add) => `SELECT DISTINCT ON (e.entity_id) ${ENTITY_COLUMNS} FROM ${entityHistory(REGISTRY, 'station', asOf, add)} e
                 WHERE e.event_type = 'StationManagerAssigned' AND e.status_on > ${add(closedOn)}::date ORDER BY e.entity_id, e.status_on, e.version`,
    ),
    select<{ entity_id: string }>(db, (add) => `SELECT e.entity_id FROM ${entityStates(REGISTRY, 'station', asOf, add)} e WHERE e.status = 'closed'`),
  ]);
  return {
    newMandate: new Map(mandates.map((row) => [row.person_id, row.mandate_id])),
    returnedToStation: new Map(assignments.map((row) => [`${row.station_id}:${row.person_id}`, row.mandate_id])),
    nextManager: new Map(managers.map((row) => [row.entityId, row])),
    closedStations: new Set(stations.map((row) => row.entity_id)),
  };
}

type Inheritance = Pick<OpenItem, 'inheritor' | 'flagged' | 'reason'>;
const inheritedBy = (personId: string, mandateId: string | null, rule: InheritanceRule): Inheritance => ({
  inheritor: { personId, name: null, mandateId, rule },
  flagged: false,
  reason: null,
});
const flag = (reason: HandoverFlag): Inheritance => ({ inheritor: null, flagged: true, reason });

/** The station's new manager, by office; flagged when there is none. */
function byStationManager(stationId: string, next: Successors): Inheritance {
  const manager = next.nextManager.get(stationId);
  if (manager?.personId) return inheritedBy(manager.personId, manager.mandateId, 'station-manager');
  return flag(next.closedStations.has(stationId) ? 'station-closed' : 'no-station-manager');
}

/** The inheritance rules (see the top of this file). */
function inherit(kind: OpenItemKind, item: EntityRow, history: HandoverItemVersion[], closedOn: string, next: Successors): Inheritance {
  const returned = item.personId ? next.newMandate.get(item.personId) : undefined;
  switch (kind) {
    case 'opinion': {
      const sameStation = next.returnedToStation.get(`${item.stationId}:${item.personId}`);
      if (item.personId && sameStation) return inheritedBy(item.personId, sameStation, 're-elected-same-station');
      return byStationManager(item.stationId!, next);
    }
    case 'suggestion':
      return item.personId && returned ? inheritedBy(item.personId, returned, 're-elected') : flag('lead-not-returned');
    case 'pairing': {
      const handedOver = history.find((version) => version.eventType === 'PairingHandedOver' && version.on > closedOn);
      if (handedOver?.personId) return inheritedBy(handedOver.personId, handedOver.mandateId, 'handed-over');
      return item.personId && returned ? inheritedBy(item.personId, returned, 're-elected') : flag('mentor-not-returned');
    }
    case 'station-duties':
      return byStationManager(item.entityId, next);
  }
}

/** Open items of one kind at the close: their state then (one row per entity). */
async function openAtClose(db: Queryable, kind: Exclude<OpenItemKind, 'station-duties'>, change: TermChange): Promise<EntityRow[]> {
  const { asOf } = change;
  const closedOn = change.term.closedOn;
  return select<EntityRow>(db, (add) => {
    const states = entityStates(ITEMS, kind, asOf, add, closedOn);
    switch (kind) {
      case 'opinion':
        return `SELECT ${ENTITY_COLUMNS} FROM ${states} e WHERE e.status <> 'closed' ORDER BY e.status_on, e.entity_id`;
      case 'suggestion':
        return `SELECT ${ENTITY_COLUMNS} FROM ${states} e WHERE e.status IN ('drafted', 'submitted', 'assigned') ORDER BY e.status_on, e.entity_id`;
      case 'pairing':
        return `SELECT ${ENTITY_COLUMNS} FROM ${states} e JOIN ${mandateSpans(asOf, add)} s USING (mandate_id)
                 WHERE e.status <> 'ended' AND s.term_id = ${add(change.term.termId)} AND s.valid_to <= ${add(closedOn)}::date
                 ORDER BY e.status_on, e.entity_id`;
    }
  });
}

/** Every station set up by the close, with its status and manager then. */
async function stationsAtClose(db: Queryable, change: TermChange): Promise<EntityRow[]> {
  return select<EntityRow>(
    db,
    (add) => `SELECT ${ENTITY_COLUMNS} FROM ${entityStates(REGISTRY, 'station', change.asOf, add, change.term.closedOn)} e
               ORDER BY e.township, e.data->>'name', e.entity_id`,
  );
}

/** The histories of some entities, as seen in the view. */
async function histories(db: Queryable, table: string, kind: string, ids: readonly string[], asOf: AsOf): Promise<Map<string, HandoverItemVersion[]>> {
  const rows = await select<EntityRow>(
    db,
    (add) => `SELECT ${ENTITY_COLUMNS} FROM ${entityHistory(table, kind, asOf, add)} e WHERE e.entity_id = ANY(${add(ids)}::text[])
               ORDER BY e.entity_id, e.version`,
  );
  const byId = new Map<string, HandoverItemVersion[]>();
  for (const row of rows) byId.set(row.entityId, [...(byId.get(row.entityId) ?? []), toVersion(row)]);
  return byId;
}

/**
 * The station's duties need someone: the first manager after the close is another person, or
 * there is none and the manager's mandate ended, or the station had no manager at the close and
 * none was assigned since (a station without a manager is never left out).
 */
function managerChanged(station: EntityRow, next: Successors, endedMandates: Set<string>): boolean {
  const successor = next.nextManager.get(station.entityId);
  if (successor) return successor.personId !== station.personId;
  return station.mandateId === null || endedMandates.has(station.mandateId);
}

interface ItemsAtChange {
  items: OpenItem[];
  stations: EntityRow[];
  next: Successors;
  managerChanges: Set<string>;
}

/** Actions visible in the view: "as it happened" by their date, "as it was known" by their recording. */
function actionsVisible(asOf: AsOf, add: (value: unknown) => string): string {
  switch (asOf.view) {
    case 'now':
      return 'TRUE';
    case 'happened':
      return `a.on_date <= ${add(asOf.date)}::date`;
    case 'known':
      return 'position' in asOf ? `a.position <= ${add(asOf.position)}` : `a.recorded_at <= ${add(asOf.at)}::timestamptz`;
  }
}

/**
 * Applies what people did after the close: the latest reassignment names the inheritor (rule
 * "reassigned", no longer flagged); an acknowledgement counts when it is by the inheritor since then.
 */
async function applyActions(db: Queryable, change: TermChange, items: OpenItem[]): Promise<void> {
  const rows = await select<{
    itemKey: string;
    action: HandoverAction['action'];
    personId: string;
    on: string;
    note: string | null;
    position: string;
    recordedAt: Date | string;
  }>(
    db,
    (add) => `SELECT a.item_key AS "itemKey", a.action, a.person_id AS "personId", to_char(a.on_date, 'YYYY-MM-DD') AS "on", a.note,
                     a.position, a.recorded_at AS "recordedAt"
                FROM ${ACTIONS} a WHERE a.term_id = ${add(change.term.termId)} AND ${actionsVisible(change.asOf, add)} ORDER BY a.position`,
  );
  const byKey = new Map<string, HandoverAction[]>();
  for (const row of rows) {
    const action: HandoverAction = {
      action: row.action,
      person: { personId: row.personId, name: null, mandateId: null },
      on: row.on,
      note: row.note,
      position: Number(row.position),
      recordedAt: new Date(row.recordedAt).toISOString(),
    };
    byKey.set(row.itemKey, [...(byKey.get(row.itemKey) ?? []), action]);
  }
  for (const item of items) {
    item.actions = byKey.get(item.key) ?? [];
    item.acknowledgement = null;
    for (const action of item.actions) {
      if (action.action === 'reassigned') {
        Object.assign(item, inheritedBy(action.person.personId, null, 'reassigned'));
        item.acknowledgement = null;
      } else if (action.person.personId === item.inheritor?.personId) item.acknowledgement = action;
    }
  }
}

/** Every open item at a term change, with history and inheritor or flag. */
async function itemsAtChange(db: Queryable, change: TermChange): Promise<ItemsAtChange> {
  const closedOn = change.term.closedOn;
  const [opinions, suggestions, pairings, stations, next] = await Promise.all([
    openAtClose(db, 'opinion', change),
    openAtClose(db, 'suggestion', change),
    openAtClose(db, 'pairing', change),
    stationsAtClose(db, change),
    successors(db, change),
  ]);
  const managerMandates = stations.map((station) => station.mandateId).filter((id): id is string => id !== null);
  const ended = await select<{ mandate_id: string }>(
    db,
    (add) => `SELECT s.mandate_id FROM ${mandateSpans(change.asOf, add)} s
               WHERE s.mandate_id = ANY(${add(managerMandates)}::uuid[]) AND s.valid_to <= ${add(closedOn)}::date`,
  );
  const endedMandates = new Set(ended.map((row) => row.mandate_id));
  const changedStations = stations.filter((station) => station.status === 'open' && managerChanged(station, next, endedMandates));
  const sources: Array<[OpenItemKind, string, string, EntityRow[]]> = [
    ['opinion', ITEMS, 'opinion', opinions],
    ['suggestion', ITEMS, 'suggestion', suggestions],
    ['pairing', ITEMS, 'pairing', pairings],
    ['station-duties', REGISTRY, 'station', changedStations],
  ];
  const items: OpenItem[] = [];
  for (const [kind, table, entityKind, rows] of sources) {
    const history = await histories(
      db,
      table,
      entityKind,
      rows.map((row) => row.entityId),
      change.asOf,
    );
    for (const row of rows) {
      const versions = history.get(row.entityId) ?? [];
      items.push({
        termId: change.term.termId,
        key: `${kind}:${row.entityId}`,
        kind,
        id: row.entityId,
        statusAtClose: row.status,
        status: versions[versions.length - 1]?.status ?? row.status,
        predecessor: row.personId ? { personId: row.personId, name: null, mandateId: row.mandateId } : null,
        stationId: row.stationId,
        atClose: row.data,
        history: versions,
        ...inherit(kind, row, versions, closedOn, next),
        relatedKeys:
          kind === 'station-duties' ? opinions.filter((opinion) => opinion.stationId === row.entityId).map((opinion) => `opinion:${opinion.entityId}`) : [],
        acknowledgement: null,
        actions: [],
      });
    }
  }
  await applyActions(db, change, items);
  const named = await names(
    db,
    items.flatMap((item) =>
      [item.predecessor?.personId, item.inheritor?.personId, ...item.actions.map((action) => action.person.personId)].filter((id): id is string => !!id),
    ),
  );
  for (const item of items) {
    if (item.predecessor) item.predecessor.name = named.get(item.predecessor.personId) ?? null;
    if (item.inheritor) item.inheritor.name = named.get(item.inheritor.personId) ?? null;
    for (const action of item.actions) action.person.name = named.get(action.person.personId) ?? null;
  }
  return { items, stations, next, managerChanges: new Set(changedStations.map((station) => station.entityId)) };
}

// ---------------------------------------------------------------------------------------------
// Queries

/** The handover dossier of a term that closed (null when it had not closed in the view). */
export async function handoverDossier(db: Queryable, query: { termId: string; asOf: AsOf }): Promise<HandoverDossier | null> {
  const change = await termChange(db, query.termId, query.asOf);
  if (!change) return null;
  const { asOf, term } = change;
  const [{ items, stations, next, managerChanges }, seats] = await Promise.all([
    itemsAtChange(db, change),
    loadSeats(db, asOf, (add) => `s.term_id = ${add(term.termId)}`),
  ]);
  const pairingRows = await select<EntityRow & { status_now: string }>(
    db,
    (add) => `SELECT ${ENTITY_COLUMNS}, n.status AS status_now
                FROM ${entityStates(ITEMS, 'pairing', asOf, add, term.closedOn)} e
                JOIN ${entityStates(ITEMS, 'pairing', asOf, add)} n USING (entity_id)
                LEFT JOIN ${mandateSpans(asOf, add)} s ON s.mandate_id = e.mandate_id
               WHERE e.data->>'termId' = ${add(term.termId)} OR s.term_id = ${add(term.termId)}
               ORDER BY e.status_on, e.entity_id`,
  );
  const [seatRecords, stationRecords, pairingRecords, returned, named] = await Promise.all([
    approvedCounts(
      db,
      asOf,
      'mandate',
      seats.map((seat) => seat.mandateId),
    ),
    approvedCounts(
      db,
      asOf,
      'station',
      stations.map((station) => station.entityId),
      { from: term.startsOn, to: term.closedOn },
    ),
    approvedCounts(
      db,
      asOf,
      'pairing',
      pairingRows.map((pairing) => pairing.entityId),
    ),
    loadSeats(db, asOf, (add) => `s.starts_on > ${add(term.closedOn)}::date`),
    names(
      db,
      [
        ...stations.flatMap((station) => [station.personId, next.nextManager.get(station.entityId)?.personId]),
        ...pairingRows.flatMap((pairing) => [pairing.personId, ...(pairing.data.mentees as HandoverPerson[]).map((mentee) => mentee.personId)]),
      ].filter((id): id is string => !!id),
    ),
  ]);
  const person = (personId: string | null, mandateId: string | null): HandoverPerson | null =>
    personId ? { personId, name: named.get(personId) ?? null, mandateId } : null;
  const keysWhere = (test: (item: OpenItem) => boolean) => items.filter(test).map((item) => item.key);
  const byMandate = (mandateIds: Set<string>) => keysWhere((item) => !!item.predecessor?.mandateId && mandateIds.has(item.predecessor.mandateId));

  const place = (seat: HandoverSeat) => `${seat.kind}|${seat.level ?? ''}|${seat.district ?? seat.township ?? seat.portfolio ?? ''}`;
  const laterByPlace = new Map<string, HandoverSeat>();
  for (const seat of returned) if (!laterByPlace.has(place(seat))) laterByPlace.set(place(seat), seat);
  const seatHandovers: SeatHandover[] = seats.map((seat) => {
    const again = next.newMandate.get(seat.person.personId);
    const successor = returned.find((candidate) => candidate.mandateId === again);
    const inPlace = successor ?? laterByPlace.get(place(seat)) ?? null;
    return {
      ...seat,
      record: seatRecords.get(seat.mandateId) ?? [],
      returnedAs: successor ? { mandateId: successor.mandateId, kind: successor.kind, termNumber: successor.termNumber } : null,
      successor: inPlace ? inPlace.person : null,
      flagged: seat.validTo !== null && inPlace === null,
      openItemKeys: byMandate(new Set([seat.mandateId])),
    };
  });

  const portfolios = new Map<string, HandoverSeat[]>();
  for (const seat of seats) if (seat.portfolio) portfolios.set(seat.portfolio, [...(portfolios.get(seat.portfolio) ?? []), seat]);
  const portfolioHandovers: PortfolioHandover[] = [...portfolios].map(([portfolio, holders]) => {
    const successors = returned.filter((seat) => seat.portfolio === portfolio).map((seat) => seat.person);
    return {
      portfolio,
      holders: holders.map((holder) => holder.person),
      record: addCounts(holders.flatMap((holder) => seatRecords.get(holder.mandateId) ?? [])),
      successors,
      flagged: successors.length === 0,
      openItemKeys: byMandate(new Set(holders.map((holder) => holder.mandateId))),
    };
  });

  const stationHandovers: StationHandover[] = stations.map((station) => {
    const successor = next.nextManager.get(station.entityId);
    return {
      stationId: station.entityId,
      name: String(station.data.name),
      township: station.township,
      statusAtClose: station.status,
      managerAtClose: person(station.personId, station.mandateId),
      nextManager: successor?.personId ? { ...person(successor.personId, successor.mandateId)!, since: successor.on } : null,
      managerChanged: managerChanges.has(station.entityId),
      record: stationRecords.get(station.entityId) ?? [],
      openItemKeys: keysWhere((item) => item.stationId === station.entityId || (item.kind === 'station-duties' && item.id === station.entityId)),
    };
  });

  const pairingHandovers: PairingHandover[] = pairingRows.map((pairing) => ({
    pairingId: pairing.entityId,
    kind: String(pairing.data.kind),
    mentor: person(pairing.personId, pairing.mandateId)!,
    mentees: (pairing.data.mentees as HandoverPerson[]).map((mentee) => person(mentee.personId, mentee.mandateId)!),
    startsOn: String(pairing.data.startsOn),
    statusAtClose: pairing.status,
    status: pairing.status_now,
    record: pairingRecords.get(pairing.entityId) ?? [],
    openItemKey: items.some((item) => item.key === `pairing:${pairing.entityId}`) ? `pairing:${pairing.entityId}` : null,
  }));

  return {
    term,
    nextTerm: change.nextTerm,
    seats: seatHandovers,
    stations: stationHandovers,
    portfolios: portfolioHandovers,
    pairings: pairingHandovers,
    openItems: items,
  };
}

export interface InheritedItem extends OpenItem {
  /** The term at whose close it was handed on. */
  term: HandoverTerm;
}

/** "What I inherited": every open item, at every term change seen in the view, whose inheritor is this person. */
export async function inherited(db: Queryable, query: { personId: string; asOf: AsOf }): Promise<InheritedItem[]> {
  const terms = await select<HandoverTerm>(
    db,
    (add) => `SELECT ${TERM_COLUMNS} FROM ${termSpans(query.asOf, add)} t WHERE t.closed_on IS NOT NULL ORDER BY t.number`,
  );
  const found: InheritedItem[] = [];
  for (const term of terms) {
    const change = await termChange(db, term.termId, query.asOf);
    if (!change) continue;
    const { items } = await itemsAtChange(db, change);
    found.push(...items.filter((item) => item.inheritor?.personId === query.personId).map((item) => ({ ...item, term })));
  }
  return found;
}

/** The items open at a term's close as seen in the view (the dossier's `openItems` alone); null unless the term had closed in it. */
export async function openItemsAtClose(db: Queryable, query: { termId: string; asOf: AsOf }): Promise<OpenItem[] | null> {
  const change = await termChange(db, query.termId, query.asOf);
  return change && (await itemsAtChange(db, change)).items;
}

/** One approved record of a predecessor. */
export interface PredecessorRecordEntry {
  recordId: string;
  /** Who did it (the mandate's holder). */
  personId: string;
  act: ActKind;
  date: string;
  eventType: string;
  stationId: string | null;
  activityId: string | null;
  declared: boolean;
  corrected: boolean;
  data: Record<string, unknown>;
}

export interface PredecessorRecord {
  seat: HandoverSeat;
  counts: HandoverActCount[];
  records: PredecessorRecordEntry[];
}

/** A mandate's record: its approved acts, as seen in the view — readable for any mandate of any term. */
export async function predecessorRecord(db: Queryable, query: { mandateId: string; asOf: AsOf }): Promise<PredecessorRecord | null> {
  const [seat] = await loadSeats(db, query.asOf, (add) => `s.mandate_id = ${add(query.mandateId)}`);
  if (!seat) return null;
  const records = await select<PredecessorRecordEntry>(
    db,
    (add) => `SELECT v.record_id AS "recordId", v.person_id AS "personId", v.act, to_char(v.act_date, 'YYYY-MM-DD') AS date, v.event_type AS "eventType",
                     v.station_id AS "stationId", v.activity_id AS "activityId", v.declared, v.corrected, v.data
                FROM ${RECORDS} v
               WHERE ${versionsVisible(query.asOf, add)} AND v.status = 'approved' AND v.mandate_id = ${add(query.mandateId)}
               ORDER BY v.act_date, v.act, v.record_id`,
  );
  return { seat, counts: addCounts(records.map((record) => ({ act: record.act, count: 1 }))), records };
}

// ---------------------------------------------------------------------------------------------
// Completing a term change

const MANDATES = `${schemaOf(mandates)}.mandates`;

/**
 * Where the term change (the domain's completeTermChange) looks, from the read models: the
 * mandates of a term and of some people (rm_mandates), every station (the registry), every pairing
 * not ended (the handover's items). Only ids: the domain reads each stream's state itself.
 */
export function readModelTermChangeFinder(db: Queryable): TermChangeFinder {
  const ids = async (text: string, params: unknown[] = []) => (await db.query<{ id: string }>(text, params)).rows.map((row) => row.id);
  return {
    mandatesOfTerm: (termId) => ids(`SELECT mandate_id::text AS id FROM ${MANDATES} WHERE term_id = $1 ORDER BY mandate_id`, [termId]),
    mandatesOfPeople: (personIds) =>
      ids(`SELECT mandate_id::text AS id FROM ${MANDATES} WHERE person_id = ANY($1::uuid[]) ORDER BY mandate_id`, [[...new Set(personIds)]]),
    stations: () => ids(`SELECT DISTINCT entity_id AS id FROM ${REGISTRY} WHERE kind = 'station' ORDER BY 1`),
    openPairings: () =>
      ids(`SELECT entity_id AS id FROM ${ITEMS} WHERE kind = 'pairing' AND valid_to_position IS NULL AND status <> 'ended' ORDER BY entity_id`),
  };
}
