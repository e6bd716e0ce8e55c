/**
 * The station stream: set-up by staff, and the acts in the station's books (station visits,
 * voter receptions). Mandates are checked by the command definitions (actingMandate) before the
 * decider runs; the decider checks everything the station itself knows.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import type { EventOf } from '../kernel/registry.ts';
import { isReviewEvent, type ReviewEvent } from '../review/events.ts';
import { assertNewRecord, noRecords, stands, trackRecords } from '../review/records.ts';
import type {
  DeputyAssignedToStation,
  DeputyUnassignedFromStation,
  ReceptionAttendanceRecorded,
  ReceptionTimesPublished,
  StationClosed,
  StationEstablishedData,
  StationEvent,
  StationManagerAssigned,
  StationManagerEnded,
  StationUpgraded,
  StationVisitData,
  VoterReceptionHeld,
} from './events.ts';
import { assignmentOn, attended, currentAssignment, established, latestActOf, later, notAssigned, openForSetUp, openOn, type StationState } from './state.ts';

type DataOf<D> = EventOf<D>['data'];

/** A deputy present at a reception, with the id of their attendance record. */
export interface DeputyAtReception {
  recordId: string;
  personId: string;
  mandateId: string;
}

export type StationCommand =
  | Command<'EstablishStation', StationEstablishedData>
  | Command<'AssignStationManager', DataOf<typeof StationManagerAssigned>>
  | Command<'EndStationManagerRole', DataOf<typeof StationManagerEnded>>
  /**
   * A re-elected deputy's assignment continues with their new mandate from `continuedOn`: the
   * assignment under the old mandate ends the day before (if it had not ended), and one under
   * the new mandate begins, with no gap and without a clerk redoing it.
   */
  | Command<'CarryOverStationAssignment', { stationId: string; personId: string; mandateId: string; continuedOn: string; reason: string }>
  | Command<'PublishReceptionTimes', DataOf<typeof ReceptionTimesPublished>>
  | Command<'RecordStationUpgrade', DataOf<typeof StationUpgraded>>
  /** `currentMandateValidTo`: the last day of the mandate the deputy's current assignment here is under (null: still running; absent: none). */
  | Command<'AssignDeputyToStation', DataOf<typeof DeputyAssignedToStation> & { currentMandateValidTo?: string | null }>
  | Command<'UnassignDeputyFromStation', DataOf<typeof DeputyUnassignedFromStation>>
  | Command<'CloseStation', DataOf<typeof StationClosed>>
  | Command<'RecordStationVisit', Omit<StationVisitData, 'act'>>
  | Command<'RecordVoterReception', Omit<DataOf<typeof VoterReceptionHeld>, 'leadPersonId'> & { deputies: DeputyAtReception[]; declared: boolean }>
  | Command<'RecordReceptionAttendance', Omit<DataOf<typeof ReceptionAttendanceRecorded>, 'act' | 'date'>>;

/** Events on a station stream: its own, and review events on its act records. */
export type StationStreamEvent = StationEvent | ReviewEvent;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const MINUTES = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function dateTooEarly(zh: string, en: string, field: string): DomainError {
  return new DomainError('date-too-early', { zh, en }, field);
}

function checkSchedule(command: Extract<StationCommand, { type: 'PublishReceptionTimes' }>): void {
  command.data.schedule.forEach((slot, index) => {
    if (slot.repeat === 'weekly' && slot.day > 7) {
      throw new DomainError(
        'invalid-day',
        { zh: '每周接待日须为 1（星期一）至 7（星期日）', en: 'A weekly slot’s day must be 1 (Monday) to 7 (Sunday)' },
        `schedule.${index}.day`,
      );
    }
    if (MINUTES(slot.endTime) <= MINUTES(slot.startTime)) {
      throw new DomainError(
        'time-order',
        {
          zh: `接待结束时间（${slot.endTime}）须晚于开始时间（${slot.startTime}）`,
          en: `A slot must end (${slot.endTime}) after it starts (${slot.startTime})`,
        },
        `schedule.${index}.endTime`,
      );
    }
  });
}

