/** Events of one station (龙台镇代表联络站) for the station and opinion specifications. */
import type { StationStreamEvent } from '../../src/station/decider.ts';

export const stationId = '5a1c2e3f-0000-4000-8000-000000000001';
export const chairId = '5a1c2e3f-0000-4000-8000-0000000000c1';
export const chairMandateId = '5a1c2e3f-0000-4000-8000-0000000000c2';
export const deputyId = '5a1c2e3f-0000-4000-8000-0000000000d1';
export const deputyMandateId = '5a1c2e3f-0000-4000-8000-0000000000d2';
export const otherDeputyId = '5a1c2e3f-0000-4000-8000-0000000000e1';
export const otherDeputyMandateId = '5a1c2e3f-0000-4000-8000-0000000000e2';
export const receptionId = '5a1c2e3f-0000-4000-8000-0000000000f1';
export const recordIds = ['5a1c2e3f-0000-4000-8000-000000000a01', '5a1c2e3f-0000-4000-8000-000000000a02', '5a1c2e3f-0000-4000-8000-000000000a03'] as const;

export const established: StationStreamEvent = {
  type: 'StationEstablished',
  data: { stationId, type: 'liaison-station', name: '龙台镇代表联络站', township: '龙台镇', address: '龙台镇人民政府二楼', establishedOn: '2022-01-10' },
};

export const managerAssigned: StationStreamEvent = {
  type: 'StationManagerAssigned',
  data: { stationId, managerPersonId: chairId, managerMandateId: chairMandateId, assignedOn: '2022-01-10' },
};

export const deputyAssigned = (personId = deputyId, mandateId = deputyMandateId, assignedOn = '2022-02-01'): StationStreamEvent => ({
  type: 'DeputyAssignedToStation',
  data: { stationId, personId, mandateId, assignedOn },
});

export const deputyUnassigned = (personId = deputyId, unassignedOn = '2022-06-30'): StationStreamEvent => ({
  type: 'DeputyUnassignedFromStation',
  data: { stationId, personId, unassignedOn, reason: '调整到其他联络站' },
});

export const closed = (closedOn = '2022-12-31'): StationStreamEvent => ({ type: 'StationClosed', data: { stationId, closedOn, reason: '并入镇代表之家' } });

export const visitRecorded = (
  recordId: string,
  date = '2022-03-05',
  declared = false,
  personId = deputyId,
  mandateId = deputyMandateId,
): StationStreamEvent => ({
  type: 'StationVisitRecorded',
  data: { recordId, act: 'station-visit', personId, mandateId, date, declared, stationId, summary: '进站学习并接待来访群众' },
});

export const receptionHeld = (date = '2022-03-15', id = receptionId): StationStreamEvent => ({
  type: 'VoterReceptionHeld',
  data: { stationId, receptionId: id, date, leadPersonId: deputyId, votersReceived: 12, topics: ['农村道路维修', '医保报销'] },
});

export const attendanceRecorded = (
  recordId: string,
  personId = deputyId,
  mandateId = deputyMandateId,
  date = '2022-03-15',
  declared = false,
  id = receptionId,
): StationStreamEvent => ({
  type: 'ReceptionAttendanceRecorded',
  data: { recordId, act: 'voter-reception', personId, mandateId, date, declared, stationId, receptionId: id },
});

/** A station with its manager, the deputy assigned, and a reception the deputy attended. */
export const stationWithReception: StationStreamEvent[] = [established, managerAssigned, deputyAssigned(), receptionHeld(), attendanceRecorded(recordIds[0])];
