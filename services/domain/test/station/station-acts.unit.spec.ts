import { describe, it } from 'vitest';
import { stationDecider, type DeputyAtReception, type StationCommand } from '../../src/station/decider.ts';
import { homeVisitDecider, type HomeVisitCommand } from '../../src/station/home-visit.ts';
import { spec } from '../spec.ts';
import {
  attendanceRecorded,
  closed,
  deputyAssigned,
  deputyId,
  deputyMandateId,
  deputyUnassigned,
  established,
  otherDeputyId,
  otherDeputyMandateId,
  receptionHeld,
  receptionId,
  recordIds,
  stationId,
  visitRecorded,
} from './fixtures.ts';

const station = spec(stationDecider);
const [first, second, third] = recordIds;
const assigned = [established, deputyAssigned()];

const visit = (recordId: string = first, date = '2022-03-05', declared = false, personId = deputyId): StationCommand => ({
  type: 'RecordStationVisit',
  data: { recordId, personId, mandateId: deputyMandateId, date, declared, stationId, summary: '进站学习并接待来访群众' },
});

const lead: DeputyAtReception = { recordId: first, personId: deputyId, mandateId: deputyMandateId };
const other: DeputyAtReception = { recordId: second, personId: otherDeputyId, mandateId: otherDeputyMandateId };
const reception = (deputies: DeputyAtReception[] = [lead], date = '2022-03-15', declared = false): StationCommand => ({
  type: 'RecordVoterReception',
  data: { stationId, receptionId, date, votersReceived: 12, topics: ['农村道路维修', '医保报销'], deputies, declared },
});

const attend = (recordId: string = second, personId = otherDeputyId, mandateId = otherDeputyMandateId, declared = true): StationCommand => ({
  type: 'RecordReceptionAttendance',
  data: { stationId, receptionId, recordId, personId, mandateId, declared },
});

describe('station visits (月进站)', () => {
  describe('when no station exists', () => {
    it('rejects a visit', () => {
      station.given([]).when(visit()).thenRejects('station-not-found');
    });
  });

  describe('when the deputy is assigned to the station', () => {
    it('records a visit entered by staff, approved on entry', () => {
      station
        .given(assigned)
        .when(visit())
        .then([visitRecorded(first)]);
    });
    it('records a visit declared by the deputy, awaiting review', () => {
      station
        .given(assigned)
        .when(visit(first, '2022-03-05', true))
        .then([visitRecorded(first, '2022-03-05', true)]);
    });
    it('rejects a visit before the station was established', () => {
      station.given(assigned).when(visit(first, '2022-01-09')).thenRejects('before-establishment');
    });
    it('rejects a visit before the deputy was assigned', () => {
      station.given(assigned).when(visit(first, '2022-01-31')).thenRejects('not-assigned');
    });
    it('rejects a visit by a deputy not assigned', () => {
      station
        .given(assigned)
        .when(visit(first, '2022-03-05', false, otherDeputyId))
        .thenRejects('not-assigned');
    });
    it('rejects a record id already used', () => {
      station
        .given([...assigned, visitRecorded(first)])
        .when(visit(first, '2022-04-05'))
        .thenRejects('record-exists');
    });
    it('rejects a second visit by the deputy on the same day', () => {
      station
        .given([...assigned, visitRecorded(first)])
        .when(visit(second))
        .thenRejects('already-visited');
    });
    it('records a visit on a day whose earlier record was rejected in review', () => {
      const rejected = [
        ...assigned,
        visitRecorded(first, '2022-03-05', true),
        { type: 'RecordRejected' as const, data: { recordId: first, reason: '无佐证材料' } },
      ];
      station
        .given(rejected)
        .when(visit(second))
        .then([visitRecorded(second)]);
    });
  });

  describe('when the deputy was unassigned', () => {
    it('records a visit on their last day', () => {
      station
        .given([...assigned, deputyUnassigned()])
        .when(visit(first, '2022-06-30'))
        .then([visitRecorded(first, '2022-06-30')]);
    });
    it('rejects a visit after they left', () => {
      station
        .given([...assigned, deputyUnassigned()])
        .when(visit(first, '2022-07-01'))
        .thenRejects('not-assigned');
    });
  });

  describe('when the station is closed', () => {
    it('records a late paper record of a visit on or before the closing day', () => {
      station
        .given([...assigned, closed()])
        .when(visit(first, '2022-12-31'))
        .then([visitRecorded(first, '2022-12-31')]);
    });
    it('rejects a visit dated after the closing day', () => {
      station
        .given([...assigned, closed()])
        .when(visit(first, '2023-01-01'))
        .thenRejects('station-closed');
    });
  });
});

