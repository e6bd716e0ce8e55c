/**
 * The demo county: two five-year terms and the change between them, built deterministically from
 * a seed. Every record goes through the domain's command bus — so every business rule applies —
 * on a write-behind store that appends to the real log in large atomic batches.
 *
 * What it builds, per county and term: a term opened and (the first) closed; people and their
 * mandates in all four teams and five levels (most deputies replaced at the change, some
 * re-elected, some moving from township to county level); stations in every township with a
 * manager, reception times, upgrades and assigned deputies; trainings with attendance; monthly
 * station visits, quarterly home visits, receptions with voters' opinions (some still open at the
 * term change) — a share declared by deputies and reviewed by staff, a few corrected or retracted.
 */
import {
  createDomain,
  eventIdFor,
  SCORING_RULES_2021,
  SCORING_RULES_2024,
  StateCache,
  SUPERVISION_ACTS,
  TRAINING_TYPES,
  type CommandContext,
  type Level,
  type TrainingType,
} from '@yingpan/domain';
import type { EventStore } from '@yingpan/event-store';
import { AGENCIES, chineseName, TOWNSHIPS } from './names.ts';
import { Random } from './random.ts';
import { WriteBehindStore } from './write-behind-store.ts';

export interface Scale {
  counties: number;
  townships: number;
  stationsPerTownship: number;
  deputies: Record<Level, number>;
  committeeMembers: number;
  specialCommitteeMembers: number;
  officeStaff: number;
  trainingsPerYear: number;
  /** Share of deputies who visit their station in a given month. */
  monthlyVisitRate: number;
  /** Share of deputies who make a home visit in a given quarter. */
  quarterlyHomeVisitRate: number;
  receptionsPerStationPerYear: number;
}

export const SCALES = {
  small: {
    counties: 1,
    townships: 3,
    stationsPerTownship: 2,
    deputies: { national: 0, provincial: 1, municipal: 2, county: 12, township: 18 },
    committeeMembers: 5,
    specialCommitteeMembers: 2,
    officeStaff: 4,
    trainingsPerYear: 2,
    monthlyVisitRate: 0.15,
    quarterlyHomeVisitRate: 0.2,
    receptionsPerStationPerYear: 2,
  },
  county: {
    counties: 1,
    townships: 30,
    stationsPerTownship: 6,
    deputies: { national: 2, provincial: 5, municipal: 25, county: 300, township: 1050 },
    committeeMembers: 35,
    specialCommitteeMembers: 20,
    officeStaff: 60,
    trainingsPerYear: 12,
    monthlyVisitRate: 0.45,
    quarterlyHomeVisitRate: 0.5,
    receptionsPerStationPerYear: 10,
  },
} satisfies Record<string, Scale>;

/** About a hundred counties' worth, for benchmarks. */
export const PROVINCE_SCALE: Scale = { ...SCALES.county, counties: 100 };

export type ScaleName = keyof typeof SCALES | 'province';
export const scaleOf = (name: ScaleName): Scale => (name === 'province' ? PROVINCE_SCALE : SCALES[name]);

export interface CountyOptions {
  seed: number;
  scale: ScaleName;
  /** Commands run so far and the estimated total; events written to the log so far. */
  onProgress?: (progress: { commands: number; estimate: number; written: number }) => void;
}

export interface CountySummary {
  commands: number;
  events: number;
  people: number;
  stations: number;
  /** Commands the domain refused, by command and reason (the generator aims for few). */
  rejectedByRules: Record<string, number>;
}

interface Seat {
  personId: string;
  mandateId: string;
  kind: 'deputy' | 'committee-member' | 'special-committee-member' | 'office-staff' | 'township-chair';
  level: Level | null;
  township: string | null;
  publicServant: boolean;
  stationId: string | null;
  byElection: boolean;
  startsOn: string;
}

interface Pairing {
  pairingId: string;
  startsOn: string;
  mentor: Seat;
  mentees: Seat[];
}

interface TermPlan {
  termId: string;
  number: number;
  startsOn: string;
  closedOn: string | null;
  /** The last day acts are generated for (the close, or today's month for the open term). */
  lastDay: string;
}

const TERMS = [
  { number: 17, startsOn: '2016-11-20', closedOn: '2021-11-19' as string | null, lastDay: '2021-11-19' },
  { number: 18, startsOn: '2021-11-20', closedOn: null, lastDay: '2026-10-31' },
];

const STAFF: CommandContext['actor'] = { personId: 'county-office', role: 'staff' };
const ADMIN: CommandContext['actor'] = { personId: 'county-office', role: 'admin' };

