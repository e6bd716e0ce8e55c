/**
 * Deputy stations (家站): the list with managers and counts, a station's roster and six books
 * (一册六簿) over a period, and compliance with "月进站、季回家、年述职" — from the stations read
 * model, in any view of the past.
 *
 * Voters' personal data (name, phone, address) and the wording of their opinions are asked of the
 * read model only for a caller who may see some of it, and each opinion's `voter` is then served
 * only to those access.ts allows (the receiving deputy, handling staff, auditors).
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { maySeeVoter, maySeeVotersAt } from '../access.ts';
import type { Context } from '../context.ts';
import {
  OPINION_SATISFACTION,
  OPINION_SATISFACTION_LABELS,
  SLOT_REPEATS,
  STATION_TYPE_LABELS,
  STATION_TYPES,
  type OpinionStatus as OpinionStatusValue,
  type ReceptionSlot,
} from '@yingpan/domain';
import {
  compliance,
  CORE_DUTIES,
  opinionPlace,
  stationBooks,
  stationList,
  type BookPerson,
  type BookRecord,
  type ComplianceCell,
  type ComplianceReport,
  type DeputyCompliance,
  type DutyEntry,
  type HandlingEntry,
  type HandlingStep,
  type OpinionEntry,
  type PeriodCompliance,
  type ReceptionEntry,
  type RosterEntry,
  type StationBooks,
  type StationCounts,
  type StationSummary,
} from '@yingpan/projections';
import { AsOfInput } from './as-of.ts';
import { STREAM_ID, streamOfRecord } from './review.ts';
import { cachedWhileUnchanged } from '../read-cache.ts';
import { builder } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import {
  ActKind,
  AS_OF,
  dateArg,
  datedList,
  datedListArgs,
  invalidArgument,
  Level,
  pageOf,
  pageTypes,
  readAsOf,
  uuidArg,
  vocabulary,
  yearArg,
} from './common.ts';

export const StationType = vocabulary('StationType', 'Kinds of deputy station (家站).', STATION_TYPES, (type) => STATION_TYPE_LABELS[type].zh);

const OPINION_STATUSES = ['registered', 'referred', 'answered', 'closed', 'reopened'] as const satisfies readonly OpinionStatusValue[];
const OpinionStatus = vocabulary(
  'OpinionStatus',
  'Where a voter’s opinion stands in its handling (意见处理).',
  OPINION_STATUSES,
  (status) => ({ registered: '已登记', referred: '已交办', answered: '已答复', closed: '已办结', reopened: '重新办理（选民不满意）' })[status],
);

export const OpinionSatisfaction = vocabulary(
  'OpinionSatisfaction',
  'The voter’s satisfaction with the answer.',
  OPINION_SATISFACTION,
  (value) => OPINION_SATISFACTION_LABELS[value].zh,
);

export const SlotRepeat = vocabulary('SlotRepeat', 'How a reception slot repeats.', SLOT_REPEATS, (repeat) => ({ weekly: '每周', monthly: '每月' })[repeat]);

const BOOK_STATUSES = ['approved', 'pending'] as const;
const BookRecordStatus = vocabulary(
  'BookRecordStatus',
  'Review status of a record in a book.',
  BOOK_STATUSES,
  (status) => ({ approved: '已审核（计入统计）', pending: '待审核（代表申报）' })[status],
);

const COMPLIANCE_STATUSES = ['met', 'missed', 'pending', 'not-required'] as const;
const ComplianceStatus = vocabulary(
  'ComplianceStatus',
  'How a deputy stands on one duty in one period.',
  COMPLIANCE_STATUSES,
  (status) => ({ met: '已完成', missed: '未完成（期满且无记录）', pending: '进行中（期未满）', 'not-required': '不要求（该期未全程在站）' })[status],
);

const dutyLabel = (act: string) => CORE_DUTIES.find((duty) => duty.act === act)?.label ?? act;

// ---------------------------------------------------------------------------------------------
// A station

const BookPersonType = builder.objectRef<BookPerson>('BookPerson').implement({
  description: 'A person named in a station book.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The person.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name (null if not in the directory).' }),
  }),
});

const StationManager = builder.objectRef<NonNullable<StationSummary['manager']>>('StationManager').implement({
  description: 'The manager (站点负责人) of a station.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The manager.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    mandateId: t.exposeID('mandateId', { description: 'The post they manage it in (township chair or office staff).' }),
    fromOn: t.expose('fromOn', { type: 'Date', description: 'Their first day in charge.' }),
  }),
});

const StationCountsType = builder.objectRef<StationCounts>('StationCounts').implement({
  description: 'A station’s figures as of the view’s day.',
  fields: (t) => ({
    deputies: t.exposeInt('deputies', { description: 'Deputies assigned on the view’s day.' }),
    receptions: t.exposeInt('receptions', { description: 'Voter receptions held (接待选民).' }),
    votersReceived: t.exposeInt('votersReceived', { description: 'Voters received, all receptions together.' }),
    opinions: t.exposeInt('opinions', { description: 'Voters’ opinions registered (意见建议).' }),
    openOpinions: t.exposeInt('openOpinions', { description: 'Opinions not closed on the view’s day.' }),
    stationVisits: t.exposeInt('stationVisits', { description: 'Approved station visits (进站履职).' }),
    upgrades: t.exposeInt('upgrades', { description: 'Upgrades (提档升级).' }),
    upgradeYuan: t.exposeFloat('upgradeYuan', { description: 'Yuan spent on upgrades.' }),
  }),
});

/** One station now, from the list `stations` serves (null when there is none). */
async function stationNow(context: Context, stationId: string): Promise<StationSummary | null> {
  const query = { township: undefined, asOf: { view: 'now' as const }, counts: true };
  const list = await cachedWhileUnchanged(context.db, 'stationList', query, () => stationList(context.db, query));
  return list.find((station) => station.stationId === stationId) ?? null;
}

