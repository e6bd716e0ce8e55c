/**
 * From the rows read to the commands that record them: each row checked against the file and the
 * county (terms, people and their seats on the day, stations), each problem named by row and
 * column. Ids are derived, never random: a person, seat or station from what identifies it, an
 * act from the file's SHA-256 and its row, each command id from the file's SHA-256, the row and
 * the step — so importing the same file again adds nothing.
 */
import { activityStream, countyToday, mandateStream, personStream, type MandateKind, type Level } from '@yingpan/domain';
import { derivedId, type CountyView, type KnownMandate, type KnownPerson, type KnownStation, type KnownTerm } from './county.ts';
import {
  ACTIVITY_KIND_LABELS,
  LEVEL_LABELS,
  STATION_TYPE_LABELS,
  TEAM_LABELS,
  TRAINING_TYPE_LABELS,
  VISIT_KIND_LABELS,
  columnLetter,
  type SheetSpec,
} from './sheets.ts';
import type { NameRef, Problem, ReadWorkbook, Row } from './workbook.ts';

export interface Step {
  sheet: string;
  row: number;
  /** Which of the row's commands (a row may register a person and start a seat). */
  part: string;
  command: string;
  input: Record<string, unknown>;
  commandId: string;
  /** When the act happened (history rows); absent: now. */
  occurredAt?: string;
  /** Steps of one phase may run at once; a phase waits for the one before. */
  phase: number;
}

export interface Plan {
  sha256: string;
  steps: Step[];
  problems: Problem[];
  /** Rows read, and rows with no problem. */
  rows: number;
  validRows: number;
  /** Rows already in the county (a person or seat registered before): nothing to do for them. */
  known: number;
  /** Commands of this file already run here (an earlier import of it): counted as duplicates, not run again. */
  alreadyRun?: ReadonlySet<string>;
}

const reverse = <K extends string>(labels: Record<K, string>) => new Map(Object.entries(labels).map(([key, label]) => [label as string, key as K]));
const KIND_OF = reverse(TEAM_LABELS as Record<MandateKind, string>);
const LEVEL_OF = reverse(LEVEL_LABELS as Record<Level, string>);
const STATION_TYPE_OF = reverse(STATION_TYPE_LABELS);
const TRAINING_TYPE_OF = reverse(TRAINING_TYPE_LABELS);
const ACTIVITY_KIND_OF = reverse(ACTIVITY_KIND_LABELS);
const VISIT_KIND_OF = reverse(VISIT_KIND_LABELS);

/** A home visit's own stream (services/domain/src/station/home-visit.ts). */
const homeVisitStream = (recordId: string) => `deputy-act:${recordId}`;

const PHASES = { term: 1, person: 2, mandate: 3, station: 4, stationStaff: 5, history: 6 } as const;

/** Noon in China on the act's day: when a paper record says it happened. */
const noonOf = (date: string) => new Date(`${date}T12:00:00+08:00`).toISOString();

const describeName = (ref: NameRef) => (ref.qualifier ? `${ref.name}（${ref.qualifier}）` : ref.name);

