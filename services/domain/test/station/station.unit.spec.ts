import { describe, expect, it } from 'vitest';
import { fold } from '../../src/kernel/decider.ts';
import { stationDecider, type StationCommand } from '../../src/station/decider.ts';
import type { ReceptionSlot } from '../../src/station/events.ts';
import type { OpenStation } from '../../src/station/state.ts';
import { spec } from '../spec.ts';
import {
  chairId,
  chairMandateId,
  closed,
  deputyAssigned,
  deputyId,
  deputyMandateId,
  deputyUnassigned,
  established,
  managerAssigned,
  otherDeputyId,
  otherDeputyMandateId,
  recordIds,
  stationId,
  visitRecorded,
} from './fixtures.ts';

const station = spec(stationDecider);

const establish: StationCommand = { type: 'EstablishStation', data: established.data as Extract<StationCommand, { type: 'EstablishStation' }>['data'] };
const assignManager = (managerPersonId = chairId, managerMandateId = chairMandateId, assignedOn = '2022-01-10'): StationCommand => ({
  type: 'AssignStationManager',
  data: { stationId, managerPersonId, managerMandateId, assignedOn },
});
const weekly = { repeat: 'weekly' as const, day: 3, startTime: '09:00', endTime: '11:30' };
const publishTimes = (schedule: ReceptionSlot[] = [weekly], effectiveFrom = '2022-02-01'): StationCommand => ({
  type: 'PublishReceptionTimes',
  data: { stationId, schedule, effectiveFrom, note: '节假日顺延' },
});
const upgrade = (upgradedOn = '2022-05-20'): StationCommand => ({
  type: 'RecordStationUpgrade',
  data: { stationId, upgradedOn, amountYuan: 18000, items: ['“六有”标准', '“2+4+N”展示'] },
});
const assignDeputy = (assignedOn = '2022-02-01', personId = deputyId, mandateId = deputyMandateId): StationCommand => ({
  type: 'AssignDeputyToStation',
  data: { stationId, personId, mandateId, assignedOn },
});
const unassignDeputy = (unassignedOn = '2022-06-30', personId = deputyId): StationCommand => ({
  type: 'UnassignDeputyFromStation',
  data: { stationId, personId, unassignedOn, reason: '调整到其他联络站' },
});
const close = (closedOn = '2022-12-31'): StationCommand => ({ type: 'CloseStation', data: { stationId, closedOn, reason: '并入镇代表之家' } });

/** The command's data as the one event it should produce. */
const asEvent = (type: string, command: StationCommand) => ({ type, data: command.data }) as never;

describe('when no station exists', () => {
  it('establishes one', () => {
    station.given([]).when(establish).then([established]);
  });
  it.each([
    ['a manager', assignManager()],
    ['reception times', publishTimes()],
    ['an upgrade', upgrade()],
    ['a deputy’s assignment', assignDeputy()],
    ['a deputy’s unassignment', unassignDeputy()],
    ['a closure', close()],
  ])('rejects %s', (_, command) => {
    station.given([]).when(command).thenRejects('station-not-found');
  });
});

describe('when the station is established', () => {
  it('rejects establishing it again', () => {
    station.given([established]).when(establish).thenRejects('station-exists');
  });
  it('assigns a manager', () => {
    const command = assignManager();
    station
      .given([established])
      .when(command)
      .then([asEvent('StationManagerAssigned', command)]);
  });
  it('publishes reception times, weekly and monthly', () => {
    const command = publishTimes([weekly, { repeat: 'monthly', day: 31, startTime: '14:00', endTime: '17:00' }]);
    station
      .given([established])
      .when(command)
      .then([asEvent('ReceptionTimesPublished', command)]);
  });
  it('records an upgrade', () => {
    const command = upgrade();
    station
      .given([established])
      .when(command)
      .then([asEvent('StationUpgraded', command)]);
  });
  it('assigns a deputy', () => {
    const command = assignDeputy();
    station
      .given([established])
      .when(command)
      .then([asEvent('DeputyAssignedToStation', command)]);
  });
  it('closes it', () => {
    const command = close();
    station
      .given([established])
      .when(command)
      .then([asEvent('StationClosed', command)]);
  });
  it.each([
    ['a manager', assignManager(chairId, chairMandateId, '2022-01-09')],
    ['reception times', publishTimes([weekly], '2022-01-09')],
    ['an upgrade', upgrade('2022-01-09')],
    ['a deputy’s assignment', assignDeputy('2022-01-09')],
    ['a closure', close('2022-01-09')],
  ])('rejects %s dated before the establishment', (_, command) => {
    station.given([established]).when(command).thenRejects('before-establishment');
  });
  it('rejects a weekly slot on day 8', () => {
    station
      .given([established])
      .when(publishTimes([{ ...weekly, day: 8 }]))
      .thenRejects('invalid-day');
  });
  it('rejects a slot that ends before it starts', () => {
    station
      .given([established])
      .when(publishTimes([{ ...weekly, startTime: '11:00', endTime: '10:00' }]))
      .thenRejects('time-order');
  });
  it('rejects a slot that ends when it starts', () => {
    station
      .given([established])
      .when(publishTimes([weekly, { ...weekly, endTime: weekly.startTime }]))
      .thenRejects('time-order');
  });
  it('rejects unassigning a deputy who was never assigned', () => {
    station.given([established]).when(unassignDeputy()).thenRejects('not-assigned');
  });
});

