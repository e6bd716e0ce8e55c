/**
 * Setting up a station. Staff and administrators set up and close stations; a station manager
 * (站点负责人) may also publish reception times and assign deputies. For now a station manager may
 * do so at any station: the caller's own station is not checked yet.
 */
import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { id, isoDate, reason, text } from '../kernel/schemas.ts';
import { actingMandate, mandateValidTo } from '../mandate/acting.ts';
import { stationDecider } from './decider.ts';
import { receptionSlot, STATION_TYPES } from './events.ts';
import { currentAssignment, stationStream } from './state.ts';

const SET_UP = ['staff', 'admin'] as const;
const SET_UP_OR_MANAGER = ['staff', 'station-manager', 'admin'] as const;

export const establishStation = defineCommand({
  name: 'EstablishStation',
  description: 'Records a new deputy station (代表之家 / 代表联络站).',
  roles: SET_UP,
  input: z.object({ stationId: id, type: z.enum(STATION_TYPES), name: text(100), township: text(100), address: text(200), establishedOn: isoDate }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'EstablishStation' as const, data }),
});

export const assignStationManager = defineCommand({
  name: 'AssignStationManager',
  description: 'Puts a township chair or office-staff member in charge of a station (站点负责人), replacing the previous manager.',
  roles: SET_UP,
  input: z.object({ stationId: id, managerPersonId: id, managerMandateId: id, assignedOn: isoDate }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { lookups }) {
    await actingMandate(lookups, data.managerMandateId, data.managerPersonId, data.assignedOn, {
      kinds: ['township-chair', 'office-staff'],
      field: 'managerMandateId',
    });
    return { type: 'AssignStationManager' as const, data };
  },
});

export const publishReceptionTimes = defineCommand({
  name: 'PublishReceptionTimes',
  description: 'Publishes a station’s voter-reception times (接待时间), replacing the earlier schedule.',
  roles: SET_UP_OR_MANAGER,
  input: z.object({
    stationId: id,
    schedule: z.array(receptionSlot).min(1).max(50),
    effectiveFrom: isoDate,
    note: text(500).nullable().default(null),
  }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'PublishReceptionTimes' as const, data }),
});

export const recordStationUpgrade = defineCommand({
  name: 'RecordStationUpgrade',
  description: 'Records an upgrade of a station (提档升级): the money spent and the standards met.',
  roles: SET_UP,
  input: z.object({ stationId: id, upgradedOn: isoDate, amountYuan: z.number().nonnegative(), items: z.array(text(200)).min(1).max(50) }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'RecordStationUpgrade' as const, data }),
});

export const assignDeputyToStation = defineCommand({
  name: 'AssignDeputyToStation',
  description: 'Assigns a deputy of any level to a station (进站).',
  roles: SET_UP_OR_MANAGER,
  input: z.object({ stationId: id, personId: id, mandateId: id, assignedOn: isoDate }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { lookups }) {
    await actingMandate(lookups, data.mandateId, data.personId, data.assignedOn, { kinds: ['deputy'] });
    const { state: station } = await lookups.state(stationDecider, stationStream(data.stationId));
    const current = station.status === 'none' ? undefined : currentAssignment(station, data.personId);
    const currentMandateValidTo = current ? await mandateValidTo(lookups, current.mandateId) : undefined;
    return { type: 'AssignDeputyToStation' as const, data: { ...data, currentMandateValidTo } };
  },
});

export const unassignDeputyFromStation = defineCommand({
  name: 'UnassignDeputyFromStation',
  description: 'Records that a deputy no longer belongs to a station.',
  roles: SET_UP_OR_MANAGER,
  input: z.object({ stationId: id, personId: id, unassignedOn: isoDate, reason }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'UnassignDeputyFromStation' as const, data }),
});

export const endStationManagerRole = defineCommand({
  name: 'EndStationManagerRole',
  description: 'Records that a station’s manager stopped being in charge without a successor (e.g. their post ended at the term’s close).',
  roles: SET_UP,
  input: z.object({ stationId: id, managerPersonId: id, endedOn: isoDate, reason }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'EndStationManagerRole' as const, data }),
});

export const carryOverStationAssignment = defineCommand({
  name: 'CarryOverStationAssignment',
  description: 'Continues a re-elected deputy’s station assignment with their new mandate (连任续驻), without a gap.',
  roles: SET_UP,
  input: z.object({ stationId: id, personId: id, mandateId: id, continuedOn: isoDate, reason }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { lookups }) {
    await actingMandate(lookups, data.mandateId, data.personId, data.continuedOn, { kinds: ['deputy'] });
    return { type: 'CarryOverStationAssignment' as const, data };
  },
});

export const closeStation = defineCommand({
  name: 'CloseStation',
  description: 'Closes a station (撤销); its books stay.',
  roles: SET_UP,
  input: z.object({ stationId: id, closedOn: isoDate, reason }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  toCommand: (data) => ({ type: 'CloseStation' as const, data }),
});

export const stationSetUpCommands = [
  establishStation,
  assignStationManager,
  publishReceptionTimes,
  recordStationUpgrade,
  assignDeputyToStation,
  unassignDeputyFromStation,
  closeStation,
  endStationManagerRole,
  carryOverStationAssignment,
];
