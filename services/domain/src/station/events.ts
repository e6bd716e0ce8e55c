/**
 * Deputy stations (家站: 代表之家 and 代表联络站) and what happens at them. The station stream
 * holds its set-up (manager, reception times, upgrades, deputies assigned) and the acts that
 * belong to its books: deputies' station visits (月进站) and voter receptions (接待选民).
 */
import { z } from 'zod';
import { actRecordFields } from '../kernel/acts.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

export const STATION_TYPES = ['deputy-home', 'liaison-station'] as const;
export type StationType = (typeof STATION_TYPES)[number];
export const STATION_TYPE_LABELS: Record<StationType, { zh: string; en: string }> = {
  'deputy-home': { zh: '代表之家', en: 'Deputy home' },
  'liaison-station': { zh: '代表联络站', en: 'Deputy liaison station' },
};

/** How a reception slot repeats: on a weekday (1 = Monday … 7 = Sunday) or on a day of each month (1–31). */
export const SLOT_REPEATS = ['weekly', 'monthly'] as const;
export type SlotRepeat = (typeof SLOT_REPEATS)[number];

const stationId = z.uuid().describe('the station (家站)');
const date = z.iso.date();
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM, 00:00 to 23:59');

/** One published reception slot; also the input shape of PublishReceptionTimes. */
export const receptionSlot = z.object({
  repeat: z.enum(SLOT_REPEATS).describe('weekly (on a weekday) or monthly (on a day of the month)'),
  day: z.number().int().min(1).max(31).describe('weekly: 1 = Monday … 7 = Sunday; monthly: day of the month, 1–31'),
  startTime: clock.describe('local time the reception opens, HH:MM'),
  endTime: clock.describe('local time it closes, HH:MM; later than startTime'),
});
export type ReceptionSlot = z.output<typeof receptionSlot>;

export const StationEstablished = defineEvent({
  type: 'StationEstablished',
  version: 1,
  stream: 'station',
  description: 'A deputy station (家站) was set up: a deputy home (代表之家) or a liaison station (代表联络站) in a township.',
  schema: z.object({
    stationId,
    type: z.enum(STATION_TYPES).describe('代表之家 (deputy-home) or 代表联络站 (liaison-station)'),
    name: z.string().min(1).max(100).describe('the station’s name as posted on its door'),
    township: z.string().min(1).max(100).describe('the township or street (乡镇/街道) it serves'),
    address: z.string().min(1).max(200).describe('where it is'),
    establishedOn: date.describe('the day it opened; nothing at the station is dated earlier'),
  }),
});

export const StationManagerAssigned = defineEvent({
  type: 'StationManagerAssigned',
  version: 1,
  stream: 'station',
  description: 'A station got a manager (站点负责人), replacing the previous one; earlier managers stay in its history.',
  schema: z.object({
    stationId,
    managerPersonId: z.uuid().describe('the manager'),
    managerMandateId: z.uuid().describe('the post they manage it in: a township chair (乡镇人大主席) or office-staff mandate valid on assignedOn'),
    assignedOn: date.describe('the first day they are in charge'),
  }),
});

export const StationManagerEnded = defineEvent({
  type: 'StationManagerEnded',
  version: 1,
  stream: 'station',
  description:
    'A station’s manager (站点负责人) stopped being in charge without a successor, e.g. their post ended at the term’s close (届满) and they hold no new one; ' +
    'the station has no manager until the next StationManagerAssigned.',
  schema: z.object({
    stationId,
    managerPersonId: z.uuid().describe('the manager who left'),
    endedOn: date.describe('the last day they were in charge'),
    reason: z.string().min(1).max(1000).describe('why, e.g. 届满未连任'),
  }),
});

export const ReceptionTimesPublished = defineEvent({
  type: 'ReceptionTimesPublished',
  version: 1,
  stream: 'station',
  description: 'A station published its voter-reception times (接待时间), replacing the earlier schedule from effectiveFrom.',
  schema: z.object({
    stationId,
    schedule: z
      .array(receptionSlot)
      .min(1)
      .describe('the reception slots: repeat weekly (day 1 = Monday … 7 = Sunday) or monthly (day 1–31), from startTime to endTime (HH:MM)'),
    effectiveFrom: date.describe('the first day the schedule applies'),
    note: z.string().max(500).nullable().describe('free text posted with the schedule, e.g. holiday arrangements'),
  }),
});