/** The seats already held on a date (a by-election mandate starts mid-term). */
const inOffice = (seats: readonly Seat[], date: string) => seats.filter((seat) => seat.startsOn <= date);

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthsBetween = (from: string, to: string) => {
  const months: string[] = [];
  for (let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))]; `${year}-${String(month).padStart(2, '0')}` <= to.slice(0, 7); ) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
};

class CountyBuilder {
  private readonly random: Random;
  private readonly namespace: string;
  private counter = 0;
  commands = 0;
  readonly rejections = new Map<string, number>();
  people = 0;
  stations: { stationId: string; township: string }[] = [];
  /** When each mandate began (by-elections start mid-term). */
  private readonly seatStarts = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly bus: ReturnType<typeof createDomain>['bus'],
    private readonly scale: Scale,
    seed: number,
    county: number,
    private readonly tick: () => void,
  ) {
    this.random = new Random(seed * 1009 + county);
    this.namespace = `county:${seed}:${county}`;
  }

  private id(kind: string): string {
    return eventIdFor(this.namespace, kind, this.counter++);
  }

  /** Runs one command as of `date`; a business rejection is counted (the generator aims for none). */
  private async run(name: string, input: object, date: string, actor = STAFF): Promise<boolean> {
    this.commands += 1;
    this.tick();
    try {
      await this.bus.execute(name, input, { commandId: this.id('command'), actor, occurredAt: `${date}T02:00:00.000Z` });
      return true;
    } catch (error) {
      if (!(error instanceof Error) || !('code' in error)) throw error;
      const key = `${name}: ${String(error.code)}`;
      this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
      return false;
    }
  }

  private day(month: string): string {
    return `${month}-${String(this.random.int(1, 28)).padStart(2, '0')}`;
  }

  /** Staff record most acts; a share is declared by the deputy and then reviewed. */
  private async recordAct(name: string, input: { recordId: string; personId: string; [field: string]: unknown }, streamId: string, date: string): Promise<void> {
    if (typeof input.mandateId === 'string' && this.seatStarts.get(input.mandateId)! > date) return; // not yet in office
    const declared = this.random.next() < 0.15;
    const ok = await this.run(name, input, date, declared ? { personId: input.personId, role: 'deputy' } : STAFF);
    if (!ok) return;
    const reviewOn = addDays(date, this.random.int(1, 20));
    if (declared) {
      if (this.random.next() < 0.04) await this.run('RejectRecord', { streamId, recordId: input.recordId, reason: '佐证材料不足' }, reviewOn);
      else await this.run('ApproveRecord', { streamId, recordId: input.recordId }, reviewOn);
    } else if (this.random.next() < 0.004) {
      await this.run('RetractRecord', { streamId, recordId: input.recordId, reason: '重复录入' }, reviewOn);
    } else if (this.random.next() < 0.004) {
      const original = (await this.store.readStream(streamId)).find((event) => (event.data as { recordId?: string }).recordId === input.recordId);
      if (original) {
        const corrected = { ...(original.data as object), date: addDays(date, -1) };
        await this.run('CorrectRecord', { streamId, recordId: input.recordId, reason: '纸质台账日期录入有误', corrected }, reviewOn);
      }
    }
  }

  async build(): Promise<void> {
    const townships = TOWNSHIPS.slice(0, this.scale.townships);
    const terms: TermPlan[] = TERMS.map((term) => ({ ...term, termId: this.id('term') }));
    await this.regulations();
    let previous: Seat[] = [];
    for (const term of terms) {
      await this.run('OpenTerm', { termId: term.termId, number: term.number, startsOn: term.startsOn, plannedEndOn: addDays(term.startsOn, 5 * 365) }, term.startsOn, ADMIN);
      const seats = await this.seatMandates(term, previous, townships);
      if (this.stations.length === 0) await this.establishStations(townships, term.startsOn);
      await this.staffStations(term, seats);
      const pairings = await this.formPairings(term, seats);
      await this.actsOfTerm(term, seats, pairings);
      if (term.closedOn) {
        // Most pairings end with the term; the rest are left for the handover (their mentor has gone).
        for (const pairing of pairings) {
          if (this.random.next() < 0.75) await this.run('EndPairing', { pairingId: pairing.pairingId, endedOn: term.closedOn, reason: '换届' }, term.closedOn);
        }
        for (const seat of seats.filter((s) => s.stationId)) {
          await this.run('UnassignDeputyFromStation', { stationId: seat.stationId, personId: seat.personId, unassignedOn: term.closedOn, reason: '换届' }, term.closedOn);
        }
        await this.run('CloseTerm', { termId: term.termId, closedOn: term.closedOn }, term.closedOn, ADMIN);
      }
      previous = seats;
    }
  }

  private async newPerson(publicServant: boolean, date: string): Promise<string> {
    const personId = this.id('person');
    this.people += 1;
    await this.run('RegisterPerson', { personId, name: chineseName(this.random), gender: this.random.pick(['male', 'female'] as const), publicServant }, date);
    return personId;
  }

  /**
   * Seats for a term. At the change most seats get new people; some holders are re-elected, and
   * some township deputies move up to the county level.
   */
  private async seatMandates(term: TermPlan, previous: Seat[], townships: string[]): Promise<Seat[]> {
    const seats: Seat[] = [];
    const returning = (kind: Seat['kind'], level: Level | null, keep: number) =>
      this.random.sample(previous.filter((seat) => seat.kind === kind && seat.level === level), Math.round(previous.filter((s) => s.kind === kind && s.level === level).length * keep));
    const promoted = this.random.sample(previous.filter((seat) => seat.level === 'township'), Math.round(this.scale.deputies.county * 0.1));
    const plan: Array<{ kind: Seat['kind']; level: Level | null; count: number; keep: number; publicServantShare: number }> = [
      { kind: 'committee-member', level: null, count: this.scale.committeeMembers, keep: 0.3, publicServantShare: 0.9 },
      { kind: 'special-committee-member', level: null, count: this.scale.specialCommitteeMembers, keep: 0.3, publicServantShare: 0.8 },
      { kind: 'office-staff', level: null, count: this.scale.officeStaff, keep: 0.5, publicServantShare: 1 },
      { kind: 'township-chair', level: null, count: townships.length, keep: 0.4, publicServantShare: 1 },
      ...(Object.entries(this.scale.deputies) as [Level, number][]).map(([level, count]) => ({
        kind: 'deputy' as const,
        level,
        count,
        keep: 0.3,
        publicServantShare: level === 'township' ? 0.25 : 0.45,
      })),
    ];
    const seated = new Set<string>();
    for (const { kind, level, count, keep, publicServantShare } of plan) {
      // A person holds at most one seat per term (a promoted township deputy is not also re-elected below).
      const kept = [...(level === 'county' ? promoted : []), ...returning(kind, level, keep)].filter((seat) => !seated.has(seat.personId)).slice(0, count);
      kept.forEach((seat) => seated.add(seat.personId));
      for (let index = 0; index < count; index++) {
        const carried = kept[index];
        const publicServant = carried?.publicServant ?? this.random.next() < publicServantShare;
        const personId = carried?.personId ?? (await this.newPerson(publicServant, term.startsOn));
        const township = kind === 'township-chair' ? townships[index % townships.length]! : kind === 'deputy' ? this.random.pick(townships) : null;
        const byElection = kind === 'deputy' && this.random.next() < 0.03;
        const startsOn = byElection ? addDays(term.startsOn, this.random.int(200, 1200)) : term.startsOn;
        const seat: Seat = { personId, mandateId: this.id('mandate'), kind, level, township, publicServant, stationId: null, byElection, startsOn };
        const ok = await this.run(
          'StartMandate',
          {
            mandateId: seat.mandateId,
            personId,
            termId: term.termId,
            kind,
            level,
            district: kind === 'deputy' ? `${township}第${this.random.int(1, 9)}选区` : null,
            township,
            portfolio: kind === 'special-committee-member' ? this.random.pick(['法制委员会', '财政经济委员会', '社会建设委员会']) : kind === 'office-staff' ? this.random.pick(['办公室', '代表工作室', '研究室', '预算工作室']) : null,
            publicServant,
            startsOn,
            byElection,
          },
          startsOn,
        );
        if (ok) {
          seats.push(seat);
          this.seatStarts.set(seat.mandateId, startsOn);
        }
      }
    }
    return seats;
  }

  private async establishStations(townships: string[], on: string): Promise<void> {
    for (const township of townships) {
      for (let index = 0; index < this.scale.stationsPerTownship; index++) {
        const stationId = this.id('station');
        const type = index === 0 ? 'deputy-home' : 'liaison-station';
        const name = index === 0 ? `${township}人大代表之家` : `${township}第${index}人大代表联络站`;
        if (await this.run('EstablishStation', { stationId, type, name, township, address: `${township}${this.random.pick(['政府大院', '社区服务中心', '村委会'])}`, establishedOn: on }, on)) {
          this.stations.push({ stationId, township });
          await this.run('PublishReceptionTimes', { stationId, schedule: [{ repeat: 'monthly', day: this.random.int(1, 28), startTime: '09:00', endTime: '12:00' }], effectiveFrom: on, note: null }, on);
        }
      }
    }
    for (const station of this.random.sample(this.stations, Math.round(this.stations.length * 0.6))) {
      const upgradedOn = addDays(on, this.random.int(100, 1500));
      await this.run('RecordStationUpgrade', { stationId: station.stationId, upgradedOn, amountYuan: this.random.int(8, 30) * 1000, items: ['“六有”标准化建设', '“2+4+N”上墙展示'] }, upgradedOn);
    }
  }

  /** The township chair manages the township's stations; deputies are assigned to a station in their township. */
  private async staffStations(term: TermPlan, seats: Seat[]): Promise<void> {
    for (const station of this.stations) {
      const chair = seats.find((seat) => seat.kind === 'township-chair' && seat.township === station.township);
      if (chair) {
        await this.run('AssignStationManager', { stationId: station.stationId, managerPersonId: chair.personId, managerMandateId: chair.mandateId, assignedOn: term.startsOn }, term.startsOn);
      }
    }
    for (const seat of seats.filter((s) => s.kind === 'deputy' && s.township)) {
      const candidates = this.stations.filter((station) => station.township === seat.township);
      if (candidates.length === 0) continue;
      const station = this.random.pick(candidates);
      const { startsOn } = seat;
      if (await this.run('AssignDeputyToStation', { stationId: station.stationId, personId: seat.personId, mandateId: seat.mandateId, assignedOn: startsOn }, startsOn)) {
        seat.stationId = station.stationId;
      }
    }
  }

  private async actsOfTerm(term: TermPlan, seats: Seat[], pairings: Pairing[]): Promise<void> {
    const deputies = seats.filter((seat) => seat.kind === 'deputy' && seat.stationId);
    const people = seats.filter((seat) => seat.kind !== 'deputy' || seat.level === 'county' || seat.level === 'township');
    const countyDeputies = seats.filter((seat) => seat.kind === 'deputy' && seat.level === 'county');
    const committee = seats.filter((seat) => seat.kind === 'committee-member' || seat.kind === 'special-committee-member');
    for (const month of monthsBetween(term.startsOn, term.lastDay)) {
      const monthEnd = `${month}-28` > term.lastDay ? term.lastDay : `${month}-28`;
      const day = () => {
        const date = this.day(month);
        return date < term.startsOn ? term.startsOn : date > monthEnd ? monthEnd : date;
      };
      // Trainings
      if (this.random.next() < this.scale.trainingsPerYear / 12) {
        const activityId = this.id('activity');
        const trainingType: TrainingType = this.random.pick(TRAINING_TYPES);
        const date = day();
        if (await this.run('OrganiseTraining', { activityId, trainingType, title: `${month.slice(0, 4)}年${TRAINING_TITLE[trainingType]}`, date }, date)) {
          for (const seat of this.random.sample(inOffice(people, date), Math.min(people.length, this.random.int(10, 60)))) {
            await this.run('RecordTrainingAttendance', { activityId, personId: seat.personId, mandateId: seat.mandateId }, date);
          }
        }
      }
      // 月进站
      for (const seat of deputies) {
        if (this.random.next() >= this.scale.monthlyVisitRate) continue;
        const recordId = this.id('record');
        const date = day();
        await this.recordAct(
          'RecordStationVisit',
          { recordId, stationId: seat.stationId, personId: seat.personId, mandateId: seat.mandateId, date, summary: this.random.pick(VISIT_SUMMARIES) },
          `station:${seat.stationId}`,
          date,
        );
      }
      // 季回家
      if (Number(month.slice(5, 7)) % 3 === 0) {
        for (const seat of deputies) {
          if (this.random.next() >= this.scale.quarterlyHomeVisitRate) continue;
          const recordId = this.id('record');
          const date = day();
          await this.recordAct(
            'RecordHomeVisit',
            { recordId, personId: seat.personId, mandateId: seat.mandateId, date, place: `${seat.township}${this.random.pick(['村', '社区'])}`, visited: this.random.pick(['选民代表', '困难群众', '村两委']), summary: '走访选民，收集意见建议' },
            `deputy-act:${recordId}`,
            date,
          );
        }
      }
      await this.supervision(month, day, countyDeputies, committee);
      await this.pairingActivities(month, day, pairings);
      await this.suggestions(term, day, countyDeputies);
      await this.practicalHelp(day, deputies);
      if (month.endsWith('-12')) await this.dutyReports(term, month, deputies);
      // 接待选民, with voters' opinions
      for (const station of this.stations) {
        if (this.random.next() >= this.scale.receptionsPerStationPerYear / 12) continue;
        const date = day();
        const present = inOffice(deputies, date).filter((seat) => seat.stationId === station.stationId);
        if (present.length === 0) continue;
        const receptionId = this.id('reception');
        const team = this.random.sample(present, Math.min(present.length, this.random.int(1, 3)));
        const received = await this.run(
          'RecordVoterReception',
          { stationId: station.stationId, receptionId, date, votersReceived: this.random.int(3, 40), topics: [this.random.pick(TOPICS)], deputies: team.map((seat) => ({ recordId: this.id('record'), personId: seat.personId, mandateId: seat.mandateId })) },
          date,
        );
        if (received) await this.opinions(term, station.stationId, receptionId, team[0]!.personId, date);
      }
    }
  }

  /** The county's rules: 28 regulations enacted, several amended, one repealed; the scoring rules in two versions. */
  private async regulations(): Promise<void> {
    const scoringId = this.id('regulation');
    await this.run('EnactRegulation', { regulationId: scoringId, title: '《代表履职监督量化评价暂行办法》', category: 'scoring', effectiveFrom: '2017-01-01', summary: '以“8+X”方法量化评价代表履职', scoringRules: SCORING_RULES_2021 }, '2016-12-20', ADMIN);
    await this.run('AmendRegulation', { regulationId: scoringId, effectiveFrom: '2024-01-01', changes: '提高建议和培训分值，加重无故缺席扣分，增加结队帮带为“X”项', scoringRules: SCORING_RULES_2024 }, '2023-12-15', ADMIN);
    for (const [index, title] of REGULATIONS.entries()) {
      const regulationId = this.id('regulation');
      const enactedOn = addDays('2017-01-01', index * 37);
      const category = index % 3 === 0 ? 'station' : index % 3 === 1 ? 'procedure' : 'other';
      await this.run('EnactRegulation', { regulationId, title, category, effectiveFrom: enactedOn, summary: `${title}（试行）`, scoringRules: null }, enactedOn, ADMIN);
      if (this.random.next() < 0.6) {
        const amendedOn = addDays(enactedOn, this.random.int(400, 2500));
        await this.run('AmendRegulation', { regulationId, effectiveFrom: amendedOn, changes: '根据新修订的法律法规作相应修改', scoringRules: null }, amendedOn, ADMIN);
      } else if (index === REGULATIONS.length - 1) {
        await this.run('RepealRegulation', { regulationId, repealedOn: '2022-06-30', reason: '已被新制度替代' }, '2022-06-30', ADMIN);
      }
    }
  }

  /** Inspections, research, law-enforcement checks, inquiries and deliberations; committee meetings with 列席; consultation meetings. */
  private async supervision(month: string, day: () => string, deputies: Seat[], committee: Seat[]): Promise<void> {
    if (deputies.length === 0) return;
    const organise = async (kind: string, forms: string[] | undefined, title: string, participants: Seat[], act: 'RecordParticipation' | 'absences') => {
      const activityId = this.id('activity');
      const date = day();
      if (!(await this.run('OrganiseActivity', { activityId, kind, forms, title, date, organiser: '县人大常委会', township: null }, date))) return;
      for (const seat of inOffice(participants, date)) {
        const absent = act === 'absences' && this.random.next() < 0.08;
        if (absent) {
          const withLeave = this.random.next() < 0.7;
          await this.run('RecordAbsence', { activityId, personId: seat.personId, mandateId: seat.mandateId, act: withLeave ? 'absence-with-leave' : 'absence-without-leave', reason: withLeave ? '因公请假' : null }, date);
        } else {
          const recordId = this.id('record');
          await this.recordAct('RecordParticipation', { activityId, recordId, personId: seat.personId, mandateId: seat.mandateId }, `activity:${activityId}`, date);
        }
      }
    };
    if (this.random.next() < 0.6) {
      const kind = this.random.pick(SUPERVISION_ACTS);
      const combined = this.random.next() < 0.4 ? [kind, this.random.pick(SUPERVISION_ACTS.filter((other) => other !== kind))] : undefined;
      const team = [...this.random.sample(deputies, this.random.int(4, 12)), ...this.random.sample(committee, this.random.int(1, 4))];
      await organise(kind, combined, `关于${this.random.pick(TOPICS)}工作的${ACTIVITY_TITLE[kind]}`, team, 'absences');
    }
    if (Number(month.slice(5, 7)) % 2 === 0) {
      await organise('committee-meeting', undefined, `县人大常委会第${this.random.int(1, 40)}次会议`, this.random.sample(deputies, this.random.int(3, 8)), 'absences');
    }
    if (this.random.next() < 0.8) {
      await organise('consultation-meeting', undefined, `县委、县政府${this.random.pick(TOPICS)}意见征求会`, this.random.sample(deputies, this.random.int(2, 6)), 'RecordParticipation');
    }
  }

  /** 结队帮带: each committee member links with deputies; some public-servant deputies mentor non-public-servant ones. */
  private async formPairings(term: TermPlan, seats: Seat[]): Promise<Pairing[]> {
    const pairings: Pairing[] = [];
    const deputies = seats.filter((seat) => seat.kind === 'deputy' && seat.level === 'county');
    const form = async (kind: string, mentor: Seat, mentees: Seat[]) => {
      if (mentees.length === 0) return;
      const pairingId = this.id('pairing');
      const startsOn = addDays(term.startsOn, this.random.int(10, 60));
      const members = mentees.map((seat) => ({ personId: seat.personId, mandateId: seat.mandateId }));
      if (await this.run('FormPairing', { pairingId, kind, mentorPersonId: mentor.personId, mentorMandateId: mentor.mandateId, mentees: members, startsOn }, startsOn)) {
        pairings.push({ pairingId, startsOn, mentor, mentees });
      }
    };
    for (const member of seats.filter((seat) => seat.kind === 'committee-member' && !seat.byElection)) {
      await form('committee-liaison', member, this.random.sample(deputies, this.random.int(3, 6)).filter((seat) => !seat.byElection));
    }
    const servants = deputies.filter((seat) => seat.publicServant && !seat.byElection);
    const others = deputies.filter((seat) => !seat.publicServant && !seat.byElection);
    for (const mentor of this.random.sample(servants, Math.round(servants.length * 0.3))) {
      await form('deputy-mentoring', mentor, this.random.sample(others, this.random.int(1, 3)));
    }
    return pairings;
  }

  private async pairingActivities(month: string, day: () => string, pairings: Pairing[]): Promise<void> {
    if (Number(month.slice(5, 7)) % 3 !== 1) return;
    for (const pairing of pairings) {
      const date = day();
      if (date < pairing.startsOn || this.random.next() < 0.3) continue;
      const mentee = this.random.pick(pairing.mentees);
      for (const seat of [pairing.mentor, mentee]) {
        const recordId = this.id('record');
        await this.recordAct(
          'RecordPairingActivity',
          { pairingId: pairing.pairingId, recordId, personId: seat.personId, mandateId: seat.mandateId, date, description: this.random.pick(PAIRING_ACTIVITIES), menteePersonIds: [mentee.personId] },
          `pairing:${pairing.pairingId}`,
          date,
        );
      }
    }
  }

  /** Suggestions and motions from county deputies, answered within months; recent ones still open at the term's end. */
  private async suggestions(term: TermPlan, day: () => string, deputies: Seat[]): Promise<void> {
    for (const lead of this.random.sample(deputies, Math.round(deputies.length * 0.07))) {
      const suggestionId = this.id('suggestion');
      const draftedOn = day();
      if (lead.startsOn > draftedOn) continue;
      const motion = this.random.next() < 0.1;
      const topic = this.random.pick(TOPICS);
      if (!(await this.run('DraftSuggestion', { suggestionId, kind: motion ? 'motion' : 'suggestion', title: `关于加强${topic}的${motion ? '议案' : '建议'}`, content: `针对${topic}方面存在的问题，建议……`, leadPersonId: lead.personId, leadMandateId: lead.mandateId, draftedOn }, draftedOn, { personId: lead.personId, role: 'deputy' }))) continue;
      const coSigners = this.random.sample(inOffice(deputies, draftedOn).filter((seat) => seat !== lead), motion ? this.random.int(2, 9) : this.random.int(0, 2)).map((seat) => ({ personId: seat.personId, mandateId: seat.mandateId }));
      if (!(await this.run('SubmitSuggestion', { suggestionId, recordId: this.id('record'), submittedOn: draftedOn, coSigners }, draftedOn))) continue;
      const assignedOn = addDays(draftedOn, this.random.int(5, 20));
      if (assignedOn > term.lastDay) continue;
      await this.run('AssignSuggestion', { suggestionId, agency: this.random.pick(AGENCIES), assignedOn, deadline: addDays(assignedOn, 90) }, assignedOn);
      const answeredOn = addDays(assignedOn, this.random.int(20, 100));
      if (answeredOn > term.lastDay || this.random.next() < 0.05) continue; // unanswered at the term change
      await this.run('AnswerSuggestion', { suggestionId, answeredOn, answer: '已研究办理，答复如下……', outcome: this.random.pick(['adopted', 'partly-adopted', 'explained'] as const) }, answeredOn);
      const ratedOn = addDays(answeredOn, this.random.int(3, 20));
      if (ratedOn <= term.lastDay) await this.run('RateSuggestion', { suggestionId, ratedOn, rating: this.random.next() < 0.85 ? 'satisfied' : 'basically-satisfied' }, ratedOn, { personId: lead.personId, role: 'deputy' });
    }
  }

  private async practicalHelp(day: () => string, deputies: Seat[]): Promise<void> {
    for (const seat of this.random.sample(deputies, Math.round(deputies.length * 0.04))) {
      const recordId = this.id('record');
      const act = this.random.pick(['policy-publicity', 'legal-advice', 'dispute-mediation'] as const);
      const date = day();
      await this.recordAct('RecordPracticalHelp', { recordId, personId: seat.personId, mandateId: seat.mandateId, act, date, summary: PRACTICAL_HELP[act], beneficiaries: this.random.int(1, 60), township: seat.township }, `deputy-act:${recordId}`, date);
    }
  }

  /** 年述职: most deputies report to their voters in December, and the voters rate them. */
  private async dutyReports(term: TermPlan, month: string, deputies: Seat[]): Promise<void> {
    const year = Number(month.slice(0, 4));
    for (const seat of deputies) {
      if (this.random.next() < 0.35) continue;
      const date = `${month}-${String(this.random.int(1, 20)).padStart(2, '0')}`;
      if (date > term.lastDay || date < seat.startsOn) continue;
      const recordId = this.id('record');
      const ok = await this.run('DeliverDutyReport', { recordId, personId: seat.personId, mandateId: seat.mandateId, year, date, stationId: seat.stationId, venue: null, audienceSize: this.random.int(20, 120), summary: `${year}年度履职情况报告` }, date);
      if (!ok) continue;
      const competent = this.random.int(15, 100);
      const basically = this.random.int(0, 10);
      const rating = basically > competent / 3 ? 'basically-competent' : 'competent';
      await this.run('RateDutyReport', { personId: seat.personId, year, ratedOn: date, votersRating: rating, votes: { competent, basicallyCompetent: basically, incompetent: this.random.int(0, 2) } }, date);
    }
  }

  /** Opinions raised at a reception, handled over the following weeks; those near the term's end stay open. */
  private async opinions(term: TermPlan, stationId: string, receptionId: string, deputyId: string, date: string): Promise<void> {
    for (let n = this.random.int(0, 2); n > 0; n--) {
      const opinionId = this.id('opinion');
      const topic = this.random.pick(TOPICS);
      const registered = await this.run(
        'RegisterOpinion',
        {
          opinionId,
          stationId,
          receptionId,
          receivedByPersonId: deputyId,
          voter: { name: chineseName(this.random), phone: `1${this.random.int(30, 99)}${String(this.random.int(0, 99_999_999)).padStart(8, '0')}`, address: `${this.random.int(1, 12)}组${this.random.int(1, 80)}号` },
          content: `关于${topic}的意见建议`,
          category: topic,
          registeredOn: date,
          deadline: addDays(date, 30),
        },
        date,
      );
      if (!registered) continue;
      const daysLeft = (Date.parse(term.lastDay) - Date.parse(date)) / 86_400_000;
      if (daysLeft < 45 && this.random.next() < 0.8) continue; // left open at the term's end
      const referredOn = addDays(date, this.random.int(1, 7));
      await this.run('ReferOpinion', { opinionId, agency: this.random.pick(AGENCIES), referredOn, deadline: addDays(referredOn, 30) }, referredOn);
      if (this.random.next() < 0.08) continue; // referred, never answered
      const answeredOn = addDays(referredOn, this.random.int(5, 40));
      await this.run('AnswerOpinion', { opinionId, answeredOn, answer: '已研究办理并答复选民' }, answeredOn);
      const closedOn = addDays(answeredOn, this.random.int(1, 10));
      const satisfaction = this.random.next() < 0.8 ? 'satisfied' : this.random.next() < 0.7 ? 'basically-satisfied' : 'dissatisfied';
      await this.run('CloseOpinion', { opinionId, closedOn, satisfaction, note: null }, closedOn);
    }
  }
}

