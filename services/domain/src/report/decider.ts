/**
 * The annual duty report (年述职). A report lives on a stream derived from the person and the year,
 * so a second report for the same year lands on the same stream and the decider sees the first.
 * A report that was rejected in review or retracted no longer stands, and a new one may be given.
 */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import { eventIdFor } from '../kernel/ids.ts';
import type { Command } from '../kernel/messages.ts';
import { assertNotFuture, assertOwnAct, type Recorder } from '../kernel/recording.ts';
import type { ReviewEvent } from '../review/events.ts';
import { assertNewRecord, noRecords, type Records, stands, trackRecords } from '../review/records.ts';
import type { DutyReportDeliveredData, DutyReportEvent, DutyReportRating } from './events.ts';

/** The id of a person's duty report for a year: a name-based UUID, the same every time. */
export const dutyReportId = (personId: string, year: number) => eventIdFor('duty-report', personId, year);
export const dutyReportStream = (reportId: string) => `duty-report:${reportId}`;
/** The stream of a person's duty report for a year. */
export const dutyReportStreamFor = (personId: string, year: number) => dutyReportStream(dutyReportId(personId, year));

export type DutyReportCommand =
  | Command<'DeliverDutyReport', Omit<DutyReportDeliveredData, 'declared'> & { recorder: Recorder; today: string }>
  | Command<
      'RateDutyReport',
      { ratedOn: string; votersRating: DutyReportRating; votes: { competent: number; basicallyCompetent: number; incompetent: number } }
    >;

export type DutyReportStreamEvent = DutyReportEvent | ReviewEvent;

export interface DutyReportState {
  /** Every report record on the stream (normally one), with its review status. */
  records: Records;
  /** The record ids of reports already rated. */
  rated: ReadonlySet<string>;
}

const standing = (state: DutyReportState) => [...state.records.values()].find(stands);

export const dutyReportDecider: Decider<DutyReportCommand, DutyReportStreamEvent, DutyReportState> = {
  category: 'duty-report',
  initialState: () => ({ records: noRecords, rated: new Set() }),
  decide(command, state) {
    switch (command.type) {
      case 'DeliverDutyReport': {
        const { recorder, today, ...data } = command.data;
        if (standing(state)) {
          throw new DomainError('report-exists', { zh: `该代表 ${data.year} 年度已经述职`, en: `This person already reported for ${data.year}` }, 'year');
        }
        assertNewRecord(state.records, data.recordId);
        assertOwnAct(recorder, data.personId);
        const deliveredIn = Number(data.date.slice(0, 4));
        if (deliveredIn !== data.year && deliveredIn !== data.year + 1) {
          throw new DomainError(
            'report-year',
            { zh: `${data.year} 年度的述职应在当年或次年进行`, en: `A report for ${data.year} is given in that year or the next` },
            'date',
          );
        }
        assertNotFuture(data.date, today);
        return [{ type: 'DutyReportDelivered', data: { ...data, declared: recorder.declared } }];
      }
      case 'RateDutyReport': {
        const report = standing(state);
        if (!report) throw new DomainError('report-not-found', { zh: '尚未述职，不能评议', en: 'There is no report to rate' }, 'year');
        if (state.rated.has(report.recordId)) {
          throw new DomainError('already-rated', { zh: '该述职已经评议过', en: 'This report has already been rated' }, 'year');
        }
        if (command.data.ratedOn < (report.data.date as string)) {
          throw new DomainError('rated-before-report', { zh: '评议日期不能早于述职日期', en: 'A report cannot be rated before it is given' }, 'ratedOn');
        }
        const { competent, basicallyCompetent, incompetent } = command.data.votes;
        if (competent + basicallyCompetent + incompetent === 0) {
          throw new DomainError('no-votes', { zh: '评议至少要有一票', en: 'A rating needs at least one vote' }, 'votes');
        }
        return [{ type: 'DutyReportRated', data: { recordId: report.recordId, ...command.data } }];
      }
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DutyReportRated':
        return { ...state, rated: new Set([...state.rated, event.data.recordId]) };
      case 'DutyReportDelivered':
      case 'RecordApproved':
      case 'RecordRejected':
      case 'RecordCorrected':
      case 'RecordRetracted':
        return { ...state, records: trackRecords(state.records, event) };
      default:
        return assertNever(event);
    }
  },
};
