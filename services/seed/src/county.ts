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
 *
 * Deputies differ: each has a diligence (`DILIGENCE`, drawn once per person and carried, a little
 * changed, into a next term) that sets how likely they are to do each duty of the "8+X" list in a
 * period — 月进站, 季回家, 接待选民, 年述职, 建议, 培训, 视察, 办实事, 结队帮带 — and to miss a
 * meeting. The scores' spread across the bands follows from that behaviour, not from the bands
 * (docs/scoring.md gives the target and why).
 *
 * The county stands on a day (`today`, by default the clock's): the second term is still open then,
 * its acts run to the end of the month before, and nothing dated after that day is recorded (a
 * review or an answer that would fall later has not happened yet).
 */
import {
  ACT_KIND_LABELS,
  completeTermChange,
  countyToday,
  createDomain,
  eventIdFor,
  SCORING_RULES_2021,
  SCORING_RULES_2024,
  StateCache,
  SUPERVISION_ACTS,
  TRAINING_TYPES,
  type CommandContext,
  type Level,
  type TermChangeFinder,
  type TrainingType,
} from '@yingpan/domain';
import type { EventStore } from '@yingpan/event-store';
import { AGENCIES, chineseName, TOWNSHIPS } from './names.ts';
import { Random } from './random.ts';
import { WriteBehindStore } from '@yingpan/event-store';

export interface Scale {
  counties: number;
  townships: number;
  stationsPerTownship: number;
  deputies: Record<Level, number>;
  committeeMembers: number;
  specialCommitteeMembers: number;
  officeStaff: number;
  trainingsPerYear: number;
  /** Receptions a station holds in a year, on its published monthly reception day (a few are called off). */
  receptionsPerStationPerYear: number;
}

/**
 * A deputy's diligence, 0..1: drawn per person from a beta distribution (mean about 0.75: most
 * deputies do most of what the list asks, a few do nearly all of it, a few little). Every chance
 * below is a function of it, the same at every scale.
 */
export const DILIGENCE = { alpha: 12.3, beta: 4 } as const;

/** The chances a deputy of diligence `d` does each duty in a period (or misses a meeting). */
export const BEHAVIOUR = {
  /** 月进站: visits the station in a month. */
  stationVisit: (d: number) => d,
  /** 季回家: visits the constituency in a quarter. */
  homeVisit: (d: number) => d,
  /** 接待选民: takes a turn at a reception of the station. */
  reception: (d: number) => Math.max(0.05, 0.8 * d - 0.15),
  /** 年述职: reports to the voters in December (or before the term closes). */
  dutyReport: (d: number) => Math.min(1, 0.3 + 0.7 * d),
  /** 建议: a first suggestion in a year, and a second. */
  suggestion: (d: number) => 0.35 + 0.65 * d,
  secondSuggestion: (d: number) => 0.22 * d * d,
  /** 进站学 and the township's inspection tour: takes part when invited. */
  townshipActivity: (d: number) => 0.3 + 0.6 * d,
  /** 为群众办实事: some practical help in a month. */
  practicalHelp: (d: number) => 0.24 * d,
  /** 结队帮带: takes part in the pairing's activity of a quarter. */
  pairingActivity: (d: number) => 0.3 + 0.65 * d,
  /** Misses a meeting or activity one was called to (with leave 70% of the time). */
  absence: (d: number) => 0.02 + 0.3 * (1 - d),
} as const;

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
    receptionsPerStationPerYear: 11,
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
    receptionsPerStationPerYear: 11,
  },
} satisfies Record<string, Scale>;

/** About a hundred counties' worth, for benchmarks. */
export const PROVINCE_SCALE: Scale = { ...SCALES.county, counties: 100 };

export type ScaleName = keyof typeof SCALES | 'province';
export const scaleOf = (name: ScaleName): Scale => (name === 'province' ? PROVINCE_SCALE : SCALES[name]);

export interface CountyOptions {
  seed: number;
  scale: ScaleName;
  /** The day the county stands on (YYYY-MM-DD); default: today by the clock; from 2022-01-01 (`EARLIEST_TODAY`). */
  today?: string;
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
  /** How diligent the holder is in this seat (deputies; 1 for the other teams). */
  diligence: number;
}

interface Pairing {
  pairingId: string;
  startsOn: string;
  mentor: Seat;
  mentees: Seat[];
}

/** What a year holds, by month (YYYY-MM): the suggestions each deputy leads, the townships' study days and inspection tours. */
interface YearPlan {
  suggestions: Map<string, Seat[]>;
  study: Map<string, string[]>;
  tours: Map<string, string[]>;
}

interface TermPlan {
  termId: string;
  number: number;
  startsOn: string;
  closedOn: string | null;
  /** The last day acts are generated for (the close, or today's month for the open term). */
  lastDay: string;
}

/** The first day the demo can stand on: the open term has then run a month. */
export const EARLIEST_TODAY = '2022-01-01';