/** One opinion now, as `stationBooks` serves it to this reader: its voter only where the books would show it. */
async function opinionNow(context: Context, opinionId: string): Promise<OpinionEntry | null> {
  const place = await opinionPlace(context.db, opinionId);
  if (!place) return null;
  const personalData = await maySeeVotersAt(context, place.stationId);
  const query = { stationId: place.stationId, from: undefined, to: undefined, asOf: { view: 'now' as const }, personalData };
  const books = await cachedWhileUnchanged(context.db, 'stationBooks', query, () => stationBooks(context.db, query));
  return books?.opinions.find((entry) => entry.opinionId === opinionId) ?? null;
}

const StationSummaryType = builder.objectRef<StationSummary>('StationSummary').implement({
  description: 'A deputy station (家站: 代表之家 or 代表联络站) with its manager and figures.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(nodeType<StationSummary>('StationSummary', (station) => station.stationId, stationNow)),
    stationId: t.exposeID('stationId', { description: 'The station.' }),
    name: t.exposeString('name', { description: 'Its name as posted on its door.' }),
    type: t.field({ type: StationType, description: 'Deputy home or liaison station.', resolve: (station) => station.type }),
    township: t.exposeString('township', { description: 'The township or street it serves.' }),
    address: t.exposeString('address', { description: 'Where it is.' }),
    establishedOn: t.expose('establishedOn', { type: 'Date', description: 'The day it opened.' }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true, description: 'The day it closed, if it had in the view.' }),
    manager: t.field({ type: StationManager, nullable: true, description: 'The manager in charge on the view’s day.', resolve: (station) => station.manager }),
    counts: t.field({ type: StationCountsType, description: 'Its figures as of the view’s day.', resolve: (station) => station.counts }),
  }),
});

