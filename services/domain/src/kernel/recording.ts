/**
 * Who enters an act, and how (shared by every act area). A deputy (any role outside
 * RECORDING_ROLES) *declares* an act (申报): the record starts pending review, and a deputy may only
 * declare their own acts. Staff, station managers, committee members and administrators *record*
 * acts: approved on entry.
 *
 * Two ways to use it: a command definition that decides there and then calls `declaredBy`; one
 * whose check belongs in the decider (specified by given/when/then tests) passes
 * `recorderOf(context)` (and `localDate(context.occurredAt)`) in the command, and the decider calls
 * `assertOwnAct` (and `assertNotFuture`).
 */
import { DomainError } from './errors.ts';
import { eventIdFor } from './ids.ts';
import type { CommandContext } from './messages.ts';
import { RECORDING_ROLES, type Role } from './roles.ts';

/** Roles that may record an act: a deputy declares their own, the others record anyone's. */
export const ACT_RECORDERS = ['deputy', 'staff', 'station-manager', 'committee-member', 'admin'] as const satisfies readonly Role[];

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

/** A declaring deputy may only declare acts they performed themself; else 'not-own-act' on `field`. */
export function assertOwnAct(recorder: Recorder, personId: string, field = 'personId'): void {
  if (recorder.declared && recorder.personId !== personId) {
    throw new DomainError('not-own-act', { zh: '代表只能申报本人的履职事项', en: 'A deputy can only declare their own acts' }, field);
  }
}

/**
 * True when the actor declares the act (awaiting review) rather than records it; a declaration
 * must be the actor's own act (`personId`), else 'not-own-act' on `field`.
 */
export function declaredBy(context: CommandContext, personId: string, field = 'personId'): boolean {
  const recorder = recorderOf(context);
  assertOwnAct(recorder, personId, field);
  return recorder.declared;
}

/** The record's id: the one the client chose, else derived from the command id (the same on a retry). */
export const recordIdFor = (context: CommandContext, given: string | undefined): string => given ?? eventIdFor(context.commandId, 'record', 0);

export { localDate } from './clock.ts';

/** An act cannot be recorded as having happened after the day the command is issued. */
export function assertNotFuture(date: string, today: string, field = 'date'): void {
  if (date > today) {
    throw new DomainError(
      'future-date',
      { zh: `日期 ${date} 晚于今天（${today}），不能登记尚未发生的事项`, en: `${date} is after today (${today}): an act cannot be recorded before it happens` },
      field,
    );
  }
}
