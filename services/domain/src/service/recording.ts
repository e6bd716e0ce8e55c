/**
 * Who enters an act, and how (shared by the act areas: service, suggestion, report). A deputy
 * (any role outside RECORDING_ROLES) *declares* an act (申报): the record starts pending review,
 * and a deputy may only declare their own acts. Staff, station managers, committee members and
 * administrators *record* acts: approved on entry. The check runs in the decider, so it is
 * specified by given/when/then tests; the command definitions only read the context.
 */
import { DomainError } from '../kernel/errors.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { RECORDING_ROLES, type Role } from '../kernel/roles.ts';

/** The person issuing a command and whether they are declaring rather than recording. */
export interface Recorder {
  personId: string;
  /** True for a deputy's own declaration (申报): the record awaits review. */
  declared: boolean;
}

export const recorderOf = (context: CommandContext): Recorder => ({
  personId: context.actor.personId,
  declared: !RECORDING_ROLES.includes(context.actor.role as Role),
});

/** A declaring deputy may only declare acts they performed themself. */
export function assertOwnAct(recorder: Recorder, personId: string, field = 'personId'): void {
  if (recorder.declared && recorder.personId !== personId) {
    throw new DomainError('not-own-act', { zh: '代表只能申报本人的履职事项', en: 'A deputy can only declare their own acts' }, field);
  }
}

/** The county's time zone: calendar dates in the data are local dates in China. */
const COUNTY_TIME_ZONE = 'Asia/Shanghai';

/** The county's calendar date (YYYY-MM-DD) of an ISO instant, e.g. the command context's `occurredAt`. */
export const localDate = (instant: string): string => new Date(instant).toLocaleDateString('en-CA', { timeZone: COUNTY_TIME_ZONE });

/** An act cannot be recorded as having happened after the day the command is issued. */
export function assertNotFuture(date: string, today: string, field = 'date'): void {
  if (date > today) {
    throw new DomainError('future-date', { zh: `日期 ${date} 晚于今天（${today}），不能登记尚未发生的事项`, en: `${date} is after today (${today}): an act cannot be recorded before it happens` }, field);
  }
}