describe('when the station has a manager', () => {
  it('replaces the manager and keeps the earlier one in the history', () => {
    const command = assignManager(otherDeputyId, otherDeputyMandateId, '2023-01-01');
    station
      .given([established, managerAssigned])
      .when(command)
      .then([asEvent('StationManagerAssigned', command)]);
    const state = fold(stationDecider, [established, managerAssigned, asEvent('StationManagerAssigned', command)]) as OpenStation;
    expect(state.managers.map((manager) => manager.personId)).toEqual([chairId, otherDeputyId]);
  });
  it('rejects assigning the same manager again', () => {
    station.given([established, managerAssigned]).when(assignManager()).thenRejects('already-manager');
  });
  it('rejects a new manager starting before the current one', () => {
    station
      .given([established, asEvent('StationManagerAssigned', assignManager(chairId, chairMandateId, '2022-03-01'))])
      .when(assignManager(otherDeputyId, otherDeputyMandateId, '2022-02-01'))
      .thenRejects('date-too-early');
  });
});

describe('when reception times are published', () => {
  const published = asEvent('ReceptionTimesPublished', publishTimes());
  it('publishes a later schedule', () => {
    const command = publishTimes([{ ...weekly, day: 5 }], '2022-09-01');
    station
      .given([established, published])
      .when(command)
      .then([asEvent('ReceptionTimesPublished', command)]);
  });
  it('rejects a schedule taking effect before the current one', () => {
    station
      .given([established, published])
      .when(publishTimes([weekly], '2022-01-20'))
      .thenRejects('date-too-early');
  });
});

describe('when a deputy is assigned', () => {
  const history = [established, deputyAssigned()];
  it('rejects assigning them again', () => {
    station.given(history).when(assignDeputy('2022-03-01')).thenRejects('already-assigned');
  });
  it('assigns another deputy', () => {
    const command = assignDeputy('2022-03-01', otherDeputyId, otherDeputyMandateId);
    station
      .given(history)
      .when(command)
      .then([asEvent('DeputyAssignedToStation', command)]);
  });
  it('unassigns them', () => {
    const command = unassignDeputy();
    station
      .given(history)
      .when(command)
      .then([asEvent('DeputyUnassignedFromStation', command)]);
  });
  it('rejects unassigning them before they were assigned', () => {
    station.given(history).when(unassignDeputy('2022-01-31')).thenRejects('date-too-early');
  });
  it('rejects unassigning them before their latest act at the station', () => {
    station
      .given([...history, visitRecorded(recordIds[0], '2022-03-05')])
      .when(unassignDeputy('2022-03-04'))
      .thenRejects('acts-after-end');
  });
  it('unassigns them before an act that was retracted', () => {
    const retracted: typeof history = [
      ...history,
      visitRecorded(recordIds[0], '2022-03-05'),
      { type: 'RecordRetracted', data: { recordId: recordIds[0], reason: '录入错误' } },
    ];
    station
      .given(retracted)
      .when(unassignDeputy('2022-03-04'))
      .then([asEvent('DeputyUnassignedFromStation', unassignDeputy('2022-03-04'))]);
  });
  it('rejects closing the station before the latest record', () => {
    station.given(history).when(close('2022-01-31')).thenRejects('acts-after-end');
  });
});

describe('when the deputy was unassigned', () => {
  const history = [established, deputyAssigned(), deputyUnassigned()];
  it('rejects unassigning them again', () => {
    station.given(history).when(unassignDeputy('2022-07-01')).thenRejects('not-assigned');
  });
  it('assigns them again after they left', () => {
    const command = assignDeputy('2022-07-01');
    station
      .given(history)
      .when(command)
      .then([asEvent('DeputyAssignedToStation', command)]);
  });
  it('rejects assigning them again within the earlier assignment', () => {
    station.given(history).when(assignDeputy('2022-06-30')).thenRejects('date-too-early');
  });
});

describe('when the station is closed', () => {
  it.each([
    ['a manager', assignManager(otherDeputyId, otherDeputyMandateId, '2023-01-01')],
    ['reception times', publishTimes([weekly], '2023-01-01')],
    ['an upgrade', upgrade('2023-01-01')],
    ['a deputy’s assignment', assignDeputy('2023-01-01', otherDeputyId, otherDeputyMandateId)],
    ['a deputy’s unassignment', unassignDeputy('2023-01-01')],
    ['closing it again', close('2023-01-01')],
  ])('rejects %s', (_, command) => {
    station.given([established, deputyAssigned(), closed()]).when(command).thenRejects('station-closed');
  });
});
