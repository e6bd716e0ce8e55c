/**
 * Deputies' acts at stations and at home ("月进站、季回家", 接待选民). Staff and station managers
 * record them (approved on entry); a deputy may declare their own (pending review, see src/review).
 *
 * Person-times (人次) of voter reception: each deputy present at a reception has their own
 * ReceptionAttendanceRecorded record (act 'voter-reception'), so a reception with three deputies
 * is three person-times; the VoterReceptionHeld entry itself counts for no one.
 */
import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { declaredBy } from '../kernel/recording.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { actingMandate } from '../mandate/acting.ts';
import { stationDecider } from './decider.ts';
import { homeVisitDecider, homeVisitStream } from './home-visit.ts';
import { stationStream } from './state.ts';

/** Who may enter acts at stations and at home: as ACT_RECORDERS, less committee members. */
const STATION_ACT_RECORDERS = ['deputy', 'staff', 'station-manager', 'admin'] as const;

export const recordStationVisit = defineCommand({
  name: 'RecordStationVisit',
  description: 'Records a deputy’s duty at their station (进站履职, "月进站").',
  roles: STATION_ACT_RECORDERS,
  input: z.object({ recordId: id, stationId: id, personId: id, mandateId: id, date: isoDate, summary: text(1000) }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { context, lookups }) {
    const declared = declaredBy(context, data.personId);
    await actingMandate(lookups, data.mandateId, data.personId, data.date, { kinds: ['deputy'] });
    return { type: 'RecordStationVisit' as const, data: { ...data, declared } };
  },
});

export const recordVoterReception = defineCommand({
  name: 'RecordVoterReception',
  description: 'Records a voter reception (接待选民) at a station, with one attendance record per deputy present; the first deputy led it.',
  roles: STATION_ACT_RECORDERS,
  input: z.object({
    stationId: id,
    receptionId: id,
    date: isoDate,
    votersReceived: z.number().int().nonnegative(),
    topics: z.array(text(200)).max(50).default([]),
    deputies: z
      .array(z.object({ recordId: id, personId: id, mandateId: id }))
      .min(1)
      .max(50),
  }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { context, lookups }) {
    const declared = data.deputies.map((deputy, index) => declaredBy(context, deputy.personId, `deputies.${index}.personId`)).some(Boolean);
    await Promise.all(
      data.deputies.map((deputy, index) =>
        actingMandate(lookups, deputy.mandateId, deputy.personId, data.date, { kinds: ['deputy'], field: `deputies.${index}.mandateId` }),
      ),
    );
    return { type: 'RecordVoterReception' as const, data: { ...data, declared } };
  },
});

export const recordReceptionAttendance = defineCommand({
  name: 'RecordReceptionAttendance',
  description: 'Adds a deputy’s attendance to a recorded voter reception (e.g. a deputy declaring their own presence).',
  roles: STATION_ACT_RECORDERS,
  input: z.object({ stationId: id, receptionId: id, recordId: id, personId: id, mandateId: id }),
  decider: stationDecider,
  streamId: (input) => stationStream(input.stationId),
  async toCommand(data, { context, lookups }) {
    const declared = declaredBy(context, data.personId);
    const { state: station } = await lookups.state(stationDecider, stationStream(data.stationId));
    const reception = station.status === 'none' ? undefined : station.receptions.get(data.receptionId);
    // Without the reception there is no date to check the mandate on; the decider refuses the command.
    if (reception) await actingMandate(lookups, data.mandateId, data.personId, reception.date, { kinds: ['deputy'] });
    return { type: 'RecordReceptionAttendance' as const, data: { ...data, declared } };
  },
});

export const recordHomeVisit = defineCommand({
  name: 'RecordHomeVisit',
  description: 'Records a deputy’s return to their electoral district (回家履职, "季回家").',
  roles: STATION_ACT_RECORDERS,
  input: z.object({ recordId: id, personId: id, mandateId: id, date: isoDate, place: text(200), visited: text(200), summary: text(1000) }),
  decider: homeVisitDecider,
  streamId: (input) => homeVisitStream(input.recordId),
  async toCommand(data, { context, lookups }) {
    const declared = declaredBy(context, data.personId);
    await actingMandate(lookups, data.mandateId, data.personId, data.date, { kinds: ['deputy'] });
    return { type: 'RecordHomeVisit' as const, data: { ...data, declared } };
  },
});

export const stationActCommands = [recordStationVisit, recordVoterReception, recordReceptionAttendance, recordHomeVisit];