type ManagerStint = StationBooks['station']['managers'][number];
const ManagerStintType = builder.objectRef<ManagerStint>('ManagerStint').implement({
  description: 'A manager’s time in charge of a station.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The manager.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    mandateId: t.exposeID('mandateId', { description: 'The post they managed it in.' }),
    fromOn: t.expose('fromOn', { type: 'Date', description: 'First day in charge.' }),
    toOn: t.expose('toOn', { type: 'Date', nullable: true, description: 'Last day in charge (null: still in charge in the view).' }),
  }),
});

const ReceptionSlotType = builder.objectRef<ReceptionSlot>('ReceptionSlot').implement({
  description: 'A published voter-reception slot (接待时间).',
  fields: (t) => ({
    repeat: t.field({ type: SlotRepeat, description: 'Weekly or monthly.', resolve: (slot) => slot.repeat }),
    day: t.exposeInt('day', { description: 'Weekly: 1 = Monday … 7 = Sunday; monthly: day of the month.' }),
    startTime: t.exposeString('startTime', { description: 'Opens (HH:MM, local time).' }),
    endTime: t.exposeString('endTime', { description: 'Closes (HH:MM).' }),
  }),
});

type Schedule = StationBooks['station']['schedules'][number];
const ScheduleType = builder.objectRef<Schedule>('ReceptionSchedule').implement({
  description: 'A station’s published reception times for a span of days.',
  fields: (t) => ({
    slots: t.field({ type: [ReceptionSlotType], description: 'The slots.', resolve: (schedule) => schedule.slots as ReceptionSlot[] }),
    note: t.exposeString('note', { nullable: true, description: 'Posted with the schedule, e.g. holiday arrangements.' }),
    fromOn: t.expose('fromOn', { type: 'Date', description: 'First day it applies.' }),
    toOn: t.expose('toOn', { type: 'Date', nullable: true, description: 'Last day it applied (null: still in force).' }),
  }),
});

type Upgrade = StationBooks['station']['upgrades'][number];
const UpgradeType = builder.objectRef<Upgrade>('StationUpgrade').implement({
  description: 'An upgrade of a station (提档升级).',
  fields: (t) => ({
    upgradedOn: t.expose('upgradedOn', { type: 'Date', description: 'The day.' }),
    amountYuan: t.exposeFloat('amountYuan', { description: 'Yuan spent.' }),
    items: t.exposeStringList('items', { description: 'What was done.' }),
  }),
});

const StationDetail = builder.objectRef<StationBooks['station']>('StationDetail').implement({
  description: 'A station with its managers, published reception times and upgrades over time.',
  fields: (t) => ({
    summary: t.field({ type: StationSummaryType, description: 'The station, its manager and figures on the view’s day.', resolve: (station) => station }),
    managers: t.field({ type: [ManagerStintType], description: 'Every manager, oldest first.', resolve: (station) => station.managers }),
    schedules: t.field({ type: [ScheduleType], description: 'Every published schedule, oldest first.', resolve: (station) => station.schedules }),
    upgrades: t.field({ type: [UpgradeType], description: 'Every upgrade, oldest first.', resolve: (station) => station.upgrades }),
  }),
});

// ---------------------------------------------------------------------------------------------
// The books

const RosterEntryType = builder.objectRef<RosterEntry>('RosterEntry').implement({
  description: 'A deputy on a station’s roster (一册).',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The deputy.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    mandateId: t.exposeID('mandateId', { description: 'The deputy mandate they were assigned in.' }),
    level: t.field({ type: Level, nullable: true, description: 'The level of congress.', resolve: (entry) => entry.level }),
    termNumber: t.exposeInt('termNumber', { nullable: true, description: 'The mandate’s term.' }),
    fromOn: t.expose('fromOn', { type: 'Date', description: 'First day assigned.' }),
    toOn: t.expose('toOn', { type: 'Date', nullable: true, description: 'Last day assigned (null: still assigned in the view).' }),
    endReason: t.exposeString('endReason', { nullable: true, description: 'Why the assignment ended, if it did.' }),
  }),
});