export const StationUpgraded = defineEvent({
  type: 'StationUpgraded',
  version: 1,
  stream: 'station',
  description: 'A station was upgraded (提档升级): money spent and standards met, e.g. "六有" or "2+4+N" displays.',
  schema: z.object({
    stationId,
    upgradedOn: date.describe('the day the upgrade was completed'),
    amountYuan: z.number().nonnegative().describe('money spent, in yuan'),
    items: z.array(z.string().min(1).max(200)).min(1).describe('what was done, e.g. "六有" standards, "2+4+N" displays, "一册六簿" records'),
  }),
});

export const DeputyAssignedToStation = defineEvent({
  type: 'DeputyAssignedToStation',
  version: 1,
  stream: 'station',
  description: 'A deputy (any of the five levels, 五级代表) was assigned to a station (进站).',
  schema: z.object({
    stationId,
    personId: z.uuid().describe('the deputy'),
    mandateId: z.uuid().describe('their deputy mandate, valid on assignedOn'),
    assignedOn: date.describe('the first day they belong to the station'),
  }),
});

export const DeputyUnassignedFromStation = defineEvent({
  type: 'DeputyUnassignedFromStation',
  version: 1,
  stream: 'station',
  description: 'A deputy stopped belonging to a station.',
  schema: z.object({
    stationId,
    personId: z.uuid().describe('the deputy'),
    unassignedOn: date.describe('the last day they belong to the station'),
    reason: z.string().min(1).max(1000).describe('why, e.g. moved to another station, mandate ended'),
  }),
});

export const StationClosed = defineEvent({
  type: 'StationClosed',
  version: 1,
  stream: 'station',
  description: 'A station was closed (撤销/合并); its set-up can no longer change, its books stay.',
  schema: z.object({
    stationId,
    closedOn: date.describe('the last day the station was open; acts dated later are refused'),
    reason: z.string().min(1).max(1000).describe('why, e.g. merged into another station'),
  }),
});

export const StationVisitRecorded = defineEvent({
  type: 'StationVisitRecorded',
  version: 1,
  stream: 'station',
  record: true,
  description: 'A deputy did duty at their station (进站履职, "月进站"): one person-time (人次).',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('station-visit').describe('always station-visit (进站履职)'),
    stationId,
    summary: z.string().min(1).max(1000).describe('what the deputy did there'),
  }),
});

export const VoterReceptionHeld = defineEvent({
  type: 'VoterReceptionHeld',
  version: 1,
  stream: 'station',
  description:
    'A voter reception (接待选民) took place at the station. It is the reception book’s entry, not a countable act: ' +
    'each deputy present counts through their own ReceptionAttendanceRecorded.',
  schema: z.object({
    stationId,
    receptionId: z.uuid().describe('this reception; opinions received at it point here'),
    date: date.describe('the day of the reception'),
    leadPersonId: z.uuid().describe('the deputy who led the reception (the first one listed)'),
    votersReceived: z.number().int().nonnegative().describe('how many voters came'),
    topics: z.array(z.string().min(1).max(200)).describe('subjects raised, in brief (no voter’s personal data)'),
  }),
});

export const ReceptionAttendanceRecorded = defineEvent({
  type: 'ReceptionAttendanceRecorded',
  version: 1,
  stream: 'station',
  record: true,
  description: 'A deputy received voters at a station reception (接待选民): one person-time (人次) per deputy present.',
  schema: z.object({
    ...actRecordFields,
    act: z.literal('voter-reception').describe('always voter-reception (接待选民)'),
    stationId,
    receptionId: z.uuid().describe('the reception (VoterReceptionHeld) attended'),
  }),
});

export const stationStreamEvents = [
  StationEstablished,
  StationManagerAssigned,
  StationManagerEnded,
  ReceptionTimesPublished,
  StationUpgraded,
  DeputyAssignedToStation,
  DeputyUnassignedFromStation,
  StationClosed,
  StationVisitRecorded,
  VoterReceptionHeld,
  ReceptionAttendanceRecorded,
];

export type StationEstablishedData = EventOf<typeof StationEstablished>['data'];
export type StationVisitData = EventOf<typeof StationVisitRecorded>['data'];
export type ReceptionAttendanceData = EventOf<typeof ReceptionAttendanceRecorded>['data'];

export type StationEvent =
  | EventOf<typeof StationEstablished>
  | EventOf<typeof StationManagerAssigned>
  | EventOf<typeof StationManagerEnded>
  | EventOf<typeof ReceptionTimesPublished>
  | EventOf<typeof StationUpgraded>
  | EventOf<typeof DeputyAssignedToStation>
  | EventOf<typeof DeputyUnassignedFromStation>
  | EventOf<typeof StationClosed>
  | EventOf<typeof StationVisitRecorded>
  | EventOf<typeof VoterReceptionHeld>
  | EventOf<typeof ReceptionAttendanceRecorded>;