export const stationDecider: Decider<StationCommand, StationStreamEvent, StationState> = {
  category: 'station',
  initialState: () => ({ status: 'none' }),

  decide(command, state) {
    switch (command.type) {
      case 'EstablishStation':
        if (state.status !== 'none') throw new DomainError('station-exists', { zh: '该家站已登记', en: 'This station is already recorded' }, 'stationId');
        return [{ type: 'StationEstablished', data: command.data }];

      case 'AssignStationManager': {
        const station = openForSetUp(state, command.data.assignedOn, 'assignedOn');
        const current = station.managers.at(-1);
        if (current && current.personId === command.data.managerPersonId && current.mandateId === command.data.managerMandateId) {
          throw new DomainError('already-manager', { zh: '此人已是该家站负责人', en: 'This person already manages the station' }, 'managerPersonId');
        }
        if (current && command.data.assignedOn < current.assignedOn) {
          throw dateTooEarly(
            `任命日期不能早于现任负责人的任命日期（${current.assignedOn}）`,
            `The new manager cannot start before the current one did (${current.assignedOn})`,
            'assignedOn',
          );
        }
        return [{ type: 'StationManagerAssigned', data: command.data }];
      }

      case 'EndStationManagerRole': {
        const station = established(state);
        const current = station.managers.at(-1);
        if (!current || current.endedOn !== null || current.personId !== command.data.managerPersonId) {
          throw new DomainError('not-manager', { zh: '此人不是该家站的现任负责人', en: 'This person does not manage the station now' }, 'managerPersonId');
        }
        if (command.data.endedOn < current.assignedOn) {
          throw dateTooEarly(`卸任日期不能早于任命日期（${current.assignedOn}）`, `The role cannot end before it began (${current.assignedOn})`, 'endedOn');
        }
        return [{ type: 'StationManagerEnded', data: command.data }];
      }

      case 'CarryOverStationAssignment': {
        const { stationId, personId, mandateId, continuedOn, reason } = command.data;
        const station = openForSetUp(state, continuedOn, 'continuedOn');
        const current = currentAssignment(station, personId);
        const last = station.assignments.filter((assignment) => assignment.personId === personId).at(-1);
        if (!last) throw new DomainError('not-assigned', { zh: '该代表此前未进驻此家站', en: 'This deputy did not belong to the station before' }, 'personId');
        if (last.mandateId === mandateId) {
          throw new DomainError(
            'already-assigned',
            { zh: '该代表已以此任职进驻此家站', en: 'This deputy already belongs to the station in this mandate' },
            'mandateId',
          );
        }
        const endsOn = dayBefore(continuedOn);
        if ((current && continuedOn <= current.assignedOn) || (!current && last.unassignedOn !== null && continuedOn <= last.unassignedOn)) {
          throw dateTooEarly(
            `续驻日期须晚于此前进驻的${current ? '开始' : '结束'}日期（${current ? current.assignedOn : last.unassignedOn}）`,
            `The continuation must come after the earlier assignment ${current ? 'began' : 'ended'} (${current ? current.assignedOn : last.unassignedOn})`,
            'continuedOn',
          );
        }
        return [
          ...(current ? [{ type: 'DeputyUnassignedFromStation' as const, data: { stationId, personId, unassignedOn: endsOn, reason } }] : []),
          { type: 'DeputyAssignedToStation', data: { stationId, personId, mandateId, assignedOn: continuedOn } },
        ];
      }

      case 'PublishReceptionTimes': {
        const station = openForSetUp(state, command.data.effectiveFrom, 'effectiveFrom');
        const previous = station.receptionTimes.at(-1);
        if (previous && command.data.effectiveFrom < previous.effectiveFrom) {
          throw dateTooEarly(
            `生效日期不能早于现行接待时间的生效日期（${previous.effectiveFrom}）`,
            `The schedule cannot take effect before the current one did (${previous.effectiveFrom})`,
            'effectiveFrom',
          );
        }
        checkSchedule(command);
        return [{ type: 'ReceptionTimesPublished', data: command.data }];
      }

      case 'RecordStationUpgrade':
        openForSetUp(state, command.data.upgradedOn, 'upgradedOn');
        return [{ type: 'StationUpgraded', data: command.data }];

      case 'AssignDeputyToStation': {
        const { currentMandateValidTo, ...data } = command.data;
        const station = openForSetUp(state, data.assignedOn, 'assignedOn');
        const current = currentAssignment(station, data.personId);
        if (current) {
          // An assignment is held no longer than its mandate: one under a mandate that ended before this day ends with it.
          const ended =
            current.mandateId !== data.mandateId &&
            typeof currentMandateValidTo === 'string' &&
            currentMandateValidTo < data.assignedOn &&
            currentMandateValidTo >= current.assignedOn;
          if (!ended) throw new DomainError('already-assigned', { zh: '该代表已进驻此家站', en: 'This deputy already belongs to the station' }, 'personId');
          return [
            {
              type: 'DeputyUnassignedFromStation',
              data: { stationId: data.stationId, personId: data.personId, unassignedOn: currentMandateValidTo, reason: '原任职终止，以新任职进驻' },
            },
            { type: 'DeputyAssignedToStation', data },
          ];
        }
        const earlier = station.assignments.filter((assignment) => assignment.personId === command.data.personId).at(-1);
        if (earlier?.unassignedOn && command.data.assignedOn <= earlier.unassignedOn) {
          throw dateTooEarly(
            `该代表此前在此家站的进驻至 ${earlier.unassignedOn} 止，重新进驻须晚于该日`,
            `The deputy’s earlier assignment here lasted until ${earlier.unassignedOn}; a new one must start after it`,
            'assignedOn',
          );
        }
        return [{ type: 'DeputyAssignedToStation', data }];
      }

      case 'UnassignDeputyFromStation': {
        const station = openForSetUp(state, command.data.unassignedOn, 'unassignedOn');
        const assignment = currentAssignment(station, command.data.personId);
        if (!assignment) throw new DomainError('not-assigned', { zh: '该代表未进驻此家站', en: 'This deputy does not belong to the station' }, 'personId');
        if (command.data.unassignedOn < assignment.assignedOn) {
          throw dateTooEarly(
            `离站日期不能早于进驻日期（${assignment.assignedOn}）`,
            `The deputy cannot leave before they joined (${assignment.assignedOn})`,
            'unassignedOn',
          );
        }
        const latestAct = latestActOf(station, command.data.personId);
        if (latestAct !== null && command.data.unassignedOn < latestAct) {
          throw new DomainError(
            'acts-after-end',
            {
              zh: `该代表在此家站还有 ${latestAct} 的履职记录，离站日期不能早于该日`,
              en: `The deputy has an act here on ${latestAct}; they cannot leave before it`,
            },
            'unassignedOn',
          );
        }
        return [{ type: 'DeputyUnassignedFromStation', data: command.data }];
      }

      case 'CloseStation': {
        const station = openForSetUp(state, command.data.closedOn, 'closedOn');
        if (command.data.closedOn < station.latestDate) {
          throw new DomainError(
            'acts-after-end',
            {
              zh: `该家站还有 ${station.latestDate} 的记录，撤销日期不能早于该日`,
              en: `The station has records dated ${station.latestDate}; it cannot close before that`,
            },
            'closedOn',
          );
        }
        return [{ type: 'StationClosed', data: command.data }];
      }

      case 'RecordStationVisit': {
        const { data } = command;
        const station = openOn(state, data.date, 'date');
        assertNewRecord(station.records, data.recordId);
        if (!assignmentOn(station, data.personId, data.date)) throw notAssigned(data.date, 'personId');
        const sameDay = station.records
          .ofPerson(data.personId)
          .some((record) => record.type === 'StationVisitRecorded' && record.data.date === data.date && stands(record));
        if (sameDay) {
          throw new DomainError(
            'already-visited',
            { zh: `该代表 ${data.date} 的进站履职已登记`, en: `The deputy’s station visit on ${data.date} is already recorded` },
            'date',
          );
        }
        return [{ type: 'StationVisitRecorded', data: { ...data, act: 'station-visit' } }];
      }

      case 'RecordVoterReception': {
        const { deputies, declared, ...reception } = command.data;
        const station = openOn(state, reception.date, 'date');
        const lead = deputies[0];
        if (!lead) throw new DomainError('no-deputy', { zh: '接待须至少有一名代表', en: 'A reception needs at least one deputy' }, 'deputies');
        if (station.receptions.has(reception.receptionId)) {
          throw new DomainError('reception-exists', { zh: '该次接待已登记', en: 'This reception is already recorded' }, 'receptionId');
        }
        const seenPersons = new Set<string>();
        const seenRecords = new Set<string>();
        deputies.forEach((deputy, index) => {
          if (seenPersons.has(deputy.personId)) {
            throw new DomainError(
              'duplicate-deputy',
              { zh: '同一代表在名单中出现了两次', en: 'The same deputy is listed twice' },
              `deputies.${index}.personId`,
            );
          }
          if (seenRecords.has(deputy.recordId)) {
            throw new DomainError('record-exists', { zh: '该记录编号已被使用', en: 'This record id is already used' }, `deputies.${index}.recordId`);
          }
          seenPersons.add(deputy.personId);
          seenRecords.add(deputy.recordId);
          assertNewRecord(station.records, deputy.recordId, `deputies.${index}.recordId`);
          if (!assignmentOn(station, deputy.personId, reception.date)) throw notAssigned(reception.date, `deputies.${index}.personId`);
        });
        return [
          { type: 'VoterReceptionHeld', data: { ...reception, leadPersonId: lead.personId } },
          ...deputies.map((deputy) => attendance({ ...deputy, stationId: reception.stationId, receptionId: reception.receptionId, declared }, reception.date)),
        ];
      }

      case 'RecordReceptionAttendance': {
        const { data } = command;
        const reception = established(state).receptions.get(data.receptionId);
        if (!reception) throw new DomainError('reception-not-found', { zh: '找不到该次接待', en: 'No such reception' }, 'receptionId');
        const station = openOn(state, reception.date, 'receptionId');
        assertNewRecord(station.records, data.recordId);
        if (attended(station, data.receptionId, data.personId)) {
          throw new DomainError('already-attended', { zh: '该代表参加此次接待已登记', en: 'This deputy is already recorded at this reception' }, 'personId');
        }
        if (!assignmentOn(station, data.personId, reception.date)) throw notAssigned(reception.date, 'personId');
        return [attendance(data, reception.date)];
      }

      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'StationEstablished') {
      return {
        ...event.data,
        status: 'open',
        closedOn: null,
        managers: [],
        receptionTimes: [],
        upgrades: [],
        assignments: [],
        receptions: new Map(),
        records: noRecords,
        latestDate: event.data.establishedOn,
      };
    }
    if (state.status === 'none') return state;
    if (isReviewEvent(event)) return { ...state, records: trackRecords(state.records, event) };
    switch (event.type) {
      case 'StationManagerAssigned': {
        const { managerPersonId: personId, managerMandateId: mandateId, assignedOn } = event.data;
        return {
          ...state,
          managers: [...state.managers, { personId, mandateId, assignedOn, endedOn: null }],
          latestDate: later(state.latestDate, assignedOn),
        };
      }
      case 'StationManagerEnded': {
        const { endedOn } = event.data;
        return {
          ...state,
          managers: state.managers.map((manager, index) => (index === state.managers.length - 1 ? { ...manager, endedOn } : manager)),
          latestDate: later(state.latestDate, endedOn),
        };
      }
      case 'ReceptionTimesPublished': {
        const { schedule, effectiveFrom, note } = event.data;
        return { ...state, receptionTimes: [...state.receptionTimes, { schedule, effectiveFrom, note }], latestDate: later(state.latestDate, effectiveFrom) };
      }
      case 'StationUpgraded': {
        const { upgradedOn, amountYuan, items } = event.data;
        return { ...state, upgrades: [...state.upgrades, { upgradedOn, amountYuan, items }], latestDate: later(state.latestDate, upgradedOn) };
      }
      case 'DeputyAssignedToStation': {
        const { personId, mandateId, assignedOn } = event.data;
        return {
          ...state,
          assignments: [...state.assignments, { personId, mandateId, assignedOn, unassignedOn: null }],
          latestDate: later(state.latestDate, assignedOn),
        };
      }
      case 'DeputyUnassignedFromStation': {
        const { personId, unassignedOn } = event.data;
        return {
          ...state,
          assignments: state.assignments.map((assignment) =>
            assignment.personId === personId && assignment.unassignedOn === null ? { ...assignment, unassignedOn } : assignment,
          ),
          latestDate: later(state.latestDate, unassignedOn),
        };
      }
      case 'StationClosed':
        return { ...state, status: 'closed', closedOn: event.data.closedOn, latestDate: later(state.latestDate, event.data.closedOn) };
      case 'VoterReceptionHeld': {
        const { receptionId, date, leadPersonId, votersReceived } = event.data;
        return {
          ...state,
          receptions: new Map(state.receptions).set(receptionId, { receptionId, date, leadPersonId, votersReceived }),
          latestDate: later(state.latestDate, date),
        };
      }
      case 'StationVisitRecorded':
      case 'ReceptionAttendanceRecorded':
        return { ...state, records: trackRecords(state.records, event), latestDate: later(state.latestDate, event.data.date) };
      default:
        return assertNever(event);
    }
  },
};

function attendance(
  data: Omit<DataOf<typeof ReceptionAttendanceRecorded>, 'act' | 'date'>,
  date: string,
): Extract<StationEvent, { type: 'ReceptionAttendanceRecorded' }> {
  return { type: 'ReceptionAttendanceRecorded', data: { ...data, act: 'voter-reception', date } };
}