export const BookRecordType = builder.objectRef<BookRecord>('BookRecord').implement({
  description: 'A record of an act in a book, with its review status.',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The record.' }),
    streamId: t.string({ nullable: true, description: STREAM_ID, resolve: (record, _, context) => streamOfRecord(context, record.recordId) }),
    act: t.field({ type: ActKind, description: 'The kind of act.', resolve: (record) => record.act }),
    date: t.expose('date', { type: 'Date', description: 'The day it happened.' }),
    status: t.field({ type: BookRecordStatus, description: 'Approved, or declared and awaiting review.', resolve: (record) => record.status }),
    corrected: t.exposeBoolean('corrected', { description: 'Corrected since first recorded.' }),
    stationId: t.exposeID('stationId', { nullable: true, description: 'The station it was recorded at, if any.' }),
    personId: t.exposeID('personId', { description: 'Who did it.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'What was done (summary, place or training title).' }),
  }),
});

const BookRecordPage = builder.connectionObject(
  {
    type: BookRecordType,
    ...pageTypes('BookRecord', 'Records in a station book.', 'A record.')[0],
  },
  pageTypes('BookRecord', 'Records in a station book.', 'A record.')[1],
);

const ReceptionDeputy = builder.objectRef<ReceptionEntry['deputies'][number]>('ReceptionDeputy').implement({
  description: 'A deputy who received voters at a reception, by their attendance record.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The deputy.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    recordId: t.exposeID('recordId', { description: 'Their attendance record.' }),
    streamId: t.string({ nullable: true, description: STREAM_ID, resolve: (deputy, _, context) => streamOfRecord(context, deputy.recordId) }),
    status: t.field({ type: BookRecordStatus, description: 'Its review status.', resolve: (deputy) => deputy.status }),
  }),
});

export const ReceptionEntryType = builder.objectRef<ReceptionEntry>('ReceptionEntry').implement({
  description: 'A voter reception in the reception book (接待选民簿).',
  fields: (t) => ({
    receptionId: t.exposeID('receptionId', { description: 'The reception.' }),
    heldOn: t.expose('heldOn', { type: 'Date', description: 'The day it was held.' }),
    lead: t.field({ type: BookPersonType, description: 'The deputy who led it.', resolve: (entry) => entry.lead }),
    votersReceived: t.exposeInt('votersReceived', { description: 'Voters received (a count; who they were is not served).' }),
    topics: t.exposeStringList('topics', { description: 'Topics raised.' }),
    deputies: t.field({ type: [ReceptionDeputy], description: 'The deputies who received voters.', resolve: (entry) => entry.deputies }),
    opinionCount: t.int({ description: 'Opinions registered at it.', resolve: (entry) => entry.opinions }),
  }),
});

const VoterType = builder.objectRef<NonNullable<OpinionEntry['personal']>>('Voter').implement({
  description: 'PERSONAL DATA: the voter behind an opinion and what they said. Never public.',
  fields: (t) => ({
    name: t.exposeString('voterName', { description: 'The voter’s name.' }),
    phone: t.exposeString('voterPhone', { nullable: true, description: 'A phone number to answer on, if given.' }),
    address: t.exposeString('voterAddress', { nullable: true, description: 'The voter’s address, if given.' }),
    content: t.exposeString('content', { description: 'The opinion in the voter’s words.' }),
  }),
});