const TRAINING_TITLE: Record<TrainingType, string> = {
  'annual-study-plan': '“一要点四计划”集中学习',
  'expert-lecture': '履职能力提升专家讲座',
  'station-study': '代表进站集中学习',
  'induction-class': '新任人大代表履职培训班',
  'committee-member-training': '常委会组成人员履职培训',
};
const ACTIVITY_TITLE: Record<string, string> = {
  inspection: '视察',
  research: '调研',
  'law-enforcement-inspection': '执法检查',
  'special-inquiry': '专题询问',
  'report-deliberation': '报告审议',
};
const PAIRING_ACTIVITIES = ['共同走访选民', '传授履职经验', '一起参加视察调研', '交流建议撰写方法'];
const PRACTICAL_HELP = { 'policy-publicity': '宣传惠民政策', 'legal-advice': '提供法律咨询', 'dispute-mediation': '调解邻里纠纷' } as const;
const REGULATIONS = [
  '常委会议事规则', '主任会议议事规则', '常委会组成人员履职管理办法', '代表联络站工作制度', '代表之家管理办法', '代表接待选民制度',
  '代表建议办理工作办法', '代表述职评议办法', '专题询问办法', '执法检查工作办法', '规范性文件备案审查办法', '预算审查监督办法',
  '国有资产管理情况监督办法', '代表培训工作制度', '结队帮带工作办法', '机关学习制度', '机关考勤管理制度', '公文处理办法',
  '信访工作制度', '代表履职档案管理办法', '意见征求会推荐代表办法', '列席常委会会议办法', '联络站“六有”建设标准', '一册六簿管理办法',
  '乡镇人大工作规范', '代表小组活动办法', '视察调研工作办法',
];
const VISIT_SUMMARIES = ['进站值班，接待来访群众', '参加联络站集中活动', '整理意见建议台账', '学习法律法规'];
const TOPICS = ['道路交通', '农村饮水', '教育资源', '医疗卫生', '环境保护', '社会保障', '产业发展', '基层治理'];