describe('voter receptions (接待选民)', () => {
  const bothAssigned = [...assigned, deputyAssigned(otherDeputyId, otherDeputyMandateId)];

  describe('when no station exists', () => {
    it('rejects a reception', () => {
      station.given([]).when(reception()).thenRejects('station-not-found');
    });
    it('rejects an attendance', () => {
      station.given([]).when(attend()).thenRejects('station-not-found');
    });
  });

  describe('when the deputies are assigned', () => {
    it('records the reception led by the first deputy, and one attendance record (one person-time) per deputy', () => {
      station
        .given(bothAssigned)
        .when(reception([lead, other]))
        .then([receptionHeld(), attendanceRecorded(first), attendanceRecorded(second, otherDeputyId, otherDeputyMandateId)]);
    });
    it('records a reception declared by the deputy, the attendance awaiting review', () => {
      station
        .given(assigned)
        .when(reception([lead], '2022-03-15', true))
        .then([receptionHeld(), attendanceRecorded(first, deputyId, deputyMandateId, '2022-03-15', true)]);
    });
    it('rejects a reception without deputies', () => {
      station.given(bothAssigned).when(reception([])).thenRejects('no-deputy');
    });
    it('rejects a deputy listed twice', () => {
      station
        .given(bothAssigned)
        .when(reception([lead, { ...lead, recordId: second }]))
        .thenRejects('duplicate-deputy');
    });
    it('rejects two deputies with the same record id', () => {
      station
        .given(bothAssigned)
        .when(reception([lead, { ...other, recordId: first }]))
        .thenRejects('record-exists');
    });
    it('rejects a record id already used on the station', () => {
      station
        .given([...bothAssigned, visitRecorded(second)])
        .when(reception([lead, other]))
        .thenRejects('record-exists');
    });
    it('rejects a deputy not assigned to the station', () => {
      station
        .given(assigned)
        .when(reception([lead, other]))
        .thenRejects('not-assigned');
    });
    it('rejects a reception before the station was established', () => {
      station
        .given(bothAssigned)
        .when(reception([lead], '2022-01-09'))
        .thenRejects('before-establishment');
    });
    it('rejects a reception dated after the station closed', () => {
      station
        .given([...bothAssigned, closed()])
        .when(reception([lead], '2023-01-02'))
        .thenRejects('station-closed');
    });
    it('rejects an attendance at a reception not recorded', () => {
      station.given(bothAssigned).when(attend()).thenRejects('reception-not-found');
    });
  });

  describe('when the reception is recorded', () => {
    const held = [...bothAssigned, receptionHeld(), attendanceRecorded(first)];
    it('rejects recording it again', () => {
      station
        .given(held)
        .when(reception([{ ...lead, recordId: third }]))
        .thenRejects('reception-exists');
    });
    it('adds a deputy’s declared attendance, on the reception’s date', () => {
      station
        .given(held)
        .when(attend())
        .then([attendanceRecorded(second, otherDeputyId, otherDeputyMandateId, '2022-03-15', true)]);
    });
    it('rejects an attendance already recorded', () => {
      station
        .given(held)
        .when(attend(second, deputyId, deputyMandateId))
        .thenRejects('already-attended');
    });
    it('adds an attendance again after the earlier one was retracted', () => {
      const retracted = [...held, { type: 'RecordRetracted' as const, data: { recordId: first, reason: '录入错误' } }];
      station
        .given(retracted)
        .when(attend(second, deputyId, deputyMandateId, false))
        .then([attendanceRecorded(second)]);
    });
    it('rejects a record id already used', () => {
      station.given(held).when(attend(first)).thenRejects('record-exists');
    });
    it('rejects an attendance by a deputy not assigned on the reception’s date', () => {
      station
        .given([...assigned, receptionHeld(), attendanceRecorded(first)])
        .when(attend())
        .thenRejects('not-assigned');
    });
    it('adds an attendance after the station closed, the reception being before the closing', () => {
      station
        .given([...held, closed()])
        .when(attend())
        .then([attendanceRecorded(second, otherDeputyId, otherDeputyMandateId, '2022-03-15', true)]);
    });
  });
});

describe('home visits (季回家)', () => {
  const homeVisit = (declared = true): HomeVisitCommand => ({
    type: 'RecordHomeVisit',
    data: {
      recordId: first,
      personId: deputyId,
      mandateId: deputyMandateId,
      date: '2022-04-02',
      declared,
      place: '龙台镇红光村',
      visited: '村民代表 12 人',
      summary: '听取道路维修意见',
    },
  });
  const recorded = { type: 'HomeVisitRecorded' as const, data: { ...homeVisit().data, act: 'home-visit' as const } };

  describe('when nothing is recorded under the id', () => {
    it('records the visit', () => {
      spec(homeVisitDecider).given([]).when(homeVisit()).then([recorded]);
    });
  });
  describe('when the record exists', () => {
    it('rejects recording it again', () => {
      spec(homeVisitDecider).given([recorded]).when(homeVisit(false)).thenRejects('record-exists');
    });
  });
});