/** The two terms, the second open on `today` (its acts run to the end of the month before). */
function termsOn(today: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || today < EARLIEST_TODAY) {
    throw new Error(`The demo county needs a day from ${EARLIEST_TODAY} on (YYYY-MM-DD), not "${today}"`);
  }
  return [
    { number: 17, startsOn: '2016-11-20', closedOn: '2021-11-19' as string | null, lastDay: '2021-11-19' },
    { number: 18, startsOn: '2021-11-20', closedOn: null, lastDay: addDays(`${today.slice(0, 7)}-01`, -1) },
  ];
}

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
  /** The years each person has reported to the voters (年述职 is once a year, whatever the seats). */
  private readonly reported = new Set<string>();
  /** Each deputy's diligence, carried into the next term (a little changed) when re-elected. */
  private readonly diligence = new Map<string, number>();
  /** The mandates of each term and of each person, and every pairing formed: where the term change looks. */
  private readonly termMandates = new Map<string, string[]>();
  private readonly personMandates = new Map<string, string[]>();
  private readonly pairingIds = new Set<string>();

  constructor(
    private readonly store: EventStore,
    private readonly bus: ReturnType<typeof createDomain>['bus'],
    private readonly lookups: ReturnType<typeof createDomain>['lookups'],
    private readonly scale: Scale,
    seed: number,
    county: number,
    private readonly tick: () => void,
    private readonly today: string,
  ) {
    this.random = new Random(seed * 1009 + county);
    this.namespace = `county:${seed}:${county}`;
  }

  private id(kind: string): string {
    return eventIdFor(this.namespace, kind, this.counter++);
  }

  /**
   * Runs one command as of `date`; a business rejection is counted (the generator aims for none).
   * A command dated after the county's today has not happened: it is not run.
   */
  private async run(name: string, input: object, date: string, actor = STAFF): Promise<boolean> {
    if (date > this.today) return false;
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

  /** A share of `count` between `from` and `to` (at least one): the county's meetings call on a share of its deputies, at any scale. */
  private part(count: number, from: number, to: number): number {
    return Math.max(1, Math.round(count * (from + this.random.next() * (to - from))));
  }

  private day(month: string): string {
    return `${month}-${String(this.random.int(1, 28)).padStart(2, '0')}`;
  }

  /** Staff record most acts; a share is declared by the deputy and then reviewed. */
  private async recordAct(
    name: string,
    input: { recordId: string; personId: string; [field: string]: unknown },
    streamId: string,
    date: string,
  ): Promise<void> {
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
      // biome-ignore lint/suspicious/noDuplicateElseIf: a second draw of the random sequence, not the same condition
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
    const terms: TermPlan[] = termsOn(this.today).map((term) => ({ ...term, termId: this.id('term') }));
    await this.regulations();
    let previous: Seat[] = [];
    let closedTerm: string | null = null;
    for (const term of terms) {
      await this.run(
        'OpenTerm',
        { termId: term.termId, number: term.number, startsOn: term.startsOn, plannedEndOn: addDays(term.startsOn, 5 * 365) },
        term.startsOn,
        ADMIN,
      );
      const seats = await this.seatMandates(term, previous, townships);
      if (this.stations.length === 0) await this.establishStations(townships, term.startsOn);
      if (closedTerm) await this.completeTermChange(closedTerm, term.startsOn);
      await this.staffStations(term, seats, previous);
      const pairings = await this.formPairings(term, seats);
      await this.actsOfTerm(term, seats, pairings);
      if (term.closedOn) {
        // Most pairings end with the term; the rest are left for the handover (their mentor has gone).
        for (const pairing of pairings) {
          if (this.random.next() < 0.75) await this.run('EndPairing', { pairingId: pairing.pairingId, endedOn: term.closedOn, reason: '换届' }, term.closedOn);
        }
        // The close alone: what the term's mandates held ends, or goes on with the re-elected, when the next term's seats are known (completeTermChange).
        await this.run('CloseTerm', { termId: term.termId, closedOn: term.closedOn }, term.closedOn, ADMIN);
      }
      previous = seats;
      closedTerm = term.closedOn ? term.termId : null;
    }
  }

  /**
   * Completes the change at the close of `termId` as staff would on the new term's first day: the
   * domain's completeTermChange, looking at what the builder wrote. A re-elected deputy stays at
   * their station and a chair re-elected for the same township keeps its stations, so staffStations
   * leaves them be (by the same rule, so a second build issues the same commands).
   */
  private async completeTermChange(termId: string, on: string): Promise<void> {
    const finder: TermChangeFinder = {
      mandatesOfTerm: async (id) => this.termMandates.get(id) ?? [],
      mandatesOfPeople: async (personIds) => personIds.flatMap((personId) => this.personMandates.get(personId) ?? []),
      stations: async () => this.stations.map((station) => station.stationId),
      openPairings: async () => [...this.pairingIds],
    };
    const outcome = await completeTermChange(this.bus, this.lookups, finder, termId, { actor: STAFF, occurredAt: `${on}T02:00:00.000Z` });
    for (const { step, code } of outcome.refused) {
      const key = `${step.command}: ${code}`;
      this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
    }
  }

  /** A deputy's diligence: drawn the first time, then carried with a small change. */
  private diligenceOf(personId: string): number {
    const before = this.diligence.get(personId);
    const value =
      before === undefined ? this.random.beta(DILIGENCE.alpha, DILIGENCE.beta) : Math.min(1, Math.max(0, before + (this.random.next() - 0.5) * 0.1));
    this.diligence.set(personId, value);
    return value;
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
      this.random.sample(
        previous.filter((seat) => seat.kind === kind && seat.level === level),
        Math.round(previous.filter((s) => s.kind === kind && s.level === level).length * keep),
      );
    const promoted = this.random.sample(
      previous.filter((seat) => seat.level === 'township'),
      Math.round(this.scale.deputies.county * 0.1),
    );
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
        // A deputy re-elected (or moving up) stands for the same place.
        const township =
          kind === 'township-chair' ? townships[index % townships.length]! : kind === 'deputy' ? (carried?.township ?? this.random.pick(townships)) : null;
        const byElection = kind === 'deputy' && this.random.next() < 0.03;
        const startsOn = byElection ? addDays(term.startsOn, this.random.int(200, 1200)) : term.startsOn;
        const diligence = kind === 'deputy' ? this.diligenceOf(personId) : 1;
        const seat: Seat = { personId, mandateId: this.id('mandate'), kind, level, township, publicServant, stationId: null, byElection, startsOn, diligence };
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
            portfolio:
              kind === 'special-committee-member'
                ? this.random.pick(['法制委员会', '财政经济委员会', '社会建设委员会'])
                : kind === 'office-staff'
                  ? this.random.pick(['办公室', '代表工作室', '研究室', '预算工作室'])
                  : null,
            publicServant,
            startsOn,
            byElection,
          },
          startsOn,
        );
        if (ok) {
          seats.push(seat);
          this.seatStarts.set(seat.mandateId, startsOn);
          this.termMandates.set(term.termId, [...(this.termMandates.get(term.termId) ?? []), seat.mandateId]);
          this.personMandates.set(personId, [...(this.personMandates.get(personId) ?? []), seat.mandateId]);
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
        if (
          await this.run(
            'EstablishStation',
            { stationId, type, name, township, address: `${township}${this.random.pick(['政府大院', '社区服务中心', '村委会'])}`, establishedOn: on },
            on,
          )
        ) {
          this.stations.push({ stationId, township });
          await this.run(
            'PublishReceptionTimes',
            { stationId, schedule: [{ repeat: 'monthly', day: this.random.int(1, 28), startTime: '09:00', endTime: '12:00' }], effectiveFrom: on, note: null },
            on,
          );
        }
      }
    }
    for (const station of this.random.sample(this.stations, Math.round(this.stations.length * 0.6))) {
      const upgradedOn = addDays(on, this.random.int(100, 1500));
      await this.run(
        'RecordStationUpgrade',
        { stationId: station.stationId, upgradedOn, amountYuan: this.random.int(8, 30) * 1000, items: ['“六有”标准化建设', '“2+4+N”上墙展示'] },
        upgradedOn,
      );
    }
  }

  /** The township chair manages the township's stations; deputies are assigned to a station in their township, a re-elected one to the station they had. */
  private async staffStations(term: TermPlan, seats: Seat[], previous: Seat[]): Promise<void> {
    const stationBefore = new Map(previous.filter((seat) => seat.stationId).map((seat) => [seat.personId, seat.stationId!]));
    for (const station of this.stations) {
      const chair = seats.find((seat) => seat.kind === 'township-chair' && seat.township === station.township);
      const chairBefore = previous.find((seat) => seat.kind === 'township-chair' && seat.township === station.township);
      // A chair re-elected for the same township went on managing its stations at the term change.
      if (chair && chair.personId !== chairBefore?.personId) {
        await this.run(
          'AssignStationManager',
          { stationId: station.stationId, managerPersonId: chair.personId, managerMandateId: chair.mandateId, assignedOn: term.startsOn },
          term.startsOn,
        );
      }
    }
    for (const seat of seats.filter((s) => s.kind === 'deputy' && s.township)) {
      const candidates = this.stations.filter((station) => station.township === seat.township);
      if (candidates.length === 0) continue;
      // A re-elected deputy's assignment went on with the new mandate at the term change (a by-election seat is assigned when it starts).
      const stayed = stationBefore.get(seat.personId);
      if (stayed && !seat.byElection) {
        seat.stationId = stayed;
        continue;
      }
      const station = candidates.find((candidate) => candidate.stationId === stationBefore.get(seat.personId)) ?? this.random.pick(candidates);
      const { startsOn } = seat;
      if (
        await this.run(
          'AssignDeputyToStation',
          { stationId: station.stationId, personId: seat.personId, mandateId: seat.mandateId, assignedOn: startsOn },
          startsOn,
        )
      ) {
        seat.stationId = station.stationId;
      }
    }
  }

  private async actsOfTerm(term: TermPlan, seats: Seat[], pairings: Pairing[]): Promise<void> {
    const deputies = seats.filter((seat) => seat.kind === 'deputy' && seat.stationId);
    const people = seats.filter((seat) => seat.kind !== 'deputy' || seat.level === 'county' || seat.level === 'township');
    const countyDeputies = seats.filter((seat) => seat.kind === 'deputy' && seat.level === 'county');
    const committee = seats.filter((seat) => seat.kind === 'committee-member' || seat.kind === 'special-committee-member');
    const townships = [...new Set(deputies.map((seat) => seat.township!))];
    let plan: YearPlan = { suggestions: new Map(), study: new Map(), tours: new Map() };
    /** The month of the current quarter each deputy goes home in (if they do). */
    const homeVisits = new Map<Seat, string>();
    for (const month of monthsBetween(term.startsOn, term.lastDay)) {
      const monthEnd = `${month}-28` > term.lastDay ? term.lastDay : `${month}-28`;
      const day = () => {
        const date = this.day(month);
        return date < term.startsOn ? term.startsOn : date > monthEnd ? monthEnd : date;
      };
      // The year's plan: each deputy's suggestions (mostly raised at the congress session early in
      // the year), the townships' study day (进站学) and inspection tours (视察).
      if (month.endsWith('-01') || month === term.startsOn.slice(0, 7)) plan = this.planYear(month, term, deputies, townships);
      // Trainings
      if (this.random.next() < this.scale.trainingsPerYear / 12) {
        const activityId = this.id('activity');
        const trainingType: TrainingType = this.random.pick(TRAINING_TYPES);
        const date = day();
        if (await this.run('OrganiseTraining', { activityId, trainingType, title: `${month.slice(0, 4)}年${TRAINING_TITLE[trainingType]}`, date }, date)) {
          for (const seat of this.random.sample(inOffice(people, date), Math.max(3, this.part(people.length, 0.01, 0.04)))) {
            await this.run('RecordTrainingAttendance', { activityId, personId: seat.personId, mandateId: seat.mandateId }, date);
          }
        }
      }
      // 月进站
      for (const seat of deputies) {
        if (this.random.next() >= BEHAVIOUR.stationVisit(seat.diligence)) continue;
        const recordId = this.id('record');
        const date = day();
        await this.recordAct(
          'RecordStationVisit',
          { recordId, stationId: seat.stationId, personId: seat.personId, mandateId: seat.mandateId, date, summary: this.random.pick(VISIT_SUMMARIES) },
          `station:${seat.stationId}`,
          date,
        );
      }
      // 季回家: at a quarter's start each deputy who will go home this quarter picks a month of it.
      if ((Number(month.slice(5, 7)) - 1) % 3 === 0 || month === term.startsOn.slice(0, 7)) {
        const quarterEnd = `${month.slice(0, 5)}${String(Math.ceil(Number(month.slice(5, 7)) / 3) * 3).padStart(2, '0')}-01`;
        const months = monthsBetween(`${month}-01`, quarterEnd).filter((candidate) => candidate <= term.lastDay.slice(0, 7) || !term.closedOn);
        for (const seat of deputies) {
          if (this.random.next() < BEHAVIOUR.homeVisit(seat.diligence)) homeVisits.set(seat, this.random.pick(months));
        }
      }
      for (const seat of deputies) {
        if (homeVisits.get(seat) !== month) continue;
        const recordId = this.id('record');
        const date = day();
        await this.recordAct(
          'RecordHomeVisit',
          {
            recordId,
            personId: seat.personId,
            mandateId: seat.mandateId,
            date,
            place: `${seat.township}${this.random.pick(['村', '社区'])}`,
            visited: this.random.pick(['选民代表', '困难群众', '村两委']),
            summary: '走访选民，收集意见建议',
          },
          `deputy-act:${recordId}`,
          date,
        );
      }
      await this.supervision(month, day, countyDeputies, committee);
      await this.townshipActivities(month, day, plan, deputies);
      await this.pairingActivities(month, day, pairings);
      await this.suggestions(term, day, plan.suggestions.get(month) ?? [], deputies);
      await this.practicalHelp(day, deputies);
      // 年述职 in December, or in the last month of a term that closes before it.
      if (month.endsWith('-12') || month === term.closedOn?.slice(0, 7)) await this.dutyReports(term, month, deputies);
      // 接待选民 on the station's reception day, the assigned deputies taking turns; with voters' opinions
      for (const station of this.stations) {
        if (this.random.next() >= this.scale.receptionsPerStationPerYear / 12) continue;
        const date = day();
        const present = inOffice(deputies, date).filter((seat) => seat.stationId === station.stationId);
        if (present.length === 0) continue;
        const receptionId = this.id('reception');
        const willing = present.filter((seat) => this.random.next() < BEHAVIOUR.reception(seat.diligence));
        const team = willing.length > 0 ? willing : [this.random.pick(present)];
        const received = await this.run(
          'RecordVoterReception',
          {
            stationId: station.stationId,
            receptionId,
            date,
            votersReceived: this.random.int(3, 40),
            topics: [this.random.pick(TOPICS)],
            deputies: team.map((seat) => ({ recordId: this.id('record'), personId: seat.personId, mandateId: seat.mandateId })),
          },
          date,
        );
        if (received) await this.opinions(term, station.stationId, receptionId, team[0]!.personId, date);
      }
    }
  }

  /** The county's rules: 28 regulations enacted, several amended, one repealed; the scoring rules in two versions. */
  private async regulations(): Promise<void> {
    const scoringId = this.id('regulation');
    await this.run(
      'EnactRegulation',
      {
        regulationId: scoringId,
        title: '《代表履职监督量化评价暂行办法》',
        category: 'scoring',
        effectiveFrom: '2017-01-01',
        summary: '以“8+X”方法量化评价代表履职',
        scoringRules: SCORING_RULES_2021,
      },
      '2016-12-20',
      ADMIN,
    );
    await this.run(
      'AmendRegulation',
      {
        regulationId: scoringId,
        effectiveFrom: '2024-01-01',
        changes: '提高建议和培训分值，加重无故缺席扣分，增加结队帮带为“X”项',
        scoringRules: SCORING_RULES_2024,
      },
      '2023-12-15',
      ADMIN,
    );
    for (const [index, title] of REGULATIONS.entries()) {
      const regulationId = this.id('regulation');
      const enactedOn = addDays('2017-01-01', index * 37);
      const category = index % 3 === 0 ? 'station' : index % 3 === 1 ? 'procedure' : 'other';
      await this.run(
        'EnactRegulation',
        { regulationId, title, category, effectiveFrom: enactedOn, summary: `${title}（试行）`, scoringRules: null },
        enactedOn,
        ADMIN,
      );
      if (this.random.next() < 0.6) {
        const amendedOn = addDays(enactedOn, this.random.int(400, 2500));
        await this.run(
          'AmendRegulation',
          { regulationId, effectiveFrom: amendedOn, changes: '根据新修订的法律法规作相应修改', scoringRules: null },
          amendedOn,
          ADMIN,
        );
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
        const absent = act === 'absences' && this.random.next() < BEHAVIOUR.absence(seat.diligence);
        if (absent) {
          const withLeave = this.random.next() < 0.7;
          await this.run(
            'RecordAbsence',
            {
              activityId,
              personId: seat.personId,
              mandateId: seat.mandateId,
              act: withLeave ? 'absence-with-leave' : 'absence-without-leave',
              reason: withLeave ? '因公请假' : null,
            },
            date,
          );
        } else {
          const recordId = this.id('record');
          await this.recordAct(
            'RecordParticipation',
            { activityId, recordId, personId: seat.personId, mandateId: seat.mandateId },
            `activity:${activityId}`,
            date,
          );
        }
      }
    };
    if (this.random.next() < 0.6) {
      const kind = this.random.pick(SUPERVISION_ACTS);
      const combined = this.random.next() < 0.4 ? [kind, this.random.pick(SUPERVISION_ACTS.filter((other) => other !== kind))] : undefined;
      const team = [...this.random.sample(deputies, this.part(deputies.length, 0.02, 0.04)), ...this.random.sample(committee, this.random.int(1, 4))];
      await organise(kind, combined, `关于${this.random.pick(TOPICS)}工作的${ACT_KIND_LABELS[kind]}`, team, 'absences');
    }
    if (Number(month.slice(5, 7)) % 2 === 0) {
      await organise(
        'committee-meeting',
        undefined,
        `县人大常委会第${this.random.int(1, 40)}次会议`,
        this.random.sample(deputies, this.part(deputies.length, 0.01, 0.03)),
        'absences',
      );
    }
    if (this.random.next() < 0.8) {
      await organise(
        'consultation-meeting',
        undefined,
        `县委、县政府${this.random.pick(TOPICS)}意见征求会`,
        this.random.sample(deputies, this.part(deputies.length, 0.007, 0.02)),
        'RecordParticipation',
      );
    }
  }

  /**
   * 结队帮带, covering every deputy ("全覆盖"): committee members each link with a share of the
   * public-servant deputies (联系代表); public-servant deputies of a township each help one to three
   * non-public-servant deputies of it ("一帮一、一帮多"), a committee member taking those a township
   * has no public servant for. A deputy elected later joins a pairing of their own when seated.
   */
  private async formPairings(term: TermPlan, seats: Seat[]): Promise<Pairing[]> {
    const pairings: Pairing[] = [];
    const deputies = seats.filter((seat) => seat.kind === 'deputy');
    const members = seats.filter((seat) => seat.kind === 'committee-member' && !seat.byElection);
    const form = async (kind: string, mentor: Seat, mentees: Seat[], from: string) => {
      if (mentees.length === 0) return;
      const pairingId = this.id('pairing');
      const startsOn = addDays(from, this.random.int(10, 60));
      const list = mentees.map((seat) => ({ personId: seat.personId, mandateId: seat.mandateId }));
      if (
        await this.run(
          'FormPairing',
          { pairingId, kind, mentorPersonId: mentor.personId, mentorMandateId: mentor.mandateId, mentees: list, startsOn },
          startsOn,
        )
      ) {
        pairings.push({ pairingId, startsOn, mentor, mentees });
        this.pairingIds.add(pairingId);
      }
    };
    const liaise = async (mentees: Seat[], from: string) => {
      if (members.length === 0) return;
      const groups = new Map<Seat, Seat[]>();
      for (const seat of mentees) {
        const member = this.random.pick(members);
        groups.set(member, [...(groups.get(member) ?? []), seat]);
      }
      for (const [member, group] of groups) await form('committee-liaison', member, group, from);
    };
    const founding = deputies.filter((seat) => !seat.byElection);
    const servantsOf = (township: string | null) => founding.filter((seat) => seat.township === township && seat.publicServant);
    await liaise(
      founding.filter((seat) => seat.publicServant),
      term.startsOn,
    );
    for (const township of new Set(founding.map((seat) => seat.township))) {
      const servants = this.random.sample(servantsOf(township), Infinity);
      const others = this.random.sample(
        founding.filter((seat) => seat.township === township && !seat.publicServant),
        Infinity,
      );
      if (servants.length === 0) {
        await liaise(others, term.startsOn);
        continue;
      }
      for (const [index, mentor] of servants.entries()) {
        // Share the township's non-public-servant deputies out among its public servants, one to three each.
        const share = others.slice(Math.floor((index * others.length) / servants.length), Math.floor(((index + 1) * others.length) / servants.length));
        for (let start = 0; start < share.length; start += 3) await form('deputy-mentoring', mentor, share.slice(start, start + 3), term.startsOn);
      }
    }
    // Pairings begin 10 to 60 days after their start: a deputy elected later joins one if the term runs on that long.
    for (const seat of deputies.filter((candidate) => candidate.byElection && addDays(candidate.startsOn, 60) <= term.lastDay)) {
      const servants = servantsOf(seat.township);
      if (!seat.publicServant && servants.length > 0) await form('deputy-mentoring', this.random.pick(servants), [seat], seat.startsOn);
      else if (members.length > 0) await form('committee-liaison', this.random.pick(members), [seat], seat.startsOn);
    }
    return pairings;
  }

  /**
   * What the rest of a year holds from `month` on (a term's first or last year may be short): each
   * deputy's suggestions — most raised at the congress session in the year's first months — and
   * each township's study day (进站学) and two inspection tours (视察) for its deputies.
   */
  private planYear(month: string, term: TermPlan, deputies: Seat[], townships: string[]): YearPlan {
    const months = monthsBetween(`${month}-01`, `${month.slice(0, 4)}-12-01`).filter((candidate) => candidate <= term.lastDay.slice(0, 7) || !term.closedOn);
    const scale = months.length / 12;
    const plan: YearPlan = { suggestions: new Map(), study: new Map(), tours: new Map() };
    const add = <T>(map: Map<string, T[]>, at: string, item: T) => map.set(at, [...(map.get(at) ?? []), item]);
    const session = months.slice(0, 2);
    for (const seat of deputies) {
      const count =
        Number(this.random.next() < BEHAVIOUR.suggestion(seat.diligence) * scale) +
        Number(this.random.next() < BEHAVIOUR.secondSuggestion(seat.diligence) * scale);
      for (let n = 0; n < count; n++) add(plan.suggestions, this.random.next() < 0.6 ? this.random.pick(session) : this.random.pick(months), seat);
    }
    const later = months.filter((candidate) => !candidate.endsWith('-01') && !candidate.endsWith('-12'));
    for (const township of townships) {
      if (later.length === 0 || this.random.next() >= scale) continue;
      add(plan.study, this.random.pick(later), township);
      for (const tour of this.random.sample(later, 2)) add(plan.tours, tour, township);
    }
    return plan;
  }

  /** The townships' study days and inspection tours of the month: each deputy of the township is called, and comes by their diligence. */
  private async townshipActivities(month: string, day: () => string, plan: YearPlan, deputies: Seat[]): Promise<void> {
    for (const township of plan.study.get(month) ?? []) {
      const activityId = this.id('activity');
      const date = day();
      if (
        !(await this.run(
          'OrganiseTraining',
          { activityId, trainingType: 'station-study', title: `${month.slice(0, 4)}年${township}${TRAINING_TITLE['station-study']}`, date },
          date,
        ))
      )
        continue;
      for (const seat of inOffice(deputies, date).filter((candidate) => candidate.township === township)) {
        if (this.random.next() < BEHAVIOUR.townshipActivity(seat.diligence))
          await this.run('RecordTrainingAttendance', { activityId, personId: seat.personId, mandateId: seat.mandateId }, date);
      }
    }
    for (const township of plan.tours.get(month) ?? []) {
      const activityId = this.id('activity');
      const date = day();
      const title = `${township}人大主席团组织代表视察${this.random.pick(TOPICS)}工作`;
      if (!(await this.run('OrganiseActivity', { activityId, kind: 'inspection', title, date, organiser: `${township}人大主席团`, township }, date))) continue;
      for (const seat of inOffice(deputies, date).filter((candidate) => candidate.township === township)) {
        if (this.random.next() < BEHAVIOUR.townshipActivity(seat.diligence)) {
          const recordId = this.id('record');
          await this.recordAct(
            'RecordParticipation',
            { activityId, recordId, personId: seat.personId, mandateId: seat.mandateId },
            `activity:${activityId}`,
            date,
          );
        } else if (this.random.next() < 0.5) {
          const withLeave = this.random.next() < 0.7;
          await this.run(
            'RecordAbsence',
            {
              activityId,
              personId: seat.personId,
              mandateId: seat.mandateId,
              act: withLeave ? 'absence-with-leave' : 'absence-without-leave',
              reason: withLeave ? '因事请假' : null,
            },
            date,
          );
        }
      }
    }
  }

  /** Once a quarter most pairings meet; each mentee takes part by their diligence, and the mentor records it too. */
  private async pairingActivities(month: string, day: () => string, pairings: Pairing[]): Promise<void> {
    if (Number(month.slice(5, 7)) % 3 !== 2) return;
    for (const pairing of pairings) {
      const date = day();
      if (date < pairing.startsOn || this.random.next() < 0.05) continue;
      const involved = pairing.mentees.filter((seat) => seat.startsOn <= date && this.random.next() < BEHAVIOUR.pairingActivity(seat.diligence));
      if (involved.length === 0) continue;
      const description = this.random.pick(PAIRING_ACTIVITIES);
      for (const seat of [pairing.mentor, ...involved]) {
        const recordId = this.id('record');
        await this.recordAct(
          'RecordPairingActivity',
          {
            pairingId: pairing.pairingId,
            recordId,
            personId: seat.personId,
            mandateId: seat.mandateId,
            date,
            description,
            menteePersonIds: involved.map((mentee) => mentee.personId),
          },
          `pairing:${pairing.pairingId}`,
          date,
        );
      }
    }
  }

  /** The suggestions and motions planned for the month, answered within months; recent ones still open at the term's end. */
  private async suggestions(term: TermPlan, day: () => string, leads: Seat[], pool: Seat[]): Promise<void> {
    for (const lead of leads) {
      const suggestionId = this.id('suggestion');
      const draftedOn = day();
      if (lead.startsOn > draftedOn) continue;
      // Co-signers are deputies of the lead's own congress; a motion (议案) is a county deputies' affair.
      const deputies = inOffice(pool, draftedOn).filter((seat) => seat.level === lead.level);
      const motion = lead.level === 'county' && this.random.next() < 0.1;
      const topic = this.random.pick(TOPICS);
      if (
        !(await this.run(
          'DraftSuggestion',
          {
            suggestionId,
            kind: motion ? 'motion' : 'suggestion',
            title: `关于加强${topic}的${motion ? '议案' : '建议'}`,
            content: `针对${topic}方面存在的问题，建议……`,
            leadPersonId: lead.personId,
            leadMandateId: lead.mandateId,
            draftedOn,
          },
          draftedOn,
          { personId: lead.personId, role: 'deputy' },
        ))
      )
        continue;
      const coSigners = this.random
        .sample(
          inOffice(deputies, draftedOn).filter((seat) => seat !== lead),
          motion ? this.random.int(2, 9) : this.random.int(0, 2),
        )
        .map((seat) => ({ personId: seat.personId, mandateId: seat.mandateId }));
      if (!(await this.run('SubmitSuggestion', { suggestionId, recordId: this.id('record'), submittedOn: draftedOn, coSigners }, draftedOn))) continue;
      const assignedOn = addDays(draftedOn, this.random.int(5, 20));
      if (assignedOn > term.lastDay) continue;
      await this.run('AssignSuggestion', { suggestionId, agency: this.random.pick(AGENCIES), assignedOn, deadline: addDays(assignedOn, 90) }, assignedOn);
      const answeredOn = addDays(assignedOn, this.random.int(20, 100));
      if (answeredOn > term.lastDay || this.random.next() < 0.05) continue; // unanswered at the term change
      await this.run(
        'AnswerSuggestion',
        { suggestionId, answeredOn, answer: '已研究办理，答复如下……', outcome: this.random.pick(['adopted', 'partly-adopted', 'explained'] as const) },
        answeredOn,
      );
      const ratedOn = addDays(answeredOn, this.random.int(3, 20));
      if (ratedOn <= term.lastDay)
        await this.run('RateSuggestion', { suggestionId, ratedOn, rating: this.random.next() < 0.85 ? 'satisfied' : 'basically-satisfied' }, ratedOn, {
          personId: lead.personId,
          role: 'deputy',
        });
    }
  }

  /** 我为群众办实事: policy publicity most often, legal advice and mediation less. */
  private async practicalHelp(day: () => string, deputies: Seat[]): Promise<void> {
    for (const seat of deputies) {
      if (this.random.next() >= BEHAVIOUR.practicalHelp(seat.diligence)) continue;
      const recordId = this.id('record');
      const act = this.random.pick(['policy-publicity', 'policy-publicity', 'policy-publicity', 'legal-advice', 'dispute-mediation'] as const);
      const date = day();
      await this.recordAct(
        'RecordPracticalHelp',
        {
          recordId,
          personId: seat.personId,
          mandateId: seat.mandateId,
          act,
          date,
          summary: PRACTICAL_HELP[act],
          beneficiaries: this.random.int(1, 60),
          township: seat.township,
        },
        `deputy-act:${recordId}`,
        date,
      );
    }
  }

  /** 年述职: most deputies report to their voters in December (before the close in a term's last year), and the voters rate them. */
  private async dutyReports(term: TermPlan, month: string, deputies: Seat[]): Promise<void> {
    const year = Number(month.slice(0, 4));
    const lastDay = month === term.lastDay.slice(0, 7) ? Math.min(20, Number(term.lastDay.slice(8, 10))) : 20;
    for (const seat of deputies) {
      if (this.random.next() >= BEHAVIOUR.dutyReport(seat.diligence)) continue;
      if (this.reported.has(`${seat.personId}:${year}`)) continue; // one report a year: a deputy re-elected in November reported before the close
      const date = `${month}-${String(this.random.int(1, lastDay)).padStart(2, '0')}`;
      if (date > term.lastDay || date < seat.startsOn) continue;
      const recordId = this.id('record');
      const ok = await this.run(
        'DeliverDutyReport',
        {
          recordId,
          personId: seat.personId,
          mandateId: seat.mandateId,
          year,
          date,
          stationId: seat.stationId,
          venue: null,
          audienceSize: this.random.int(20, 120),
          summary: `${year}年度履职情况报告`,
        },
        date,
      );
      if (!ok) continue;
      this.reported.add(`${seat.personId}:${year}`);
      const competent = this.random.int(15, 100);
      const basically = this.random.int(0, 10);
      const rating = basically > competent / 3 ? 'basically-competent' : 'competent';
      await this.run(
        'RateDutyReport',
        {
          personId: seat.personId,
          year,
          ratedOn: date,
          votersRating: rating,
          votes: { competent, basicallyCompetent: basically, incompetent: this.random.int(0, 2) },
        },
        date,
      );
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
          voter: {
            name: chineseName(this.random),
            phone: `1${this.random.int(30, 99)}${String(this.random.int(0, 99_999_999)).padStart(8, '0')}`,
            address: `${this.random.int(1, 12)}组${this.random.int(1, 80)}号`,
          },
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
const PAIRING_ACTIVITIES = ['共同走访选民', '传授履职经验', '一起参加视察调研', '交流建议撰写方法'];
const PRACTICAL_HELP = { 'policy-publicity': '宣传惠民政策', 'legal-advice': '提供法律咨询', 'dispute-mediation': '调解邻里纠纷' } as const;
const REGULATIONS = [
  '常委会议事规则',
  '主任会议议事规则',
  '常委会组成人员履职管理办法',
  '代表联络站工作制度',
  '代表之家管理办法',
  '代表接待选民制度',
  '代表建议办理工作办法',
  '代表述职评议办法',
  '专题询问办法',
  '执法检查工作办法',
  '规范性文件备案审查办法',
  '预算审查监督办法',
  '国有资产管理情况监督办法',
  '代表培训工作制度',
  '结队帮带工作办法',
  '机关学习制度',
  '机关考勤管理制度',
  '公文处理办法',
  '信访工作制度',
  '代表履职档案管理办法',
  '意见征求会推荐代表办法',
  '列席常委会会议办法',
  '联络站“六有”建设标准',
  '一册六簿管理办法',
  '乡镇人大工作规范',
  '代表小组活动办法',
  '视察调研工作办法',
];
const VISIT_SUMMARIES = ['进站值班，接待来访群众', '参加联络站集中活动', '整理意见建议台账', '学习法律法规'];
const TOPICS = ['道路交通', '农村饮水', '教育资源', '医疗卫生', '环境保护', '社会保障', '产业发展', '基层治理'];

/** Rough count of commands, for the progress bar's ETA. */
export function estimateCommands(scale: Scale): number {
  const deputies = Object.values(scale.deputies).reduce((sum, count) => sum + count, 0);
  const stations = scale.townships * scale.stationsPerTownship;
  const months = 120;
  const years = months / 12;
  const d = DILIGENCE.alpha / (DILIGENCE.alpha + DILIGENCE.beta); // the mean diligence
  const reviewed = 1.15; // a share of acts is declared, then reviewed
  // Commands per county over two terms, by source (the rates mirror CountyBuilder's).
  const perCounty =
    2 * (deputies + scale.committeeMembers + scale.specialCommitteeMembers + scale.officeStaff + scale.townships) * 2.4 + // people, seats, assignments
    months * deputies * (BEHAVIOUR.stationVisit(d) + BEHAVIOUR.homeVisit(d) / 3 + BEHAVIOUR.practicalHelp(d)) * reviewed + // visits and practical help
    months * (scale.trainingsPerYear / 12) * 36 + // trainings and attendance
    months * stations * (scale.receptionsPerStationPerYear / 12) * 5.5 + // receptions, and their opinions handled
    years * deputies * (BEHAVIOUR.suggestion(d) + BEHAVIOUR.secondSuggestion(d)) * 5.5 + // suggestions, from drafting to rating
    years * scale.townships * 3 * (1 + (deputies / scale.townships) * 0.9) + // the townships' study days and inspection tours
    months * (scale.deputies.county * 0.2 + 40) + // county supervision and meetings
    (months / 3) * deputies * (BEHAVIOUR.pairingActivity(d) + 0.4) * reviewed + // pairing activities, mentees and mentors
    years * deputies * BEHAVIOUR.dutyReport(d) * 2 + // yearly duty reports and their ratings
    stations * 4; // station set-up
  return Math.round(perCounty * scale.counties);
}

export async function seedCounty(target: EventStore, options: CountyOptions): Promise<CountySummary> {
  const scale = scaleOf(options.scale);
  const today = options.today ?? countyToday();
  termsOn(today); // refuses a day the demo cannot stand on before anything is written
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
    const { bus, lookups } = createDomain(store, { cache: new StateCache(50_000) });
    const builder = new CountyBuilder(
      store,
      bus,
      lookups,
      scale,
      options.seed,
      county,
      () => {
        commands += 1;
        if (commands % 500 === 0) report();
      },
      today,
    );
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