/** Rough count of commands, for the progress bar's ETA. */
export function estimateCommands(scale: Scale): number {
  const deputies = Object.values(scale.deputies).reduce((sum, count) => sum + count, 0);
  const stations = scale.townships * scale.stationsPerTownship;
  const months = 120;
  // Commands per county over two terms, by source (the rates mirror CountyBuilder's).
  const perCounty =
    2 * (deputies + scale.committeeMembers + scale.specialCommitteeMembers + scale.officeStaff + scale.townships) * 2.4 + // people, seats, assignments
    months * deputies * (scale.monthlyVisitRate * 1.15 + (scale.quarterlyHomeVisitRate * 1.15) / 3) + // visits, with reviews
    months * (scale.trainingsPerYear / 12) * 36 + // trainings and attendance
    months * stations * (scale.receptionsPerStationPerYear / 12) * 4 + // receptions and opinions
    months * (scale.deputies.county * (0.07 * 5 + 0.04 + 0.2) + 40) + // suggestions, practical help, supervision
    months * scale.committeeMembers * 0.8 + // pairing activities
    deputies * 10 * 0.65 * 2 + // yearly duty reports and their ratings
    stations * 4; // station set-up
  return Math.round(perCounty * scale.counties);
}

export async function seedCounty(target: EventStore, options: CountyOptions): Promise<CountySummary> {
  const scale = scaleOf(options.scale);
  const estimate = estimateCommands(scale);
  const summary: CountySummary = { commands: 0, events: 0, people: 0, stations: 0, rejectedByRules: {} };
  let commands = 0;
  let written = 0;
  const report = () => options.onProgress?.({ commands, estimate: Math.max(estimate, commands), written });
  const store = new WriteBehindStore(target, 5000, (flushed) => {
    written = flushed;
    report();
  });
  for (let county = 0; county < scale.counties; county++) {
    // A fresh cache per county keeps memory flat at province scale.
    const { bus } = createDomain(store, { cache: new StateCache(50_000) });
    const builder = new CountyBuilder(store, bus, scale, options.seed, county, () => {
      commands += 1;
      if (commands % 500 === 0) report();
    });
    await builder.build();
    summary.people += builder.people;
    summary.stations += builder.stations.length;
    for (const [key, count] of builder.rejections) summary.rejectedByRules[key] = (summary.rejectedByRules[key] ?? 0) + count;
  }
  await store.close();
  summary.commands = commands;
  summary.events = store.flushed;
  report();
  return summary;
}
