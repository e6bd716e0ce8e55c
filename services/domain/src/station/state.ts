/**
 * A station's folded state and the questions other rules ask of it: is the station open on a
 * date, which deputy belongs to it on a date, who attended a reception. Pure functions only; the
 * opinion area asks them of a station state loaded through `Lookups`.
 *
 * Dates that end something (closedOn, unassignedOn) are the last day in effect, as a mandate's
 * endsOn is: a station closed on 30 June still takes acts dated 30 June.
 */
import { DomainError } from '../kernel/errors.ts';
import { heldOn } from '../mandate/acting.ts';
import { stands, type Records } from '../review/records.ts';
import type { ReceptionSlot, StationEstablishedData } from './events.ts';

export const stationStream = (stationId: string) => `station:${stationId}`;

export interface StationAssignment {
  personId: string;
  mandateId: string;
  assignedOn: string;
  /** Last day assigned, or null while the deputy still belongs to the station. */
  unassignedOn: string | null;
}

export interface StationManagerTenure {
  personId: string;
  mandateId: string;
  assignedOn: string;
  /** Last day in charge when they left without a successor (StationManagerEnded); null while in charge or until replaced. */
  endedOn: string | null;
}

export interface StationReception {
  receptionId: string;
  date: string;
  leadPersonId: string;
  votersReceived: number;
}

export type OpenStation = StationEstablishedData & {
  status: 'open' | 'closed';
  closedOn: string | null;
  /** Every manager in order; the last one is in charge. */
  managers: StationManagerTenure[];
  receptionTimes: { schedule: ReceptionSlot[]; effectiveFrom: string; note: string | null }[];
  upgrades: { upgradedOn: string; amountYuan: number; items: string[] }[];
  /** Every assignment in order; a deputy may leave and come back. */
  assignments: StationAssignment[];
  receptions: ReadonlyMap<string, StationReception>;
  /** The reviewable act records on the stream (visits and reception attendances), with their review status. */
  records: Records;
  /** The latest date of anything recorded at the station. */
  latestDate: string;
};

export type StationState = { status: 'none' } | OpenStation;

/** The manager in charge now: the last one assigned, unless their role ended without a successor. */
export const managerInCharge = (station: StationState): StationManagerTenure | undefined => {
  if (station.status === 'none') return undefined;
  const last = station.managers.at(-1);
  return last && last.endedOn === null ? last : undefined;
};

export const currentAssignment = (station: OpenStation, personId: string): StationAssignment | undefined =>
  station.assignments.find((assignment) => assignment.personId === personId && assignment.unassignedOn === null);

/** The assignment under which the deputy belonged to the station on `date`, if any. */
export const assignmentOn = (station: StationState, personId: string, date: string): StationAssignment | undefined =>
  station.status === 'none'
    ? undefined
    : station.assignments.find((assignment) => assignment.personId === personId && heldOn({ from: assignment.assignedOn, to: assignment.unassignedOn }, date));

/** Whether the deputy has a counting or pending attendance record for the reception. */
export const attended = (station: OpenStation, receptionId: string, personId: string): boolean =>
  station.records
    .ofPerson(personId)
    .some((record) => record.type === 'ReceptionAttendanceRecorded' && record.data.receptionId === receptionId && stands(record));

/** The latest date of a deputy's live act records at the station, or null. */
export const latestActOf = (station: OpenStation, personId: string): string | null =>
  station.records
    .ofPerson(personId)
    .filter(stands)
    .map((record) => record.data.date as string)
    .reduce<string | null>((latest, date) => (latest === null || date > latest ? date : latest), null);

export const later = (a: string, b: string): string => (b > a ? b : a);

export const stationNotFound = () => new DomainError('station-not-found', { zh: '找不到该代表家站', en: 'No such deputy station' }, 'stationId');

export const notAssigned = (date: string, field: string) =>
  new DomainError('not-assigned', { zh: `该代表在 ${date} 未进驻此家站`, en: `The deputy did not belong to this station on ${date}` }, field);

/** The station exists; else station-not-found. */
export function established(station: StationState): OpenStation {
  if (station.status === 'none') throw stationNotFound();
  return station;
}

/** For set-up: the station exists, is not closed, and `date` is not before it was established. */
export function openForSetUp(station: StationState, date: string, field: string): OpenStation {
  const open = established(station);
  if (open.status === 'closed') {
    throw new DomainError('station-closed', { zh: '该家站已撤销，不能再变更', en: 'This station is closed and can no longer change' }, 'stationId');
  }
  return notBeforeEstablishment(open, date, field);
}

/**
 * For acts: the station was open on `date` (established by then and not closed before). An act
 * dated before the closure may still be entered after it (a late paper record).
 */
export function openOn(station: StationState, date: string, field: string): OpenStation {
  const open = notBeforeEstablishment(established(station), date, field);
  if (open.closedOn !== null && date > open.closedOn) {
    throw new DomainError(
      'station-closed',
      { zh: `该家站已于 ${open.closedOn} 撤销，${date} 不在开放期间`, en: `This station closed on ${open.closedOn}; it was not open on ${date}` },
      field,
    );
  }
  return open;
}

function notBeforeEstablishment(station: OpenStation, date: string, field: string): OpenStation {
  if (date < station.establishedOn) {
    throw new DomainError(
      'before-establishment',
      { zh: `日期不能早于家站设立日期（${station.establishedOn}）`, en: `The date cannot be before the station was established (${station.establishedOn})` },
      field,
    );
  }
  return station;
}