export async function planImport(read: ReadWorkbook, county: CountyView): Promise<Plan> {
  const problems: Problem[] = [...read.problems];
  const steps: Step[] = [];
  const today = countyToday();
  let known = 0;
  const failedRows = new Set<string>();
  const rowKey = (row: Row) => `${row.sheet.name}:${row.row}`;
  const cellOf = (row: Row, key: string) => {
    const index = row.sheet.columns.findIndex((column) => column.key === key);
    return index < 0 ? '' : `${columnLetter(index + 1)}${row.row}`;
  };
  const problem = (row: Row, key: string, reason: string, value?: string) => {
    failedRows.add(rowKey(row));
    const column = row.sheet.columns.find((each) => each.key === key);
    problems.push({
      sheet: row.sheet.name,
      row: row.row,
      column: column?.header ?? '',
      cell: column ? cellOf(row, key) : '',
      value: value ?? row.shown[key] ?? '',
      reason,
    });
  };
  const stepsOfRow = new Map<string, Step[]>();
  const add = (row: Row, part: string, command: string, input: Record<string, unknown>, phase: number, occurredAt?: string) => {
    const step: Step = {
      sheet: row.sheet.name,
      row: row.row,
      part,
      command,
      input,
      commandId: derivedId('yingpan-import', read.sha256, row.sheet.name, row.row, part),
      phase,
    };
    if (occurredAt) step.occurredAt = occurredAt;
    const list = stepsOfRow.get(rowKey(row)) ?? [];
    list.push(step);
    stepsOfRow.set(rowKey(row), list);
  };
  const rowsOf = (name: string) => read.rows.filter((row) => row.sheet.name === name);
  const notFuture = (row: Row, key: string): boolean => {
    const date = row.values[key] as string;
    if (date > today) {
      problem(row, key, `日期 ${date} 晚于今天（${today}）：只能登记已经发生的事`);
      return false;
    }
    return true;
  };

  // -- 届次: terms the county has are kept; new ones are opened.
  const terms = new Map<number, KnownTerm>(county.terms.map((term) => [term.number, term]));
  for (const row of rowsOf('届次')) {
    const number = row.values.number as number;
    const startsOn = row.values.startsOn as string;
    const plannedEndOn = row.values.plannedEndOn as string;
    if (plannedEndOn <= startsOn) {
      problem(row, 'plannedEndOn', '计划结束日期应晚于开始日期');
      continue;
    }
    if (terms.has(number)) {
      known++;
      continue;
    }
    const termId = derivedId('yingpan-term', number);
    terms.set(number, { termId, number, startsOn, plannedEndOn, closedOn: null });
    add(row, 'term', 'OpenTerm', { termId, number, startsOn, plannedEndOn }, PHASES.term);
  }

  // -- 人员任职: people (told apart by name, gender and birth year) and their seats.
  const planned = new Map<string, KnownPerson>();
  const plannedByName = new Map<string, KnownPerson[]>();
  for (const row of rowsOf('人员任职')) {
    const name = row.values.name as string;
    const gender = row.values.gender === '女' ? 'female' : 'male';
    const birthYear = row.values.birthYear as number;
    const term = terms.get(row.values.term as number);
    const kind = KIND_OF.get(row.values.team as string)!;
    const level = row.values.level === null || row.values.level === undefined ? null : LEVEL_OF.get(row.values.level as string)!;
    const township = (row.values.township as string | null) ?? null;
    const startsOn = row.values.startsOn as string;
    if (!/^\p{Script=Han}{2,4}$|^[\p{Script=Han}·]{2,15}$/u.test(name)) problem(row, 'name', '姓名应是 2–4 个汉字（少数民族姓名可含 ·）');
    if (!term) problem(row, 'term', `没有第 ${row.shown.term} 届：请在「届次」表中填写该届，或先在设置页开设`);
    if (kind === 'deputy' && !level) problem(row, 'level', '人大代表须填代表层级（全国、省、市、县、乡镇）');
    if (kind !== 'deputy' && level) problem(row, 'level', `只有人大代表有代表层级；${row.values.team}请留空`);
    if (kind === 'township-chair' && !township) problem(row, 'township', '乡镇人大主席须填所在乡镇（街道）');
    if (term && (startsOn < term.startsOn || startsOn > (term.closedOn ?? term.plannedEndOn))) {
      problem(row, 'startsOn', `任职日期应在第 ${term.number} 届之内（${term.startsOn} 至 ${term.closedOn ?? term.plannedEndOn}）`);
    }
    if (startsOn > today) problem(row, 'startsOn', `任职日期 ${startsOn} 晚于今天（${today}）`);
    if (failedRows.has(rowKey(row)) || !term) continue;
    const personId = derivedId('yingpan-person', name, gender, birthYear);
    let person = planned.get(personId);
    if (!person) {
      person = { personId, name, birthYear, mandates: [] };
      planned.set(personId, person);
      plannedByName.set(name, [...(plannedByName.get(name) ?? []), person]);
      if (await county.exists(personStream(personId))) known++;
      else add(row, 'person', 'RegisterPerson', { personId, name, gender, publicServant: row.values.publicServant === true }, PHASES.person);
    }
    const mandateId = derivedId('yingpan-mandate', personId, term.number, kind, level ?? '');
    if (person.mandates.some((mandate) => mandate.mandateId === mandateId)) continue;
    person.mandates.push({ mandateId, personId, termNumber: term.number, kind, township, startsOn, validTo: term.closedOn });
    if (await county.exists(mandateStream(mandateId))) {
      known++;
      continue;
    }
    add(
      row,
      'mandate',
      'StartMandate',
      {
        mandateId,
        personId,
        termId: term.termId,
        kind,
        level,
        district: row.values.district ?? null,
        township,
        portfolio: row.values.portfolio ?? null,
        publicServant: row.values.publicServant === true,
        startsOn,
      },
      PHASES.mandate,
    );
  }

  // People named in later sheets: those of this file and those the county already has.
  const namesWanted = new Set<string>();
  for (const row of read.rows) {
    for (const column of row.sheet.columns) {
      const value = row.values[column.key];
      if (column.type === 'names' && Array.isArray(value)) for (const ref of value) namesWanted.add(ref.name);
      if ((column.key === 'manager' || column.key === 'person') && typeof value === 'string') namesWanted.add(value.replace(/[(（].*$/, ''));
    }
  }
  const countyPeople = await county.peopleNamed([...namesWanted]);
  const candidates = (name: string): KnownPerson[] => {
    const mine = plannedByName.get(name) ?? [];
    const theirs = (countyPeople.get(name) ?? []).filter((person) => !mine.some((each) => each.personId === person.personId));
    return [...mine, ...theirs];
  };
  const refOf = (text: string): NameRef => {
    const match = /^([^()（）]+)[(（]([^()（）]+)[)）]$/.exec(text.normalize('NFKC'));
    return match ? { name: match[1]!.trim(), qualifier: match[2]!.trim() } : { name: text.trim(), qualifier: null };
  };
  /** The one person a name stands for, or why not. */
  const resolve = (ref: NameRef): KnownPerson | string => {
    let people = candidates(ref.name);
    if (people.length === 0) return `找不到「${describeName(ref)}」：请先在「人员任职」表中填写此人，或检查姓名`;
    if (ref.qualifier) {
      const year = /^\d{4}$/.test(ref.qualifier) ? Number(ref.qualifier) : null;
      people = people.filter((person) =>
        year !== null
          ? person.birthYear === year ||
            person.personId === derivedId('yingpan-person', ref.name, 'male', year) ||
            person.personId === derivedId('yingpan-person', ref.name, 'female', year)
          : person.mandates.some((mandate) => mandate.township?.includes(ref.qualifier!)),
      );
      if (people.length === 0) return `找不到「${describeName(ref)}」：没有与括号中出生年份或乡镇相符的人`;
    }
    if (people.length > 1) return `有 ${people.length} 位同名的「${ref.name}」：请写成 ${ref.name}（出生年份），如 ${ref.name}（1975）`;
    return people[0]!;
  };
  const seatOn = (person: KnownPerson, date: string, kinds?: readonly MandateKind[]): KnownMandate | undefined =>
    person.mandates
      .filter((mandate) => (!kinds || kinds.includes(mandate.kind)) && mandate.startsOn <= date && (mandate.validTo === null || date <= mandate.validTo))
      .sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0];
  const latestSeat = (person: KnownPerson, kinds: readonly MandateKind[]): KnownMandate | undefined =>
    person.mandates.filter((mandate) => kinds.includes(mandate.kind)).sort((a, b) => b.startsOn.localeCompare(a.startsOn))[0];
  const kindsText = (kinds?: readonly MandateKind[]) => (kinds ? kinds.map((kind) => TEAM_LABELS[kind]).join('或') : '任何');

  // -- 联络站: stations, their managers and deputies.
  const stations = new Map<string, KnownStation>(county.stations.map((station) => [`${station.township}\u0000${station.name}`, station]));
  for (const row of rowsOf('联络站')) {
    const name = row.values.name as string;
    const township = row.values.township as string;
    const establishedOn = row.values.establishedOn as string;
    notFuture(row, 'establishedOn');
    const key = `${township}\u0000${name}`;
    const existing = stations.get(key);
    const stationId = existing?.stationId ?? derivedId('yingpan-station', township, name);
    const managerText = row.values.manager as string | null;
    let manager: { person: KnownPerson; seat: KnownMandate } | null = null;
    if (managerText) {
      const found = resolve(refOf(managerText));
      if (typeof found === 'string') problem(row, 'manager', found);
      else {
        const seat = latestSeat(found, ['township-chair', 'office-staff']);
        if (!seat) problem(row, 'manager', `${found.name} 不是乡镇人大主席或机关工作人员：站长须是其中之一`);
        else manager = { person: found, seat };
      }
    }
    const deputies: { person: KnownPerson; seat: KnownMandate }[] = [];
    for (const ref of (row.values.deputies as NameRef[] | null) ?? []) {
      const found = resolve(ref);
      if (typeof found === 'string') {
        problem(row, 'deputies', found, describeName(ref));
        continue;
      }
      const seat = latestSeat(found, ['deputy']);
      if (!seat) problem(row, 'deputies', `${found.name} 没有人大代表的任职：只有代表进站`, describeName(ref));
      else if (!deputies.some((each) => each.person.personId === found.personId)) deputies.push({ person: found, seat });
    }
    if (failedRows.has(rowKey(row))) continue;
    if (existing) known++;
    else {
      stations.set(key, { stationId, name, township });
      add(
        row,
        'station',
        'EstablishStation',
        { stationId, type: STATION_TYPE_OF.get(row.values.type as string), name, township, address: row.values.address, establishedOn },
        PHASES.station,
      );
    }
    const from = (seat: KnownMandate) => (seat.startsOn > establishedOn ? seat.startsOn : establishedOn);
    if (manager) {
      add(
        row,
        'manager',
        'AssignStationManager',
        { stationId, managerPersonId: manager.person.personId, managerMandateId: manager.seat.mandateId, assignedOn: from(manager.seat) },
        PHASES.stationStaff,
      );
    }
    for (const deputy of deputies) {
      add(
        row,
        `deputy:${deputy.person.personId}`,
        'AssignDeputyToStation',
        { stationId, personId: deputy.person.personId, mandateId: deputy.seat.mandateId, assignedOn: from(deputy.seat) },
        PHASES.stationStaff,
      );
    }
  }

  /** The people of a sheet's list, each in a seat on the day; problems named per person. */
  const sheetPeople = (row: Row, key: string, date: string, kinds?: readonly MandateKind[]) => {
    const people: { personId: string; mandateId: string }[] = [];
    for (const ref of (row.values[key] as NameRef[] | null) ?? []) {
      const found = resolve(ref);
      if (typeof found === 'string') {
        problem(row, key, found, describeName(ref));
        continue;
      }
      const seat = seatOn(found, date, kinds);
      if (!seat) {
        problem(row, key, `${describeName(ref)} 在 ${date} 没有有效的任职（${kindsText(kinds)}）`, describeName(ref));
        continue;
      }
      if (people.some((each) => each.personId === found.personId)) {
        problem(row, key, `${describeName(ref)} 在名单中出现了两次`, describeName(ref));
        continue;
      }
      people.push({ personId: found.personId, mandateId: seat.mandateId });
    }
    return people;
  };
  /** An act's id from what identifies it (its sheet's identity columns), so a corrected file imported again finds what the first one recorded. */
  const actId = (row: Row) => derivedId('yingpan-record', row.sheet.name, ...row.sheet.identity.map((key) => JSON.stringify(row.values[key] ?? null)));
  /** True when the county holds the row's act already (counted as known: nothing to do). */
  const recorded = async (streamId: string) => {
    if (!(await county.exists(streamId))) return false;
    known++;
    return true;
  };

  // -- 培训 and 活动: organised activities with their sign-in sheets.
  for (const row of rowsOf('培训')) {
    const date = row.values.date as string;
    notFuture(row, 'date');
    const attendees = sheetPeople(row, 'attendees', date);
    if (failedRows.has(rowKey(row)) || (await recorded(activityStream(actId(row))))) continue;
    add(
      row,
      'training',
      'OrganiseTrainingWithAttendance',
      { activityId: actId(row), trainingType: TRAINING_TYPE_OF.get(row.values.trainingType as string), title: row.values.title, date, attendees },
      PHASES.history,
      noonOf(date),
    );
  }
  for (const row of rowsOf('活动')) {
    const date = row.values.date as string;
    notFuture(row, 'date');
    const participants = sheetPeople(row, 'participants', date);
    if (failedRows.has(rowKey(row)) || (await recorded(activityStream(actId(row))))) continue;
    add(
      row,
      'activity',
      'OrganiseActivityWithParticipants',
      {
        activityId: actId(row),
        kind: ACTIVITY_KIND_OF.get(row.values.kind as string),
        title: row.values.title,
        date,
        organiser: row.values.organiser,
        township: row.values.township ?? null,
        participants,
      },
      PHASES.history,
      noonOf(date),
    );
  }

  // -- 进站回家: a deputy's station and home visits.
  const stationsByName = new Map<string, KnownStation[]>();
  for (const station of stations.values()) stationsByName.set(station.name, [...(stationsByName.get(station.name) ?? []), station]);
  for (const row of rowsOf('进站回家')) {
    const date = row.values.date as string;
    const kind = VISIT_KIND_OF.get(row.values.kind as string)!;
    notFuture(row, 'date');
    const found = resolve(refOf(row.values.person as string));
    let seat: KnownMandate | undefined;
    if (typeof found === 'string') problem(row, 'person', found);
    else {
      seat = seatOn(found, date, ['deputy']);
      if (!seat) problem(row, 'person', `${found.name} 在 ${date} 没有有效的人大代表任职`);
    }
    let station: KnownStation | undefined;
    if (kind === 'station') {
      const name = row.values.station as string | null;
      const matches = name ? (stationsByName.get(name) ?? []) : [];
      if (!name) problem(row, 'station', '进站履职须填联络站');
      else if (matches.length === 0) problem(row, 'station', `找不到联络站「${name}」：请在「联络站」表中填写，或检查名称`);
      else if (matches.length > 1)
        problem(row, 'station', `有 ${matches.length} 个名为「${name}」的联络站（${matches.map((each) => each.township).join('、')}）`);
      else station = matches[0];
    } else {
      if (!row.values.place) problem(row, 'place', '回家履职须填地点');
      if (!row.values.visited) problem(row, 'visited', '回家履职须填走访对象');
    }
    if (failedRows.has(rowKey(row)) || typeof found === 'string' || !seat) continue;
    if (kind === 'home' && (await recorded(homeVisitStream(actId(row))))) continue;
    const common = { recordId: actId(row), personId: found.personId, mandateId: seat.mandateId, date, summary: row.values.summary };
    if (kind === 'station') add(row, 'visit', 'RecordStationVisit', { ...common, stationId: station!.stationId }, PHASES.history, noonOf(date));
    else add(row, 'visit', 'RecordHomeVisit', { ...common, place: row.values.place, visited: row.values.visited }, PHASES.history, noonOf(date));
  }

  // A row with any problem contributes nothing: its steps are left out (with --only-valid the others go ahead).
  for (const [key, list] of stepsOfRow) if (!failedRows.has(key)) steps.push(...list);
  steps.sort((a, b) => a.phase - b.phase || sheetOrder(a.sheet) - sheetOrder(b.sheet) || a.row - b.row);
  const readKeys = new Set(read.rows.map(rowKey));
  const badRows = new Set(problems.filter((each) => each.row > 1).map((each) => `${each.sheet}:${each.row}`));
  return {
    sha256: read.sha256,
    steps,
    problems: problems.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || a.row - b.row),
    rows: read.rows.length + [...badRows].filter((key) => !readKeys.has(key)).length,
    validRows: read.rows.filter((row) => !failedRows.has(rowKey(row))).length,
    known,
  };
}

const ORDER = ['', '届次', '人员任职', '联络站', '培训', '活动', '进站回家'];
const sheetOrder = (sheet: string) => {
  const index = ORDER.indexOf(sheet);
  return index < 0 ? ORDER.length : index;
};

export type { SheetSpec };