export const OpinionEntryType = builder.objectRef<OpinionEntry>('OpinionEntry').implement({
  description: 'A voter’s opinion in the opinion book (意见建议簿). Who raised it and its wording are personal data (`voter`).',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(nodeType<OpinionEntry>('OpinionEntry', (entry) => entry.opinionId, opinionNow)),
    voter: t.field({
      type: VoterType,
      nullable: true,
      description:
        'The voter and the opinion’s wording: served to the deputy who received it, to office staff, to the station’s manager, ' +
        'and to auditors; null for everyone else.',
      resolve: (entry, _, context) => (maySeeVoter(context.actor, entry.receivedBy.personId) ? entry.personal : null),
    }),
    opinionId: t.exposeID('opinionId', { description: 'The opinion.' }),
    registeredOn: t.expose('registeredOn', { type: 'Date', description: 'The day it was registered.' }),
    receptionId: t.exposeID('receptionId', { nullable: true, description: 'The reception it was raised at, if any.' }),
    receivedBy: t.field({ type: BookPersonType, description: 'The deputy who received it.', resolve: (entry) => entry.receivedBy }),
    category: t.exposeString('category', { description: 'Subject area, e.g. 道路交通.' }),
    status: t.field({ type: OpinionStatus, description: 'Its state in the view.', resolve: (entry) => entry.status }),
    deadline: t.expose('deadline', { type: 'Date', description: 'By when it must be answered (the deadline in force).' }),
    agency: t.exposeString('agency', { nullable: true, description: 'The agency handling it, once referred.' }),
    satisfaction: t.field({
      type: OpinionSatisfaction,
      nullable: true,
      description: 'The voter’s satisfaction, once closed.',
      resolve: (entry) => entry.satisfaction,
    }),
  }),
});

const HandlingStepType = builder.objectRef<HandlingStep>('HandlingStep').implement({
  description: 'One step of an opinion’s handling.',
  fields: (t) => ({
    stepNo: t.exposeInt('stepNo', { description: '0 for the registration, then one more per step.' }),
    status: t.field({ type: OpinionStatus, description: 'The status the step set.', resolve: (step) => step.status }),
    on: t.expose('on', { type: 'Date', description: 'The day of the step.' }),
    agency: t.exposeString('agency', { nullable: true, description: 'The agency, if any.' }),
    deadline: t.expose('deadline', { type: 'Date', description: 'The deadline in force after the step.' }),
    answer: t.exposeString('answer', { nullable: true, description: 'The answer, for an answering step.' }),
    satisfaction: t.field({
      type: OpinionSatisfaction,
      nullable: true,
      description: 'The voter’s satisfaction, for a closing step.',
      resolve: (step) => step.satisfaction,
    }),
    note: t.exposeString('note', { nullable: true, description: 'A note on the step.' }),
    overdue: t.exposeBoolean('overdue', { description: 'A deadline the step set was missed.' }),
  }),
});

const HandlingEntryType = builder.objectRef<HandlingEntry>('HandlingEntry').implement({
  description: 'An opinion in the handling book (意见处理簿).',
  fields: (t) => ({
    opinionId: t.exposeID('opinionId', { description: 'The opinion.' }),
    category: t.exposeString('category', { description: 'Subject area.' }),
    status: t.field({ type: OpinionStatus, description: 'Its state in the view.', resolve: (entry) => entry.status }),
    deadline: t.expose('deadline', { type: 'Date', description: 'The deadline in force.' }),
    agency: t.exposeString('agency', { nullable: true, description: 'The agency handling it.' }),
    overdue: t.exposeBoolean('overdue', { description: 'Still waiting for an answer on the view’s day, past its deadline.' }),
    late: t.exposeBoolean('late', { description: 'Some deadline of its handling was missed (now or earlier).' }),
    steps: t.field({ type: [HandlingStepType], description: 'Every step visible in the view, in order.', resolve: (entry) => entry.steps }),
  }),
});

const DutyCounts = builder.objectRef<DutyEntry['counts']>('DutyCounts').implement({
  description: 'Approved duty records of a deputy at a station in the period.',
  fields: (t) => ({
    stationVisits: t.int({ description: 'Station visits (月进站).', resolve: (counts) => counts['station-visit'] }),
    homeVisits: t.int({ description: 'Home visits (季回家).', resolve: (counts) => counts['home-visit'] }),
    voterReceptions: t.int({ description: 'Voter receptions (接待选民).', resolve: (counts) => counts['voter-reception'] }),
    dutyReports: t.int({ description: 'Duty reports (年述职).', resolve: (counts) => counts['duty-report'] }),
  }),
});

