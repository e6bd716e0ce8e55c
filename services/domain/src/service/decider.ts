/** "我为群众办实事": each piece of practical help is its own record on a `deputy-act:<recordId>` stream. */
import { assertNever, type Decider } from '../kernel/decider.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Command } from '../kernel/messages.ts';
import { assertNotFuture, assertOwnAct, type Recorder } from '../kernel/recording.ts';
import type { ReviewEvent } from '../review/events.ts';
import { noRecords, type Records, trackRecords } from '../review/records.ts';
import type { PracticalHelpEvent } from './events.ts';

export const deputyActStream = (recordId: string) => `deputy-act:${recordId}`;

export type DeputyActCommand = Command<
  'RecordPracticalHelp',
  Omit<PracticalHelpEvent['data'], 'declared'> & {
    recorder: Recorder;
    /** The county's date when the command is issued (from the context), to refuse acts in the future. */
    today: string;
  }
>;

/** Review events (approval, correction …) land on the same stream as the record. */
export type DeputyActEvent = PracticalHelpEvent | ReviewEvent;

export interface DeputyActState {
  records: Records;
}

export const deputyActDecider: Decider<DeputyActCommand, DeputyActEvent, DeputyActState> = {
  category: 'deputy-act',
  initialState: () => ({ records: noRecords }),
  decide(command, state) {
    switch (command.type) {
      case 'RecordPracticalHelp': {
        const { recorder, today, ...data } = command.data;
        if (state.records.size > 0) {
          throw new DomainError('record-exists', { zh: '该记录已经登记过', en: 'This record already exists' }, 'recordId');
        }
        assertOwnAct(recorder, data.personId);
        assertNotFuture(data.date, today);
        return [{ type: 'PracticalHelpRecorded', data: { ...data, declared: recorder.declared } }];
      }
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PracticalHelpRecorded':
      case 'RecordApproved':
      case 'RecordRejected':
      case 'RecordCorrected':
      case 'RecordRetracted':
        return { records: trackRecords(state.records, event) };
      default:
        return assertNever(event);
    }
  },
};
