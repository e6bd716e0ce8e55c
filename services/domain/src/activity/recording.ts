/**
 * How an act command becomes a record (shared by the activity and pairing areas): who may record
 * acts, whether the record is a deputy's declaration (申报) or a staff entry, the record's id, and
 * whether a person already has a record that still stands.
 */
import { DomainError } from '../kernel/errors.ts';
import { eventIdFor } from '../kernel/ids.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { RECORDING_ROLES, type Role } from '../kernel/roles.ts';
import type { Records, RecordState } from '../review/records.ts';

/** Roles that may record an act: a deputy declares their own, the others record anyone's. */
export const ACT_RECORDERS = ['deputy', 'staff', 'station-manager', 'committee-member', 'admin'] as const satisfies readonly Role[];

/** True when the actor declares the act (awaiting review); a declaration must be the actor's own act. */
export function declaredBy(context: CommandContext, personId: string): boolean {
  const declared = !RECORDING_ROLES.includes(context.actor.role as Role);
  if (declared && context.actor.personId !== personId) {
    throw new DomainError('not-own-act', { zh: '代表只能申报本人的履职活动', en: 'A deputy can only declare their own acts' }, 'personId');
  }
  return declared;
}

/** The record's id: the one the client chose, else derived from the command id (the same on a retry). */
export const recordIdFor = (context: CommandContext, given: string | undefined): string => given ?? eventIdFor(context.commandId, 'record', 0);

/** Rejects a client-chosen record id that is already used on the stream. */
export function assertNewRecord(records: Records, recordId: string): void {
  if (records.has(recordId)) {
    throw new DomainError('record-exists', { zh: '该记录编号已被使用', en: 'This record id is already in use' }, 'recordId');
  }
}

/** A record still stands unless it was rejected in review or retracted (a pending declaration stands). */
export const stands = (record: RecordState): boolean => record.status !== 'rejected' && record.status !== 'retracted';

/** The person's records on the stream that still stand. */
export const standingRecordsOf = (records: Records, personId: string): RecordState[] =>
  [...records.values()].filter((record) => record.data.personId === personId && stands(record));