const DutyEntryType = builder.objectRef<DutyEntry>('DutyEntry').implement({
  description: 'A rostered deputy in the duty-performance book (履职簿).',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The deputy.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    counts: t.field({ type: DutyCounts, description: 'Approved records per duty while assigned.', resolve: (entry) => entry.counts }),
    records: t.connection(
      {
        type: BookRecordType,
        description: 'Their visits and receptions at the station, home visits and duty reports, while assigned.',
        args: datedListArgs,
        resolve: (entry, args) =>
          pageOf(
            args,
            datedList(entry.records, (record) => record.date, args),
          ),
      },
      BookRecordPage,
    ),
  }),
});

const StationBooksType = builder.objectRef<StationBooks>('StationBooks').implement({
  description: 'A station’s roster and six books (一册六簿) over a period, as the view saw them.',
  fields: (t) => ({
    station: t.field({ type: StationDetail, description: 'The station.', resolve: (books) => books.station }),
    day: t.expose('day', { type: 'Date', description: 'The view’s day (deadlines and running periods are judged on it).' }),
    from: t.expose('from', { type: 'Date', description: 'First day the books cover.' }),
    to: t.expose('to', { type: 'Date', description: 'Last day the books cover.' }),
    roster: t.field({ type: [RosterEntryType], description: '一册: the deputies assigned at some time in the period.', resolve: (books) => books.roster }),
    receptions: t.connection(
      {
        type: ReceptionEntryType,
        description: '接待选民簿: voter receptions held in the period.',
        args: datedListArgs,
        resolve: (books, args) =>
          pageOf(
            args,
            datedList(books.receptions, (entry) => entry.heldOn, args),
          ),
      },
      ...pageTypes('ReceptionEntry', 'Voter receptions.', 'A reception.'),
    ),
    opinions: t.connection(
      {
        type: OpinionEntryType,
        description: '意见建议簿: opinions registered in the period; each opinion’s `voter` only for those allowed to see it.',
        args: datedListArgs,
        resolve: (books, args) =>
          pageOf(
            args,
            datedList(books.opinions, (entry) => entry.registeredOn, args),
          ),
      },
      ...pageTypes('OpinionEntry', 'Voters’ opinions.', 'An opinion.'),
    ),
    handling: t.connection(
      {
        type: HandlingEntryType,
        description: '意见处理簿: the handling of those opinions, step by step.',
        args: datedListArgs,
        resolve: (books, args) =>
          pageOf(
            args,
            datedList(books.handling, (entry) => entry.deadline, args),
          ),
      },
      ...pageTypes('HandlingEntry', 'Opinions’ handling.', 'An opinion’s handling.'),
    ),
    activities: t.connection(
      {
        type: BookRecordType,
        description: '活动簿: station visits and duty reports held at the station.',
        args: datedListArgs,
        resolve: (books, args) =>
          pageOf(
            args,
            datedList(books.activities, (record) => record.date, args),
          ),
      },
      BookRecordPage,
    ),
    study: t.connection(
      {
        type: BookRecordType,
        description: '学习簿: station-study trainings of its deputies while assigned, and study visits at the station.',
        args: datedListArgs,
        resolve: (books, args) =>
          pageOf(
            args,
            datedList(books.study, (record) => record.date, args),
          ),
      },
      BookRecordPage,
    ),
    duty: t.field({ type: [DutyEntryType], description: '履职簿: each rostered deputy’s duty records while assigned.', resolve: (books) => books.duty }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Compliance

const ComplianceCellType = builder.objectRef<ComplianceCell>('ComplianceCell').implement({
  description: 'One deputy, one duty, one period.',
  fields: (t) => ({
    act: t.field({ type: ActKind, description: 'The duty’s act: station-visit, home-visit or duty-report.', resolve: (cell) => cell.act }),
    dutyLabel: t.string({ description: '月进站、季回家 or 年述职.', resolve: (cell) => dutyLabel(cell.act) }),
    period: t.exposeString('period', { description: 'e.g. 2022-03, 2022-Q1, 2022.' }),
    startsOn: t.expose('startsOn', { type: 'Date', description: 'First day of the period.' }),
    endsOn: t.expose('endsOn', { type: 'Date', description: 'Last day of the period.' }),
    required: t.exposeBoolean('required', { description: 'Assigned in a valid mandate on every day of the period (pro rata: otherwise not required).' }),
    status: t.field({ type: ComplianceStatus, description: 'Met, missed, pending or not required.', resolve: (cell) => cell.status }),
    recordIds: t.exposeIDList('recordIds', { description: 'The approved records that met it.' }),
  }),
});

const DeputyComplianceType = builder.objectRef<DeputyCompliance>('DeputyCompliance').implement({
  description: 'A deputy’s compliance with "月进站、季回家、年述职" in a year.',
  fields: (t) => ({
    personId: t.exposeID('personId', { description: 'The deputy.' }),
    name: t.exposeString('name', { nullable: true, description: 'Their name.' }),
    level: t.field({ type: Level, nullable: true, description: 'The level of their latest mandate assigned.', resolve: (deputy) => deputy.level }),
    stationIds: t.exposeIDList('stationIds', { description: 'The stations they were assigned to in the year.' }),
    cells: t.field({ type: [ComplianceCellType], description: 'Every duty and period they were assigned in (at most 17).', resolve: (deputy) => deputy.cells }),
    met: t.exposeInt('met', { description: 'Periods met.' }),
    missed: t.exposeInt('missed', { description: 'Periods missed.' }),
  }),
});

const BookPersonPage = builder.connectionObject(
  { type: BookPersonType, ...pageTypes('BookPerson', 'Deputies.', 'A deputy.')[0] },
  pageTypes('BookPerson', 'Deputies.', 'A deputy.')[1],
);

const PeriodComplianceType = builder.objectRef<PeriodCompliance>('PeriodCompliance').implement({
  description: 'One duty in one period: who met it, who missed it, who still can.',
  fields: (t) => ({
    act: t.field({ type: ActKind, description: 'The duty’s act.', resolve: (period) => period.act }),
    dutyLabel: t.string({ description: '月进站、季回家 or 年述职.', resolve: (period) => dutyLabel(period.act) }),
    period: t.exposeString('period', { description: 'e.g. 2022-03, 2022-Q1, 2022.' }),
    met: t.connection(
      { type: BookPersonType, description: 'Deputies with an approved record in the period.', resolve: (period, args) => pageOf(args, period.met) },
      BookPersonPage,
    ),
    missed: t.connection(
      { type: BookPersonType, description: 'Deputies required, the period over, no approved record.', resolve: (period, args) => pageOf(args, period.missed) },
      BookPersonPage,
    ),
    pending: t.connection(
      { type: BookPersonType, description: 'Deputies required whose period is still running.', resolve: (period, args) => pageOf(args, period.pending) },
      BookPersonPage,
    ),
  }),
});

const ComplianceReportType = builder.objectRef<ComplianceReport>('ComplianceReport').implement({
  description: 'Compliance with the station rules "月进站、季回家、年述职" in a year (approved records only).',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The year.' }),
    day: t.expose('day', { type: 'Date', description: 'The view’s day: periods ending on or after it are still running.' }),
    deputies: t.connection(
      { type: DeputyComplianceType, description: 'Each deputy assigned in the year, by name.', resolve: (report, args) => pageOf(args, report.deputies) },
      ...pageTypes('DeputyCompliance', 'Deputies’ compliance.', 'A deputy’s compliance.'),
    ),
    periods: t.field({
      type: [PeriodComplianceType],
      description: 'Each duty and period (12 months, 4 quarters, the year).',
      resolve: (report) => report.periods,
    }),
  }),
});

/** Whether the query selects a field named `name` anywhere under the field being resolved (through fragments too). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name || walk(selection.selectionSet);
      if (selection.kind === Kind.INLINE_FRAGMENT) return walk(selection.selectionSet);
      if (visited.has(selection.name.value)) return false;
      visited.add(selection.name.value);
      return walk(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

// ---------------------------------------------------------------------------------------------
// Queries

builder.queryFields((t) => ({
  stations: t.connection(
    {
      type: StationSummaryType,
      description: 'The stations seen in the view, by township and name, optionally of one township.',
      args: { township: t.arg.string({ description: 'Only the stations of this township.' }), asOf: t.arg({ type: AsOfInput, description: AS_OF }) },
      resolve: async (_, args, { db }, info) => {
        const asOf = readAsOf(args.asOf);
        // Counting is most of the list's cost: a query that does not ask for the counts (the township filter's) skips it.
        const query = { township: args.township ?? undefined, asOf, counts: selects(info, 'counts') };
        return pageOf(args, await cachedWhileUnchanged(db, 'stationList', query, () => stationList(db, query)));
      },
    },
    ...pageTypes('StationSummary', 'Deputy stations.', 'A station.'),
  ),
  stationBooks: t.field({
    type: StationBooksType,
    nullable: true,
    description:
      'A station’s roster and six books over a period (default: from its establishment to the view’s day); null when the station is not seen in the view. ' +
      'Voters’ personal data only for those allowed to see it.',
    args: {
      stationId: t.arg.id({ required: true, description: 'The station.' }),
      from: t.arg({ type: 'Date', description: 'First day covered (YYYY-MM-DD); default: the station’s establishment.' }),
      to: t.arg({ type: 'Date', description: 'Last day covered (YYYY-MM-DD); default: the view’s day.' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    resolve: async (_, args, context) => {
      const { db } = context;
      const asOf = readAsOf(args.asOf);
      const from = dateArg(args.from, 'from');
      const to = dateArg(args.to, 'to');
      if (from && to && from > to) throw invalidArgument('to', 'must not be before from');
      const stationId = uuidArg(args.stationId, 'stationId');
      // Personal data leaves the database only for a caller who may see some of it here.
      const personalData = await maySeeVotersAt(context, stationId);
      // A station's page asks for its overview and its open book at once, each a `stationBooks`: they share one
      // computation, kept while no read model moves (the key holds `personalData`, so no caller sees more than its own).
      const query = { stationId, from, to, asOf, personalData };
      return cachedWhileUnchanged(db, 'stationBooks', query, () => stationBooks(db, query));
    },
  }),
  stationCompliance: t.field({
    type: ComplianceReportType,
    description: 'Compliance with "月进站、季回家、年述职" in a year for the deputies of one station or of one township’s stations (neither: every station).',
    args: {
      stationId: t.arg.id({ description: 'One station.' }),
      township: t.arg.string({ description: 'The stations of one township.' }),
      year: t.arg.int({ required: true, description: 'The year.' }),
      asOf: t.arg({ type: AsOfInput, description: AS_OF }),
    },
    resolve: (_, args, { db }) => {
      const asOf = readAsOf(args.asOf);
      if (args.stationId && args.township) throw invalidArgument('township', 'give a station or a township, not both');
      const query = {
        stationId: args.stationId ? uuidArg(args.stationId, 'stationId') : undefined,
        township: args.township ?? undefined,
        year: yearArg(args.year),
        asOf,
      };
      return cachedWhileUnchanged(db, 'compliance', query, () => compliance(db, query));
    },
  }),
}));
