import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dutyReportDecider, dutyReportId, dutyReportStreamFor, type DutyReportCommand, type DutyReportStreamEvent } from '../../src/report/decider.ts';
import type { DutyReportDeliveredData } from '../../src/report/events.ts';
import { spec } from '../spec.ts';

const personId = randomUUID();
const mandateId = randomUUID();
const recordId = randomUUID();
const stationId = randomUUID();
const staff = { personId: randomUUID(), declared: false };
const deputy = { personId, declared: true };
const otherDeputy = { personId: randomUUID(), declared: true };

const report = (changes: Partial<DutyReportDeliveredData> = {}): DutyReportDeliveredData => ({
  recordId,
  act: 'duty-report',
  personId,
  mandateId,
  date: '2023-12-20',
  declared: false,
  year: 2023,
  stationId,
  venue: null,
  audienceSize: 46,
  summary: '汇报一年来参加视察、提出建议和联系选民的情况。',
  ...changes,
});
const base = report();
const delivered: DutyReportStreamEvent = { type: 'DutyReportDelivered', data: base };

const deliver = (recorder = staff, changes: Partial<DutyReportDeliveredData> = {}, today = '2024-01-05'): DutyReportCommand => {
  const { declared: _declared, ...data } = { ...base, ...changes };
  return { type: 'DeliverDutyReport', data: { ...data, recorder, today } };
};
const votes = { competent: 40, basicallyCompetent: 5, incompetent: 1 };
const rate = (ratedOn = '2023-12-20', counts = votes): DutyReportCommand => ({
  type: 'RateDutyReport',
  data: { ratedOn, votersRating: 'competent', votes: counts },
});
const rated: DutyReportStreamEvent = { type: 'DutyReportRated', data: { recordId, ratedOn: '2023-12-20', votersRating: 'competent', votes } };

const reports = spec(dutyReportDecider);
const given = (...history: DutyReportStreamEvent[]) => reports.given(history);

describe('the duty report’s stream', () => {
  it('is the same for a person and year, and differs for another year or person', () => {
    expect(dutyReportStreamFor(personId, 2023)).toBe(dutyReportStreamFor(personId, 2023));
    expect(dutyReportStreamFor(personId, 2023)).toBe(`duty-report:${dutyReportId(personId, 2023)}`);
    expect(dutyReportStreamFor(personId, 2024)).not.toBe(dutyReportStreamFor(personId, 2023));
    expect(dutyReportStreamFor(randomUUID(), 2023)).not.toBe(dutyReportStreamFor(personId, 2023));
    expect(dutyReportId(personId, 2023)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('when the person has not reported for the year', () => {
  it('records a report entered by staff, approved on entry', () => {
    given().when(deliver()).then([delivered]);
  });
  it('records the deputy’s own report as a declaration', () => {
    given()
      .when(deliver(deputy))
      .then([{ type: 'DutyReportDelivered', data: { ...base, declared: true } }]);
  });
  it('rejects a deputy declaring someone else’s report', () => {
    given().when(deliver(otherDeputy)).thenRejects('not-own-act');
  });
  it('accepts a report on the year given early the next year', () => {
    given()
      .when(deliver(staff, { date: '2024-01-05' }))
      .then([{ type: 'DutyReportDelivered', data: report({ date: '2024-01-05' }) }]);
  });
  it('rejects a report given before the year it covers', () => {
    given()
      .when(deliver(staff, { date: '2022-12-30' }))
      .thenRejects('report-year');
  });
  it('rejects a report given two years later', () => {
    given()
      .when(deliver(staff, { date: '2025-01-05' }, '2025-02-01'))
      .thenRejects('report-year');
  });
  it('rejects a report dated in the future', () => {
    given()
      .when(deliver(staff, { date: '2024-01-06' }))
      .thenRejects('future-date');
  });
  it('rejects a rating', () => {
    given().when(rate()).thenRejects('report-not-found');
  });
});

describe('when the person has reported for the year', () => {
  it('rejects a second report', () => {
    given(delivered)
      .when(deliver(staff, { recordId: randomUUID() }))
      .thenRejects('report-exists');
  });
  it('records the voters’ rating of it', () => {
    given(delivered).when(rate()).then([rated]);
  });
  it('rejects a rating dated before the report', () => {
    given(delivered).when(rate('2023-12-19')).thenRejects('rated-before-report');
  });
  it('rejects a rating without votes', () => {
    given(delivered)
      .when(rate(undefined, { competent: 0, basicallyCompetent: 0, incompetent: 0 }))
      .thenRejects('no-votes');
  });
});

describe('when the report is rated', () => {
  it('rejects a second rating', () => {
    given(delivered, rated).when(rate()).thenRejects('already-rated');
  });
});

describe('when the report was retracted', () => {
  const retracted: DutyReportStreamEvent = { type: 'RecordRetracted', data: { recordId, reason: '录入错误' } };
  it('accepts a new report under a new record id', () => {
    const again = randomUUID();
    given(delivered, rated, retracted)
      .when(deliver(staff, { recordId: again }))
      .then([{ type: 'DutyReportDelivered', data: report({ recordId: again }) }]);
  });
  it('rejects a new report reusing the record id', () => {
    given(delivered, retracted).when(deliver()).thenRejects('record-exists');
  });
  it('rejects a rating', () => {
    given(delivered, retracted).when(rate()).thenRejects('report-not-found');
  });
});

describe('when the deputy’s declared report was rejected in review', () => {
  it('accepts a new report', () => {
    const again = randomUUID();
    given({ type: 'DutyReportDelivered', data: report({ declared: true }) }, { type: 'RecordRejected', data: { recordId, reason: '未实际开展' } })
      .when(deliver(deputy, { recordId: again }))
      .then([{ type: 'DutyReportDelivered', data: report({ recordId: again, declared: true }) }]);
  });
});
