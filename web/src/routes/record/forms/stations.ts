/** Stations and voters: station visits, receptions, home visits, duty reports and their rating. */
import { command } from '$lib/forms/command';
import { graphql } from '$lib/gql';
import { intOf, linesOf, message, peopleOf, personOf, textOf, type Field, type FormSpec, type Option } from '$lib/forms/engine';
import { names } from '$lib/forms/labels';
import {
  STATION_ACTS,
  DUTY_REPORT_RATERS,
  DEPUTY_SEAT,
  L,
  ownActs,
  deputyField,
  dateField,
  stationField,
  option,
  optionLabel,
  str,
  personName,
  personInput,
} from './fields';

const RecordStationVisitCommand = graphql(`
  mutation RecordStationVisitCommand($input: RecordStationVisitInput!) {
    result: recordStationVisit(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RecordVoterReceptionCommand = graphql(`
  mutation RecordVoterReceptionCommand($input: RecordVoterReceptionInput!) {
    result: recordVoterReception(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const DeliverDutyReportCommand = graphql(`
  mutation DeliverDutyReportCommand($input: DeliverDutyReportInput!) {
    result: deliverDutyReport(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RecordHomeVisitCommand = graphql(`
  mutation RecordHomeVisitCommand($input: RecordHomeVisitInput!) {
    result: recordHomeVisit(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

const RateDutyReportCommand = graphql(`
  mutation RateDutyReportCommand($input: RateDutyReportInput!) {
    result: rateDutyReport(input: $input) {
      __typename
      ...CommandRecorded
      ...CommandRejected
    }
  }
`);

/** 进站履职 (月进站): RecordStationVisit. */
export const stationVisit: FormSpec = {
  id: 'station-visit',
  declares: true,
  title: { zh: '进站履职', en: 'Station visit' },
  description: {
    zh: '代表到所在家站履职（“月进站”）；代表本人申报的待审核。',
    en: 'A deputy’s duty at their station (monthly); a deputy’s own declaration awaits review.',
  },
  roles: STATION_ACTS,
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    stationField,
    dateField('date'),
    { kind: 'textarea', name: 'summary', label: L.summary, required: true, maxLength: 1000 },
  ],
  plan: (values, ids) => [
    command(RecordStationVisitCommand, {
      recordId: ids('recordId'),
      stationId: textOf(values, 'stationId'),
      ...personInput(personOf(values, 'person')),
      date: textOf(values, 'date'),
      summary: textOf(values, 'summary'),
    }),
  ],
  confirm: (values) =>
    message({ zh: '{name} {date} 进站履职', en: '{name}’s station visit on {date}' }, { name: personName(values, 'person'), date: str(values, 'date') }),
};

/** 接待选民: RecordVoterReception, one attendance record per deputy present. */
export const voterReception: FormSpec = {
  id: 'voter-reception',
  declares: true,
  title: { zh: '接待选民', en: 'Voter reception' },
  description: {
    zh: '在家站接待选民：每位在场代表各记一人次，第一位为主持代表。',
    en: 'Receiving voters at a station: one person-time per deputy present; the first led it.',
  },
  roles: STATION_ACTS,
  fields: [
    stationField,
    dateField('date'),
    {
      kind: 'people',
      name: 'deputies',
      label: { zh: '接待代表（第一位主持）', en: 'Deputies (the first led it)' },
      required: true,
      minItems: 1,
      maxItems: 50,
      mandate: { kinds: DEPUTY_SEAT, dateField: 'date' },
      check: ownActs,
    },
    { kind: 'int', name: 'votersReceived', label: { zh: '接待选民人数', en: 'Voters received' }, required: true, min: 0 },
    { kind: 'lines', name: 'topics', label: { zh: '议题（每行一个）', en: 'Topics (one a line)' }, maxItems: 50, maxLength: 200 },
  ],
  plan: (values, ids) => [
    command(RecordVoterReceptionCommand, {
      stationId: textOf(values, 'stationId'),
      receptionId: ids('receptionId'),
      date: textOf(values, 'date'),
      votersReceived: intOf(values, 'votersReceived'),
      topics: linesOf(values.topics ?? null),
      deputies: peopleOf(values, 'deputies').map((person) => ({
        recordId: ids(`reception:${person.personId}`),
        personId: person.personId,
        mandateId: person.mandateId,
      })),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{date} 接待选民 {voters} 人，接待代表：{names}', en: 'Voter reception on {date}: {voters} voters, deputies {names}' },
      { date: str(values, 'date'), voters: str(values, 'votersReceived'), names: names(peopleOf(values, 'deputies')) },
    ),
};

/** 年述职: DeliverDutyReport. */
export const dutyReport: FormSpec = {
  id: 'duty-report',
  declares: true,
  title: { zh: '向选民述职', en: 'Duty report to voters' },
  description: { zh: '代表向原选区选民报告年度履职情况（“年述职”）。', en: 'A deputy’s annual report of their duty to the voters.' },
  roles: ['deputy', 'station-manager', 'staff', 'admin'],
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    {
      kind: 'int',
      name: 'year',
      label: { zh: '述职年度', en: 'Year reported on' },
      required: true,
      min: 2000,
      max: 2100,
      defaultValue: new Date().getFullYear(),
    },
    dateField('date', { zh: '述职日期', en: 'Date' }),
    { kind: 'int', name: 'audienceSize', label: { zh: '参加选民人数', en: 'Audience' }, required: true, min: 0 },
    { kind: 'textarea', name: 'summary', label: { zh: '述职内容', en: 'Summary' }, required: true, maxLength: 4000 },
    { kind: 'text', name: 'venue', label: { zh: '地点', en: 'Venue' }, maxLength: 200 },
    { kind: 'station', name: 'stationId', label: { zh: '在家站述职时选择家站', en: 'Station (if held at one)' } },
  ],
  plan: (values, ids) => [
    command(DeliverDutyReportCommand, {
      recordId: ids('recordId'),
      ...personInput(personOf(values, 'person')),
      year: intOf(values, 'year'),
      date: textOf(values, 'date'),
      audienceSize: intOf(values, 'audienceSize'),
      summary: textOf(values, 'summary'),
      venue: textOf(values, 'venue'),
      stationId: textOf(values, 'stationId'),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {year} 年度述职（{date}）', en: '{name}’s duty report for {year} ({date})' },
      { name: personName(values, 'person'), year: str(values, 'year'), date: str(values, 'date') },
    ),
};

/** 回家履职 (季回家): RecordHomeVisit. */
export const homeVisit: FormSpec = {
  id: 'home-visit',
  declares: true,
  title: { zh: '回选区履职', en: 'Home visit' },
  description: { zh: '代表回原选区联系选民（“季回家”）。', en: 'A deputy’s return to their electoral district (quarterly).' },
  roles: STATION_ACTS,
  fields: [
    deputyField('person', L.deputy, 'date', ['personId', 'mandateId']),
    dateField('date'),
    { kind: 'text', name: 'place', label: { zh: '地点（村、社区或单位）', en: 'Place' }, required: true, maxLength: 200 },
    { kind: 'text', name: 'visited', label: { zh: '走访对象（概括，如“村民代表 12 人”）', en: 'Whom (in general terms)' }, required: true, maxLength: 200 },
    { kind: 'textarea', name: 'summary', label: L.summary, required: true, maxLength: 1000 },
  ],
  plan: (values, ids) => [
    command(RecordHomeVisitCommand, {
      recordId: ids('recordId'),
      ...personInput(personOf(values, 'person')),
      date: textOf(values, 'date'),
      place: textOf(values, 'place'),
      visited: textOf(values, 'visited'),
      summary: textOf(values, 'summary'),
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {date} 回选区履职（{place}）', en: '{name}’s home visit on {date} ({place})' },
      { name: personName(values, 'person'), date: str(values, 'date'), place: str(values, 'place') },
    ),
};

const DUTY_RATINGS: readonly Option[] = [
  option('COMPETENT', '称职', 'Competent'),
  option('BASICALLY_COMPETENT', '基本称职', 'Basically competent'),
  option('INCOMPETENT', '不称职', 'Incompetent'),
];
const votes = (name: string, zh: string, en: string): Field => ({
  kind: 'int',
  name,
  label: { zh: `${zh}票数`, en: `Votes “${en}”` },
  required: true,
  min: 0,
  api: [`votes.${name}`],
});

/** 述职评议: RateDutyReport, the voters' rating of a deputy's duty report for a year. */
export const rateDutyReport: FormSpec = {
  id: 'rate-duty-report',
  title: { zh: '述职评议', en: 'Rate a duty report' },
  description: {
    zh: '选民对代表年度述职的评议结果（称职、基本称职、不称职）及票数。',
    en: 'How the voters rated a deputy’s duty report for a year, with the votes.',
  },
  roles: DUTY_REPORT_RATERS,
  fields: [
    { kind: 'person', name: 'person', label: L.deputy, required: true, api: ['personId'] },
    {
      kind: 'int',
      name: 'year',
      label: { zh: '述职年度', en: 'Year reported on' },
      required: true,
      min: 2000,
      max: 2100,
      defaultValue: new Date().getFullYear() - 1,
    },
    dateField('ratedOn', { zh: '评议日期', en: 'Rated on' }),
    { kind: 'select', name: 'votersRating', label: { zh: '评议结果', en: 'Rating' }, required: true, options: DUTY_RATINGS },
    votes('competent', '称职', 'competent'),
    votes('basicallyCompetent', '基本称职', 'basically competent'),
    votes('incompetent', '不称职', 'incompetent'),
  ],
  plan: (values) => [
    command(RateDutyReportCommand, {
      personId: personOf(values, 'person')?.personId,
      year: intOf(values, 'year'),
      ratedOn: textOf(values, 'ratedOn'),
      votersRating: textOf(values, 'votersRating'),
      votes: { competent: intOf(values, 'competent'), basicallyCompetent: intOf(values, 'basicallyCompetent'), incompetent: intOf(values, 'incompetent') },
    }),
  ],
  confirm: (values) =>
    message(
      { zh: '{name} {year} 年度述职评议：{rating}', en: '{name}’s duty report for {year} rated: {rating}' },
      {
        name: personName(values, 'person'),
        year: str(values, 'year'),
        rating: optionLabel(DUTY_RATINGS, values, 'votersRating'),
      },
    ),
};
